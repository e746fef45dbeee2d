"""Sweep one or two parameters over a range and see how an outcome moves; and which assumptions matter most."""

from __future__ import annotations

import io

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from simulator import Scenario, ScenarioError, with_overrides
from simulator.app import ui
from simulator.exploration.prim_discovery import prim
from simulator.exploration.sensitivity import SensitivityResult, sensitivity
from simulator.exploration.sweep_specs import SweepSpec
from simulator.exploration.sweeps import ScenarioModel, SweepResults, design_points, point_statistics, run_points
from simulator.presentation import plots
from simulator.presentation.safe_text import escape_markdown
from simulator.presentation.wording import plain_unit

# A sweep here runs in the shared server process: larger studies belong in the CLI or a script.
MAX_POINTS = 225
MAX_AGENT_MONTHS = 60_000_000
MAX_UPLOAD_BYTES = 1_000_000
# Rows of the Sobol chart (one per level of the discrete factors): more cannot be spaced readably.
MAX_CHART_ROWS = 8
# Design points per cached call: small enough for the progress bar to move, large enough to cost little.
CHUNK_POINTS = 5
SOBOL_COLUMNS = {"factor", "S1", "S1_conf", "ST", "ST_conf"}
LAST_SWEEP, LAST_SOBOL = "sweep_last_spec", "sweep_last_sobol"
GROUPS = {"regime": "Regime", "eu": "EU", "audience": "Audience"}
# Numbers a student can sweep: plain (not advanced) model parameters with a range, not the run's own settings.
SWEEPABLE = {
    path: info
    for path, info in ui.PARAMETERS.items()
    if info.kind in ("int", "float")
    and not info.advanced
    and info.maximum is not None
    and not path.startswith(("simulation.", "second_sender."))
    and path != "audience.size"
}


def _label(path: str) -> str:
    info, group = SWEEPABLE[path], GROUPS[path.split(".")[0]]
    unit = plain_unit(info.unit)
    return f"{group}: {info.label} ({unit})" if unit else f"{group}: {info.label}"


def _indicator_label(name: str) -> str:
    return plots.INDICATORS[name].label if name in plots.INDICATORS else name.replace("_", " ")


@st.cache_data(max_entries=256, show_spinner=False)
def point_runs(
    spec_json: str, rows: tuple[tuple[tuple[str, object], ...], ...], seeds: tuple[int, ...], _factors
) -> pd.DataFrame:
    """Per-replication indicators at some design points of a sweep (cached on the spec, points and seeds).

    It draws nothing: cached work must never touch a widget made outside it (Streamlit cannot replay that),
    so the progress bar is moved by the caller between chunks. `_factors` follows from the spec.
    """
    spec = SweepSpec.model_validate_json(spec_json)
    model = ScenarioModel(spec.scenario.model_json())
    payload = ([dict(row) for row in rows], list(seeds))
    return run_points(model, _factors, spec.replications, False, payload)["replications"]


def sweep_results(spec: SweepSpec, text: str) -> SweepResults:
    """Run a sweep chunk by chunk through the cache, moving a progress bar between chunks; same as `run_sweep`."""
    factors, points = design_points(spec)
    spec_json, total = spec.model_dump_json(), len(points)
    rows = [tuple(record.items()) for record in points.to_dict("records")]
    seeds = spec.point_seeds(points["point"].to_numpy())
    bar = st.progress(0.0, text=text)
    parts = []
    for start in range(0, total, CHUNK_POINTS):
        stop = min(start + CHUNK_POINTS, total)
        parts.append(point_runs(spec_json, tuple(rows[start:stop]), tuple(seeds[start:stop]), factors))
        bar.progress(stop / total, text=f"{text} {stop}/{total} points")
    bar.empty()
    replications = pd.concat(parts, ignore_index=True)
    return SweepResults(spec, factors, points, replications, point_statistics(replications, points, spec.quantiles))


def size_problems(points: int, replications: int, scenario: Scenario) -> list[str]:
    """Why a sweep is too large for the app, one line per limit (empty if it fits)."""
    problems = []
    if points > MAX_POINTS:
        problems.append(f"points: {points} is above the app's limit of {MAX_POINTS}; use `simulator sweep` for more")
    agent_months = points * replications * scenario.audience.size * scenario.simulation.months
    if agent_months > MAX_AGENT_MONTHS:
        problems.append(
            f"points x replications x audience x months: {agent_months:,} is above the app's limit of "
            f"{MAX_AGENT_MONTHS:,} agent-months"
        )
    return problems


