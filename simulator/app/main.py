"""The Streamlit app: sets up the page and routes between the pages shipped in `simulator/app/pages`."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

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


TITLE = "Prisoner-release diplomacy simulator"
# The modules a page needs (pandas, scipy, numba, plotly, the model) take about a second to import: the first
# visit to a new server shows who we are and what is happening before, instead of a blank page.
HEAVY = "simulator.app.ui"
LOADING = "Loading the model, then running 500 simulations: a few seconds, the first time only..."


def loading_note():
    """A title and a loading line while this server process first imports the model (None once it has)."""
    if HEAVY in sys.modules:
        return None
    note = st.empty()
    with note.container():
        st.title(TITLE, anchor=False)
        st.caption(LOADING)
        # An empty chart, hidden: the browser fetches and parses Plotly's script (megabytes, loaded when a
        # first chart arrives) while the server imports, instead of after the model has run.
        st.html("<style>.st-key-plotly_preload {display: none;}</style>")
        st.container(key="plotly_preload").plotly_chart(
            {"data": [{"type": "scatter", "x": [], "y": []}], "layout": {}}, key="plotly_preload_chart"
        )
    return note


def run() -> None:
    """Draw the navigation, the chosen page and the shared sidebar."""
    st.set_page_config(page_title=TITLE, page_icon="⚖️", layout="wide")
    note = loading_note()
    from simulator.app import ui  # the slow part on a new server process

    if note is not None:  # this process has just loaded the model (`streamlit run app.py`)
        from simulator.app.server import freeze_long_lived

        freeze_long_lived()
        note.empty()
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
