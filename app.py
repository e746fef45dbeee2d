"""The app's entry point: `streamlit run app.py`. It sets up the page and routes between the pages."""

from pathlib import Path

import streamlit as st

from app_pages import ui

HERE = Path(__file__).resolve().parent
# (file, title, icon); pages other engineers are still writing join the menu once their file exists.
PAGES = (
    ("app_pages/explore.py", "Explore", ":material/explore:"),
    ("app_pages/compare.py", "Compare", ":material/compare_arrows:"),
    ("app_pages/sweep.py", "Sweep", ":material/grid_on:"),
    ("app_pages/workshop_facilitator.py", "Workshop (facilitator)", ":material/groups:"),
    ("app_pages/workshop_join.py", "Join a workshop", ":material/login:"),
    ("app_pages/about.py", "About the model", ":material/info:"),
)

st.set_page_config(page_title="Prisoner-release diplomacy simulator", page_icon="⚖️", layout="wide")
pages = [
    st.Page(path, title=title, icon=icon, default=path.endswith("explore.py"))
    for path, title, icon in PAGES
    if (HERE / path).exists()
]
page = st.navigation(pages)
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
