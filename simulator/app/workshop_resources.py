"""Process-wide workshop resources shared by the console, the screen and the phones.

Everything here is cached per server process and immutable once built, keyed on the workshop's
code and its `version` (bumped by every change phones follow), so a room of phones asking for the
same month costs one read of the database and one replay, and nothing is unpickled per poll.
"""

from __future__ import annotations

import gc
import threading
import time

import streamlit as st

from simulator import scenario_to_yaml
from simulator.app.workshop_identity import clients
from simulator.app.workshop_messages import error
from simulator.core.schema import ACTIONS, Scenario
from simulator.workshop.debrief import Debrief, compute_debrief, debrief_html, path_scenario, running_figures
from simulator.workshop.rules import ReplayCache, Reveal, WorkshopError, reveal_month
from simulator.workshop.store import Workshop, WorkshopStore, default_db_path
from simulator.workshop.throttle import CODE_LIMITS, CREATE_LIMITS, JOIN_LIMITS, Throttle

# The screen and the console ask the database for one number this often; a change reruns the page.
# A phone's browser polls this often, and its run waits for changes in between (workshop_follow).
PHONE_POLL_SECONDS = 1.0
SCREEN_POLL_SECONDS = 1.0
CONSOLE_POLL_SECONDS = 2.0
# How often the objects left out of garbage collections are collected in full and frozen again.
REFREEZE_SECONDS = 60.0


@st.cache_resource
def workshop_store(path: str) -> WorkshopStore:
    """One store object per database file and server process."""
    return WorkshopStore(path)


def open_store() -> WorkshopStore:
    """The store at $SIMULATOR_WORKSHOP_DB, or a message saying why it cannot be used (and the page stops)."""
    keep_collections_small()
    try:
        return workshop_store(str(default_db_path()))
    except WorkshopError as exc:
        error(str(exc))
        st.stop()


@st.cache_resource
def _collections() -> tuple[dict[str, float], threading.Lock]:
    return {"frozen_at": float("-inf")}, threading.Lock()


def keep_collections_small() -> None:
    """Keep the garbage collection Streamlit runs after every run of a page small.

    Streamlit collects all generations after every run, and a phone's poll is a run. A full
    collection visits every object the process holds (160,000 once the model and the charting
    libraries are loaded: 0.1 s of CPU here), which made each idle phone cost about a quarter of a
    core. So every run of a workshop page first freezes the objects that exist (leaves them out of
    collections; cheap), and the collection after the run visits only what the run made. Once a
    minute everything is thawed, collected in full and frozen again, so no garbage outlives a
    minute by much.
    """
    state, lock = _collections()
    if time.monotonic() - state["frozen_at"] < REFREEZE_SECONDS or not lock.acquire(blocking=False):
        gc.freeze()
        return
    try:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        state["frozen_at"] = time.monotonic()
    finally:
        lock.release()


@st.cache_resource
def replay_cache() -> ReplayCache:
    """Model states rebuilt from decisions, shared by every session of this server process (states are immutable)."""
    return ReplayCache()


@st.cache_resource
def throttles() -> dict[str, Throttle]:
    """The limits on joining, on trying join codes and on creating workshops, for this server process."""
    return {
        "join": Throttle("join", JOIN_LIMITS),
        "code": Throttle("code", CODE_LIMITS),
        "create": Throttle("create", CREATE_LIMITS),
    }


def look_up_code(store: WorkshopStore, code: str) -> int:
    """The version of the workshop with this code (-1 if none), as a throttled guess.

    Every page that answers "no workshop has this code" tells which codes exist, so each counts a
    wrong code against this browser and network; a code this session found before is not asked again.
    """
    found = st.session_state.setdefault("workshop_codes_found", [])
    if code in found:
        return store.version(code)
    guesses = throttles()["code"]
    guesses.admit(clients())
    version = store.version(code)
    if version < 0:
        guesses.record(clients())
    else:
        found.append(code)
    return version


@st.cache_resource(max_entries=256, show_spinner=False)
def workshop_at(_store: WorkshopStore, path: str, code: str, version: int) -> Workshop:
    """The workshop as it stood at `version` (its participant count may lag; phones do not show it)."""
    return _store.workshop(code)


@st.cache_resource(max_entries=256, show_spinner=False)
def reveal_at(_workshop: Workshop, path: str, code: str, version: int) -> Reveal:
    """The reveal of the latest decided month of the workshop at `version`."""
    return reveal_month(replay_cache(), _workshop.spec.scenario, list(_workshop.decisions))


@st.cache_resource(max_entries=64, show_spinner=False)
def charts(scenario_json: str, moves: tuple) -> dict:
    """The running charts after a path of moves (built once per path, shared by every screen)."""
    scenario = Scenario.model_validate_json(scenario_json)
    return running_figures(replay_cache().results(scenario, moves))


def figures_at(workshop: Workshop) -> dict:
    """The running charts for the months the workshop has played."""
    return charts(workshop.spec.scenario.model_dump_json(), workshop.moves)


@st.cache_resource
def preparations() -> tuple[set, threading.Lock]:
    """Which workshop versions have their next months prepared (or being prepared), in this process."""
    return set(), threading.Lock()


def prepare_next_month(workshop: Workshop) -> None:
    """While the room votes, build every possible next month and its charts in a background thread.

    A thread, not the page's own run: a click on "Close the vote" must not wait for it, and the
    reveal then only has to read what is ready (or builds the one month it needs itself).
    """
    done, lock = preparations()
    key = (workshop.code, workshop.version)
    with lock:
        if key in done or workshop.progress.phase != "voting":
            return
        done.add(key)
    spec = workshop.spec
    scenario_json = spec.scenario.model_dump_json()
    candidates = [(eu, second) for eu in ACTIONS for second in (ACTIONS if spec.teams else (None,))]

    def build() -> None:
        replay_cache().prepare_next(spec.scenario, workshop.moves, spec.teams)
        for move in candidates:
            charts(scenario_json, (*workshop.moves, move))

    threading.Thread(target=build, name=f"prepare-{workshop.code}", daemon=True).start()


@st.cache_resource(max_entries=16, show_spinner="Comparing the room's path with the alternatives...")
def debrief_at(_workshop: Workshop, path: str, code: str, version: int) -> tuple[Debrief, str, str]:
    """The debrief at `version`, its HTML page and the room's path as scenario YAML."""
    spec = _workshop.spec
    debrief = compute_debrief(spec, _workshop.decisions, replay_cache())
    path_yaml = scenario_to_yaml(path_scenario(spec, _workshop.actions, code, _workshop.decisions))
    return debrief, debrief_html(debrief, code), path_yaml
