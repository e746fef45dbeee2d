"""The Compare page, driven by Streamlit's AppTest: its percentages are the library's, computed run by run."""

import importlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from simulator import load_preset, simulate, validate_scenario, with_overrides
from simulator.app import ui
from simulator.presentation import plots
from simulator.presentation.safe_text import unescape_markdown

ROOT = Path(__file__).resolve().parent.parent
compare = importlib.import_module("simulator.app.pages.compare")

SMALL = {"simulation.replications": 80, "audience.size": 300}


def open_compare(**params) -> AppTest:
    """A new session that opens a link to a small baseline on Explore, then goes to Compare."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "baseline_2024", **{k: str(v) for k, v in {**SMALL, **params}.items()}})
    at.run()
    return at.switch_page("simulator/app/pages/compare.py").run()


def library_shares(first: str, second: str, indicator: str, assumptions) -> tuple[float, float, float]:
    """Percentages computed straight from simulate(): each preset's senders on the shared assumptions."""
    summaries = []
    for name in (first, second):
        policy = load_preset(name).model_dump(mode="json")
        data = {**assumptions.model_dump(mode="json"), **{g: policy[g] for g in ("meta", "eu", "second_sender")}}
        summaries.append(simulate(validate_scenario(data)).summary.set_index("replication")[indicator])
    a, b = summaries
    return tuple(round(100 * float(share), 1) for share in ((a > b).mean(), (a == b).mean(), (a < b).mean()))


def pairwise(at: AppTest):
    return next(t.value for t in at.table if "A higher (%)" in t.value.columns).reset_index(drop=True)


def text(at: AppTest) -> str:
    return unescape_markdown("\n".join(m.value for m in at.markdown))


@pytest.fixture(scope="module")
def default_view():
    return open_compare()


def test_compare_runs_without_errors_and_shows_its_parts(default_view):
    at = default_view
    assert not at.exception and not at.error
    assert at.multiselect(key="compare_policies").value == ["baseline_2024", "engage", "tighten"]
    assert {"chart_overlay", "chart_difference"} <= {c.key for c in at.get("bidi_component")}
    assert "stylised model, not a forecast" in " ".join(c.value for c in at.sidebar.caption)


def test_compare_percentages_match_the_library(default_view):
    at = default_view
    assumptions = with_overrides(load_preset("baseline_2024"), SMALL)
    table = pairwise(at)
    assert len(table) == 3
    for _, row in table.iterrows():
        expected = library_shares(row["policy A"], row["policy B"], "total_released", assumptions)
        assert (row["A higher (%)"], row["same (%)"], row["B higher (%)"]) == expected
    statements = [m.value for m in at.markdown if " frees more people than " in m.value]
    assert statements == [compare.statement(row, "total_released") for _, row in table.iterrows()]
    for text, (_, row) in zip(statements, table.iterrows(), strict=True):
        majority = max(row["A higher (%)"], row["B higher (%)"])
        assert re.search(rf"in \*\*{majority:g}%\*\* of replications", text)


def test_a_statement_puts_the_policy_that_gives_more_first():
    row = pd.Series(
        {"policy A": "hold", "policy B": "engage", "A higher (%)": 10.0, "same (%)": 5.0, "B higher (%)": 85.0}
    )
    assert compare.statement(row, "total_released") == (
        "**engage** frees more people than **hold** in **85%** of replications (the same in 5%, less in 10%)."
    )


def test_every_policy_runs_on_the_same_assumptions_and_random_numbers(default_view):
    caption = " ".join(c.value for c in default_view.caption)
    assert "80 replications, seed 2024" in caption and "same random numbers" in caption


def test_choosing_policies_and_an_indicator_changes_the_comparison():
    at = open_compare()
    at.multiselect(key="compare_policies").set_value(["hold", "engage"]).run()
    at.selectbox(key="compare_indicator").set_value("prisoner_months").run()
    assert not at.exception and not at.error
    table = pairwise(at)
    assert list(table[["policy A", "policy B"]].iloc[0]) == ["hold", "engage"]
    statement = next(m.value for m in at.markdown if "prisoner-months" in m.value)
    assert statement == compare.statement(table.iloc[0], "prisoner_months")
    assert "causes more prisoner-months than" in statement
    assumptions = with_overrides(load_preset("baseline_2024"), SMALL)
    expected = library_shares("hold", "engage", "prisoner_months", assumptions)
    assert tuple(table.iloc[0][["A higher (%)", "same (%)", "B higher (%)"]]) == expected


