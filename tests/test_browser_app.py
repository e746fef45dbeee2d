"""Real-browser tests: `streamlit run app.py` on 127.0.0.1, driven in headless Chromium by Playwright.

They record (and print, never assert) how long a change takes until every visible chart has settled,
and save screenshots of each page at laptop (1366x768) and projector (1920x1080) sizes to artifacts/
so a person can look at them.
"""

from __future__ import annotations

import statistics
import time
from urllib.parse import quote

import pytest
from browser_support import ARTIFACTS, BROWSER_ARGS, CHROMIUM, NEEDS_CHROMIUM, ROOT, streamlit_server
from playwright.sync_api import expect

from simulator.app import ui
from simulator.workshop.rules import make_spec
from simulator.workshop.store import WorkshopStore

WAIT_MS = 90_000
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE = ROOT / "tests" / "fixtures" / "axe" / "axe.min.js"  # axe-core 4.14.1 from npm (MPL 2.0; see its README)
PROJECTOR = {"width": 1920, "height": 1080}
CHANGES = 5  # changes timed per run of the latency test
QUIET_MS = 400  # no redraw for this long counts as settled
# The charts a person sees: Explore also holds a hidden, empty one that makes the browser load Plotly.
SHOWN_CHARTS = "[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.offsetParent !== null)"

pytestmark = NEEDS_CHROMIUM

