"""The picture of the model: every arrow joins two boxes and names parameters that exist in the schema."""

import json

import pytest

from simulator import Scenario, parameter_table
from simulator.presentation import diagram

SCHEMA_PATHS = {p.path for p in parameter_table(Scenario)}


@pytest.mark.parametrize("arrow", diagram.ARROWS, ids=lambda a: f"{a.cause}->{a.effect}")
def test_every_parameter_on_an_arrow_exists_in_the_schema(arrow):
    assert arrow.parameters, "an arrow without parameters cannot be changed by anyone"
    assert set(arrow.parameters) <= SCHEMA_PATHS, set(arrow.parameters) - SCHEMA_PATHS


def test_every_arrow_joins_two_different_boxes_and_every_box_is_joined():
    keys = [node.key for node in diagram.NODES]
    assert len(keys) == len(set(keys))
    for arrow in diagram.ARROWS:
        assert arrow.cause in keys and arrow.effect in keys and arrow.cause != arrow.effect
    joined = {a.cause for a in diagram.ARROWS} | {a.effect for a in diagram.ARROWS}
    assert joined == set(keys)


def test_the_picture_covers_regime_senders_and_audience_and_both_senders_levers():
    actors = {node.actor for node in diagram.NODES}
    assert {"sender", "regime", "audience"} <= actors
    named = diagram.arrow_parameters()
    assert any(p.startswith("eu.") for p in named) and any(p.startswith("second_sender.") for p in named)
    assert any(p.startswith("audience.") for p in named) and any(p.startswith("regime.") for p in named)


def test_the_figure_draws_every_box_and_arrow_with_numbered_hover_listing_its_parameters():
    labels = {p.path: p.label for p in parameter_table(Scenario)}
    spec = json.loads(diagram.diagram_figure(labels).to_json())
    annotations = spec["layout"]["annotations"]
    assert sum(1 for a in annotations if a.get("showarrow")) == len(diagram.ARROWS)
    assert sum(1 for a in annotations if not a.get("showarrow")) == len(diagram.NODES)
    dots = spec["data"][0]
    assert dots["text"] == [str(i) for i in range(1, len(diagram.ARROWS) + 1)]
    for arrow, hover in zip(diagram.ARROWS, dots["hovertext"], strict=True):
        assert all(labels[p] in hover for p in arrow.parameters)


def test_an_arrows_number_sits_between_the_edges_of_its_boxes():
    for arrow in diagram.ARROWS:
        cause, effect = (next(n for n in diagram.NODES if n.key == k) for k in (arrow.cause, arrow.effect))
        x, y = diagram.arrow_middle(arrow)
        assert min(cause.x, effect.x) <= x <= max(cause.x, effect.x)
        assert min(cause.y, effect.y) <= y <= max(cause.y, effect.y)


def test_the_arrow_table_numbers_rows_as_the_figure_and_names_parameters_plainly():
    labels = {p.path: p.label for p in parameter_table(Scenario)}
    rows = diagram.arrow_rows(labels)
    assert [row["#"] for row in rows] == [str(i) for i in range(1, len(diagram.ARROWS) + 1)]
    assert "." not in rows[0]["set by"].replace(". ", "")  # labels, not dotted paths