def test_fewer_than_two_policies_asks_for_another_without_error():
    at = open_compare()
    at.multiselect(key="compare_policies").set_value(["hold"]).run()
    assert not at.exception and not at.error
    assert "at least two" in at.info[0].value


def test_assumptions_changed_on_explore_are_shared_by_every_policy_and_said_so():
    at = open_compare(**{"regime.pardons.pressure_response": 1.5})
    assert "Your changed assumptions:" in text(at) and "Response to pressure: " in text(at)
    assert at.radio(key="compare_assumptions").value == compare.MINE
    assumptions = with_overrides(load_preset("baseline_2024"), {**SMALL, "regime.pardons.pressure_response": 1.5})
    row = pairwise(at).iloc[1]
    expected = library_shares(row["policy A"], row["policy B"], "total_released", assumptions)
    assert (row["A higher (%)"], row["same (%)"], row["B higher (%)"]) == expected


def test_the_published_assumptions_can_be_chosen_instead_of_explores():
    at = open_compare(**{"regime.pardons.pressure_response": 1.5})
    at.radio(key="compare_assumptions").set_value(compare.PUBLISHED).run()
    assert not at.exception and not at.error
    assert "Your changed assumptions:" not in text(at)
    assert "Your Explore changes to the assumptions are not used here" in " ".join(c.value for c in at.caption)
    row = pairwise(at).iloc[0]
    expected = library_shares(row["policy A"], row["policy B"], "total_released", load_preset("baseline_2024"))
    assert (row["A higher (%)"], row["same (%)"], row["B higher (%)"]) == expected


def test_with_no_changed_assumptions_compare_says_it_uses_the_published_ones():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("simulator/app/pages/compare.py")
    at.session_state["compare_policies"] = ["hold", "engage"]
    at.run()
    assert not at.exception
    assert f"Assumptions: those of the question {ui.DEFAULT_PRESET} as published" in text(at).replace("*", "")
    assert not at.radio


def test_tables_are_static_so_no_cell_or_title_is_clipped(default_view):
    assert len(default_view.table) == 2 and not default_view.dataframe
    for chart in default_view.get("bidi_component"):
        title = json.loads(json.loads(chart.proto.json)["figure"])["layout"]["title"]["text"]
        assert all(len(line) <= plots.TITLE_CHARACTERS for line in title.split("<br>"))


def test_with_policy_takes_levers_from_one_scenario_and_assumptions_from_the_other():
    assumptions = with_overrides(load_preset("baseline_2024"), {"regime.pardons.release_cost": 0.9})
    mixed = compare.with_policy(assumptions, load_preset("us_second_sender"))
    assert mixed.regime.pardons.release_cost == 0.9
    assert mixed.second_sender.enabled and mixed.eu == load_preset("us_second_sender").eu


def test_invalid_explore_settings_fall_back_to_the_preset_with_an_error():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "baseline_2024", **{k: str(v) for k, v in SMALL.items()}})
    at.session_state["section:audience"] = True  # the Explore sidebar's audience section, opened
    at.run()
    at.slider(key="w:audience.supporter_share").set_value(0.95).run()
    at.switch_page("simulator/app/pages/compare.py").run()
    assert not at.exception
    error = unescape_markdown(at.error[0].value)
    assert "do not validate" in error and "supporter_share" in error
    assert len(pairwise(at)) == 3


def test_a_hostile_sender_name_on_explore_shows_as_text_on_compare():
    at = open_compare(**{"eu.name": "![x](http://host/p.png)"})
    at.multiselect(key="compare_policies").set_value(["hold", compare.YOURS]).run()
    assert not at.exception
    shown = "\n".join(m.value for kind in ("markdown", "caption", "error") for m in at.get(kind))
    assert "![x](http" not in shown and "](http" not in shown


def test_units_signs_and_controls_read_alike_on_compare_and_explore():
    compare = open_compare()
    assert not compare.exception
    captions = " ".join(c.value for c in compare.caption)
    assert "'Parameter uncertainty' (Explore, section Simulation)" in captions
    table = compare.table[0].value
    assert "Prisoner-months (person-months)" in list(table["Indicator"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "us_second_sender", "simulation.replications": "40", "audience.size": "200"})
    at.query_params.update({"second_sender.policy.kind": "fixed", "second_sender.policy.action": "engage"})
    at.run()
    values = {m.label: m.value for m in at.metric}
    assert values["Prisoner-months"].endswith(" person-months")
    assert values["Net change in prisoners"][0] in "+-"
    changes = "\n".join(m.value for m in at.markdown)
    assert "The United States's move" in changes and "United States's move" not in changes.replace("The United", "")
