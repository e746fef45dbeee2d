"""Plotly figure builders: bands, observed points, events, shares, drivers, differences, HTML export."""

import numpy as np
import pandas as pd
import pytest

from simulator import Scenario, simulate, with_overrides
from simulator.core.calibration import observed_2024
from simulator.presentation import plots


@pytest.fixture(scope="module")
def results():
    """A small run of the baseline (few replications and agents) shared by the tests below."""
    return simulate(with_overrides(Scenario(), {"simulation.replications": 40, "audience.size": 200}))


def _trace(figure, name):
    return next(t for t in figure.data if t.name == name)


def _outline(bands, low, high):
    """A band as one closed outline: along its top, then back along its bottom."""
    return list(bands[high]) + list(bands[low])[::-1]


def test_band_chart_draws_median_and_both_bands_with_title_and_unit(results):
    bands = results.bands("prisoners")
    figure = plots.band_chart({"Prisoners": bands}, "Political prisoners", "persons")
    median = _trace(figure, "Prisoners")
    assert np.allclose(median.y, bands["q50"])
    filled = [t for t in figure.data if t.fill == "toself"]
    assert [list(t.y) for t in filled] == [_outline(bands, "q05", "q95"), _outline(bands, "q25", "q75")]
    assert all(list(t.x) == list(bands["date"]) + list(bands["date"])[::-1] for t in filled)
    assert all(t.hoverinfo == "skip" and t.showlegend is False for t in filled)
    assert figure.layout.title.text == "Political prisoners"
    assert figure.layout.yaxis.title.text == "persons"


def test_several_series_get_their_own_colour_and_line_style(results):
    figure = plots.band_chart({"A": results.bands("released"), "B": results.bands("newly_imprisoned")}, "F", "p")
    medians = [_trace(figure, "A").line, _trace(figure, "B").line]
    assert medians[0].color != medians[1].color and medians[0].dash != medians[1].dash


def test_band_chart_without_wide_band_keeps_only_the_middle_half(results):
    figure = plots.band_chart({"A": results.bands("stability")}, "Stability", "index", wide=False)
    bands = results.bands("stability")
    assert [list(t.y) for t in figure.data if t.fill == "toself"] == [_outline(bands, "q25", "q75")]


def test_observed_points_keep_only_the_window_and_known_values():
    observed = observed_2024()
    points = plots.observed_points(
        observed, "political_prisoners_end_of_month", pd.Timestamp("2024-04-01"), pd.Timestamp("2024-08-01")
    )
    # May 2024 has no end-of-month figure, so it is dropped rather than drawn as zero.
    assert list(points["date"].dt.strftime("%Y-%m")) == ["2024-04", "2024-06", "2024-07", "2024-08"]
    assert list(points["value"]) == [1386, 1413, 1391, 1376]


def test_observed_points_appear_on_the_chart_as_markers(results):
    points = plots.observed_points(observed_2024(), "pardoned", pd.Timestamp("2024-07-01"), pd.Timestamp("2024-09-01"))
    figure = plots.band_chart(
        {"Released": results.bands("released")}, "Releases", "persons/month", observed={"Observed pardons": points}
    )
    trace = _trace(figure, "Observed pardons")
    assert trace.mode == "markers" and list(trace.y) == [18, 30, 67]


def test_scenario_events_mark_the_election_and_each_change_of_the_eu_decision(results):
    events = plots.scenario_events(results.scenario, results.monthly)
    labels = [(e.date.strftime("%Y-%m"), e.label) for e in events]
    assert ("2025-01", "Election") in labels
    assert labels[0] == ("2024-07", "EU: hold")
    assert ("2024-09", "EU: tighten") in labels


def test_events_become_dotted_lines_with_labels(results):
    events = plots.scenario_events(results.scenario, results.monthly)
    figure = plots.band_chart({"P": results.bands("prisoners")}, "P", "persons", events=events)
    assert len(figure.layout.shapes) == len(events)
    assert [a.text for a in figure.layout.annotations] == [e.label for e in events]


def test_decision_shares_sum_to_one_each_month(results):
    figure = plots.decisions_chart(results.monthly, "eu", "European Union")
    total = np.sum([np.asarray(t.y, dtype=float) for t in figure.data], axis=0)
    assert np.allclose(total, 1.0)
    assert [t.name for t in figure.data] == ["Engage", "Hold", "Tighten"]


def test_narrative_chart_has_every_story_and_shares_that_sum_to_one(results):
    figure = plots.narrative_chart(results.monthly)
    assert len(figure.data) == 6
    total = np.sum([np.asarray(t.y, dtype=float) for t in figure.data], axis=0)
    assert np.allclose(total, 1.0)


def test_drivers_chart_net_line_is_the_sum_of_the_drivers(results):
    story = results.story()
    figure = plots.drivers_chart(story, {"eu": "European Union"})
    drivers = [c for c in story.columns if c.startswith("driver_")]
    net = _trace(figure, "Net push (ordinary prisoners)")
    assert np.allclose(net.y, story[drivers].sum(axis=1))
    assert "Hope of relief from the European Union" in [t.name for t in figure.data]


def test_driver_labels_are_plain_words():
    names = {"eu": "European Union", "us": "United States"}
    assert plots.driver_label("driver_relief_us", names) == "hope of relief from the United States"
    assert plots.driver_label("driver_cost", names) == "the cost of letting prisoners go"
    assert plots.driver_label("driver_something_new", names) == "something new"


