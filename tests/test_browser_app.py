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

from simulator.app import ui

WAIT_MS = 90_000
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
CHANGES = 5  # changes timed per run of the latency test
QUIET_MS = 400  # no redraw for this long counts as settled

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
def server(tmp_path_factory):
    """`streamlit run app.py`, headless on a free local port; always stopped afterwards."""
    # The workshop pages keep a database; give them a throwaway one so the test leaves nothing behind.
    folder = tmp_path_factory.mktemp("server")
    env = {"SIMULATOR_WORKSHOP_DB": str(folder / "workshops.sqlite3")}
    with streamlit_server(ROOT / "app.py", ROOT, folder / "streamlit.log", env) as url:
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
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=WAIT_MS
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
    return page.evaluate(
        "[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.offsetParent !== null).length"
    )


def _time_change(page, act) -> tuple[float, float]:
    """Seconds from an action to new headline numbers, and to every visible chart settled."""
    before = _metric(page, "Total released")
    page.evaluate("window.__lastRedraw = performance.now()")
    start = page.evaluate("performance.now()")
    act()
    page.wait_for_function(
        "before => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => "
        "m.innerText.startsWith('Total released') && "
        "m.querySelector('[data-testid=stMetricValue]').innerText.trim() !== before)",
        arg=before.strip(),
        timeout=WAIT_MS,
        polling=20,
    )
    numbers = page.evaluate("performance.now()")
    settled = _quiet(page)
    return (numbers - start) / 1000, (max(settled, numbers) - start) / 1000


def test_explore_change_latency_and_screens(server, page):
    page.add_init_script(WATCH_REDRAWS)
    started = time.perf_counter()
    page.goto(server)
    _settled(page, charts=2)
    first_visit = time.perf_counter() - started
    _assert_clean(page)
    assert page.locator("[data-testid='stMetric']").count() == 5
    _shoot(page, "explore_laptop")

    page.locator("[data-testid='stSidebar'] summary").filter(has_text="Regime").click()
    slider = page.get_by_role("slider", name=ui.control_label(ui.PARAMETERS["regime.pardons.release_cost"]))
    timings = []
    for step in range(CHANGES):
        slider.focus()
        timings.append(_time_change(page, lambda k=("ArrowRight" if step % 2 else "ArrowLeft"): slider.press(k)))
    move = page.locator("[data-testid='stSidebar'] [data-testid='stButtonGroup'] button").filter(has_text="Engage")
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
