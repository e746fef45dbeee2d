"""The About page, driven by Streamlit's AppTest: what the model is not, its description, assumptions and data."""

import importlib
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from simulator import Scenario
from simulator.core.record import observed_record
from simulator.core.shipped import DOCS, read_text
from simulator.core.uncertainty import UNCERTAIN
from simulator.presentation import diagram
from simulator.presentation.wording import JARGON

ROOT = Path(__file__).resolve().parent.parent
ui = importlib.import_module("simulator.app.ui")
about = importlib.import_module("simulator.app.pages.about")


@pytest.fixture(scope="module")
def page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "baseline_2024", "simulation.replications": "40", "audience.size": "200"})
    at.run()
    return at.switch_page("simulator/app/pages/about.py").run()


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_about_renders_without_errors_and_says_it_is_not_a_forecast(page):
    assert not page.exception and not page.error
    assert page.title[0].value == "About the model"
    assert "stylised model, not a forecast" in _text(page)
    assert "stylised model, not a forecast" in " ".join(c.value for c in page.sidebar.caption)


def test_about_shows_the_shipped_model_description(page):
    document = read_text(DOCS, "model.md")
    first_heading = next(line for line in document.splitlines() if line.startswith("# "))
    assert first_heading in _text(page)


def test_about_lists_every_parameter_with_the_default_scenario_values(page):
    table = next(d.value for d in page.dataframe if "parameter" in d.value.columns)
    assert list(table["parameter"]) == list(ui.PARAMETERS)
    defaults = dict(zip(table["parameter"], table["default"], strict=True))
    # The second sender's defaults come from its factory, not from the field defaults of the class.
    assert defaults["second_sender.name"] == Scenario().second_sender.name
    assert defaults["regime.pardons.release_cost"] == repr(Scenario().regime.pardons.release_cost)
    assert table.set_index("parameter").loc["regime.pardons.release_cost", "allowed"] == "0 to 3"


def test_about_shows_the_observed_figures_and_their_sources(page):
    observed = next(d.value for d in page.dataframe if "pardoned_unilateral" in d.value.columns)
    assert observed["pardoned_unilateral"].tolist() == observed_record()["pardoned_unilateral"].tolist()
    assert observed["month"].iloc[-1] == "2025-09"
    assert "Viasna" in _text(page)


def test_about_opens_with_the_picture_and_a_plain_summary_before_the_odd(page):
    blocks = [m.value for m in page.markdown]
    summary = next(i for i, text in enumerate(blocks) if text.lstrip().startswith("**In one paragraph.**"))
    document = read_text(DOCS, "model.md")
    odd = next(i for i, text in enumerate(blocks) if text == document.strip())
    assert summary < odd
    assert [c.key for c in page.get("plotly_chart")][0] == "chart_diagram"
    assert page.header[0].value.startswith("A picture of the model")  # h2 under the h1, for screen readers


def test_the_arrow_table_names_each_arrows_parameters(page):
    table = next(t.value for t in page.table if "set by" in t.value.columns)
    assert len(table) == len(diagram.ARROWS)
    assert ui.PARAMETERS["regime.pardons.pressure_response"].label in " ".join(table["set by"])


def test_about_reruns_with_large_text_and_a_bigger_diagram(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("simulator/app/pages/about.py").run()
    before = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["height"]
    at.toggle(key="large_text").set_value(True).run()
    assert not at.exception and not at.error
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["height"] > before


def test_units_in_the_assumptions_table_are_plain(page):
    table = next(d.value for d in page.dataframe if "parameter" in d.value.columns)
    assert not [unit for unit in table["unit"] if any(word in unit.lower() for word in JARGON)]


def test_about_shows_what_the_data_pin_down(page):
    table = next(d.value for d in page.dataframe if "verdict" in d.value.columns)
    assert len(table) == len(UNCERTAIN)
    assert "cannot be learned from data" in _text(page)


def test_about_says_what_the_bands_show_as_explore_does(page):
    from simulator.presentation.uncertainty_text import what_bands_show

    text = _text(page)
    assert "not the uncertainty" not in text
    assert what_bands_show(Scenario()) in text