def range_control(path: str, key: str) -> tuple[float, float]:
    """A range slider over a parameter's allowed values, defaulting to the whole range."""
    info = SWEEPABLE[path]
    minimum, maximum = ui.bounds(info)
    if info.kind == "int":
        low, high = int(minimum), int(maximum)
        return st.slider("Range", low, high, (low, high), key=key, help=info.help)
    start, end = float(minimum), float(maximum)
    return st.slider("Range", start, end, (start, end), step=(end - start) / 100, key=key, help=info.help)


def line_figure(statistics: pd.DataFrame, path: str, indicator: str) -> go.Figure:
    """Mean of an indicator against one parameter, with the band holding 90% of replications."""
    wide = (
        statistics[statistics["indicator"] == indicator]
        .pivot_table(index=path, columns="statistic", values="value")
        .reset_index()
    )
    figure = go.Figure(
        [
            go.Scatter(
                x=wide[path], y=wide["q95"], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
            ),
            go.Scatter(
                x=wide[path],
                y=wide["q05"],
                mode="lines",
                fill="tonexty",
                line={"width": 0},
                name="90% of replications",
                fillcolor="rgba(0,114,178,0.2)",
            ),
            go.Scatter(x=wide[path], y=wide["mean"], mode="lines+markers", name="mean", line={"color": "#0072B2"}),
        ]
    )
    figure.update_layout(
        title=f"{_indicator_label(indicator)} as {SWEEPABLE[path].label.lower()} varies",
        xaxis_title=_label(path),
        yaxis_title=_indicator_label(indicator),
    )
    return figure


def heatmap_figure(statistics: pd.DataFrame, x: str, y: str, indicator: str) -> go.Figure:
    """Mean of an indicator over a grid of two parameters."""
    means = statistics[(statistics["indicator"] == indicator) & (statistics["statistic"] == "mean")]
    grid = means.pivot_table(index=y, columns=x, values="value")
    figure = px.imshow(
        grid,
        origin="lower",
        aspect="auto",
        color_continuous_scale="Viridis",
        labels={"x": _label(x), "y": _label(y), "color": "mean"},
    )
    figure.update_layout(title=f"{_indicator_label(indicator)} (mean over replications)")
    return figure


def run_controls(key: str) -> tuple[int, int]:
    """Replications per point and audience size for a sweep run in the app."""
    left, right = st.columns(2)
    replications = left.slider(
        "Replications per point",
        5,
        100,
        20,
        key=f"{key}_reps",
        help="Runs at every point; the band shows their spread.",
    )
    audience = right.slider(
        "Audience agents",
        50,
        2000,
        300,
        step=50,
        key=f"{key}_audience",
        help="Fewer agents run faster; the audience is a sample of the population.",
    )
    return replications, audience


