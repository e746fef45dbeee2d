"""Plotly figures built from result tables: uncertainty bands, story mixes, drivers and differences.

Every builder takes tidy tables (`Results.monthly`, `Results.summary`, `quantile_bands` output) and
returns a `plotly.graph_objects.Figure` with a title, axis units and readable fonts. Nothing here
imports Streamlit, so the CLI and notebooks can draw the same charts.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..core.narratives import NARRATIVES
from ..core.schema import ACTIONS, Scenario
from .explanations import RELEASE_DRIVERS
from .safe_text import escape_plotly

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies, and on a projector.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
ACTION_COLOURS = {"engage": "#009E73", "hold": "#999999", "tighten": "#D55E00"}
NARRATIVE_COLOURS = dict(
    zip(NARRATIVES, ("#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9"), strict=True)
)
OBSERVED_COLOUR = "#000000"
# Line styles by series, so overlapping medians stay distinguishable (and without colour).
DASHES = ("solid", "dash", "dot", "dashdot")
# Titles wrap at this many characters, so a chart in half a laptop screen shows its whole title.
TITLE_CHARACTERS = 52
# Event labels: the narrowest plot they must fit (a 390 px phone, less the page's and the chart's
# margins and the y axis), and the width of a character in font sizes, to tell when two labels in one
# row would touch.
NARROW_PLOT_PX = 290
CHARACTER_WIDTH = 0.62


# Plotly's options for the app's charts: no toolbar, which on a phone covers the title, and on a laptop
# offers nothing the page lacks (zoom by dragging, reset by double-click, files under "Save and share").
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


@dataclass(frozen=True)
class Series:
    """How to show one monthly column: a title, the unit of its axis and a d3 number format."""

    title: str
    unit: str
    number_format: str = ",.0f"


@dataclass(frozen=True)
class Indicator:
    """How to show one summary indicator, and the phrase that says one policy has more of it than another."""

    label: str
    unit: str
    more_than: str
    number_format: str = ",.0f"
    higher_is_better: bool | None = None
    short_unit: str | None = None  # the unit after a headline number, when `unit` is too long for it

    def shown(self, value: float, signed: bool = False) -> str:
        """A value with its unit, as a student reads it: '115 people', '42% of people', '0.61 on 0-1'.

        A change (`signed`, or an indicator whose format is signed, such as the net change) carries its sign.
        """
        unit = self.unit if self.short_unit is None else self.short_unit
        if "%" in self.number_format:
            return f"{value * 100:+.1f} points" if signed else f"{format(value, self.number_format)} {unit}"
        sign = "+" if signed or self.number_format.startswith("+") else ""
        return f"{format(value, sign + self.number_format.lstrip('+'))} {unit}"


SERIES: dict[str, Series] = {
    "prisoners": Series("Political prisoners", "people"),
    "released": Series("Released per month", "people per month"),
    "pardoned": Series("Pardoned by the regime per month", "people per month"),
    "freed_in_deals": Series("Freed in deals per month (all people)", "people per month"),
    "newly_imprisoned": Series("Newly imprisoned per month (arrests + re-arrests)", "people per month"),
    "sanctions_pressure": Series("Sanctions pressure", "0 = none, 1 = full (summed over senders)", ".2f"),
    "acceptance": Series("Belief in the regime's story", "share of the audience", ".0%"),
    "acceptance_supporter": Series("Supporters", "share of the group", ".0%"),
    "acceptance_apolitical": Series("Apolitical", "share of the group", ".0%"),
    "acceptance_opposition": Series("Opposition", "share of the group", ".0%"),
    "mobilised_share": Series("Mobilised", "share of the audience", ".1%"),
    "stability": Series("Regime stability", "scale 0-1", ".2f"),
    "dependence": Series("Dependence on Russia/China", "scale 0-1", ".2f"),
    "credibility_eu": Series("EU credibility with pro-democracy forces", "scale 0-1", ".2f"),
    "exiled": Series("Exiled (deported) so far", "people"),
}

INDICATORS: dict[str, Indicator] = {
    "total_released": Indicator("Total released", "people", "frees more people than", higher_is_better=True),
    "total_newly_imprisoned": Indicator(
        "Newly imprisoned", "people", "leads to more new political prisoners than", higher_is_better=False
    ),
    "net_change_in_prisoners": Indicator(
        "Net change in prisoners", "people", "leaves more people in prison than", "+,.0f", higher_is_better=False
    ),
    "prisoner_months": Indicator(
        "Prisoner-months",
        "person-months",
        "causes more prisoner-months than",
        higher_is_better=False,
    ),
    "final_acceptance": Indicator(
        "Story believed at the end",
        "share of the audience",
        "leaves the regime's story more widely believed than",
        ".0%",
        short_unit="of people",
    ),
    "final_stability": Indicator("Final regime stability", "on 0-1", "leaves the regime more stable than", ".2f"),
    "final_dependence": Indicator(
        "Final dependence on Russia/China", "on 0-1", "leaves the regime more dependent on Russia/China than", ".2f"
    ),
    "final_credibility_eu": Indicator(
        "Final EU credibility", "on 0-1", "leaves the EU more credible than", ".2f", higher_is_better=True
    ),
    "total_deported": Indicator("Deported", "people", "sends more people into exile than"),
}


@dataclass(frozen=True)
class Event:
    """A dated marker on a time chart, such as the election or a change in a sender's action."""

    date: pd.Timestamp
    label: str


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def chart_title(text: str) -> str:
    """A title as Plotly text: user-supplied parts made inert, wrapped to fit half a laptop screen."""
    return "<br>".join(textwrap.wrap(escape_plotly(text), TITLE_CHARACTERS)) or " "


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _deep_merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _deep_merge(base[key], value) if isinstance(value, dict) and key in base else value
    return merged


