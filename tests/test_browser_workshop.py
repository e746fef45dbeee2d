"""Real-browser test: a facilitator and a participant in two headless Chromium pages on one server."""

from __future__ import annotations

import os

import pytest
from browser_support import ARTIFACTS, BROWSER_ARGS, CHROMIUM, NEEDS_CHROMIUM, ROOT, streamlit_server

WAIT_MS = 30_000

pytestmark = NEEDS_CHROMIUM

# Like the main app: a home page at "/", the workshop pages at their file names' paths.
LAUNCHER = """
import streamlit as st


def home():
    st.title("Home")


pages = [st.Page(home, title="Home", default=True), st.Page({facilitator!r}, title="Workshop (facilitator)"),
         st.Page({join!r}, title="Workshop (join)")]
st.navigation(pages).run()
"""


def _settle(page) -> None:
    """Wait until the script run has finished, so that no stale element from the last run is left."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def _shoot(page, name: str, height: int) -> None:
    """Screenshot the whole app: Streamlit scrolls inside the page, so grow the viewport to the content first."""
    _settle(page)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    _settle(page)
    page.screenshot(path=ARTIFACTS / name)
    page.set_viewport_size(size)


@pytest.fixture
def server(tmp_path):
    """A Streamlit server with both workshop pages and a fresh database; always stopped afterwards."""
    launcher = tmp_path / "workshop_app.py"
    launcher.write_text(
        LAUNCHER.format(
            facilitator=str(ROOT / "simulator" / "app" / "pages" / "workshop_facilitator.py"),
            join=str(ROOT / "simulator" / "app" / "pages" / "workshop_join.py"),
        )
    )
    # The launcher lives in tmp_path, so the repository must be on the path for the pages' own imports.
    env = {
        "SIMULATOR_WORKSHOP_DB": str(tmp_path / "workshops.sqlite3"),
        "SIMULATOR_PUBLIC_URL": "",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with streamlit_server(launcher, tmp_path, tmp_path / "streamlit.log", env) as url:
        yield url


def test_facilitator_and_participant_play_two_months_and_debrief(server):
    """Join, vote, reveal, decide alone, debrief; the participant keeps their identity across a reload."""
    from playwright.sync_api import expect, sync_playwright

    # expect() has its own 5 s default; a reveal on a loaded 2-core machine can take longer.
    expect.set_options(timeout=WAIT_MS)

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            projector = browser.new_page(viewport={"width": 1366, "height": 900})
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            projector.set_default_timeout(WAIT_MS)
            phone.set_default_timeout(WAIT_MS)

            projector.goto(f"{server}/workshop_facilitator")
            projector.get_by_role("button", name="Start the workshop").click()
            code_box = projector.locator(".join-code")
            expect(code_box).to_be_visible()
            code = code_box.inner_text().strip()
            assert len(code) == 6
            assert f"/workshop_join?code={code}" in projector.get_by_text("workshop_join?code=").first.inner_text()
            _shoot(projector, "workshop_facilitator_lobby.png", 900)

            phone.goto(f"{server}/workshop_join?code={code}")
            phone.get_by_label("Name (optional)").fill("Anna")
            phone.get_by_label("Team (optional)").fill("Blue")
            phone.get_by_role("button", name="Join").click()
            expect(phone.get_by_text("Waiting for the facilitator to open the vote on month 1.")).to_be_visible()
            assert "pid=" in phone.url

            expect(projector.get_by_text("1 joined")).to_be_visible()
            projector.get_by_role("button", name="Open the vote on month 1").click()

            expect(phone.get_by_text("what should the EU do?")).to_be_visible()
            phone.get_by_role("button", name="Tighten").click()
            expect(phone.get_by_text("Your vote for month 1 is counted: tighten.")).to_be_visible()
            _shoot(phone, "workshop_participant_ballot.png", 844)

            expect(projector.get_by_text("1 voted on month 1")).to_be_visible()
            projector.get_by_role("button", name="Close the vote and reveal").click()
            expect(projector.get_by_text("July 2024: the EU chose to TIGHTEN")).to_be_visible()
            expect(projector.get_by_text("State media")).to_be_visible()
            expect(projector.get_by_text("Why?")).to_be_visible()
            _settle(projector)
            projector.screenshot(path=ARTIFACTS / "workshop_facilitator_reveal_projector.png")
            _shoot(projector, "workshop_facilitator_reveal.png", 2600)

            expect(phone.get_by_text("Last month, July 2024")).to_be_visible()
            phone.reload()
            expect(phone.get_by_text("Joined as Anna · Blue")).to_be_visible()
            expect(phone.get_by_text("Waiting for the facilitator to open the vote on month 2.")).to_be_visible()
            _shoot(phone, "workshop_participant_reveal.png", 1100)

            projector.get_by_role("button", name="Hold", exact=True).click()
            expect(projector.get_by_text("August 2024: the EU chose to HOLD")).to_be_visible()
            projector.get_by_text("Show the debrief now").click()
            expect(projector.get_by_text("The months that mattered most")).to_be_visible()
            expect(projector.get_by_role("button", name="Download the debrief (HTML)")).to_be_visible()
            _shoot(projector, "workshop_facilitator_debrief.png", 4200)
        except Exception:
            # Keep what each page showed when the test failed, to read in CI's artifacts.
            for name, page in browser.contexts and [("projector", projector), ("phone", phone)]:
                page.screenshot(path=ARTIFACTS / f"workshop_failure_{name}.png", full_page=True)
            raise
        finally:
            browser.close()