def sweep_tab(scenario: Scenario, indicators: list[str]) -> None:
    """Vary one or two parameters over a grid and chart an indicator."""
    indicator = st.selectbox("Outcome", indicators, format_func=_indicator_label, key="sweep_indicator")
    paths = list(SWEEPABLE)
    first = st.selectbox(
        "Parameter", paths, index=paths.index("regime.pardons.release_cost"), format_func=_label, key="sweep_first"
    )
    first_range = range_control(first, "sweep_first_range")
    steps = st.slider("Values across the range", 3, 15, 7, key="sweep_steps")
    factors = {first: {"low": first_range[0], "high": first_range[1], "steps": steps}}
    if st.toggle("Vary a second parameter (heat map)", key="sweep_two"):
        others = [p for p in paths if p != first]
        second = st.selectbox("Second parameter", others, format_func=_label, key="sweep_second")
        second_range = range_control(second, "sweep_second_range")
        factors[second] = {"low": second_range[0], "high": second_range[1], "steps": steps}
    replications, audience = run_controls("sweep")
    try:
        base = with_overrides(scenario, {"audience.size": audience})
        spec = SweepSpec(
            scenario=base,
            design={"kind": "grid", "factors": factors},
            replications=replications,
            seed=scenario.simulation.seed,
        )
        points = len(design_points(spec)[1])
    except (ScenarioError, ValueError) as exc:
        ui.show_problems("This sweep cannot run:", getattr(exc, "problems", [str(exc)]))
        return
    problems = size_problems(points, replications, base)
    if problems:
        ui.show_problems("This sweep is too large for the app:", problems)
        return
    st.caption(
        f"{points} points x {replications} replications, each with the same random numbers "
        "(so differences come from the parameters, not from chance)."
    )
    if st.button("Run sweep", type="primary", key="sweep_run"):
        st.session_state[LAST_SWEEP] = spec.model_dump_json()
    if st.session_state.get(LAST_SWEEP) != spec.model_dump_json():
        return
    results = sweep_results(spec, "Sweeping...")
    statistics = results.statistics
    paths_run = list(factors)
    figure = (
        line_figure(statistics, first, indicator)
        if len(paths_run) == 1
        else heatmap_figure(statistics, paths_run[0], paths_run[1], indicator)
    )
    st.plotly_chart(figure, width="stretch")
    table = (
        statistics[statistics["indicator"] == indicator]
        .pivot_table(index=paths_run, columns="statistic", values="value")
        .reset_index()
    )
    with st.expander("Table"):
        st.dataframe(table, hide_index=True)
    st.download_button(
        "Download all statistics (CSV)",
        statistics.to_csv(index=False),
        "sweep_statistics.csv",
        mime="text/csv",
        key="sweep_download",
    )
    with st.expander("Where does the outcome clear a threshold? (scenario discovery, PRIM)"):
        prim_section(results, indicator)


def prim_section(results: SweepResults, indicator: str) -> None:
    """PRIM boxes of parameter values where the mean outcome clears a threshold: the trajectory and the chosen box."""
    means = results.table("mean")[indicator]
    threshold = st.number_input(
        f"{_indicator_label(indicator)} above", value=float(means.median()), key="sweep_prim_threshold"
    )
    try:
        found = prim(results, f"{indicator} > {threshold!r}")
    except ValueError as exc:
        st.info(str(exc))
        return
    figure = found.figure()
    # In the page's words, not the condition's code; the legend goes below the x axis's title, not on it.
    figure.update_layout(
        title=f"Boxes where the mean {_indicator_label(indicator).lower()} is above {threshold:,.4g}",
        legend={"orientation": "h", "yanchor": "top", "y": -0.28, "x": 0},
        margin={"b": 110},
    )
    st.plotly_chart(figure, key="sweep_prim_trajectory", config={"displaylogo": False})
    share = found.statistics()
    st.markdown(
        f"Chosen box: **{escape_markdown(found.rule())}**, holding {share['coverage']:.0%} of the points where "
        f"the outcome clears the threshold ({share['density']:.0%} of the points inside it do)."
    )
    st.dataframe(found.inspect(), hide_index=True)


