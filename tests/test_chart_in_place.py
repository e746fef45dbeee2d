"""What the in-place chart component sends the browser for a figure (the drawing itself: test_browser_app.py)."""

import json

import plotly.graph_objects as go

from simulator.app.chart_in_place import chart_payload
from simulator.presentation import plots


def test_the_payload_is_the_figure_its_config_and_its_title_as_plain_words():
    figure = go.Figure(
        data=[go.Scatter(x=[1, 2], y=[3, 4])],
        layout={"title": {"text": "Pardons &amp; deals<br><sup>per month</sup>"}},
    )
    payload = chart_payload(figure, plots.CHART_CONFIG)
    assert json.loads(payload["figure"])["data"][0]["type"] == "scatter"
    assert payload["config"] == plots.CHART_CONFIG
    assert payload["alt"] == "Pardons & deals per month"


def test_a_figure_without_a_title_is_still_named():
    assert chart_payload(go.Figure(), {})["alt"] == "Chart"