# Plotly checks each property against its schema as it is set: about half the cost of building a chart,
# paid on every change in the app. These charts are built unchecked; tests/test_app_explore.py checks each one.
UNCHECKED = MappingProxyType({"_validate": False})
# Plotly's empty template "none", as a checked figure would send it (unchecked, the name would go as it is).
NO_TEMPLATE = pio.templates["none"].to_plotly_json()


def _figure(data: list, title: str, y_title: str, large: bool, number_format: str = "", **extra) -> go.Figure:
    """A figure with the shared look: a title, unit on the y axis, legend below, hover by month, sizes for a room.

    `extra` entries are merged into the layout. The layout is given whole at construction, because
    plotly's `update_layout` costs about ten times more and the app builds these on every change.
    """
    size = 20 if large else 14
    title = chart_title(title)
    title_lines = title.count("<br>") + 1
    layout = {
        "template": NO_TEMPLATE,  # the host (Streamlit's theme, or `figures_html`) styles it; plotly's default is slow
        "title": {"text": title, "font": {"size": size + 4}, "yref": "container", "yanchor": "middle"},
        "font": {"size": size},
        "height": (480 if large else 380) + 24 * (title_lines - 1),
        "margin": {"l": 10, "r": 10, "t": 36 + (size + 8) * title_lines, "b": 10},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": size}},
        "hovermode": "x unified",
        "hoverlabel": {"font": {"size": size}},
        # Sizes are set on each part too: Streamlit's theme would otherwise shrink ticks and legends.
        "yaxis": {
            "title": {"text": y_title, "font": {"size": size}},
            "tickformat": number_format,
            "tickfont": {"size": size},
            "rangemode": "tozero",
        },
        "xaxis": {"title": {"text": "", "font": {"size": size}}, "tickfont": {"size": size}},
    }
    figure = go.Figure(data=data, layout=_deep_merge(layout, extra), **UNCHECKED)
    _place_title(figure)
    return figure


def _place_title(figure: go.Figure) -> None:
    """Centre the title's lines in the top of the figure.

    Plotly centres a wrapped title on its anchor whatever the anchor says, so a title anchored at its
    top or bottom spills out of the figure or into the plot; anchoring its middle keeps it whole.
    """
    lines = figure.layout.title.text.count("<br>") + 1
    line_px = figure.layout.title.font.size * 1.3
    figure.layout.title.y = 1 - (8 + lines * line_px / 2) / figure.layout.height


