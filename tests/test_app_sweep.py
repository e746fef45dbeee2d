"""The Sweep page, driven by Streamlit's AppTest: a line chart, a heat map, size limits and Sobol bars."""

import importlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from simulator import load_preset, with_overrides
from simulator.exploration.execution import Execution
from simulator.exploration.sweep_specs import SweepSpec
from simulator.exploration.sweeps import run_sweep
from simulator.presentation.safe_text import unescape_markdown
from simulator.presentation.wording import JARGON

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "simulator" / "app" / "pages" / "sweep.py")


def open_page() -> AppTest:
    """The page on its own, as a new session, with small runs."""
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    for prefix in ("sweep", "sobol"):
        at.slider(key=f"{prefix}_reps").set_value(5)
        at.slider(key=f"{prefix}_audience").set_value(50)
    return at.run()


def test_one_parameter_gives_a_line_chart_with_a_band():
    at = open_page()
    assert not at.exception and at.title[0].value == "Sweep"
    at.slider(key="sweep_steps").set_value(3).run()
    assert "3 points x 5 replications" in at.caption[1].value
    at.button(key="sweep_run").click().run()
    assert not at.exception
    chart = at.get("plotly_chart")[0].proto.spec
    assert '"mean"' in chart and "90% of replications" in chart


def test_reruns_after_a_result_change_the_outcome_and_repeat_a_cached_sweep():
    at = open_page()
    at.slider(key="sweep_steps").set_value(3).run()
    at.button(key="sweep_run").click().run()
    assert not at.exception
    first = at.get("plotly_chart")[0].proto.spec
    at.selectbox(key="sweep_indicator").set_value("prisoner_months").run()
    assert not at.exception, at.exception
    assert at.get("plotly_chart")[0].proto.spec != first and "Prisoner-months" in at.get("plotly_chart")[0].proto.spec
    at.button(key="sweep_run").click().run()  # the same sweep again: every chunk comes from the cache
    assert not at.exception, at.exception
    at.selectbox(key="sweep_indicator").set_value("total_released").run()
    assert not at.exception, at.exception
    assert at.get("plotly_chart")[0].proto.spec == first


def test_the_pages_sweep_equals_the_librarys_sweep():
    sweep_page = importlib.import_module("simulator.app.pages.sweep")
    spec = SweepSpec(
        scenario=with_overrides(load_preset("baseline_2024"), {"audience.size": 50}),
        design={"kind": "grid", "factors": {"regime.pardons.release_cost": {"low": 0.2, "high": 1.0, "steps": 7}}},
        replications=4,
        seed=7,
    )
    expected = run_sweep(spec, execution=Execution(workers=1), progress=False).statistics
    at = AppTest.from_function(_page_sweep, args=(spec.model_dump_json(),), default_timeout=120).run()
    assert not at.exception, at.exception
    shown = pd.read_json(io.StringIO(at.session_state["statistics"]), orient="split")
    pd.testing.assert_frame_equal(
        shown.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False, check_exact=False
    )
    assert sweep_page.CHUNK_POINTS < 7  # the bar moves between several chunks here


def _page_sweep(spec_json: str) -> None:
    import streamlit as st

    from simulator.app.pages.sweep import sweep_results
    from simulator.exploration.sweep_specs import SweepSpec

    statistics = sweep_results(SweepSpec.model_validate_json(spec_json), "Sweeping...").statistics
    st.session_state["statistics"] = statistics.to_json(orient="split")


def test_two_parameters_give_a_heat_map():
    at = open_page()
    at.slider(key="sweep_steps").set_value(3)
    at.toggle(key="sweep_two").set_value(True).run()
    at.selectbox(key="sweep_second").set_value("eu.friction").run()
    assert "9 points" in at.caption[1].value
    at.button(key="sweep_run").click().run()
    assert not at.exception
    assert '"heatmap"' in at.get("plotly_chart")[0].proto.spec


def test_a_sweep_too_large_for_the_app_is_refused_with_the_limit():
    at = open_page()
    at.slider(key="sweep_steps").set_value(15)
    at.toggle(key="sweep_two").set_value(True).run()
    at.slider(key="sweep_reps").set_value(100)
    at.slider(key="sweep_audience").set_value(2000).run()
    error = unescape_markdown(at.error[0].value)
    assert "agent-months" in error and "limit" in error
    assert "sweep_run" not in [button.key for button in at.button]


