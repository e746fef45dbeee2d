"""What the workshop shows, as HTML built from escaped text: the reveal, the join panel, the next step, the debrief.

Every string that a person or a scenario file supplied (titles, names of senders, headlines, the
"why" lines) goes through `html.escape` and is shown with `st.html`, which never reads Markdown,
so no such string can become a link, an image or markup.
"""

from __future__ import annotations

import base64
from html import escape

import plotly.graph_objects as go

from simulator.presentation.wording import sender_name
from simulator.workshop.debrief import (
    COLUMNS,
    INDICATOR,
    ROOM,
    ROOM_BETTER_SHOWN,
    VS_ROOM,
    Debrief,
    comparison_table,
    shown_cell,
)
from simulator.workshop.rules import Decision, Reveal, Spread, Tally, month_name
from simulator.workshop.store import Workshop

GROUP_LABELS = {"supporter": "Supporters", "apolitical": "Apolitical", "opposition": "Opposition"}
SCREEN_FONT = {"size": 26}
SCREEN_CHART_HEIGHT = 520


def _counts(tally: Tally) -> str:
    return " · ".join(f"{action} {count}" for action, count in tally.counts().items())


def vote_line(workshop: Workshop, decision: Decision) -> str:
    """How the month was decided, in one escaped sentence: the room's votes and the rule that applied."""
    if decision.decided_by != "room":
        return "Decided by the facilitator."
    spec = workshop.spec
    who = "EU team" if spec.teams else "Room"
    line = f"{who}'s vote: {_counts(decision.tally)}"
    if spec.council:
        agreed = decision.tally.counts()[decision.action] == decision.tally.total
        line += " (unanimous)" if agreed else " (no unanimity: one veto is enough, the EU holds)"
    elif len(_leaders(decision.tally)) > 1:
        line += " (a tie at the top means hold)"
    if spec.teams and decision.second_action:
        line += f". {spec.second_name} team: {_counts(decision.second_tally)}"
    return escape(line + ".")


def _leaders(tally: Tally) -> list[str]:
    counts = tally.counts()
    return [a for a, n in counts.items() if n == max(counts.values())]


def headline(workshop: Workshop, reveal: Reveal) -> str:
    """The revealed month's headline: what the EU (and the second team's sender) chose."""
    text = f"{reveal.month_name}: the EU chose to {reveal.decision.action.upper()}"
    if reveal.second_name and reveal.decision.second_action:
        text += f"; {reveal.second_name}: {reveal.decision.second_action.upper()}"
    return escape(text)


def _metric(label: str, spread: Spread) -> str:
    return (
        f'<div class="ws-metric"><div class="ws-metric-value">{spread.median:,.0f}</div>'
        f'<div class="ws-metric-label">{escape(label)}</div>'
        f'<div class="ws-metric-range">90% of runs: {spread.low:,.0f} to {spread.high:,.0f}</div></div>'
    )


def _blocked(reveal: Reveal) -> str:
    lines = []
    if reveal.blocked_share > 0:
        lines.append(f"Member states blocked the EU's move in {reveal.blocked_share:.0%} of runs (it became hold).")
    if reveal.second_name and reveal.second_blocked_share > 0:
        lines.append(
            f"The move of {sender_name(reveal.second_name)} was blocked in {reveal.second_blocked_share:.0%} of runs."
        )
    return "".join(f'<p class="ws-line">{escape(line)}</p>' for line in lines)


def _beliefs(reveal: Reveal) -> str:
    parts = []
    for group, label in GROUP_LABELS.items():
        after, before = reveal.belief_after[group], reveal.belief_before[group]
        parts.append(f"<div>{label}: <b>{after:.0%}</b> ({(after - before) * 100:+.1f} pts)</div>")
    return f'<div class="ws-beliefs"><div>Believing the story:</div>{"".join(parts)}</div>'


def screen_reveal_html(workshop: Workshop, reveal: Reveal) -> str:
    """The revealed month for the projector: headline, votes, the regime's answer, its story, belief, why."""
    spec = workshop.spec
    metrics = "".join(
        _metric(label, spread)
        for label, spread in (
            ("released this month", reveal.released),
            ("newly imprisoned", reveal.newly_imprisoned),
            ("political prisoners now", reveal.prisoners),
        )
    )
    story = reveal.narrative.replace("_", " ")
    return (
        f'<div class="ws-screen"><p class="ws-kicker">{escape(spec.title)} · month {reveal.month} of '
        f"{spec.rounds} revealed</p>"
        f'<p class="ws-headline">{headline(workshop, reveal)}</p>'
        f'<p class="ws-line">{vote_line(workshop, reveal.decision)}</p>{_blocked(reveal)}'
        f'<div class="ws-metrics">{metrics}</div>'
        f'<div class="ws-media"><small>State media · the "{escape(story)}" story, told in '
        f"{reveal.narrative_share:.0%} of runs</small>{escape(reveal.headline)}</div>"
        f"{_beliefs(reveal)}"
        f'<div class="ws-why"><b>Why?</b> {escape(reveal.why_release)} {escape(reveal.why_arrests)}</div></div>'
    )