def read_sensitivity_csv(name: str, data: bytes) -> pd.DataFrame:
    """Read Sobol indices written by `simulator sensitivity`; raises ValueError naming what is wrong."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"file: {name!r} is {len(data):,} bytes, above the maximum {MAX_UPLOAD_BYTES:,}")
    try:
        table = pd.read_csv(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"file: {name!r} is not a CSV table ({exc})") from None
    missing = SOBOL_COLUMNS - set(table.columns)
    if missing:
        raise ValueError(
            f"file: {name!r} lacks the columns {sorted(missing)} (expected Sobol indices from `simulator sensitivity`)"
        )
    numbers = table[sorted(SOBOL_COLUMNS - {"factor"})]
    if not all(pd.api.types.is_numeric_dtype(numbers[c]) for c in numbers):
        raise ValueError(f"file: {name!r} has indices that are not numbers")
    return table


def sensitivity_tab(scenario: Scenario, indicators: list[str]) -> None:
    """Sobol indices as bars with intervals: from a small run here, or from a CSV computed with the CLI."""
    indicator = st.selectbox("Outcome", indicators, format_func=_indicator_label, key="sobol_indicator")
    upload = st.file_uploader(
        "Or show precomputed indices (CSV from `simulator sensitivity`)",
        type=["csv"],
        key="sobol_upload",
        max_upload_size=1,  # megabytes: the browser refuses a larger file before sending it
        help=f"At most {MAX_UPLOAD_BYTES:,} bytes.",
    )
    if upload is not None:
        try:
            table = read_sensitivity_csv(upload.name, upload.getvalue())
        except ValueError as exc:
            ui.show_problems("This file cannot be shown:", [str(exc)])
            return
        levels = _levels(table)
        rows = len(table[list(levels)].drop_duplicates()) if levels else 1
        if rows > MAX_CHART_ROWS:
            st.info(
                f"This file holds indices for {rows} combinations of {', '.join(levels)}; the chart draws one row "
                f"for each and can show at most {MAX_CHART_ROWS}, so here is the table."
            )
            st.dataframe(table, hide_index=True)
            return
        show_indices(SensitivityResult("sobol", indicator, "mean", table, levels))
        return
    chosen = st.multiselect(
        "Parameters (2 to 5)",
        list(SWEEPABLE),
        format_func=_label,
        key="sobol_factors",
        default=["regime.pardons.release_cost", "regime.pardons.relief_sensitivity", "regime.pardons.election_weight"],
    )
    base_sample = st.select_slider("Base sample N (points = N x (parameters + 2))", [8, 16, 32], 16, key="sobol_n")
    replications, audience = run_controls("sobol")
    if not 2 <= len(chosen) <= 5:
        st.info("Choose between two and five parameters.")
        return
    base = with_overrides(scenario, {"audience.size": audience})
    spec = SweepSpec(
        scenario=base,
        design={"kind": "sobol_sensitivity", "points": base_sample, "factors": {p: {} for p in chosen}},
        replications=replications,
        seed=scenario.simulation.seed,
    )
    points = base_sample * (len(chosen) + 2)
    problems = size_problems(points, replications, base)
    if problems:
        ui.show_problems("This analysis is too large for the app:", problems)
        return
    st.caption(
        f"{points} points x {replications} replications over each parameter's whole allowed range. "
        "Small samples give wide intervals: read them as a first look."
    )
    if st.button("Run Sobol analysis", type="primary", key="sobol_run"):
        st.session_state[LAST_SOBOL] = spec.model_dump_json() + indicator
    if st.session_state.get(LAST_SOBOL) != spec.model_dump_json() + indicator:
        return
    show_indices(sensitivity(sweep_results(spec, "Sampling..."), indicator))


def _levels(table: pd.DataFrame) -> tuple[str, ...]:
    return tuple(c for c in table.columns if "." in c)


def show_indices(result: SensitivityResult) -> None:
    """The bar chart of first-order and total indices, and how to read it."""
    figure = result.figure()
    rows = len(result.table[list(result.by)].drop_duplicates()) if result.by else 1
    figure.update_layout(height=max(450, 220 * rows))  # each row of levels keeps a readable height
    st.plotly_chart(figure, width="stretch")
    st.caption(
        "First order (S1): share of the outcome's variance due to the parameter alone. Total (ST): "
        "including its interactions with the others. Error bars: 95% confidence intervals."
    )
    with st.expander("Table"):
        st.dataframe(result.table, hide_index=True)


def render() -> None:
    """The Sweep page."""
    st.title("Sweep")
    st.markdown(
        "How does an outcome change as one or two assumptions vary, and which assumptions matter most? "
        "Everything starts from your **Explore** scenario."
    )
    try:
        preset, scenario = ui.explore_scenario()
    except ScenarioError as exc:
        ui.show_problems("Your Explore scenario is not valid:", exc.problems)
        return
    eu = scenario.eu.policy
    st.caption(
        f"Starting from: the question {preset}, with the EU's move {ui.describe_move(eu.kind, eu.action)}. "
        "Sweep charts show the mean over runs at each point (Explore's headline numbers are medians)."
    )
    summary_indicators = list(plots.INDICATORS)
    sweep_view, sensitivity_view = st.tabs(["Sweep", "Sensitivity"])
    with sweep_view:
        sweep_tab(scenario, summary_indicators)
    with sensitivity_view:
        sensitivity_tab(scenario, summary_indicators)
    ui.model_note()


if __name__ == "__main__":
    render()
