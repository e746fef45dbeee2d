"""The Sweep page, driven by Streamlit's AppTest: a line chart, a heat map, size limits and Sobol bars."""

import importlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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
    assert "agent-months" in at.error[0].value and "limit" in at.error[0].value
    assert "sweep_run" not in [button.key for button in at.button]


def test_a_small_sobol_analysis_draws_bars_with_intervals():
    at = open_page()
    at.multiselect(key="sobol_factors").set_value(["regime.release_cost", "regime.relief_sensitivity"])
    at.select_slider(key="sobol_n").set_value(8).run()
    at.button(key="sobol_run").click().run()
    assert not at.exception
    spec = at.get("plotly_chart")[0].proto.spec
    assert "first order (S1)" in spec and "total (ST)" in spec and '"error_y"' in spec


def test_precomputed_indices_are_read_safely():
    sweep_page = importlib.import_module("simulator.app.pages.sweep")
    good = b"eu.policy.kind,factor,S1,S1_conf,ST,ST_conf\nreciprocal,regime.release_cost,0.5,0.1,0.6,0.1\n"
    table = sweep_page.read_sensitivity_csv("s.csv", good)
    assert sweep_page._levels(table) == ("eu.policy.kind",)
    with pytest.raises(ValueError, match=r"lacks the columns \['ST', 'ST_conf'\]"):
        sweep_page.read_sensitivity_csv("s.csv", b"factor,S1,S1_conf\nx,1,0\n")
    with pytest.raises(ValueError, match="above the maximum"):
        sweep_page.read_sensitivity_csv("s.csv", b"x" * 1_000_001)
    with pytest.raises(ValueError, match="not numbers"):
        sweep_page.read_sensitivity_csv("s.csv", b"factor,S1,S1_conf,ST,ST_conf\nx,a,b,c,d\n")
