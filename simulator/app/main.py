"""The Streamlit app: sets up the page and routes between the pages shipped in `simulator/app/pages`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from simulator.app import ui

PAGES_DIR = Path(__file__).resolve().parent / "pages"
# (file, title, icon)
PAGES = (
    ("explore.py", "Explore", ":material/explore:"),
    ("compare.py", "Compare", ":material/compare_arrows:"),
    ("sweep.py", "Sweep", ":material/grid_on:"),
    ("workshop_facilitator.py", "Workshop (facilitator)", ":material/groups:"),
    ("workshop_screen.py", "Workshop screen (projector)", ":material/co_present:"),
    ("workshop_join.py", "Join a workshop", ":material/login:"),
    ("about.py", "About the model", ":material/info:"),
)


def run() -> None:
    """Draw the navigation, the chosen page and the shared sidebar."""
    st.set_page_config(page_title="Prisoner-release diplomacy simulator", page_icon="⚖️", layout="wide")
    pages = [
        st.Page(PAGES_DIR / name, title=title, icon=icon, default=name == "explore.py") for name, title, icon in PAGES
    ]
    page = st.navigation(pages)
    ui.accessible_style()
    ui.projector_style()
    page.run()
    with st.sidebar:
        st.divider()
        ui.remembered(
            st.toggle,
            "Large text (projector)",
            "large_text",
            False,
            help="Bigger charts and text for a room; your settings stay as they are.",
        )
        ui.model_note()


if __name__ == "__main__":
    run()
