"""The workshop debrief: the room's path against alternatives on the same random numbers, and its export.

Every alternative starts from the same initial state and draws the same monthly random numbers
as the room (common random numbers), so differences come from the EU's choices alone. The
indicator that ranks choices is the humanitarian burden, prisoner-months (the sum over months of
people held), averaged over replications; fewer is better.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from ..core.model import State, step
from ..core.results import Results
from ..core.runner import results_from_state
from ..core.scenarios import with_overrides
from ..core.schema import ACTIONS, Scenario, month_index, month_label
from ..presentation.uncertainty_text import what_shares_count
from .rules import Decision, ReplayCache, WorkshopError, WorkshopSpec, month_name, play

INDICATOR = "prisoner_months"
INDICATOR_TEXT = "prisoner-months (people held, summed over the months played, mean over runs; fewer is better)"
ROOM = "The room"
ROOM_BETTER = "room better in"
VS_ROOM = "Prisoner-months vs the room"
ROOM_BETTER_SHOWN = "Room better in (share of runs)"
BEST = "Best rule found"
FIXED_POLICIES = {f"Always {a}": {"eu.policy.kind": "fixed", "eu.policy.action": a} for a in ACTIONS}
COLUMNS = {
    "prisoner_months": "Prisoner-months",
    "total_released": "Released",
    "total_newly_imprisoned": "Newly imprisoned",
    "final_prisoners": "Prisoners at the end",
    "final_acceptance": "Regime story accepted at the end",
    "final_credibility_eu": "EU credibility at the end",
}
FONT = {"size": 18}
# Lines told apart without colour too (a projector washes colours out).
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def rule_grid() -> dict[str, dict]:
    """The conditional EU rules searched for the best one: reciprocal, graduated and maximalist variants."""
    rules = {}
    for engage in (10, 20, 40):
        for tighten in (40, 60, 100):
            label = f"Reciprocal: engage after {engage}+ releases in a month, tighten after {tighten}+ arrests"
            rules[label] = {
                "eu.policy.kind": "reciprocal",
                "eu.policy.engage_threshold": engage,
                "eu.policy.tighten_threshold": tighten,
            }
    for net in (10, 30, 60):
        label = f"Graduated: engage when releases beat arrests by {net}+ over 3 months, tighten in the reverse case"
        rules[label] = {"eu.policy.kind": "graduated", "eu.policy.window_months": 3, "eu.policy.net_release_step": net}
    rules["Maximalist: no relief until (almost) all are free, tighten after 80+ arrests"] = {
        "eu.policy.kind": "maximalist",
        "eu.policy.tighten_threshold": 80,
    }
    return rules


def run_policy(initial: State, overrides: dict, months: int) -> Results:
    """Run another EU policy from the room's initial state for `months` months, on the same random numbers."""
    # The initial state does not depend on the EU's policy, so swapping the scenario reuses its draws.
    state = replace(initial, scenario=with_overrides(initial.scenario, overrides))
    for _ in range(months):
        state = step(state)
    return results_from_state(state)


@dataclass(frozen=True)
class Debrief:
    """The room's path compared with always engage, hold, tighten and the best rule found, plus pivotal months."""

    spec: WorkshopSpec
    decisions: tuple[Decision, ...]
    comparison: pd.DataFrame
    prisoners: dict[str, pd.DataFrame]
    best_rule: str
    rules: pd.DataFrame
    pivotal: pd.DataFrame


def _indicators(results: Results) -> dict[str, float]:
    summary = results.summary
    values = {k: float(summary[k].mean()) for k in COLUMNS if k in summary and k != "final_prisoners"}
    values["final_prisoners"] = float(summary["final_prisoners"].median())
    return values