def test_difference_chart_has_one_histogram_per_policy_and_a_zero_line():
    differences = {"engage": pd.Series([1, -2, 3]), "tighten": pd.Series([0, 0, 5])}
    figure = plots.difference_chart(differences, plots.INDICATORS["total_released"], "hold")
    assert [t.name for t in figure.data] == ["engage − hold", "tighten − hold"]
    assert list(figure.data[0].x) == [1, -2, 3]
    assert figure.layout.shapes[0].x0 == 0
    assert figure.layout.xaxis.title.text == f"difference ({plots.INDICATORS['total_released'].unit})"


def test_large_text_makes_fonts_and_charts_bigger(results):
    small = plots.band_chart({"P": results.bands("prisoners")}, "P", "persons")
    large = plots.band_chart({"P": results.bands("prisoners")}, "P", "persons", large=True)
    assert large.layout.font.size > small.layout.font.size
    assert large.layout.height > small.layout.height


def test_figures_html_holds_every_figure_and_plotly_once(results):
    figures = [plots.narrative_chart(results.monthly), plots.decisions_chart(results.monthly, "eu", "EU")]
    page = plots.figures_html(figures, "Baseline <run>")
    assert page.count("<div id=") >= 2
    assert page.count("plotly.js v") == 1
    assert "<title>Baseline &lt;run&gt;</title>" in page
    assert "What the EU decided each month" in page


def test_every_indicator_and_series_names_a_result_column(results):
    assert set(plots.INDICATORS) <= set(results.summary.columns)
    assert set(plots.SERIES) <= set(results.monthly.columns)


# --- readable labels -------------------------------------------------------------------------------


def _label_extent(annotation, first, font):
    """Left and right edge (px, on the narrowest plot the app draws) of an event label, and its row."""
    span = (pd.Timestamp("2026-06-01") - first).days
    left = (pd.Timestamp(annotation.x) - first).days * plots.NARROW_PLOT_PX / span
    return left, left + len(annotation.text) * font * plots.CHARACTER_WIDTH, annotation.yshift


def test_event_labels_sit_above_the_plot_and_never_touch_each_other():
    first = pd.Timestamp("2024-07-01")
    dates = [first + pd.DateOffset(months=m) for m in (0, 1, 2, 2, 6, 7, 23)]
    events = [plots.Event(d, f"EU: {a}") for d, a in zip(dates, ["hold", "tighten", "engage"] * 3, strict=False)]
    bands = pd.DataFrame({"date": pd.date_range(first, "2026-06-01", freq="MS")})
    for q in ("q05", "q25", "q50", "q75", "q95"):
        bands[q] = 1.0
    figure = plots.band_chart({"A": bands}, "T", "u", events=events)
    labels = figure.layout.annotations
    assert len(labels) == len(events)
    assert all(a.y == 1 and a.yanchor == "bottom" and a.yref == "paper" for a in labels)  # above the plot area
    extents = [_label_extent(a, first, a.font.size) for a in labels]
    for i, (left, right, row) in enumerate(extents):
        for other_left, other_right, other_row in extents[i + 1 :]:
            if row == other_row:
                assert right <= other_left or other_right <= left
    assert figure.layout.margin.t >= max(a.yshift for a in labels) + 60


def test_long_titles_wrap_instead_of_being_clipped():
    figure = plots.band_chart({}, "A title long enough to run off the side of a chart in half a laptop screen", "u")
    lines = figure.layout.title.text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= plots.TITLE_CHARACTERS for line in lines)


def test_names_from_users_are_shown_as_text_in_charts(results):
    hostile = "<a href='http://x'>EU</a> %{y}"
    figure = plots.decisions_chart(results.monthly, "eu", hostile)
    assert "<a " not in figure.layout.title.text and "%{" not in figure.layout.title.text
    figure = plots.band_chart({hostile: results.bands("prisoners")}, "T", "u")
    assert all("<a " not in (t.name or "") and "%{y}" not in (t.hovertemplate or "")[:20] for t in figure.data)


def test_a_month_marked_greys_the_months_after_it_and_leaves_the_original_alone(results):
    figure = plots.band_chart({"P": results.bands("prisoners")}, "T", "u")
    month, last = pd.Timestamp("2024-10-01"), results.monthly["date"].max()
    marked = plots.mark_month(figure, month, last)
    assert len(figure.layout.shapes) == 0 and len(marked.layout.shapes) == 2
    grey, line = marked.layout.shapes
    assert pd.Timestamp(grey.x0) > month and pd.Timestamp(grey.x1) > last and grey.layer == "above"
    assert pd.Timestamp(line.x0) == month


def test_headline_values_carry_their_units():
    assert plots.INDICATORS["total_released"].shown(115.2) == "115 people"
    assert plots.INDICATORS["total_released"].shown(-3, signed=True) == "-3 people"
    assert plots.INDICATORS["final_acceptance"].shown(0.42) == "42% of people"
    assert plots.INDICATORS["prisoner_months"].shown(1234) == "1,234 person-months"  # as on Compare
    assert plots.INDICATORS["net_change_in_prisoners"].shown(12) == "+12 people"  # a change has a sign
    assert plots.INDICATORS["final_acceptance"].shown(0.05, signed=True) == "+5.0 points"
