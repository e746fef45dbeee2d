"""A picture of the model: who drives what among the senders, the regime and the audience.

The diagram is data: each arrow names its cause, its effect, what happens along it in plain words
and the parameters (dotted paths of the scenario schema) that set how strong it is. The About page
draws it and lists the arrows; a test checks every path against the schema so the two cannot drift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go

from .safe_text import escape_plotly

# The size the figure is laid out for; arrows stop at the edge of the boxes they join.
WIDTH_PX, HEIGHT_PX = 1000, 620
X_RANGE, Y_RANGE = (-0.2, 10.4), (-0.4, 6.3)
CHARACTER_PX, LINE_PX, PAD_PX = 6.6, 17, 9
ACTOR_COLOURS = {"sender": "#0072B2", "regime": "#D55E00", "audience": "#009E73", "outcome": "#555555"}


@dataclass(frozen=True)
class Node:
    """A box in the diagram: an actor or a quantity, where it sits (x 0-10, y 0-6) and whose it is."""

    key: str
    name: str
    detail: str
    x: float
    y: float
    actor: str

    @property
    def text(self) -> str:
        """The box's text: its name in bold, and what it holds or does below."""
        return f"<b>{self.name}</b><br>{self.detail}" if self.detail else f"<b>{self.name}</b>"


@dataclass(frozen=True)
class Arrow:
    """A causal link: the cause, the effect, what happens in plain words, and the parameters that set it."""

    cause: str
    effect: str
    what: str
    parameters: tuple[str, ...]


NODES = (
    Node("eu", "EU", "engage · hold · tighten", 0.9, 5.6, "sender"),
    Node("second", "Second sender", "e.g. the US, from 2025", 0.9, 3.9, "sender"),
    Node("hope", "Regime's hope", "that releases pay", 3.4, 4.75, "regime"),
    Node("pressure", "Sanctions pressure", "", 3.4, 2.3, "outcome"),
    Node("election", "Election calendar", "", 6.0, 5.0, "outcome"),
    Node("regime", "Regime decides", "pardons · deals · arrests", 6.0, 3.3, "regime"),
    Node("prisoners", "Political prisoners", "released · arrested · exiled", 9.2, 5.6, "outcome"),
    Node("story", "State media story", "humanism · victory · siege…", 6.0, 1.2, "regime"),
    Node("audience", "Audience", "supporters · apolitical · opposition", 9.2, 1.2, "audience"),
    Node("protest", "Protest", "", 9.2, 3.3, "audience"),
    Node("stability", "Regime stability", "and dependence on Russia/China", 3.4, 0.3, "outcome"),
)

