"""Compare two to four policies side by side, on the same assumptions and the same random numbers."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
import streamlit as st

from simulator import Results, Scenario, ScenarioError, load_preset, preset_names, validate_scenario, with_overrides
from simulator.app import ui
from simulator.app.chart_in_place import chart_in_place, chart_payload, plotly_loader
from simulator.presentation import plots
from simulator.presentation.safe_text import escape_markdown
from simulator.presentation.uncertainty_text import what_bands_show, what_shares_count
from simulator.presentation.wording import preset_question

YOURS = "your Explore scenario"
MINE, PUBLISHED = "mine", "published"
POLICY_GROUPS = ("meta", "eu", "second_sender")  # the levers; everything else is an assumption


def with_policy(assumptions: Scenario, policy: Scenario) -> Scenario:
    """A scenario with one scenario's senders and policies and another's assumptions (simulation, regime, audience)."""
    data = assumptions.model_dump(mode="json")
    data |= {group: getattr(policy, group).model_dump(mode="json") for group in POLICY_GROUPS}
    return validate_scenario(data)


def shares_higher(a: pd.Series, b: pd.Series) -> tuple[float, float, float]:
    """Shares of replications in which a is above, equal to and below b (series indexed by replication)."""
    a, b = a.sort_index(), b.sort_index()
    return float((a > b).mean()), float((a == b).mean()), float((a < b).mean())


def pairwise_table(results: dict[str, Results], indicator: str) -> pd.DataFrame:
    """For each pair of policies, the share of replications in which the first gives more of an indicator."""
    rows = []
    for first, second in combinations(results, 2):
        values = [results[name].summary.set_index("replication")[indicator] for name in (first, second)]
        higher, same, lower = shares_higher(*values)
        rows.append(
            {
                "policy A": first,
                "policy B": second,
                "A higher (%)": round(100 * higher, 1),
                "same (%)": round(100 * same, 1),
                "B higher (%)": round(100 * lower, 1),
            }
        )
    return pd.DataFrame(rows)


def statement(row: pd.Series, indicator: str) -> str:
    """A sentence such as 'engage frees more people than hold in 83% of replications (...)', the majority first."""
    first, second, more, less = row["policy A"], row["policy B"], row["A higher (%)"], row["B higher (%)"]
    if less > more:
        first, second, more, less = second, first, less, more
    return (
        f"**{first}** {plots.INDICATORS[indicator].more_than} **{second}** in **{more:g}%** of replications "
        f"(the same in {row['same (%)']:g}%, less in {less:g}%)."
    )


def indicator_table(results: dict[str, Results]) -> pd.DataFrame:
    """Each policy's median indicators with the range holding 90% of replications."""
    rows = {}
    for name, result in results.items():
        cells = {}
        for column, indicator in plots.INDICATORS.items():
            if column in result.summary:
                values, fmt = result.summary[column], indicator.number_format
                cells[f"{indicator.label} ({indicator.unit})"] = (
                    f"{values.median():{fmt}}  [{values.quantile(0.05):{fmt}} to {values.quantile(0.95):{fmt}}]"
                )
        rows[name] = cells
    return pd.DataFrame(rows)


def assumption_changes(overrides: dict) -> dict:
    """The Explore overrides that change assumptions (regime, audience, simulation), not policies."""
    return {path: value for path, value in overrides.items() if path.split(".")[0] not in POLICY_GROUPS}


def _assumptions() -> tuple[str, Scenario]:
    """The assumptions every policy shares, chosen and stated: the preset's own, or with Explore's changes."""
    preset, overrides = ui.explore_choice()
    base, changes = load_preset(preset), assumption_changes(overrides)
    if not changes:
        st.markdown(
            f"**Assumptions:** those of the question *{escape_markdown(preset)}* as published (you have changed "
            "no assumption on Explore)."
        )
        return preset, base
    choice = ui.remembered(
        st.radio,
        "Assumptions every policy runs with",
        "compare_assumptions",
        MINE,
        options=(MINE, PUBLISHED),
        format_func=lambda o: f"With your {len(changes)} Explore changes" if o == MINE else f"{preset} as published",
        horizontal=True,
        help="Policies are compared on one set of assumptions about the regime and the audience.",
    )
    if choice == PUBLISHED:
        st.caption(f"Your Explore changes to the assumptions are not used here: {len(changes)} ignored.")
        return preset, base
    try:
        scenario = with_overrides(base, changes)
    except ScenarioError as exc:
        ui.show_problems(f"Your Explore changes do not validate, so {preset} as published supplies them.", exc.problems)
        return preset, base
    st.markdown("**Your changed assumptions:** " + "; ".join(ui.change_lines(base, changes)))
    return preset, scenario


