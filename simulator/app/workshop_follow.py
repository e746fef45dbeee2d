"""How a phone's page follows the workshop: it redraws as soon as the workshop changes, and never
misses a page the server drew.

The page is drawn by its own run; a small fragment, polled by the browser every
PHONE_POLL_SECONDS, watches for changes. Each run of the fragment (and the end of each run of the
page) waits for the next request of the browser, reading the workshop's version (one indexed read
on a connection kept open) every CHECK_SECONDS meanwhile, and reruns the whole page as soon as it
changes. Waiting until the next request arrives does two things:

- A change reaches the phone within about CHECK_SECONDS, not a whole polling interval.
- No page the server drew is lost. Streamlit drops the output of a run that has ended but not yet
  been sent when a request of the browser comes in and starts a new script runner (the old
  runner's messages are then ignored); under load, phones missed reveals and new ballots that
  way. A request that arrives while a run is still going is queued in the same runner, after it.

As a last resort the browser echoes, with every poll, the mark of the last page it received (in a
hidden field); a page drawn more than HEAL_SECONDS ago that the browser does not show is drawn
again. Since the run waits for changes itself, the polls can be rare: each costs Streamlit a few
milliseconds of CPU to start and end a run.

Waiting costs no CPU (the thread sleeps between reads). Reading whether a request is pending, and
whether a later tap has replaced this run, uses Streamlit's internals (`request_state`); if they
move, the page still works, only without the waiting.
"""

from __future__ import annotations

import hashlib
import time

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from simulator.app.workshop_resources import PHONE_POLL_SECONDS, keep_collections_small
from simulator.workshop.rules import WorkshopError
from simulator.workshop.store import WorkshopStore

# The page's mark (version, mark, when drawn) and the hidden field in which the browser echoes it.
PAGE = "ws_page"
SHOWN = "ws_shown"
# How often a waiting run reads the workshop's version: a change reaches a phone this fast.
CHECK_SECONDS = 0.1
# The longest a run waits for the browser's next request (two polls).
WAIT_SECONDS = 2 * PHONE_POLL_SECONDS
# A page drawn this long ago that the browser still does not show is drawn again.
HEAL_SECONDS = 3.0


def served() -> bool:
    """Whether this run serves a browser (AppTest runs pages with a stand-in for Streamlit's runtime)."""
    try:
        return type(runtime.get_instance()) is runtime.Runtime  # AppTest's stand-in is a mock with its spec
    except RuntimeError:
        return False


def request_state() -> str:
    """The request waiting for this run, from Streamlit's internals: CONTINUE (none), RERUN or STOP.

    STOP: a later tap has started a new run of the page (Streamlit's fast reruns ask the old run to
    stop first). RERUN: the browser's next poll (or a rerun) is queued behind this run.
    """
    requests = getattr(get_script_run_ctx(), "script_requests", None)
    return getattr(getattr(requests, "_state", None), "name", "CONTINUE")


def superseded() -> bool:
    """Whether a later tap has already started a newer run of this page."""
    return request_state() == "STOP"


def mark_page(version: int, shown: str) -> None:
    """Give this drawing of the page a mark that the browser echoes back in a hidden field.

    The mark says what the page shows (the workshop's version and a digest of `shown`, the rest of
    what the view depends on), not which run drew it: a page drawn again because it seemed lost
    keeps its mark, so a browser that was only slow to show it does not make the server draw it
    again and again.
    """
    mark = f"{version}-{hashlib.blake2s(shown.encode(), digest_size=4).hexdigest()}"
    st.session_state[SHOWN] = mark
    st.text_input("Page shown", key=SHOWN, label_visibility="collapsed")
    if not superseded():
        st.session_state[PAGE] = (version, mark, time.monotonic())


@st.fragment(run_every=PHONE_POLL_SECONDS)
def follow(store: WorkshopStore, code: str) -> None:
    """Rerun the whole page when the workshop changes, or when the browser lacks the latest page."""
    page = st.session_state.get(PAGE)
    if page is None:
        return
    keep_collections_small()
    version, mark, drawn_at = page
    if st.session_state.get(SHOWN) != mark and time.monotonic() - drawn_at > HEAL_SECONDS:
        st.rerun()  # the browser's echo (sent with this poll) shows an older page
    waits, deadline = served(), time.monotonic() + WAIT_SECONDS
    while True:
        try:
            changed = store.version(code) != version
        except WorkshopError:
            changed = True  # the page itself will say what is wrong
        if changed:
            st.rerun()
        if not waits or request_state() != "CONTINUE" or time.monotonic() > deadline:
            return
        time.sleep(CHECK_SECONDS)