ARROWS = (
    Arrow(
        "eu",
        "pressure",
        "Tightening adds sanctions; engaging lifts some (the relief); member states can block a move, "
        "and it takes effect after a lag.",
        ("eu.tighten_step", "eu.relief_step", "eu.erosion", "eu.sanctions_weight", "eu.friction", "eu.lag_months"),
    ),
    Arrow(
        "second",
        "pressure",
        "The second sender's own sanctions, with their own weight, from the month it enters.",
        (
            "second_sender.sanctions_weight",
            "second_sender.tighten_step",
            "second_sender.relief_step",
            "second_sender.entry_month",
        ),
    ),
    Arrow(
        "eu",
        "hope",
        "When the EU engages after releases the regime learns that releases pay; holding or tightening "
        "teaches that they do not, and refusals are remembered.",
        (
            "eu.prior_belief",
            "eu.prior_strength",
            "regime.learning.hold_as_refusal",
            "regime.learning.release_signal_threshold",
            "regime.learning.belief_memory",
            "regime.learning.refusal_memory",
        ),
    ),
    Arrow(
        "second",
        "hope",
        "The regime keeps a separate hope for each sender, so it can learn that one pays and the other does not.",
        ("second_sender.prior_belief", "second_sender.prior_strength"),
    ),
    Arrow(
        "hope",
        "regime",
        "Expected relief pushes towards releases and priced deals; paid releases also make new prisoners "
        "worth taking (the hostage incentive).",
        (
            "regime.pardons.relief_sensitivity",
            "eu.engagement_value",
            "eu.envoy_visit_rate",
            "regime.deals.persons_per_relief",
            "regime.learning.relief_per_success",
            "regime.repression.hostage_incentive",
        ),
    ),
    Arrow(
        "pressure",
        "regime",
        "Sanctions pressure pushes the regime to release more, or less: a competing hypothesis you set.",
        ("regime.pardons.pressure_response",),
    ),
    Arrow(
        "election",
        "regime",
        "Before the election, pardons buy legitimacy and the campaign invites petitions; the push ends with the vote.",
        (
            "simulation.election",
            "regime.pardons.election_weight",
            "regime.pardons.campaign_months",
            "regime.repression.election_repression",
        ),
    ),
    Arrow(
        "regime",
        "prisoners",
        "Pardons come from petitioners on holidays and other occasions, cheapest first; deals trade "
        "prisoners for relief; arrests and re-arrests continue; many released are deported.",
        (
            "regime.pardons.release_cost",
            "regime.pardons.max_release_share",
            "regime.pardons.petition_rate",
            "regime.pardons.occasion_independence_day",
            "regime.repression.base_arrests",
            "regime.repression.rearrest_rate",
            "regime.pardons.deportation_share",
        ),
    ),
    Arrow(
        "prisoners",
        "eu",
        "A rule-following EU watches releases and arrests and answers them.",
        ("eu.policy.engage_threshold", "eu.policy.tighten_threshold", "eu.policy.all_free_threshold"),
    ),
    Arrow(
        "regime",
        "story",
        "State media pick a story that fits the EU's answer: victory after relief, 'the West only talks' "
        "after holding, siege after tightening.",
        ("regime.narratives.narrative_noise",),
    ),
    Arrow(
        "story",
        "audience",
        "Each group receives the story differently, by its media diet and what it can check; "
        "independent media damp every story.",
        (
            "audience.state_media_apolitical",
            "audience.independent_media_reach",
            "audience.relief_persuasion",
            "audience.unanswered_persuasion",
            "audience.rally_effect",
            "audience.hardship_cost",
        ),
    ),
    Arrow(
        "audience",
        "protest",
        "Aggrieved opposition who disbelieve the story may protest; arrests deter them, others' protest draws them.",
        ("audience.grievance_opposition", "audience.threshold_mean", "audience.deterrence", "audience.social_proof"),
    ),
    Arrow(
        "protest",
        "regime",
        "Protest brings repression and makes releases look weak.",
        ("regime.repression.mobilisation_response", "regime.pardons.mobilisation_penalty"),
    ),
    Arrow(
        "pressure",
        "stability",
        "Sanctions strain the regime and push it towards Russia and China; relief pulls it back.",
        ("regime.stability_from_pressure", "regime.pivot_rate", "regime.decoupling_rate"),
    ),
    Arrow(
        "audience",
        "stability",
        "Belief in the regime's story steadies it; protest shakes it.",
        ("regime.stability_from_acceptance", "regime.stability_from_mobilisation"),
    ),
)


def arrow_parameters() -> list[str]:
    """Every parameter path named on an arrow, in diagram order, each once."""
    return list(dict.fromkeys(path for arrow in ARROWS for path in arrow.parameters))


def _node(key: str) -> Node:
    return next(node for node in NODES if node.key == key)


def _half_size_px(node: Node) -> tuple[float, float]:
    lines = [node.name, node.detail] if node.detail else [node.name]
    return max(map(len, lines)) * CHARACTER_PX / 2 + PAD_PX, len(lines) * LINE_PX / 2 + PAD_PX


def _px(node: Node) -> tuple[float, float]:
    x = (node.x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * WIDTH_PX
    y = (node.y - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) * HEIGHT_PX
    return x, y


def _edge_distance(node: Node, dx: float, dy: float) -> float:
    """Pixels from a box's centre to its edge along a direction (dx, dy) of unit length."""
    half_w, half_h = _half_size_px(node)
    return min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)


