"""The charts of the Explore page: how each is built, which tab shows it, and the server-wide cache of them.

They live in a module, not in the page: Streamlit runs a page's file afresh on every rerun, so a cache defined
there is keyed to that script, and the server could not fill it before its first visitor arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from simulator import Results, Scenario, load_preset, simulate
from simulator.app import ui
from simulator.app.chart_in_place import chart_payload
from simulator.core.actions import ACTIONS
from simulator.core.record import RECORD_END, observed_for_charts
from simulator.presentation import plots


def _series(results: Results, columns: list[str]) -> dict[str, pd.DataFrame]:
    return {plots.SERIES[c].title: results.bands(c) for c in columns}


def chart_builders(results: Results, large: bool) -> dict[str, Callable[[], Any]]:
    """How to build each chart of the Explore page, by name; nothing is built until called."""
    monthly, scenario = results.monthly, results.scenario
    events = plots.scenario_events(scenario, monthly) + plots.record_end_event(RECORD_END, monthly)
    first, last = monthly["date"].min() - pd.DateOffset(months=6), monthly["date"].max()
    observed = observed_for_charts()

    def chart(columns, title, unit, fmt, observed_columns=None, wide=True, with_events=True):
        points = {name: plots.observed_points(observed, c, first, last) for name, c in (observed_columns or {}).items()}
        return lambda: plots.band_chart(
            _series(results, columns), title, unit, fmt, points, events if with_events else None, large, wide
        )

    builders = {
        "prisoners": chart(
            ["prisoners"],
            "Political prisoners (end of month)",
            "people",
            ",.0f",
            {"Observed (Viasna)": "political_prisoners_end_of_month"},
        ),
        "flows": chart(
            ["pardoned", "freed_in_deals", "newly_imprisoned"],
            "Pardons, deals and new political prisoners",
            "people per month",
            ",.0f",
            {
                "Observed pardons": "pardoned",
                "Observed deals": "released_in_deals",
                "Observed newly recognised": "newly_recognised",
            },
        ),
    }
    for sender in scenario.senders():
        builders[f"decisions_{sender.key}"] = partial(plots.decisions_chart, monthly, sender.key, sender.name, large)
    senders = {s.key: s.name for s in scenario.senders()}
    return builders | {
        "pressure": chart(["sanctions_pressure"], "Sanctions pressure the regime feels", "0 = none, 1 = full", ".2f"),
        "narratives": partial(plots.narrative_chart, monthly, large),
        "acceptance": chart(
            ["acceptance_supporter", "acceptance_apolitical", "acceptance_opposition"],
            "Belief in the regime's story, by group",
            "share of the group",
            ".0%",
            wide=False,
            with_events=False,
        ),
        "stability": chart(["stability"], "Regime stability", "scale 0-1", ".2f", with_events=False),
        "dependence": chart(["dependence"], "Dependence on Russia and China", "scale 0-1", ".2f", with_events=False),
        "drivers": lambda: plots.drivers_chart(results.story(), senders, large),
    }


def chart_tabs(scenario: Scenario) -> dict[str, list[str]]:
    """The charts of each tab, by tab title: two at a time, so a change builds and draws only what is in view."""
    decisions = [f"decisions_{sender.key}" for sender in scenario.senders()]
    return {
        "Prisoners": ["prisoners", "flows"],
        "Sanctions": [*decisions, "pressure"],
        "Stories and beliefs": ["narratives", "acceptance"],
        "Regime": ["stability", "dependence"],
        "Why the regime acted": ["drivers"],
    }


# A resource cache, not a data cache: unpickling a figure costs more than building it, and figures are
# only read afterwards (st.plotly_chart and figures_html copy them), so sessions can share them safely.
@st.cache_resource(max_entries=64, show_spinner=False)
def explore_figures(scenario_json: str, large: bool, names: tuple[str, ...]) -> dict[str, Any]:
    """Some charts of the Explore page for a scenario, by name; only those asked for are built (cached)."""
    builders = chart_builders(ui.run(scenario_json), large)
    return {name: builders[name]() for name in names}


@st.cache_resource(max_entries=64, show_spinner=False)
def explore_payloads(
    scenario_json: str, large: bool, names: tuple[str, ...], replay: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> dict[str, dict[str, Any]]:
    """What the browser gets for some charts of the Explore page, by name (cached, shared by sessions, only read).

    `replay` is (a month, the run's last month) to replay the charts up to that month. The payloads are cached,
    not only the figures: turning a figure into JSON cost every rerun of the page about 6 ms a chart.
    """
    figures = explore_figures(scenario_json, large, names)
    return {
        name: chart_payload(figure if replay is None else plots.mark_month(figure, *replay), plots.CHART_CONFIG)
        for name, figure in figures.items()
    }


def first_questions(base: Scenario) -> list[Scenario]:
    """A preset as it is, then with each of the EU's three moves: what the page asks a visitor first."""
    values = ui.flat_values(base)
    moves = []
    for move in ACTIONS:
        changed = {path: value for path, value in ui.move_values("eu", move).items() if value != values[path]}
        if changed:  # a preset whose EU already makes this move is that preset
            moves.append(ui.settled(base, changed)[1])
    return [base, *moves]


def warm_up() -> None:
    """Run and chart the default question and its EU moves into the server's caches, before any visitor."""
    # Before any session: the first full-size run and Plotly's validators also cost a new process about a second.
    base = load_preset(ui.DEFAULT_PRESET)
    names = tuple(next(iter(chart_tabs(base).values())))
    for scenario in first_questions(base):
        key = scenario.model_json()
        ui.run_cache().get(key, partial(simulate, scenario))  # as ui.run, without its spinner: no page to show it
        explore_payloads(key, False, names)