def band_traces(
    bands: pd.DataFrame, name: str, colour: str, number_format: str, wide: bool = True, dash: str = "solid"
) -> list[go.Scatter]:
    """Median line with shaded 50% (and optionally 90%) bands over replications, from `quantile_bands` output."""
    traces, name = [], escape_plotly(name)
    shown = (("q05", "q95", 0.12, "90%"), ("q25", "q75", 0.28, "50%")) if wide else (("q25", "q75", 0.25, "50%"),)
    # Each band one closed outline (along its top, back along its bottom): half the traces of a line pair
    # filled between, which halves what the browser computes and draws on every redraw of the chart.
    there_and_back = np.concatenate([bands["date"].to_numpy(), bands["date"].to_numpy()[::-1]])
    for low, high, alpha, share in shown:
        traces.append(
            go.Scatter(
                **UNCHECKED,
                x=there_and_back,
                y=np.concatenate([bands[high].to_numpy(), bands[low].to_numpy()[::-1]]),
                mode="lines",
                line={"width": 0},
                fill="toself",
                fillcolor=_rgba(colour, alpha),
                legendgroup=name,
                name=f"{name}: {share} of runs",
                showlegend=False,
                hoverinfo="skip",
            )
        )
    low, high = shown[0][0], shown[0][1]
    traces.append(
        go.Scatter(
            **UNCHECKED,
            x=bands["date"],
            y=bands["q50"],
            mode="lines",
            line={"width": 3, "color": colour, "dash": dash},
            legendgroup=name,
            name=name,
            customdata=bands[[low, high]].to_numpy(),
            hovertemplate=f"{name}: %{{y:{number_format}}} (%{{customdata[0]:{number_format}}} to "
            f"%{{customdata[1]:{number_format}}})<extra></extra>",
        )
    )
    return traces


def event_rows(events: list[Event], first: pd.Timestamp, last: pd.Timestamp, font: int) -> list[int]:
    """The row (0 nearest the plot) of each event's label, so labels in one row never touch.

    Labels sit above the plot area, left-aligned on their date; a label goes in the lowest row whose
    last label ends, on the narrowest plot the app draws, before this one starts.
    """
    span = max((last - first).days, 1)
    px_per_day = NARROW_PLOT_PX / span
    ends: list[float] = []  # the right edge (in px) of the last label in each row
    rows = []
    for event in events:
        left = (event.date - first).days * px_per_day
        right = left + len(event.label) * font * CHARACTER_WIDTH
        row = next((i for i, end in enumerate(ends) if end + font / 2 <= left), len(ends))
        if row == len(ends):
            ends.append(right)
        else:
            ends[row] = right
        rows.append(row)
    return rows


def _event_marks(events: list[Event], first: pd.Timestamp, last: pd.Timestamp, large: bool) -> dict[str, Any]:
    """Dotted vertical lines through the plot, labelled above it in rows that never overlap.

    The labels sit in the top margin, outside the plot area, so they cannot cover an observed point
    or a band; returns layout entries (shapes, annotations) and the extra top margin they need.
    """
    font = 13 if large else 11
    events = sorted(events, key=lambda e: e.date)
    rows = event_rows(events, first, last, font)
    line = {"dash": "dot", "width": 1.5, "color": "#555555"}
    return {
        "shapes": [
            {"type": "line", "x0": e.date, "x1": e.date, "y0": 0, "y1": 1, "xref": "x", "yref": "paper", "line": line}
            for e in events
        ],
        "annotations": [
            {
                "x": e.date,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": escape_plotly(e.label),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": 2 + row * (font + 6),
                "font": {"size": font, "color": "#333333"},
            }
            for e, row in zip(events, rows, strict=True)
        ],
        "extra_top": (max(rows) + 1) * (font + 6) + 4 if rows else 0,
    }


