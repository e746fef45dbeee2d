"""Styles of the workshop's three views: the projected screen, the phones and the facilitator's console.

Static CSS only, no user text. The screen and the phones hide Streamlit's toolbar, app menu, deploy
button and sidebar: the room has nothing to click there. `.streamlit/config.toml` sets
client.toolbarMode = "minimal" for `streamlit run app.py` from a checkout, but `simulator app` runs
from any folder, so these pages hide the chrome themselves (st.set_option would change it for every
page of the server, including the analysts').
"""

from __future__ import annotations

import streamlit as st

HIDE_CHROME = """
[data-testid="stToolbar"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], header[data-testid="stHeader"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
{ display: none !important; }
"""

# Sizes for a 1920x1080 projector: key text at 48 px or more, the rest at 32 px or more. Every rule is
# scoped under .ws-screen so it outranks the `.ws-screen p { font-size: inherit }` reset.
SCREEN_CSS = """
[data-testid="stMainBlockContainer"] { padding: 1.2rem 3rem 2rem 3rem !important; max-width: 100% !important; }
.ws-screen { font-size: 32px; line-height: 1.25; color: #111; }
.ws-screen li, .ws-screen p { font-size: inherit; }
.ws-screen ul { margin: .2rem 0 0 1.4rem; }
.ws-screen li { font-size: 32px; margin: .2rem 0; }
.ws-screen .ws-kicker { font-size: 32px; color: #555; margin: 0; }
.ws-screen .ws-headline { font-size: 64px; font-weight: 800; line-height: 1.1; margin: 0 0 .3rem 0; }
.ws-screen .ws-line { font-size: 36px; margin: .2rem 0; }
.ws-screen .ws-metrics { display: flex; gap: 3rem; margin: .6rem 0; }
.ws-screen .ws-metric { flex: 1; }
.ws-screen .ws-metric-value { font-size: 80px; font-weight: 800; line-height: 1; }
.ws-screen .ws-metric-label { font-size: 36px; color: #333; }
.ws-screen .ws-metric-range { font-size: 28px; color: #555; }
.ws-screen .ws-media { background: #8b0000; color: #fff; padding: .6rem 1.4rem; border-radius: .5rem; font-size: 48px;
  font-weight: 700; line-height: 1.15; margin: .6rem 0; }
.ws-screen .ws-media small { display: block; font-size: 26px; font-weight: 400; text-transform: uppercase;
  letter-spacing: .15rem; opacity: .85; }
.ws-screen .ws-beliefs { display: flex; gap: 3rem; font-size: 36px; margin: .4rem 0; }
.ws-screen .ws-why { font-size: 32px; background: #eef3fb; padding: .6rem 1.2rem; border-radius: .5rem; }
.ws-screen.ws-next, .ws-screen .ws-next { font-size: 52px; font-weight: 700; border-top: 6px solid #1f4e9c;
  padding-top: .6rem; margin-top: 1rem; }
.ws-screen.ws-next .ws-join, .ws-screen .ws-next .ws-join { font-size: 40px; font-weight: 400; }
.ws-screen .ws-join-grid { display: flex; gap: 4rem; align-items: center; }
.ws-screen .ws-code { font-size: 180px; font-weight: 900; letter-spacing: 1.5rem; line-height: 1; white-space: nowrap; }
.ws-screen .ws-url { font-size: 60px; font-weight: 700; word-break: break-all; }
.ws-screen .ws-qr img { width: 480px; height: 480px; image-rendering: pixelated; }
.ws-screen .ws-table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 30px; }
.ws-screen .ws-table th, .ws-screen .ws-table td { border-bottom: 2px solid #ccc; padding: .35rem .5rem;
  text-align: right; overflow-wrap: normal; word-break: normal; hyphens: manual; }
/* Headers wrap between words only; at 22 px the longest word ("credibility") fits a column at 1920 px. */
.ws-screen .ws-table th { font-size: 22px; vertical-align: bottom; }
.ws-screen .ws-table th:first-child, .ws-screen .ws-table td:first-child { text-align: left; width: 4%; }
.ws-screen .ws-table th:nth-child(2), .ws-screen .ws-table td:nth-child(2) { text-align: left; width: 30%; }
.ws-screen .ws-table tr.ws-room td { font-weight: 800; background: #eef3fb; }
"""

# Sizes for a 390x844 phone: every target (the ballot's choices, buttons, fields) at least 48 px tall.
PHONE_CSS = """
[data-testid="stLayoutWrapper"]:has(> .st-key-ws-follow), .st-key-ws-follow, .st-key-ws_shown
{ display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 1rem 2rem 1rem !important; }
.ws-phone { font-size: 19px; line-height: 1.3; }
.ws-phone-title { font-size: 17px; color: #555; margin: 0; }
.ws-phone-status { font-size: 24px; font-weight: 700; margin: .2rem 0; min-height: 2.6em; }
.ws-confirm { min-height: 5.5em; font-size: 20px; padding: .6rem .8rem; border-radius: .5rem; }
.ws-confirm.ws-ok { background: #e6f4ea; color: #14532d; border: 2px solid #16a34a; }
.ws-confirm.ws-late { background: #fdecea; color: #7f1d1d; border: 2px solid #dc2626; }
.ws-confirm.ws-none { background: #f3f4f6; color: #374151; }
.ws-confirm.ws-sending { background: #fef9c3; color: #713f12; border: 2px dashed #ca8a04; }
.ws-wait { font-size: 22px; background: #eef3fb; padding: .8rem; border-radius: .5rem; }
.ws-media-phone { background: #8b0000; color: #fff; padding: .5rem .8rem; border-radius: .4rem; font-size: 20px; }
[data-testid="stRadio"] [role="radiogroup"] { gap: 16px; width: 100%; align-items: stretch; }
[data-testid="stRadio"] [role="radiogroup"] label { display: flex; min-height: 64px; width: 100%; margin: 0;
  padding: 0 1rem; box-sizing: border-box; border: 2px solid #c9ced6; border-radius: .6rem; align-items: center;
  background: #fff; }
[data-testid="stRadio"] [role="radiogroup"] label p { font-size: 22px; font-weight: 600; }
[data-testid="stRadio"] [role="radiogroup"] label:has(input:checked) { background: #8b1e2d; border-color: #8b1e2d; }
[data-testid="stRadio"] [role="radiogroup"] label:has(input:checked) p { color: #fff; }
.stButton button, .stFormSubmitButton button { min-height: 64px; }
.stButton button p, .stFormSubmitButton button p { font-size: 22px; font-weight: 600; }
.stTextInput input { min-height: 48px; font-size: 20px; }
"""

CONSOLE_CSS = """
.stButton button { min-height: 48px; }
.ws-code-small { font-size: 40px; font-weight: 800; letter-spacing: .3rem; }
"""


def screen_style() -> None:
    """The projected screen's style: large type, no toolbar, menu or sidebar."""
    st.html(f"<style>{HIDE_CHROME}{SCREEN_CSS}</style>")


def phone_style() -> None:
    """The phones' style: 48 px targets or more, no toolbar, menu or sidebar."""
    st.html(f"<style>{HIDE_CHROME}{PHONE_CSS}</style>")


def console_style() -> None:
    """The facilitator console's style: the usual app with comfortable buttons."""
    st.html(f"<style>{CONSOLE_CSS}</style>")