def compute_debrief(
    spec: WorkshopSpec, decisions: tuple[Decision, ...] | list[Decision], cache: ReplayCache
) -> Debrief:
    """Compare the room's decisions with the alternatives over the months played."""
    decisions = tuple(decisions)
    if not decisions:
        raise WorkshopError("debrief: no month has been decided yet")
    actions = [d.action for d in decisions]
    moves = [d.move for d in decisions]
    chain = cache.chain(spec.scenario, moves)
    months = len(actions)
    # With teams, every alternative keeps the second team's moves, so only the EU's choices differ.
    second = second_team_schedule(spec, decisions)
    runs = {ROOM: results_from_state(chain[-1])}
    runs.update({label: run_policy(chain[0], {**o, **second}, months) for label, o in FIXED_POLICIES.items()})
    rules = pd.DataFrame(
        [
            {"rule": label, **_indicators(run_policy(chain[0], {**o, **second}, months))}
            for label, o in rule_grid().items()
        ]
    )
    rules = rules.sort_values([INDICATOR, "total_newly_imprisoned"], kind="stable").reset_index(drop=True)
    best = str(rules.loc[0, "rule"])
    runs[BEST] = run_policy(chain[0], {**rule_grid()[best], **second}, months)
    comparison = pd.DataFrame([{"strategy": label, **_indicators(r)} for label, r in runs.items()])
    comparison["vs the room"] = comparison[INDICATOR] - comparison.loc[0, INDICATOR]
    comparison[ROOM_BETTER] = [room_better_share(runs[ROOM], r) for r in runs.values()]
    prisoners = {label: r.bands("prisoners") for label, r in runs.items()}
    return Debrief(spec, decisions, comparison, prisoners, best, rules, pivotal_months(chain, moves))


def room_better_share(room: Results, other: Results) -> float:
    """Share of runs in which the room's path left fewer prisoner-months than another strategy (same runs paired).

    Run r of every strategy shares its random numbers and, under the posterior, its drawn
    assumptions, so the share counts worlds that differ in what the data cannot pin down too.
    """
    mine = room.summary.set_index("replication")[INDICATOR]
    theirs = other.summary.set_index("replication")[INDICATOR].reindex(mine.index)
    return float((mine < theirs).mean())


def robustness_line(debrief: Debrief) -> str:
    """One sentence on how robust the room's ranking is, against the strategy nearest to it."""
    others = debrief.comparison.iloc[1:]
    nearest = others.loc[others["vs the room"].abs().idxmin()]
    share = float(nearest[ROOM_BETTER])
    what = what_shares_count(debrief.spec.scenario)
    verdict = "robust" if share >= 0.9 or share <= 0.1 else "not robust: it depends on chance and assumptions"
    return (
        f"Against its nearest rival ({nearest['strategy']}), the room's path left fewer prisoner-months in "
        f"{share:.0%} of runs, so the ranking is {verdict}. {what}"
    )


def second_team_schedule(spec: WorkshopSpec, decisions) -> dict:
    """Overrides that replay the second team's moves as a schedule (none without teams)."""
    seconds = [d.second_action for d in decisions]
    if not spec.teams or any(s is None for s in seconds):
        return {}
    return {"second_sender.policy.kind": "schedule", "second_sender.policy.schedule": schedule_of(spec, seconds)}


def schedule_of(spec: WorkshopSpec, actions) -> dict[str, str]:
    """A policy schedule (first month of each change -> action) for actions month by month from the start."""
    first = month_index(spec.scenario.simulation.start)
    return {month_label(first + i): a for i, a in enumerate(actions) if i == 0 or a != actions[i - 1]}


def pivotal_months(chain: list[State], moves) -> pd.DataFrame:
    """For each month, prisoner-months had the EU chosen each action then (and the same path otherwise).

    The swing (largest minus smallest) measures how much that month's choice mattered; a second
    team's moves are kept as played.
    """
    rows = []
    room_value = float(results_from_state(chain[-1]).summary[INDICATOR].mean())
    moves = [m if isinstance(m, tuple) else (m, None) for m in moves]
    for m, (chosen, second) in enumerate(moves, start=1):
        values = {}
        for action in ACTIONS:
            if action == chosen:
                values[action] = room_value
                continue
            state = play(chain[m - 1], (action, second))
            for later in moves[m:]:
                state = play(state, later)
            values[action] = float(results_from_state(state).summary[INDICATOR].mean())
        best = min(values, key=values.__getitem__)
        rows.append(
            {
                "month": m,
                "month_name": month_name(chain[0].scenario, m),
                "room": chosen,
                **values,
                "best": best,
                "swing": max(values.values()) - min(values.values()),
            }
        )
    return pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def path_scenario(
    spec: WorkshopSpec, actions: list[str] | tuple[str, ...], code: str, decisions: tuple[Decision, ...] = ()
) -> Scenario:
    """The room's path as a schedule scenario that reproduces the workshop's results when simulated.

    With teams, pass the decisions too: the second team's moves become the second sender's schedule.
    """
    if not actions:
        raise WorkshopError("actions: no month has been decided yet")
    path = " -> ".join(actions)
    return with_overrides(
        spec.scenario,
        {
            **second_team_schedule(spec, decisions),
            "eu.policy.kind": "schedule",
            "eu.policy.schedule": schedule_of(spec, list(actions)),
            "simulation.months": len(actions),
            "meta.name": f"workshop_{code.lower()}",
            "meta.description": f"The EU path chosen by the room in workshop {code} ({spec.title}), from preset "
            f"{spec.preset}: {path}.",
        },
    )