def band_chart(
    series: dict[str, pd.DataFrame],
    title: str,
    unit: str,
    number_format: str = ",.0f",
    observed: dict[str, pd.DataFrame] | None = None,
    events: list[Event] | None = None,
    large: bool = False,
    wide: bool = True,
) -> go.Figure:
    """A time chart of one or more banded series (name -> bands), observed points (name -> date, value) and events.

    The caption of every band chart is the same: lines are medians over replications, the darker
    band holds the middle 50% of replications and the lighter band 90% (`wide=False` drops it).
    Observed points are black diamonds, or take the colour of the series in the same position
    when there are several series, outlined in black.
    """
    data = []
    for i, (name, bands) in enumerate(series.items()):
        data += band_traces(bands, name, PALETTE[i % len(PALETTE)], number_format, wide, DASHES[i % len(DASHES)])
    for i, (name, points) in enumerate((observed or {}).items()):
        colour = PALETTE[i % len(PALETTE)] if len(series) > 1 else OBSERVED_COLOUR
        marker = {"symbol": "diamond", "size": 11, "color": colour, "line": {"width": 1.5, "color": OBSERVED_COLOUR}}
        data.append(
            go.Scatter(
                **UNCHECKED,
                x=points["date"],
                y=points["value"],
                mode="markers",
                name=escape_plotly(name),
                marker=marker,
                hovertemplate=f"{escape_plotly(name)}: %{{y:{number_format}}}<extra></extra>",
            )
        )
    dates = pd.concat([bands["date"] for bands in series.values()]) if series else pd.Series(dtype="datetime64[ns]")
    marks = _event_marks(events or [], dates.min(), dates.max(), large) if events else {"extra_top": 0}
    extra_top = marks.pop("extra_top")
    figure = _figure(data, title, unit, large, number_format, **marks)
    if extra_top:  # room for the event labels between the plot and its title
        figure.layout.margin.t += extra_top
        figure.layout.height += extra_top
        _place_title(figure)
    return figure


def mark_month(figure: go.Figure, month: pd.Timestamp, last: pd.Timestamp) -> go.Figure:
    """A copy of a time chart replayed up to a month: a solid line on it, the months after it (to `last`) greyed."""
    marked = go.Figure(figure, **UNCHECKED)
    marked.add_shape(
        type="rect",
        x0=month + pd.Timedelta(days=15),
        x1=last + pd.Timedelta(days=15),
        xref="x",
        y0=0,
        y1=1,
        yref="paper",
        fillcolor="rgba(255,255,255,0.75)",
        line={"width": 0},
        layer="above",
    )
    marked.add_shape(
        type="line", x0=month, x1=month, xref="x", y0=0, y1=1, yref="paper", line={"color": "#000000", "width": 2.5}
    )
    return marked