def _direction(arrow: Arrow) -> tuple[float, float, float]:
    """The arrow's unit direction (dx, dy) in pixels and its length between box centres."""
    (x0, y0), (x1, y1) = _px(_node(arrow.cause)), _px(_node(arrow.effect))
    length = math.hypot(x1 - x0, y1 - y0)
    return (x1 - x0) / length, (y1 - y0) / length, length


def arrow_middle(arrow: Arrow) -> tuple[float, float]:
    """Where an arrow's number sits: halfway along the visible part, between the edges of its boxes."""
    cause, effect = _node(arrow.cause), _node(arrow.effect)
    dx, dy, length = _direction(arrow)
    start, stop = _edge_distance(cause, dx, dy), length - _edge_distance(effect, dx, dy)
    share = (start + stop) / 2 / length
    return cause.x + share * (effect.x - cause.x), cause.y + share * (effect.y - cause.y)


def _arrow_annotation(arrow: Arrow) -> dict:
    cause, effect = _node(arrow.cause), _node(arrow.effect)
    dx, dy, _ = _direction(arrow)
    return {
        "x": effect.x,
        "y": effect.y,
        "ax": cause.x,
        "ay": cause.y,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "text": "",
        "showarrow": True,
        "arrowhead": 3,
        "arrowsize": 1.2,
        "arrowwidth": 2,
        "arrowcolor": "#444444",
        "standoff": _edge_distance(effect, dx, dy) + 2,
        "startstandoff": _edge_distance(cause, dx, dy) + 2,
    }


def _box_annotation(node: Node, size: int) -> dict:
    colour = ACTOR_COLOURS[node.actor]
    return {
        "x": node.x,
        "y": node.y,
        "xref": "x",
        "yref": "y",
        "text": node.text,
        "showarrow": False,
        "font": {"size": size, "color": "#000000"},
        "bgcolor": "#ffffff",
        "bordercolor": colour,
        "borderwidth": 2.5,
        "borderpad": 6,
    }


def diagram_figure(parameter_labels: dict[str, str] | None = None, large: bool = False) -> go.Figure:
    """The causal diagram as a Plotly figure: boxes, arrows, and a numbered dot on each arrow to hover.

    Hovering a dot shows what happens along the arrow and its parameters (labelled from
    `parameter_labels`, path -> label, when given). Numbers match `arrow_rows`.
    """
    labels = parameter_labels or {}
    middles = [arrow_middle(a) for a in ARROWS]
    hover = [
        f"<b>{i}.</b> {escape_plotly(a.what)}<br>Parameters: "
        + ", ".join(escape_plotly(labels.get(p, p)) for p in a.parameters)
        for i, a in enumerate(ARROWS, start=1)
    ]
    dots = go.Scatter(
        x=[m[0] for m in middles],
        y=[m[1] for m in middles],
        mode="markers+text",
        marker={"size": 24, "color": "#ffffff", "line": {"width": 2, "color": "#444444"}},
        text=[str(i) for i in range(1, len(ARROWS) + 1)],
        textfont={"size": 13, "color": "#000000"},
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
    )
    size = 17 if large else 13
    layout = {
        "template": "none",
        "height": HEIGHT_PX + (120 if large else 0),
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "xaxis": {"range": list(X_RANGE), "visible": False, "fixedrange": True},
        "yaxis": {"range": list(Y_RANGE), "visible": False, "fixedrange": True},
        "hoverlabel": {"font": {"size": size}, "align": "left"},
        # Arrows first, so boxes and dots sit on top of the lines they join.
        "annotations": [_arrow_annotation(a) for a in ARROWS] + [_box_annotation(n, size) for n in NODES],
    }
    return go.Figure(data=[dots], layout=layout)


def arrow_rows(parameter_labels: dict[str, str]) -> list[dict[str, str]]:
    """One row per arrow, numbered as on the diagram: from, to, what happens, and its parameters by name."""
    names = {node.key: node.name for node in NODES}
    return [
        {
            "#": str(i),
            "from": names[arrow.cause],
            "to": names[arrow.effect],
            "what happens": arrow.what,
            "set by": "; ".join(parameter_labels.get(p, p) for p in arrow.parameters),
        }
        for i, arrow in enumerate(ARROWS, start=1)
    ]