def png_img(png: bytes, alt: str) -> str:
    """An inline <img> of PNG bytes (no request leaves the page)."""
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def join_panel_html(workshop: Workshop, short_address: str, qr: bytes) -> str:
    """The join screen: a QR code of 480 px, the short address and the code in large type."""
    spec = workshop.spec
    role = f"the EU or {spec.second_name}" if spec.teams else "the EU"
    return (
        f'<div class="ws-screen"><p class="ws-kicker">{escape(spec.title)}</p>'
        f'<p class="ws-headline">Join on your phone: you are {escape(role)}</p>'
        f'<div class="ws-join-grid"><div class="ws-qr">{png_img(qr, "QR code of the join link")}</div>'
        f'<div><p class="ws-line">Scan the QR code, or open</p><p class="ws-url">{escape(short_address)}</p>'
        f'<p class="ws-line">and type the code</p><p class="ws-code">{escape(workshop.code)}</p></div></div>'
        f'<p class="ws-line">{escape(spec.rules.describe("EU", spec.second_name))}</p></div>'
    )


def next_step_html(workshop: Workshop, joined: int, voted: int, short_address: str) -> str:
    """The line under a reveal: what happens next, live counts, and how latecomers join."""
    progress, spec = workshop.progress, workshop.spec
    if progress.phase == "paused":
        step = "Paused: stay where you are."
    elif workshop.show_debrief and progress.phase == "finished":
        step = f"The debrief of all {spec.rounds} months."
    elif workshop.show_debrief:
        step = f"The debrief after {progress.months_played} of {spec.rounds} months; the game carries on after it."
    elif progress.phase == "finished":
        step = f"All {spec.rounds} months played: the debrief follows."
    elif progress.phase == "voting" and progress.voting_month is not None:
        month = progress.voting_month
        step = f"Vote now on month {month}, {month_name(spec.scenario, month)}: {voted} of {joined} voted"
    else:
        month = progress.next_month
        step = f"Next: month {month} of {spec.rounds}, {month_name(spec.scenario, month)} · {joined} joined"
    return (
        f'<div class="ws-screen ws-next">{escape(step)}<div class="ws-join">Join: {escape(short_address)} '
        f"· code <b>{escape(workshop.code)}</b></div></div>"
    )


def big_figure(figure: go.Figure, title: str | None = None) -> go.Figure:
    """A copy of a chart sized for a projector (the cached original is shared and stays as it is)."""
    copy = go.Figure(figure)
    copy.update_layout(
        font=SCREEN_FONT,
        height=SCREEN_CHART_HEIGHT,
        title_font={"size": 32},
        margin={"l": 120, "r": 30, "t": 70, "b": 40},
        legend={"font": {"size": 26}},
    )
    copy.update_yaxes(title_standoff=12)
    if title:
        copy.update_layout(title=title)
    return copy


def debrief_table_html(debrief: Debrief) -> str:
    """The comparison as a table that fits the screen's width (fixed layout, wrapped labels)."""
    table = comparison_table(debrief)
    formats = {
        COLUMNS[INDICATOR]: "{:,.0f}",
        COLUMNS["total_released"]: "{:,.0f}",
        COLUMNS["total_newly_imprisoned"]: "{:,.0f}",
        COLUMNS["final_prisoners"]: "{:,.0f}",
        COLUMNS["final_acceptance"]: "{:.0%}",
        COLUMNS["final_credibility_eu"]: "{:.0%}",
        VS_ROOM: "{:+,.0f}",
        ROOM_BETTER_SHOWN: "{:.0%}",
    }
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    rows = []
    for _, row in table.iterrows():
        cells = "".join(f"<td>{escape(shown_cell(v, formats.get(c, '{}')))}</td>" for c, v in row.items())
        marker = ' class="ws-room"' if row["EU strategy"] == ROOM else ""
        rows.append(f"<tr{marker}>{cells}</tr>")
    return f'<table class="ws-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def pivotal_lines(debrief: Debrief) -> list[str]:
    """The three months that mattered most, one plain sentence each."""
    lines = []
    for row in debrief.pivotal.head(3).itertuples():
        if row.best == row.room:
            lines.append(
                f"{row.month_name}: the room chose {row.room}, the best choice that month "
                f"(another choice would have added up to {row.swing:,.0f} prisoner-months)."
            )
        else:
            gain = getattr(row, row.room) - getattr(row, row.best)
            lines.append(
                f"{row.month_name}: the room chose {row.room}; {row.best} would have saved {gain:,.0f} prisoner-months."
            )
    return lines


def phone_reveal_html(reveal: Reveal) -> str:
    """A short version of the latest reveal for a phone."""
    second = ""
    if reveal.second_name and reveal.decision.second_action:
        second = f" {escape(reveal.second_name)} chose to <b>{escape(reveal.decision.second_action)}</b>."
    return (
        f'<div class="ws-phone"><p><b>Last month, {escape(reveal.month_name)}</b>: the EU chose to '
        f"<b>{escape(reveal.decision.action)}</b>.{second}</p>"
        f'<div class="ws-media-phone">State media: {escape(reveal.headline)}</div>'
        f"<p>Released {reveal.released.median:,.0f} · newly imprisoned {reveal.newly_imprisoned.median:,.0f} · "
        f"political prisoners now {reveal.prisoners.median:,.0f} (medians over runs).</p></div>"
    )