def horizon(scenario: Scenario) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The span of dates a chart of the scenario covers, half a month either side of its first and last month."""
    first = month_index(scenario.simulation.start)
    start = pd.Timestamp(f"{month_label(first)}-01")
    end = pd.Timestamp(f"{month_label(first + scenario.simulation.months - 1)}-01")
    return start - pd.Timedelta(days=15), end + pd.Timedelta(days=15)


def band_figure(
    bands: dict[str, pd.DataFrame], title: str, y_title: str, x_range=None, shaded: set[str] | None = None
) -> go.Figure:
    """Median lines with shaded 90% bands (5th-95th percentile over runs), one per labelled series.

    `shaded` names the series whose band is drawn (all by default); the others are median lines only.
    """
    figure = go.Figure()
    palette = ["#1f4e9c", "#c0392b", "#7f8c8d", "#27ae60", "#8e44ad", "#d35400"]
    for i, (label, frame) in enumerate(bands.items()):
        color = palette[i % len(palette)]
        if shaded is not None and label not in shaded:
            figure.add_trace(
                go.Scatter(
                    x=frame["date"],
                    y=frame["q50"],
                    name=label,
                    mode="lines",
                    line={"color": color, "width": 3, "dash": DASHES[i % len(DASHES)]},
                )
            )
            continue
        x = list(frame["date"]) + list(frame["date"])[::-1]
        y = list(frame["q95"]) + list(frame["q05"])[::-1]
        figure.add_trace(
            go.Scatter(
                x=x,
                y=y,
                fill="toself",
                fillcolor=color,
                opacity=0.15,
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name=f"{label} 90% range",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=frame["date"],
                y=frame["q50"],
                name=label,
                mode="lines+markers",
                line={"color": color, "width": 4 if i == 0 else 2},
            )
        )
    figure.update_layout(
        title=title,
        yaxis_title=y_title,
        font=FONT,
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
        height=420,
    )
    # A fixed span (the whole game in a reveal) lets the chart fill in as the room plays; ticks fall on months.
    dates = pd.concat([frame["date"] for frame in bands.values()])
    x_range = x_range or (dates.min() - pd.Timedelta(days=15), dates.max() + pd.Timedelta(days=15))
    months = (x_range[1] - x_range[0]).days / 30
    figure.update_xaxes(tickformat="%b %Y", range=list(x_range), dtick="M1" if months <= 8 else "M3")
    return figure


def running_figures(results: Results) -> dict[str, go.Figure]:
    """The reveal's running charts: prisoners, monthly flows, and belief in the regime's story by group."""
    groups = ("supporter", "apolitical", "opposition")
    span = horizon(results.scenario)
    return {
        "prisoners": band_figure(
            {"Political prisoners": results.bands("prisoners")}, "Political prisoners", "people", span
        ),
        "flows": band_figure(
            {"Released": results.bands("released"), "Newly imprisoned": results.bands("newly_imprisoned")},
            "Released and newly imprisoned each month",
            "people per month",
            span,
        ),
        "belief": band_figure(
            {g.capitalize(): results.bands(f"acceptance_{g}") for g in groups},
            "Belief in the regime's story, by group",
            "mean belief (0-1)",
            span,
        ),
    }


def _table(frame: pd.DataFrame, formats: dict[str, str]) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(shown_cell(v, formats.get(c, '{}')))}</td>" for c, v in row.items())
        + "</tr>"
        for _, row in frame.iterrows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def comparison_table(debrief: Debrief) -> pd.DataFrame:
    """The comparison for display: ranked by prisoner-months (fewest first), with readable column names.

    The room's own row has no comparison with itself: its "vs the room" and "room better in" cells are None.
    """
    ranked = debrief.comparison.sort_values(INDICATOR, kind="stable").reset_index(drop=True).astype(object)
    room = ranked["strategy"] == ROOM
    ranked.loc[room, ["vs the room", ROOM_BETTER]] = None
    ranked.insert(0, "Rank", range(1, len(ranked) + 1))
    return ranked.rename(
        columns={"strategy": "EU strategy", **COLUMNS, "vs the room": VS_ROOM, ROOM_BETTER: ROOM_BETTER_SHOWN}
    )


def shown_cell(value, format_: str) -> str:
    """A table cell as text; a comparison the row does not have is a dash."""
    return "—" if value is None else format_.format(value)


def path_table(debrief: Debrief) -> pd.DataFrame:
    """The room's decisions month by month, with the votes behind each (and the second team's, with teams)."""
    second = debrief.spec.second_name
    rows = []
    for d in debrief.decisions:
        row = {
            "Month": month_name(debrief.spec.scenario, d.month),
            "EU action": d.action,
            "Decided by": d.decided_by,
            "Engage": d.tally.engage,
            "Hold": d.tally.hold,
            "Tighten": d.tally.tighten,
        }
        if second and d.second_action:
            row.update({f"{second} action": d.second_action, f"{second} votes": _votes(d.second_tally)})
        rows.append(row)
    return pd.DataFrame(rows)


def _votes(tally) -> str:
    return " / ".join(f"{a} {n}" for a, n in tally.counts().items())


def debrief_figure(debrief: Debrief) -> go.Figure:
    """Political prisoners: the room's median and its 90% band, against each alternative's median line.

    Five overlapping bands made a grey mass; one band, the room's, shows how far chance spreads a path.
    """
    title = "Political prisoners: the room (90% of runs shaded) against the alternatives (medians)"
    return band_figure(debrief.prisoners, title, "people", shaded={ROOM})


def debrief_html(debrief: Debrief, code: str) -> str:
    """The debrief as one self-contained HTML page (plotly.js inlined, so it opens offline)."""
    figure = debrief_figure(debrief)
    chart = figure.to_html(full_html=False, include_plotlyjs=True)
    number = "{:,.0f}"
    comparison = _table(
        comparison_table(debrief),
        {
            "Prisoner-months": number,
            "Released": number,
            "Newly imprisoned": number,
            "Prisoners at the end": number,
            "Regime story accepted at the end": "{:.0%}",
            "EU credibility at the end": "{:.0%}",
            VS_ROOM: "{:+,.0f}",
            ROOM_BETTER_SHOWN: "{:.0%}",
        },
    )
    pivotal = debrief.pivotal.head(3)[["month_name", "room", "engage", "hold", "tighten", "best", "swing"]]
    pivotal = pivotal.rename(
        columns={
            "month_name": "Month",
            "room": "Room chose",
            "engage": "If engage",
            "hold": "If hold",
            "tighten": "If tighten",
            "best": "Best choice",
            "swing": "Swing",
        }
    )
    pivotal_html = _table(pivotal, {c: number for c in ("If engage", "If hold", "If tighten", "Swing")})
    sim = debrief.spec.scenario.simulation
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Workshop debrief: {e(debrief.spec.title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:right}}
td:first-child,th:first-child{{text-align:left}}</style></head><body>
<h1>Workshop debrief: {e(debrief.spec.title)}</h1>
<p>Workshop {e(code)}, preset {e(debrief.spec.preset)}: {len(debrief.decisions)} months from
{e(month_name(debrief.spec.scenario, 1))}, {sim.replications} runs, seed {sim.seed}. Every strategy below
faced the same random numbers, so differences come from the EU's choices alone.</p>
<h2>The room's path</h2>{_table(path_table(debrief), {})}
<h2>The room against the alternatives</h2>
<p>Ranked by {e(INDICATOR_TEXT)}. The best rule was searched among {len(debrief.rules)} reciprocal,
graduated and maximalist rules (the best rule found: {e(debrief.best_rule)}).
Rows are ranked, fewest prisoner-months first. "Room better in" is the share of runs in which the room's
path left fewer prisoner-months than that strategy.</p>{comparison}
<p>{e(robustness_line(debrief))}</p>{chart}
<h2>The months that mattered most</h2>
<p>Prisoner-months had the room chosen differently in that month alone, keeping every other choice.</p>
{pivotal_html}
</body></html>
"""