# Records the time of the last change to any chart or headline number, so the test can tell when
# the page has stopped redrawing after a change.
WATCH_REDRAWS = """
window.__lastRedraw = performance.now();
new MutationObserver(records => {
  if (records.some(r => r.target.closest && r.target.closest('.js-plotly-plot, [data-testid=stMetric]'))) {
    window.__lastRedraw = performance.now();
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


@pytest.fixture(scope="module")
def server_folder(tmp_path_factory):
    """The server's throwaway folder: its log and the workshop pages' database."""
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="module")
def server(server_folder):
    """The README's `simulator app`, headless on a free local port; always stopped afterwards.

    It prepares the model and serves Streamlit in its own process; tests/test_browser_workshop.py uses
    `streamlit run app.py`, so both ways of serving are seen in a browser.
    """
    # The workshop pages keep a database; give them a throwaway one so the test leaves nothing behind.
    env = {"SIMULATOR_WORKSHOP_DB": str(server_folder / "workshops.sqlite3")}
    with streamlit_server(None, ROOT, server_folder / "streamlit.log", env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh laptop-sized page that records console errors, uncaught exceptions and every request."""
    context = browser.new_context(viewport=LAPTOP)
    tab = context.new_page()
    tab.problems, tab.requests = [], []
    tab.on("console", lambda message: tab.problems.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


def _settled(page, charts: int = 1) -> None:
    """Wait until the app has finished running and at least `charts` Plotly charts are drawn."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    page.wait_for_function(
        f"{SHOWN_CHARTS}.filter(p => p.querySelector('.main-svg')).length >= {charts}", timeout=WAIT_MS
    )


def _quiet(page) -> float:
    """Wait until the script is done and nothing has redrawn for QUIET_MS; the time of the last redraw (ms)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    page.wait_for_function(f"performance.now() - window.__lastRedraw > {QUIET_MS}", timeout=WAIT_MS, polling=50)
    return page.evaluate("window.__lastRedraw")


def _assert_clean(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert page.problems == []


def _metric(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label)
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def _shoot(page, name: str, full_page: bool = False) -> None:
    """Save what the viewport shows to artifacts/; a full page grows the viewport first (the app scrolls inside)."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    if full_page:
        page.set_viewport_size({"width": size["width"], "height": 3200})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(size)


def _visible_charts(page) -> int:
    return page.evaluate(f"{SHOWN_CHARTS}.length")


def _time_change(page, act) -> tuple[float, float]:
    """Seconds from an action to new headline numbers, and to every visible chart settled.

    A small change can leave every rounded headline as it was; then the numbers count as new once the
    rerun has redrawn the page (its charts) and finished.
    """
    before = _metric_values(page)
    start = page.evaluate("window.__lastRedraw = performance.now()")
    act()
    page.wait_for_function(
        "([before, start]) => { const now = [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".map(v => v.innerText.trim()).join('|'); if (now !== before) return true;"
        " return window.__lastRedraw > start && document.querySelector("
        "\"[data-testid='stApp'][data-test-script-state='notRunning']\") !== null; }",
        arg=[before, start],
        timeout=WAIT_MS,
        polling=20,
    )
    numbers = page.evaluate("performance.now()")
    settled = _quiet(page)
    return (numbers - start) / 1000, (max(settled, numbers) - start) / 1000


def _metric_values(page) -> str:
    return page.evaluate(
        "[...document.querySelectorAll('[data-testid=stMetricValue]')].map(v => v.innerText.trim()).join('|')"
    )


def test_explore_change_latency_and_screens(server, page):
    page.add_init_script(WATCH_REDRAWS)
    started = time.perf_counter()
    page.goto(server)
    _settled(page, charts=2)
    first_visit = time.perf_counter() - started
    _assert_clean(page)
    assert page.locator("[data-testid='stMetric']").count() == 5
    _shoot(page, "explore_laptop")

    page.locator("[data-testid='stSidebar'] summary").filter(has_text="Regime: pardons").click()
    slider = page.get_by_role("slider", name=ui.control_label(ui.PARAMETERS["regime.pardons.release_cost"]))
    timings = []
    for step in range(CHANGES):
        slider.focus()
        timings.append(_time_change(page, lambda k=("ArrowRight" if step % 2 else "ArrowLeft"): slider.press(k)))
    move = page.locator("[data-testid='stMain'] [data-testid='stButtonGroup'] button").filter(has_text="Engage")
    timings.append(_time_change(page, move.click))
    _assert_clean(page)
    numbers = statistics.median(t[0] for t in timings)
    settled = statistics.median(t[1] for t in timings)
    print(
        f"\nExplore in Chromium, {len(timings)} changes: change -> new numbers median {numbers:.2f} s, "
        f"change -> all visible charts settled median {settled:.2f} s (max {max(t[1] for t in timings):.2f} s); "
        f"visible charts {_visible_charts(page)}; first visit to numbers and charts {first_visit:.1f} s"
    )
    assert "eu.policy.action=engage" in page.url
    _shoot(page, "explore_laptop_after_change")
    _shoot(page, "explore_laptop_full", full_page=True)

    page.get_by_role("tab", name="Stories and beliefs").click()
    _settled(page, charts=2)
    _quiet(page)
    _shoot(page, "explore_laptop_stories_tab")


# Tags each drawn chart of Explore, then reads back, per chart, whether it kept its tag (the same element)
# and the values it now draws (as sent: arrays, or base64 typed data).
TAG_CHARTS = "() => [...document.querySelectorAll('.simulator-chart')].forEach((c, i) => { c.dataset.tag = i; })"
CHART_STATE = """() => [...document.querySelectorAll('.simulator-chart')].map(c => ({
    tag: c.dataset.tag ?? null, aria: c.getAttribute('aria-label'),
    line: JSON.stringify((c.data || []).map(t => t.y))}))"""


def test_a_change_redraws_the_charts_in_place_with_the_new_run(server, page):
    page.goto(server)
    _settled(page, charts=2)
    page.evaluate(TAG_CHARTS)
    before = page.evaluate(CHART_STATE)
    assert [c["aria"] for c in before] == [
        "Political prisoners (end of month)",
        "Pardons, deals and new political prisoners",
    ]
    page.locator("[data-testid='stMain'] [data-testid='stButtonGroup'] button").filter(has_text="Tighten").click()
    page.wait_for_function("() => location.search.includes('eu.policy.action=tighten')", timeout=WAIT_MS)
    _settled(page, charts=2)
    page.wait_for_function(
        f"([before]) => ({CHART_STATE})().every((c, i) => c.line !== before[i].line)", arg=[before], timeout=WAIT_MS
    )
    after = page.evaluate(CHART_STATE)
    assert [c["tag"] for c in after] == ["0", "1"]  # the same elements, redrawn, not rebuilt
    _assert_clean(page)


COUNT_REDRAWS = """() => {
    window.__chartRedraws = 0;
    const react = window.Plotly.react;
    window.Plotly.react = function (graph, ...rest) {
        if (graph.classList && graph.classList.contains('simulator-chart')) window.__chartRedraws += 1;
        return react.call(this, graph, ...rest);
    };
}"""


def test_a_rerun_that_changes_no_chart_leaves_the_charts_as_drawn(server, page):
    from simulator.app import ui

    page.add_init_script(WATCH_REDRAWS)
    page.goto(server)
    _settled(page, charts=2)
    page.evaluate(COUNT_REDRAWS)
    before = page.evaluate(CHART_STATE)
    page.locator("[data-testid='stSidebar'] summary").filter(has_text="Regime: pardons").click()  # a rerun, same run
    label = ui.control_label(ui.PARAMETERS["regime.pardons.release_cost"])
    page.get_by_role("slider", name=label).wait_for(timeout=WAIT_MS)  # drawn by that rerun
    _quiet(page)
    assert page.evaluate(CHART_STATE) == before
    assert page.evaluate("window.__chartRedraws") == 0
    page.locator("[data-testid='stMain'] [data-testid='stButtonGroup'] button").filter(has_text="Tighten").click()
    page.wait_for_function("() => window.__chartRedraws === 2", timeout=WAIT_MS)  # a new run: both redrawn
    _assert_clean(page)


def test_the_month_stepper_replays_the_story(server, page):
    page.goto(server)
    _settled(page, charts=2)
    forward = page.get_by_role("button", name="▶")
    for _ in range(3):
        forward.click()
        page.wait_for_timeout(300)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    alert = page.locator("[data-testid='stAlertContentInfo']")
    alert.wait_for(timeout=WAIT_MS)
    assert alert.inner_text().startswith("Sep 2024")
    _assert_clean(page)
    _shoot(page, "explore_laptop_month_stepper")


def test_projector_sizes_of_every_page(server, page):
    page.set_viewport_size(PROJECTOR)
    page.goto(server)
    _settled(page, charts=2)
    _shoot(page, "explore_projector")
    page.get_by_text("Large text (projector)").click()
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot .gtitle')].some(t => parseFloat(t.style.fontSize) >= 24)",
        timeout=WAIT_MS,
    )
    _assert_clean(page)
    _shoot(page, "explore_projector_large_text")
    page.get_by_text("Large text (projector)").click()
    # Navigating while that rerun is still drawing can be lost under load: let it finish first.
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot .gtitle')].every(t => parseFloat(t.style.fontSize) < 24)",
        timeout=WAIT_MS,
    )
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    for link, heading, charts, name in (
        ("Compare", "Compare policies", 2, "compare"),
        ("About the model", "About the model", 1, "about"),
    ):
        page.set_viewport_size(PROJECTOR)
        page.get_by_role("link", name=link).first.click()
        page.get_by_role("heading", name=heading).wait_for(timeout=WAIT_MS)
        _settled(page, charts=charts)
        _assert_clean(page)
        _shoot(page, f"{name}_projector")
        page.set_viewport_size(LAPTOP)
        _shoot(page, f"{name}_laptop")
        _shoot(page, f"{name}_laptop_full", full_page=True)


def test_sweep_page_reruns_after_a_result_in_a_real_browser(server, page):
    page.goto(server)
    _settled(page, charts=2)
    page.get_by_role("link", name="Sweep").first.click()
    page.get_by_role("heading", name="Sweep").first.wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="Run sweep").click()
    _settled(page, charts=1)
    page.get_by_role("button", name="Run sweep").click()  # the same sweep again, from the cache
    page.wait_for_timeout(500)
    _settled(page, charts=1)
    _assert_clean(page)
    _shoot(page, "sweep_laptop_full", full_page=True)


def test_a_tampered_link_shows_an_error_in_the_page_not_a_crash(server, page):
    page.goto(f"{server}/?preset=baseline_2024&regime.pardons.release_cost=%3Cscript%3E&nope=1")
    _settled(page)
    alert = page.locator("[data-testid='stAlertContentError']")
    assert "could not be opened" in alert.inner_text()
    assert "regime.pardons.release_cost" in alert.inner_text() and "nope: unknown parameter" in alert.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.problems == []


def test_a_markdown_image_in_a_name_is_never_fetched(server, page):
    name = "![x](http://127.0.0.1:9/p.png) [text](https://example.invalid/a)"
    page.goto(f"{server}/?preset=baseline_2024&eu.name={quote(name)}&simulation.replications=50")
    _settled(page, charts=2)
    page.get_by_role("tab", name="Sanctions").click()
    _settled(page, charts=2)
    page.get_by_text("What happened, month by month").click()
    page.wait_for_timeout(1000)
    fetched = [url for url in page.requests if not url.startswith(server)]
    assert not [url for url in fetched if "p.png" in url or "example.invalid" in url]
    assert page.locator("[data-testid='stMain'] a[href*='example.invalid']").count() == 0
    assert page.locator("img[src*='p.png']").count() == 0
    assert page.get_by_text("![x](http:").count() >= 1  # shown as the characters it spells
    _shoot(page, "explore_laptop_hostile_name")


# --- accessibility: axe, the keyboard, focus rings, contrast ------------------------------------------

RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ') + ': ' +
        (n.failureSummary || '').replace(/\\s+/g, ' '))}));
}"""


def axe_violations(page) -> list[dict]:
    """What axe-core finds wrong on the page as drawn (WCAG 2 A and AA and best practices).

    It waits until no element is left faded from an earlier run, as a person reading the page would.
    """
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=WAIT_MS)
    page.wait_for_timeout(500)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def _contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of two CSS 'rgb(r, g, b)' colours; a translucent background is laid on white."""

    def luminance(css: str) -> float:
        parts = [float(c) for c in css[css.index("(") + 1 : -1].split(",")]
        alpha = parts[3] if len(parts) == 4 else 1.0
        channels = [(alpha * c + (1 - alpha) * 255) / 255 for c in parts[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


FOCUSED = """() => {
    const a = document.activeElement;
    const ring = a.closest("[data-baseweb='select']") ? a.closest("[data-baseweb='select']").firstElementChild : a;
    const style = getComputedStyle(ring);
    return {text: (a.innerText || a.getAttribute('aria-label') || '').trim().slice(0, 60), tag: a.tagName,
            testid: (a.closest('[data-testid]') || {}).dataset?.testid || '',
            in_main: !!a.closest("[data-testid='stMain']"), nav: !!a.closest("[data-testid='stSidebarNav']"),
            combobox: a.getAttribute('role') === 'combobox',
            outline: style.outlineStyle + ' ' + style.outlineWidth};
}"""


def test_axe_finds_no_violations_on_explore_compare_the_phone_ballot_and_the_screen(server, server_folder, browser):
    found = {}
    laptop = browser.new_context(viewport=LAPTOP).new_page()
    laptop.goto(server)
    _settled(laptop, charts=2)
    found["explore"] = axe_violations(laptop)
    laptop.get_by_role("link", name="Compare").first.click()
    laptop.get_by_role("heading", name="Compare policies").wait_for(timeout=WAIT_MS)
    _settled(laptop, charts=2)
    found["compare"] = axe_violations(laptop)
    laptop.context.close()

    store = WorkshopStore(server_folder / "workshops.sqlite3")
    room = store.create(make_spec("baseline_2024", rounds=2, replications=50, seed=3, title="Seminar"))
    store.open_vote(room.code, room.key, 1)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{server}/workshop_join?code={room.code}")
    phone.get_by_label("Name (optional)").fill("Anna")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("Tighten: add sanctions").first.wait_for(timeout=WAIT_MS)
    phone.wait_for_timeout(1000)
    found["phone ballot"] = axe_violations(phone)
    phone.locator("[data-testid='stRadio'] label", has_text="Tighten: add sanctions").filter(visible=True).first.click()
    phone.get_by_text("Your vote: TIGHTEN").wait_for(timeout=WAIT_MS)
    found["phone ballot, voted"] = axe_violations(phone)
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{server}/workshop_screen?code={room.code}&key={room.key}")
    screen.locator(".ws-code").wait_for(timeout=WAIT_MS)
    found["screen, vote open"] = axe_violations(screen)
    store.close_vote(room.code, room.key, 1)
    screen.locator(".ws-headline", has_text="July 2024").wait_for(timeout=WAIT_MS)
    screen.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=WAIT_MS)
    found["screen, reveal"] = axe_violations(screen)
    screen.context.close()
    phone.context.close()
    print("\naxe violations per page:", {page: len(rules) for page, rules in found.items()})
    assert found == {page: [] for page in found}


def test_one_tab_and_enter_reach_the_page_and_every_focus_shows_a_ring(server, page):
    page.goto(server)
    _settled(page, charts=2)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Skip to main content" and first["outline"] == "solid 3px"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["in_main"]
    presses, reached = 1, []
    while not (reached and reached[-1]["combobox"]) and presses < 10:  # the page link, ..., the question
        page.keyboard.press("Tab")
        presses += 1
        reached.append(page.evaluate(FOCUSED))
    assert reached[-1]["combobox"] and all(r["in_main"] and r["outline"] == "solid 3px" for r in reached), reached
    assert reached[0]["testid"].startswith("stPageLink")
    print(f"\nTab presses to the question on Explore: {presses} (the skip link and Enter, then {presses - 1})")
    page.goto(server)  # a fresh page: the navigation is the first thing after the skip link
    _settled(page, charts=2)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    nav = page.evaluate(FOCUSED)
    assert nav["nav"] and nav["outline"] == "solid 3px", nav


def test_captions_and_the_selected_move_read_at_4_5_to_1(server, page):
    page.goto(server)
    _settled(page, charts=2)
    caption = "[data-testid='stMain'] [data-testid='stCaptionContainer'] p"
    selected = "[data-testid='stButtonGroup'] [data-selected='true'] p"
    for drawn in (caption, selected):  # the charts can be drawn before the rest of the run is
        page.locator(drawn).first.wait_for(timeout=WAIT_MS)
    colours = page.evaluate(
        """() => {
        const colour = (el) => getComputedStyle(el).color;
        const back = (el) => { for (; el; el = el.parentElement) { const b = getComputedStyle(el).backgroundColor;
            if (b !== 'rgba(0, 0, 0, 0)') return b; } return 'rgb(255, 255, 255)'; };
        const caption = document.querySelector("[data-testid='stMain'] [data-testid='stCaptionContainer'] p");
        const selected = document.querySelector("[data-testid='stButtonGroup'] [data-selected='true'] p");
        return {caption: [colour(caption), back(caption)], selected: [colour(selected), back(selected)]};
    }"""
    )
    ratios = {name: round(_contrast(*pair), 2) for name, pair in colours.items()}
    print(f"\ncontrast ratios: {ratios}")
    assert min(ratios.values()) >= 4.5, ratios


# --- layout on a laptop and a phone --------------------------------------------------------------------

OVERLAPS = """() => {
    const overlaps = [];
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        const boxes = [...plot.querySelectorAll('.annotation-text')].map(t => t.getBoundingClientRect());
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push([i]);
        }));
    }
    return overlaps.length;
}"""

CUT_TEXT = """(selector) => [...document.querySelectorAll(selector)].filter(
    el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > window.innerWidth + 1
).map(el => el.innerText)"""


def test_explore_on_a_laptop_shows_the_charts_on_the_first_screen_and_whole_labels(server, page):
    page.goto(server)
    _settled(page, charts=2)
    top = page.evaluate(f"{SHOWN_CHARTS}[0].getBoundingClientRect().top")
    print(f"\nfirst chart's top at 1366x768: {top:.0f} px")
    assert top < LAPTOP["height"] - 200  # its title and part of its plot are on the first screen
    assert page.evaluate(CUT_TEXT, "[data-testid='stDownloadButton'] button p") == []
    assert page.locator(".modebar").count() == 0
    _shoot(page, "explore_laptop_first_screen")


def test_explore_on_a_phone_has_the_move_in_the_page_and_nothing_cut_or_covered(server, browser):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(server)
    _settled(phone, charts=2)
    move = phone.locator("[data-testid='stMain'] [data-testid='stButtonGroup'] button").filter(has_text="Tighten")
    expect(move).to_be_visible(timeout=WAIT_MS)  # no sidebar to open
    question = phone.locator(".phone-only")
    assert question.is_visible() and question.inner_text().endswith("?")  # the whole question, not cut
    assert phone.evaluate(CUT_TEXT, ".phone-only, [data-testid='stMain'] [data-testid='stButtonGroup'] button") == []
    phone.screenshot(path=str(ARTIFACTS / "explore_phone.png"))
    move.click()
    phone.wait_for_function("() => location.search.includes('eu.policy.action=tighten')", timeout=WAIT_MS)
    _settled(phone, charts=2)
    phone.locator(".simulator-chart").first.scroll_into_view_if_needed()
    phone.wait_for_timeout(1000)
    assert phone.locator(".modebar").count() == 0  # no toolbar over the titles
    assert phone.evaluate(OVERLAPS) == 0  # event labels never collide
    phone.screenshot(path=str(ARTIFACTS / "explore_phone_charts.png"))
    phone.context.close()
