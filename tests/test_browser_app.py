"""Real-browser smoke test: `streamlit run app.py` on 127.0.0.1, driven in headless Chromium by Playwright.

Screenshots of each page (laptop and projector sizes) go to artifacts/ so a person can look at them.
"""

from __future__ import annotations

import pytest
from browser_support import ARTIFACTS, BROWSER_ARGS, CHROMIUM, NEEDS_CHROMIUM, ROOT, streamlit_server

from simulator import Scenario, parameter_table

WAIT_MS = 60_000
LAPTOP = {"width": 1440, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}

pytestmark = NEEDS_CHROMIUM


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
    """A fresh browser page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport=LAPTOP)
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda message: tab.problems.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    yield tab
    context.close()


def _settled(page, charts: int = 1) -> None:
    """Wait until the app has finished running and at least `charts` Plotly charts are drawn."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=WAIT_MS
    )


def _assert_clean(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert page.problems == []


def _metric(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label)
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def _shoot(page, name: str, height: int | None = None) -> None:
    """Save what the viewport shows; with a height, first grow the viewport to show more of the page."""
    ARTIFACTS.mkdir(exist_ok=True)
    if height:
        page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
        page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_explore_compare_about_in_a_real_browser(server, page):
    page.goto(server)
    _settled(page, charts=9)
    _assert_clean(page)
    assert page.locator("[data-testid='stMetric']").count() == 5
    _shoot(page, "explore_laptop")

    before = _metric(page, "Total released")
    page.locator("[data-testid='stSidebar'] summary").filter(has_text="Regime").click()
    cost = next(p for p in parameter_table(Scenario) if p.path == "regime.release_cost")
    slider = page.get_by_role("slider", name=f"{cost.label} ({cost.unit})")
    slider.focus()
    slider.press("Home")  # the slider's minimum: releasing costs the regime nothing
    page.wait_for_function(
        "before => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => "
        "m.innerText.startsWith('Total released') && "
        "m.querySelector('[data-testid=stMetricValue]').innerText.trim() !== before)",
        arg=before.strip(),
        timeout=WAIT_MS,
    )
    _settled(page, charts=9)
    assert _metric(page, "Total released") != before
    assert "regime.release_cost=0.0" in page.url
    _assert_clean(page)
    _shoot(page, "explore_laptop_full", height=4400)

    page.set_viewport_size(LAPTOP)
    page.get_by_role("link", name="Compare").click()
    page.get_by_role("heading", name="Compare policies").wait_for(timeout=WAIT_MS)
    _settled(page, charts=2)
    assert page.get_by_text("frees more people than").count() >= 3
    _assert_clean(page)
    _shoot(page, "compare_laptop", height=1800)

    page.set_viewport_size(LAPTOP)
    page.get_by_role("link", name="About the model").click()
    page.get_by_role("heading", name="About the model").wait_for(timeout=WAIT_MS)
    page.get_by_text("stylised model, not a forecast").first.wait_for(timeout=WAIT_MS)
    _assert_clean(page)
    _shoot(page, "about_laptop")


def test_projector_view_with_large_text(server, page):
    page.set_viewport_size(PROJECTOR)
    page.goto(server)
    _settled(page)
    page.get_by_text("Large text (projector)").click()
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot .gtitle')].some(t => parseFloat(t.style.fontSize) >= 24)",
        timeout=WAIT_MS,
    )
    _assert_clean(page)
    _shoot(page, "explore_projector")


def test_a_tampered_link_shows_an_error_in_the_page_not_a_crash(server, page):
    page.goto(f"{server}/?preset=baseline_2024&regime.release_cost=%3Cscript%3E&nope=1")
    _settled(page)
    alert = page.locator("[data-testid='stAlertContentError']")
    assert "could not be opened" in alert.inner_text()
    assert "regime.release_cost" in alert.inner_text() and "nope: unknown parameter" in alert.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.problems == []
