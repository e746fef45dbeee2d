"""Process-wide workshop resources shared by the facilitator's and the participants' pages."""

from __future__ import annotations

import streamlit as st

from simulator.workshop.rules import ReplayCache
from simulator.workshop.store import WorkshopStore


@st.cache_resource
def workshop_store(path: str) -> WorkshopStore:
    """One store object per database file and server process."""
    return WorkshopStore(path)


@st.cache_resource
def replay_cache() -> ReplayCache:
    """Model states rebuilt from decisions, shared by every session of this server process (states are immutable).

    One cache for both pages, so a participant's reveal reuses the states the facilitator's reveal built.
    """
    return ReplayCache()
