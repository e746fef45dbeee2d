"""Streamlit front end: run the default scenario and show its prisoner trajectory."""

import streamlit as st

from simulator import Scenario, simulate


@st.cache_data(show_spinner="Simulating...")
def run(scenario_json: str):
    """Run a scenario given as JSON (a stable cache key) and return its monthly bands."""
    results = simulate(Scenario.model_validate_json(scenario_json))
    return results.bands("prisoners"), results.summary


st.title("Prisoner-release diplomacy simulator")
bands, summary = run(Scenario().model_json())
st.line_chart(bands.set_index("date")[["q05", "q50", "q95"]])
st.metric("Total released (median)", int(summary["total_released"].median()))