def observed_points(observed: pd.DataFrame, column: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Observed monthly figures (from `record.observed_for_charts`) between two dates, as date and value columns."""
    dates = pd.to_datetime(observed["month"] + "-01")
    points = pd.DataFrame({"date": dates, "value": observed[column]}).dropna()
    return points[(points["date"] >= first) & (points["date"] <= last)].reset_index(drop=True)


def scenario_events(scenario: Scenario, monthly: pd.DataFrame, limit: int = 6) -> list[Event]:
    """The election and each change in a sender's most common decision, as chart markers (at most `limit`)."""
    events = []
    for sender in scenario.senders():
        modal = monthly.groupby("date", observed=True)[f"action_decided_{sender.key}"].agg(lambda a: a.mode().iloc[0])
        changed = modal[modal.ne(modal.shift())]
        events += [Event(date, f"{sender.key.upper()}: {action}") for date, action in changed.items()]
    events = events[:limit]
    election = pd.Timestamp(f"{scenario.simulation.election}-01")
    if monthly["date"].min() <= election <= monthly["date"].max():
        events.append(Event(election, "Election"))
    return events


def record_end_event(record_end: str, monthly: pd.DataFrame) -> list[Event]:
    """A marker where the observed record ends, if that month is on the chart."""
    end = pd.Timestamp(f"{record_end}-01")
    return [Event(end, "Record ends")] if monthly["date"].min() <= end <= monthly["date"].max() else []


def share_chart(
    monthly: pd.DataFrame, column: str, categories: tuple[str, ...], colours: dict[str, str], title: str, large: bool
) -> go.Figure:
    """Stacked bars: the share of replications in each category of a categorical monthly column."""
    shares = pd.crosstab(monthly["date"], monthly[column], normalize="index")
    data = [
        go.Bar(
            x=shares.index,
            y=shares[category] if category in shares else pd.Series(0.0, index=shares.index),
            name=_sentence(category.replace("_", " ")),
            marker_color=colours[category],
            hovertemplate="%{y:.0%}",
        )
        for category in categories
    ]
    return _figure(data, title, "share of replications", large, ".0%", barmode="stack", bargap=0.1)


def decisions_chart(monthly: pd.DataFrame, key: str, name: str, large: bool = False) -> go.Figure:
    """What a sender decided each month, as the share of replications choosing engage, hold or tighten."""
    return share_chart(
        monthly, f"action_decided_{key}", ACTIONS, ACTION_COLOURS, f"What the {name} decided each month", large
    )


def narrative_chart(monthly: pd.DataFrame, large: bool = False) -> go.Figure:
    """Which story state media broadcast each month, as the share of replications telling each."""
    return share_chart(monthly, "narrative", NARRATIVES, NARRATIVE_COLOURS, "Which story state media tell", large)


def driver_label(column: str, sender_names: dict[str, str]) -> str:
    """Plain words for a driver column of the regime's release decision, e.g. 'driver_relief_eu'."""
    name = column.removeprefix("driver_")
    if name.startswith("relief_"):
        key = name.removeprefix("relief_")
        return f"hope of relief from the {escape_plotly(sender_names.get(key, key))}"
    return RELEASE_DRIVERS.get(name, name.replace("_", " "))


def drivers_chart(story: pd.DataFrame, sender_names: dict[str, str], large: bool = False) -> go.Figure:
    """Why the regime released or not in one replication: each driver's push per month, and their sum."""
    drivers = [c for c in story.columns if c.startswith("driver_")]
    data = [
        go.Bar(
            x=story["date"],
            y=story[column],
            name=_sentence(driver_label(column, sender_names)),
            marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate="%{y:+.2f}",
        )
        for i, column in enumerate(drivers)
    ]
    data.append(
        go.Scatter(
            x=story["date"],
            y=story[drivers].sum(axis=1),
            mode="lines+markers",
            name="Net push (ordinary prisoners)",
            line={"color": "#000000", "width": 2},
            hovertemplate="%{y:+.2f}",
        )
    )
    title = "Why the regime released (or not): pushes for (+) and against (−)"
    axis = {"rangemode": "normal", "zeroline": True, "zerolinewidth": 2}
    return _figure(data, title, "weight in the regime's choice", large, "+.2f", barmode="relative", yaxis=axis)


def difference_chart(
    differences: dict[str, pd.Series], indicator: Indicator, reference: str, large: bool = False
) -> go.Figure:
    """Histogram per policy of its per-replication difference from a reference policy in one indicator."""
    data = [
        go.Histogram(
            x=values,
            name=escape_plotly(f"{name} − {reference}"),
            opacity=0.6,
            marker_color=PALETTE[(i + 1) % len(PALETTE)],
            hovertemplate=f"%{{x:{indicator.number_format}}}: %{{y}} runs<extra></extra>",
        )
        for i, (name, values) in enumerate(differences.items())
    ]
    zero = {
        "type": "line",
        "x0": 0,
        "x1": 0,
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": {"color": "#000000", "width": 2},
    }
    return _figure(
        data,
        f"{indicator.label}: difference from {reference}, run by run",
        "replications",
        large,
        barmode="overlay",
        hovermode="closest",
        shapes=[zero],
        xaxis={"title": {"text": f"difference ({indicator.unit})"}, "tickformat": indicator.number_format},
        legend={"y": -0.3},  # below the x-axis title
    )


def figures_html(figures: list[go.Figure], title: str) -> str:
    """One self-contained HTML page holding several interactive figures (plotly.js included once)."""
    parts = [
        go.Figure(fig).update_layout(template="plotly_white").to_html(full_html=False, include_plotlyjs=(i == 0))
        for i, fig in enumerate(figures)
    ]
    head = f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
    return head + "".join(parts) + "</body></html>"
