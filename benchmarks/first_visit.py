"""Time a newcomer's first visit to the app and a change on Explore, in headless Chromium.

Usage: python benchmarks/first_visit.py              (each case on 3 fresh servers, medians)
       python benchmarks/first_visit.py --servers 5 --changes 9

Each case starts fresh servers (headless, 127.0.0.1, a free port) and opens each once in a fresh browser
context (nothing cached in the browser). Times run from navigation start (the page's own clock) to:
  text     the first readable text in the page's main area (its title, or a loading line)
  numbers  the five headline numbers of Explore
  charts   the two charts of Explore's first tab drawn
Cases:
  simulator app, fresh install   the README's command on an empty numba cache (NUMBA_CACHE_DIR), as on a
                                 machine that never ran the model: it compiles before it listens (each
                                 of these servers on a cache of its own, so the median is of real installs)
  simulator app, fresh server    the same command later, reusing the last install's cache
  streamlit run app.py           the other way to serve it, which imports the model on the first visit
  floor                          a page with only a title, five numbers and two small Plotly charts: what
                                 this browser and Streamlit's front end cost on this machine, whatever the app
Explore changes are timed by kind, from the key or pointer press reaching the page (not from when the driver
was asked to press), each until new headline numbers and until no chart or number has redrawn for 400 ms
(as tests/test_browser_app.py): "release cost" (sidebar, Regime: pardons) set to values never run before
(a tenth of its range up each time: a new run of 500 simulations), stepped back and forth between values run
before (runs the server keeps), and the EU's moves Engage, Tighten and Hold (which `simulator app` runs on
the default question before it serves).
This is a benchmark, not a test: it prints, and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import BROWSER_ARGS, CHROMIUM, streamlit_process  # noqa: E402

LAPTOP = {"width": 1366, "height": 768}
WAIT_MS = 120_000
QUIET_MS = 400
# Records, on the page's clock, when each milestone of the first visit is first seen, and the time of
# the last change to any chart or headline number (to tell when a change has settled).
MILESTONES = """
window.__seen = {};
window.__lastRedraw = performance.now();
// Each check runs until its milestone is seen, and no longer: innerText and offsetParent make the browser
// lay the page out, which would slow down the very redraws a change is timed by.
const note = (name, ok) => { if (ok()) window.__seen[name] = performance.now(); };
const check = () => {
  const seen = window.__seen;
  if (!('text' in seen)) note('text', () => {
    const main = document.querySelector('[data-testid=stMain]');
    return !!main && main.innerText.trim().length > 0;
  });
  if (!('numbers' in seen)) note('numbers', () => {
    const values = [...document.querySelectorAll('[data-testid=stMetric] [data-testid=stMetricValue]')];
    return values.length >= 5 && values.every(v => v.innerText.trim().length > 0);
  });
  if (!('charts' in seen)) note('charts', () => [...document.querySelectorAll('.js-plotly-plot')].filter(
    p => p.querySelector('.main-svg') && p.offsetParent !== null).length >= 2);  // drawn and shown
};
new MutationObserver(records => {
  check();
  if (records.some(r => r.target.closest && r.target.closest('.js-plotly-plot, [data-testid=stMetric]'))) {
    window.__lastRedraw = performance.now();
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
// A change is timed from the person's input: the first key or pointer press after the clock is armed
// (window.__inputAt = null). Playwright's own checks before it presses (the element is visible, stable over
// two animation frames, not covered) take 20-45 ms that a person's click does not.
window.__inputAt = undefined;
for (const type of ['keydown', 'pointerdown']) {
  document.addEventListener(type, () => { if (window.__inputAt === null) window.__inputAt = performance.now(); }, true);
}
"""


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cache_files(folder: Path) -> int:
    """How many numba cache files (index and data) a folder holds."""
    return sum(1 for p in folder.rglob("*") if p.suffix in (".nbi", ".nbc"))


def first_visit(browser, url: str) -> dict[str, float]:
    """Seconds from navigation start to readable text, headline numbers and charts, in a fresh context."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.add_init_script(MILESTONES)
    page.goto(url)
    page.wait_for_function("'charts' in window.__seen && 'numbers' in window.__seen", timeout=WAIT_MS, polling=20)
    seen = page.evaluate("window.__seen")
    context.close()
    return {name: seen[name] / 1000 for name in ("text", "numbers", "charts")}


METRIC_VALUES = "[...document.querySelectorAll('[data-testid=stMetricValue]')].map(v => v.innerText.trim()).join('|')"


def _time_change(page, act) -> tuple[float, float, float]:
    """Seconds from the input of an action to new headline numbers and to every visible chart settled, and
    the seconds the driver took before that input reached the page (not counted in the other two).

    A small change can leave every rounded headline as it was; then the numbers count as new once the
    rerun has redrawn the page (its charts) and finished.
    """
    before = page.evaluate(METRIC_VALUES)
    armed = page.evaluate("window.__inputAt = null; window.__lastRedraw = performance.now()")
    act()
    page.wait_for_function(
        f"([before, armed]) => ({METRIC_VALUES}) !== before || (window.__lastRedraw > armed && "
        "document.querySelector(\"[data-testid='stApp'][data-test-script-state='notRunning']\") !== null)",
        arg=[before, armed],
        timeout=WAIT_MS,
        polling=20,
    )
    numbers = page.evaluate("performance.now()")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    page.wait_for_function(f"performance.now() - window.__lastRedraw > {QUIET_MS}", timeout=WAIT_MS, polling=50)
    settled, start = page.evaluate("[window.__lastRedraw, window.__inputAt]")
    if start is None:
        raise RuntimeError("the action reached the page as neither a key press nor a pointer press")
    return (numbers - start) / 1000, (max(settled, numbers) - start) / 1000, (start - armed) / 1000


def _release_cost_slider(page):
    """Open the sidebar's section of the regime's pardons; the "release cost" slider's thumb."""
    from simulator.app import ui

    page.locator("[data-testid='stSidebar'] summary").filter(has_text="Regime: pardons").click()
    label = ui.control_label(ui.PARAMETERS["regime.pardons.release_cost"])
    thumb = page.get_by_role("slider", name=label)
    thumb.wait_for(timeout=WAIT_MS)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    return thumb


def explore_changes(browser, url: str, changes: int) -> dict[str, list[tuple[float, float, float]]]:
    """Timings of Explore changes, by kind: values never run before, values run before, and the EU's move.

    New values are steps of a tenth of the "release cost" range up (each a new run of 500 simulations);
    values seen before are such steps back and forth (runs the server has kept); the moves are clicks on
    the EU's Engage, Tighten and Hold, which `simulator app` runs on the default question before serving.
    """
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.add_init_script(MILESTONES)
    page.goto(url)
    page.wait_for_function("'charts' in window.__seen", timeout=WAIT_MS, polling=50)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS)
    thumb = _release_cost_slider(page)
    timings: dict[str, list[tuple[float, float, float]]] = {"new value": [], "value seen before": [], "EU move": []}
    for _ in range(changes):
        thumb.focus()
        # A tenth of its range up (0.27, 0.57, 0.87, ...), as a student drags it: each a value not run before.
        timings["new value"].append(_time_change(page, lambda: thumb.press("PageUp")))
    for step in range(changes):
        thumb.focus()
        key = "PageUp" if step % 2 else "PageDown"  # back and forth between the last two values run
        timings["value seen before"].append(_time_change(page, lambda k=key: thumb.press(k)))
    moves = page.locator("[data-testid='stMain'] [data-testid='stButtonGroup'] button")
    for name in ("Engage", "Tighten", "Hold"):
        timings["EU move"].append(_time_change(page, moves.filter(has_text=name).click))
    context.close()
    return timings


FLOOR_PAGE = """
import streamlit as st
st.set_page_config(layout="wide")
st.title("Floor")
for column in st.columns(5):
    column.metric("Number", "1,234")
figure = {"data": [{"type": "scatter", "x": [1, 2, 3], "y": [1, 3, 2]}], "layout": {}}
for key, column in zip("ab", st.columns(2)):
    column.plotly_chart(figure, key=key)
"""
CASES = ("simulator app", "streamlit run app.py", "floor")


def serve(cache_dir: Path, log: Path, case: str):
    """A fresh server for a case, whose numba cache is `cache_dir`; yields (url, process)."""
    env = {"NUMBA_CACHE_DIR": str(cache_dir), "SIMULATOR_WORKSHOP_DB": str(log.parent / "workshops.sqlite3")}
    if case == "floor":
        page = log.parent / "floor.py"
        page.write_text(FLOOR_PAGE)
        return streamlit_process(page, log.parent, log, env)
    return streamlit_process(None if case == "simulator app" else ROOT / "app.py", ROOT, log, env)


def medians(visits: list[dict[str, float]], starts: list[float]) -> tuple[dict[str, float], float]:
    """The median time of each milestone over visits, and the median start-up time."""
    return {name: statistics.median(v[name] for v in visits) for name in visits[0]}, statistics.median(starts)


def fresh_servers(browser, cache: Path, log: Path, case: str, servers: int) -> tuple[dict[str, float], float]:
    """Median first-visit times over `servers` new server processes, and their median start-up time."""
    visits, starts = [], []
    for _ in range(servers):
        began = time.perf_counter()
        with serve(cache, log, case) as (url, _):
            starts.append(time.perf_counter() - began)
            visits.append(first_visit(browser, url))
    return medians(visits, starts)


def fresh_installs(browser, cache: Path, log: Path, servers: int) -> tuple[dict[str, float], float]:
    """Like `fresh_servers` for "simulator app", each server on an empty numba cache; the last fills `cache`."""
    visits, starts = [], []
    for index in range(servers):
        empty = cache if index == servers - 1 else cache.with_name(f"numba-install-{index}")
        empty.mkdir(exist_ok=True)
        times, up = fresh_servers(browser, empty, log, "simulator app", 1)
        visits.append(times)
        starts.append(up)
    return medians(visits, starts)


def row(name: str, times: dict[str, float], load: str) -> str:
    return f"{name:<46} {times['text']:>6.2f} {times['numbers']:>8.2f} {times['charts']:>7.2f}   {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=3, help="fresh servers per case (medians are shown)")
    parser.add_argument("--changes", type=int, default=6, help="changes of each kind to time on Explore")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        cache, log = Path(folder) / "numba", Path(folder) / "streamlit.log"
        cache.mkdir()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            times, up = fresh_installs(browser, cache, log, args.servers)
            rows.append(row(f"simulator app, fresh install (up {up:.1f} s)", times, load_average()))
            filled = cache_files(cache)
            for case in CASES:
                times, up = fresh_servers(browser, cache, log, case, args.servers)
                name = f"{case}{', fresh server' if case != 'floor' else ''} (up {up:.1f} s)"
                rows.append(row(name, times, load_average()))
            with serve(cache, log, "simulator app") as (url, _):
                timings = explore_changes(browser, url, args.changes)
        finally:
            browser.close()
    print(f"\nFirst visit, seconds from navigation start; medians over {args.servers} fresh servers a case")
    print(f"(numba cache files written by the fresh install: {filled})")
    print(f"{'case':<46} {'text':>6} {'numbers':>8} {'charts':>7}   load average (1 5 15 min)")
    print("\n".join(rows))
    print(f"\nExplore changes, seconds from the key or pointer press (load average {load_average()})")
    print(f"{'change':<22} {'count':>5} {'to new numbers':>15} {'to settled':>11} {'slowest':>8} {'driver':>7}")
    for kind, times in timings.items():
        numbers = statistics.median(t[0] for t in times)
        settled = statistics.median(t[1] for t in times)
        driver = statistics.median(t[2] for t in times)
        print(
            f"{kind:<22} {len(times):>5} {numbers:>15.2f} {settled:>11.2f} {max(t[1] for t in times):>8.2f} "
            f"{driver:>7.3f}"
        )
    print("(driver: the median time Playwright took before its press reached the page, not counted)")


if __name__ == "__main__":
    main()