def _policies(assumptions: Scenario) -> dict[str, Scenario]:
    """The policies picked by the user, each applied to the shared assumptions."""
    options = {name: load_preset(name) for name in preset_names()} | {YOURS: _explore_policy(assumptions)}
    chosen = ui.remembered(
        st.multiselect,
        "Policies to compare (two to four)",
        "compare_policies",
        ["baseline_2024", "engage", "tighten"],
        options=list(options),
        max_selections=4,
        help="Each preset's EU (and second-sender) policy, or the policy in your Explore scenario.",
    )
    with st.expander("What each policy does"):
        for name in chosen:
            eu = options[name].eu.policy
            what = f"the EU's move on Explore: {ui.describe_move(eu.kind, eu.action)}" if name == YOURS else None
            what = what or preset_question(options[name])
            st.markdown(f"**{escape_markdown(name)}**: {escape_markdown(what)}")
    return {name: with_policy(assumptions, options[name]) for name in chosen}


def _explore_policy(assumptions: Scenario) -> Scenario:
    """The senders and policies of the Explore page (its levers), whatever its assumptions; else the preset's."""
    try:
        return ui.explore_scenario()[1]
    except ScenarioError:
        return assumptions


def _run_all(scenarios: dict[str, Scenario]) -> dict[str, Results] | None:
    problems = [f"{name}: {p}" for name, s in scenarios.items() for p in ui.run_problems(s)]
    if problems:
        ui.show_problems("Some policies cannot run in the app.", problems)
        return None
    try:
        return {name: ui.run(s.model_json()) for name, s in scenarios.items()}
    except ValueError as exc:
        ui.show_problems("A policy cannot run here.", [str(exc)])
        return None


def _overlay(results: dict[str, Results], large: bool) -> None:
    options = [c for c in plots.SERIES if all(c in r.monthly for r in results.values())]
    column = st.selectbox("Monthly outcome", options, format_func=lambda c: plots.SERIES[c].title, key="compare_series")
    series = plots.SERIES[column]
    bands = {name: result.bands(column) for name, result in results.items()}
    figure = plots.band_chart(bands, series.title, series.unit, series.number_format, large=large, wide=False)
    chart_in_place(chart_payload(figure, plots.CHART_CONFIG), "chart_overlay")
    st.caption(
        "Lines are medians over replications; bands hold the middle 50% of them. "
        + what_bands_show(next(iter(results.values())).scenario, where=" (Explore, section Simulation)")
    )


def _difference(results: dict[str, Results], indicator: str, large: bool) -> None:
    reference, *others = results
    base = results[reference].summary.set_index("replication")[indicator]
    differences = {name: results[name].summary.set_index("replication")[indicator] - base for name in others}
    figure = plots.difference_chart(differences, plots.INDICATORS[indicator], reference, large)
    chart_in_place(chart_payload(figure, plots.CHART_CONFIG), "chart_difference")
    st.caption(
        f"Each replication is run under every policy with the same random numbers, so its difference from "
        f"{reference} is due to the policy alone. Right of the black line: more than {reference}."
    )


def render() -> None:
    """The Compare page."""
    st.title("Compare policies")
    preset, assumptions = _assumptions()
    scenarios = _policies(assumptions)
    st.caption(
        f"Every policy runs with these assumptions ({assumptions.simulation.replications} replications, seed "
        f"{assumptions.simulation.seed}) and the same random numbers, so differences come from the policy, not "
        f"from chance. {what_shares_count(assumptions)}"
    )
    if len(scenarios) < 2:
        st.info("Pick at least two policies to compare.")
        return
    results = _run_all(scenarios)
    if results is None:
        return
    indicators = [c for c in plots.INDICATORS if all(c in r.summary for r in results.values())]
    indicator = st.selectbox(
        "Indicator", indicators, format_func=lambda c: plots.INDICATORS[c].label, key="compare_indicator"
    )
    table = pairwise_table(results, indicator)
    for _, row in table.iterrows():
        st.markdown(statement(row, indicator))
    plotly_loader()
    left, right = st.columns(2)
    with left:
        _overlay(results, ui.large_text())
    with right:
        _difference(results, indicator, ui.large_text())
    # Static tables: every cell shows whole, where an interactive grid would clip titles and values.
    st.header("Indicators: median [90% of replications]")
    # Row names as a named first column: an index would leave the top-left header cell empty for screen readers.
    st.table(indicator_table(results).rename_axis("Indicator").reset_index(), hide_index=True)
    st.header(f"{plots.INDICATORS[indicator].label}: how often one policy gives more than another")
    st.table(table.style.format("{:g}", subset=["A higher (%)", "same (%)", "B higher (%)"]), hide_index=True)


if __name__ == "__main__":
    render()
