"""Process-wide workshop resources shared by the console, the screen and the phones.

Everything here is cached per server process and immutable once built, keyed on the workshop's
code and its `version` (bumped by every change phones follow), so a room of phones asking for the
same month costs one read of the database and one replay, and nothing is unpickled per poll.
"""

from __future__ import annotations

import streamlit as st

from simulator import scenario_to_yaml
from simulator.core.runner import results_from_state
from simulator.workshop.debrief import Debrief, compute_debrief, debrief_html, path_scenario, running_figures
from simulator.workshop.rules import ReplayCache, Reveal, WorkshopError, reveal_month
from simulator.workshop.store import Workshop, WorkshopStore, default_db_path
from simulator.workshop.throttle import CODE_LIMITS, JOIN_LIMITS, Throttle

# Phones and the screen ask the database for one number this often; a change reruns the page.
PHONE_POLL_SECONDS = 0.5
SCREEN_POLL_SECONDS = 1.0
CONSOLE_POLL_SECONDS = 2.0


@st.cache_resource
def workshop_store(path: str) -> WorkshopStore:
    """One store object per database file and server process."""
    return WorkshopStore(path)


def open_store() -> WorkshopStore:
    """The store at $SIMULATOR_WORKSHOP_DB, or a message saying why it cannot be used (and the page stops)."""
    try:
        return workshop_store(str(default_db_path()))
    except WorkshopError as exc:
        st.error(str(exc))
        st.stop()


@st.cache_resource
def replay_cache() -> ReplayCache:
    """Model states rebuilt from decisions, shared by every session of this server process (states are immutable)."""
    return ReplayCache()


@st.cache_resource
def throttles() -> dict[str, Throttle]:
    """The limits on joining and on trying join codes, for this server process."""
    return {"join": Throttle("join", JOIN_LIMITS), "code": Throttle("code", CODE_LIMITS)}


@st.cache_resource(max_entries=256, show_spinner=False)
def workshop_at(_store: WorkshopStore, path: str, code: str, version: int) -> Workshop:
    """The workshop as it stood at `version` (its participant count may lag; phones do not show it)."""
    return _store.workshop(code)


@st.cache_resource(max_entries=256, show_spinner=False)
def reveal_at(_workshop: Workshop, path: str, code: str, version: int) -> Reveal:
    """The reveal of the latest decided month of the workshop at `version`."""
    return reveal_month(replay_cache(), _workshop.spec.scenario, list(_workshop.decisions))


@st.cache_resource(max_entries=64, show_spinner=False)
def figures_at(_workshop: Workshop, path: str, code: str, version: int) -> dict:
    """The running charts for the months played at `version`."""
    state = replay_cache().state(_workshop.spec.scenario, _workshop.moves)
    return running_figures(results_from_state(state))


@st.cache_resource(max_entries=16, show_spinner="Comparing the room's path with the alternatives...")
def debrief_at(_workshop: Workshop, path: str, code: str, version: int) -> tuple[Debrief, str, str]:
    """The debrief at `version`, its HTML page and the room's path as scenario YAML."""
    spec = _workshop.spec
    debrief = compute_debrief(spec, _workshop.decisions, replay_cache())
    path_yaml = scenario_to_yaml(path_scenario(spec, _workshop.actions, code, _workshop.decisions))
    return debrief, debrief_html(debrief, code), path_yaml