def test_a_small_sobol_analysis_draws_bars_with_intervals():
    at = open_page()
    at.multiselect(key="sobol_factors").set_value(["regime.pardons.release_cost", "regime.pardons.relief_sensitivity"])
    at.select_slider(key="sobol_n").set_value(8).run()
    at.button(key="sobol_run").click().run()
    assert not at.exception
    spec = at.get("plotly_chart")[0].proto.spec
    assert "first order (S1)" in spec and "total (ST)" in spec and '"error_y"' in spec
    at.selectbox(key="sobol_indicator").set_value("prisoner_months").run()  # a rerun after a result
    assert not at.exception, at.exception
    at.button(key="sobol_run").click().run()  # the same samples again, from the cache
    assert not at.exception, at.exception
    assert "prisoner_months" in at.get("plotly_chart")[0].proto.spec


def test_precomputed_indices_are_read_safely():
    sweep_page = importlib.import_module("simulator.app.pages.sweep")
    good = b"eu.policy.kind,factor,S1,S1_conf,ST,ST_conf\nreciprocal,regime.pardons.release_cost,0.5,0.1,0.6,0.1\n"
    table = sweep_page.read_sensitivity_csv("s.csv", good)
    assert sweep_page._levels(table) == ("eu.policy.kind",)
    with pytest.raises(ValueError, match=r"lacks the columns \['ST', 'ST_conf'\]"):
        sweep_page.read_sensitivity_csv("s.csv", b"factor,S1,S1_conf\nx,1,0\n")
    with pytest.raises(ValueError, match="above the maximum"):
        sweep_page.read_sensitivity_csv("s.csv", b"x" * 1_000_001)
    with pytest.raises(ValueError, match="not numbers"):
        sweep_page.read_sensitivity_csv("s.csv", b"factor,S1,S1_conf,ST,ST_conf\nx,a,b,c,d\n")


def test_parameters_are_offered_in_plain_units():
    at = open_page()
    options = at.selectbox(key="sweep_first").options
    assert len(options) > 10
    assert not [o for o in options if any(word in o.lower() for word in JARGON)]


def test_prim_finds_where_the_outcome_clears_a_threshold_and_survives_a_rerun():
    at = open_page()
    at.slider(key="sweep_steps").set_value(7).run()
    at.button(key="sweep_run").click().run()
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 2 and "coverage" in charts[1].proto.spec.lower()
    assert any("Chosen box" in m.value for m in at.markdown)
    at.number_input(key="sweep_prim_threshold").set_value(1e9).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1


def test_the_page_says_it_plots_means_and_names_the_move_and_prim_in_plain_words():
    at = open_page()
    caption = " ".join(c.value for c in at.caption)
    assert "EU policy: fixed" not in caption and "the EU's move" in caption
    assert "mean over runs" in caption and "medians" in caption
    at.slider(key="sweep_steps").set_value(7).run()
    at.button(key="sweep_run").click().run()
    assert not at.exception, at.exception
    title = json.loads(at.get("plotly_chart")[1].proto.spec)["layout"]["title"]["text"]
    assert "PRIM trajectory" not in title and ">" not in title and title.startswith("Boxes where the mean")
    at.run()
    assert json.loads(at.get("plotly_chart")[1].proto.spec)["layout"]["title"]["text"] == title


def _sobol_csv(levels: int) -> bytes:
    rows = [
        f"level {i},{factor},0.3,0.05,0.4,0.05"
        for i in range(levels)
        for factor in ("regime.pardons.release_cost", "x.y")
    ]
    return ("audience.size,factor,S1,S1_conf,ST,ST_conf\n" + "\n".join(rows)).encode()


@pytest.mark.parametrize("levels", [3, 35, 60])
def test_uploaded_indices_with_many_levels_show_a_table_not_a_traceback(levels):
    at = open_page()
    at.file_uploader(key="sobol_upload").set_value(("s.csv", _sobol_csv(levels), "text/csv")).run()
    assert not at.exception, at.exception
    assert not at.error
    if levels <= 8:
        assert len(at.get("plotly_chart")) == 1
    else:
        assert f"indices for {levels} combinations of audience.size" in " ".join(i.value for i in at.info)
        assert not at.get("plotly_chart") and len(at.dataframe) >= 1
    at.run()
    assert not at.exception


def test_uploaders_refuse_files_over_their_limit_before_sending_them():
    import tomllib

    from streamlit import config

    # The uploader's own limit holds wherever the server's is left at Streamlit's default (200 MB).
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 200)
    try:
        at = open_page()
    finally:
        config.set_option("server.maxUploadSize", before)
    assert at.file_uploader(key="sobol_upload").proto.max_upload_size_mb == 1
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["maxUploadSize"] * 1024 * 1024 >= 1_000_000 and server["maxUploadSize"] <= 1
