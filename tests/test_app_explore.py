"""The Explore page, driven by Streamlit's AppTest: controls, links, uploads, downloads, and their errors."""

import base64
import importlib
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from simulator import (
    Scenario,
    ScenarioError,
    load_preset,
    parse_scenario_yaml,
    preset_names,
    scenario_to_yaml,
    simulate,
    with_overrides,
)
from simulator.presentation import plots

ROOT = Path(__file__).resolve().parent.parent
ui = importlib.import_module("simulator.app.ui")
explore = importlib.import_module("simulator.app.pages.explore")

# Few replications and agents keep every run here fast; a link is how a test opens a small scenario.
SMALL = {"simulation.replications": "60", "audience.size": "300"}


def open_app(**params) -> AppTest:
    """Run the app's first page as a new session opening a link with the baseline and these parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "baseline_2024", **SMALL, **params})
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def charts(at: AppTest) -> dict[str, dict]:
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def numbers(encoded) -> list[float]:
    """Values of a Plotly JSON array, which Plotly may send as base64-encoded typed data."""
    if isinstance(encoded, dict):
        return np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=encoded["dtype"]).tolist()
    return list(encoded)


def assert_fine(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, errors(at)


def test_explore_shows_headlines_charts_story_downloads_and_a_link():
    at = open_app()
    assert_fine(at)
    assert list(metrics(at)) == [plots.INDICATORS[n].label for n in explore.HEADLINES]
    assert {"chart_prisoners", "chart_flows", "chart_decisions_eu", "chart_narratives", "chart_drivers"} <= set(
        charts(at)
    )
    story = "\n".join(m.value for m in at.markdown)
    assert "State media" in story and "Pushing towards releases:" in story
    assert [b.proto.label for b in at.get("download_button")] == [
        "Scenario (YAML)",
        "Results per month (CSV)",
        "Results per run (CSV)",
        "Charts (HTML)",
    ]
    assert at.query_params == {"preset": "baseline_2024", **SMALL}
    assert "stylised model, not a forecast" in " ".join(c.value for c in at.sidebar.caption)


def test_headline_values_are_the_medians_of_the_library_run():
    at = open_app()
    scenario = with_overrides(load_preset("baseline_2024"), {k: int(v) for k, v in SMALL.items()})
    summary = simulate(scenario).summary
    assert metrics(at)["Total released"] == f"{summary['total_released'].median():,.0f}"
    assert metrics(at)["Prisoner-months"] == f"{summary['prisoner_months'].median():,.0f}"


def test_observed_2024_figures_are_overlaid_on_the_baseline():
    spec = charts(open_app())["chart_prisoners"]
    observed = next(t for t in spec["data"] if t.get("name") == "Observed 2024 (Viasna)")
    assert {1391, 1317} <= set(numbers(observed["y"]))


def test_changing_a_control_changes_the_results_the_deltas_and_the_link():
    at = open_app()
    before = metrics(at)
    at.slider(key="w:regime.release_cost").set_value(1.5).run()
    assert_fine(at)
    assert metrics(at)["Total released"] != before["Total released"]
    assert at.query_params["regime.release_cost"] == "1.5"
    small = with_overrides(load_preset("baseline_2024"), {k: int(v) for k, v in SMALL.items()})
    changed = with_overrides(small, {"regime.release_cost": 1.5})
    expected = simulate(changed).summary["total_released"].median() - simulate(small).summary["total_released"].median()
    total_released = next(m for m in at.metric if m.label == "Total released")
    assert expected < 0 and total_released.delta == f"{expected:+,.0f}"
    assert any("Cost of releasing" in m.value for m in at.markdown)


def test_editing_the_schedule_changes_what_the_eu_decides():
    at = open_app()
    key = next(k for k in at.session_state.keys() if k.startswith("w:eu.policy.schedule:"))
    at.session_state[key] = {"edited_rows": {0: {"Action": "engage"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert_fine(at)
    assert at.query_params["eu.policy.schedule"] == "2024-07:engage,2024-08:hold,2024-09:tighten"
    engage = next(t for t in charts(at)["chart_decisions_eu"]["data"] if t["name"] == "Engage")
    assert numbers(engage["y"])[0] > 0.5


def test_a_longer_horizon_lengthens_the_schedule_table_at_once():
    at = open_app()
    at.number_input(key="w:simulation.months").set_value(30).run()
    assert_fine(at)
    assert len(at.data_editor[0].value) == 30


def test_each_policy_kind_shows_the_fields_it_reads():
    at = open_app()
    at.selectbox(key="w:eu.policy.kind").set_value("reciprocal").run()
    assert_fine(at)
    labels = {w.label for w in [*at.sidebar.slider, *at.sidebar.number_input]}
    assert any(label.startswith("Releases that earn engagement") for label in labels)
    assert not any(k.startswith("w:eu.policy.schedule:") for k in at.session_state.keys())
    assert at.query_params["eu.policy.kind"] == "reciprocal"
    assert "interactive" not in at.selectbox(key="w:eu.policy.kind").options


def test_a_new_preset_replaces_the_scenario_and_reset_returns_to_it():
    at = open_app()
    at.selectbox(key="w:preset").set_value("hold").run()
    assert_fine(at)
    assert at.query_params == {"preset": "hold"}
    assert load_preset("hold").meta.description[:40] in " ".join(m.value for m in at.markdown)
    at.slider(key="w:regime.release_cost").set_value(1.0).run()
    assert at.query_params["regime.release_cost"] == "1.0"
    next(b for b in at.button if b.label == "Reset to preset").click().run()
    assert_fine(at)
    assert at.query_params == {"preset": "hold"}
    assert at.slider(key="w:regime.release_cost").value == load_preset("hold").regime.release_cost


def test_a_good_link_restores_the_view():
    at = open_app(**{"regime.release_cost": "0.8", "eu.policy.kind": "fixed", "eu.policy.action": "engage"})
    assert_fine(at)
    assert at.slider(key="w:regime.release_cost").value == 0.8
    assert at.selectbox(key="w:eu.policy.action").value == "engage"


def test_a_bad_or_tampered_link_shows_an_error_and_the_preset():
    at = open_app(**{"regime.release_cost": "abc", "regime.no_such_thing": "1"})
    assert not at.exception, at.exception
    assert "could not be opened" in errors(at)
    assert "regime.release_cost: 'abc' is not a number" in errors(at)
    assert "regime.no_such_thing: unknown parameter" in errors(at)
    assert len(at.metric) == 5 and at.query_params == {"preset": "baseline_2024"}


def test_a_scenario_too_large_for_the_app_is_refused_with_the_limit():
    at = open_app(**{"simulation.replications": "100000", "audience.size": "50000"})
    assert not at.exception
    assert "cannot run in the app" in errors(at) and "above the app's limit" in errors(at)
    assert not at.metric


def test_an_interactive_policy_points_to_the_workshop_instead_of_failing():
    at = open_app(**{"eu.policy.kind": "interactive"})
    assert not at.exception
    assert "eu.policy.kind: 'interactive' needs a person to choose each month" in errors(at)
    assert at.selectbox(key="w:eu.policy.kind").value == "interactive"


def test_settings_that_do_not_fit_together_name_the_rule_and_do_not_crash():
    at = open_app()
    at.slider(key="w:audience.supporter_share").set_value(0.95).run()
    assert not at.exception
    assert "supporter_share + opposition_share must not exceed 1" in errors(at)


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="upload").set_value((name, content, "application/x-yaml"))
    return at.run()


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"regime:\n  release_cost: 9\n", "regime.release_cost: 9 is above the maximum 3"),
        (b"a: &a [1, 2]\nb: *a\n", "uses YAML aliases"),
    ],
)
def test_a_bad_upload_shows_an_error_and_keeps_the_current_scenario(content, named):
    at = open_app(**{"regime.release_cost": "0.5"})
    before, link = metrics(at), dict(at.query_params)
    _upload(at, "mine.yaml", content)
    assert not at.exception, at.exception
    assert named in errors(at)
    assert "current scenario is unchanged" in errors(at)
    assert metrics(at) == before and dict(at.query_params) == link


def test_a_good_upload_opens_as_its_closest_preset_with_changes():
    scenario = with_overrides(
        load_preset("hold"), {**{k: int(v) for k, v in SMALL.items()}, "regime.release_cost": 0.5}
    )
    at = _upload(open_app(), "saved.yaml", scenario_to_yaml(scenario).encode())
    assert_fine(at)
    assert at.query_params == {"preset": "hold", **SMALL, "regime.release_cost": "0.5"}
    assert "Opened 'saved.yaml'" in " ".join(s.value for s in at.success)


def test_the_saved_scenario_reopens_as_the_same_scenario_and_says_what_changed():
    overrides = {"regime.release_cost": 0.5}
    scenario = with_overrides(load_preset("baseline_2024"), overrides)
    saved = parse_scenario_yaml(scenario_to_yaml(explore.saved_scenario(scenario, "baseline_2024", overrides)))
    assert saved.model_json() == scenario.model_json()
    assert saved.meta.name == "baseline_2024_modified"
    assert saved.meta.description.endswith("Changed: regime.release_cost.")


def test_large_text_enlarges_the_charts():
    at = open_app()
    small = charts(at)["chart_prisoners"]["layout"]["font"]["size"]
    at.toggle(key="large_text").set_value(True).run()
    assert_fine(at)
    assert charts(at)["chart_prisoners"]["layout"]["font"]["size"] > small


def test_two_sessions_do_not_see_each_others_changes():
    first, second = open_app(), open_app()
    first.slider(key="w:regime.release_cost").set_value(1.2).run()
    second.run()
    assert "regime.release_cost" in first.query_params
    assert "regime.release_cost" not in second.query_params


# --- the pure helpers behind the page ------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"regime.release_cost": "abc"}, "regime.release_cost: 'abc' is not a number"),
        ({"regime.release_cost": "nan"}, "regime.release_cost: 'nan' is not a finite number"),
        ({"regime.release_cost": "99"}, "regime.release_cost: 99.0 is above the maximum 3"),
        ({"preset": "no_such_preset"}, "preset: 'no_such_preset' is not one of"),
        ({"regime.no_such_thing": "1"}, "regime.no_such_thing: unknown parameter"),
        ({"second_sender.enabled": "maybe"}, "second_sender.enabled: 'maybe' is not allowed; write true or false"),
        ({"eu.policy.schedule": "2024-07=hold"}, "eu.policy.schedule: '2024-07=hold' is not a schedule"),
        ({"eu.policy.schedule": "2024-13:hold"}, "is not a month"),
        ({"eu.policy.action": "bribe"}, "eu.policy.action: 'bribe' is not allowed; choose one of"),
        ({"simulation.months": "1e9"}, "simulation.months: '1e9' is not a whole number"),
        ({"audience.supporter_share": "0.9"}, "supporter_share + opposition_share must not exceed 1"),
        ({"meta.name": "x"}, "meta.name: unknown parameter"),
        ({"regime.release_cost": "1" * 5000}, "above the maximum 1000"),
        ({f"p{i}": "1" for i in range(500)}, "link: 500 parameters is above the maximum"),
    ],
)
def test_a_bad_link_is_refused_with_a_message_naming_the_field(params, named):
    with pytest.raises(ScenarioError) as caught:
        ui.decode_link(params)
    assert any(named in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"regime:\n  release_cost: 9\n", "regime.release_cost: 9 is above the maximum 3"),
        (b"regime:\n  relase_cost: 0.4\n", "regime.relase_cost: unknown field"),
        (b"eu: [unclosed\n", "not valid YAML"),
        (b"\x00\xff\xfe binary", "not valid YAML"),
        (b"!!python/object/apply:os.system ['echo hacked']\n", "not valid YAML"),
        (b"a: &a [1, 2]\nb: *a\n", "uses YAML aliases"),
        (b"- just\n- a list\n", "expected a mapping"),
        (b"# " + b"x" * 300_000, "above the maximum"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_naming_the_problem(content, named):
    with pytest.raises(ScenarioError) as caught:
        ui.read_upload("mine.yaml", content)
    assert any(named in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_survives_a_round_trip_through_a_link(name):
    scenario = load_preset(name)
    overrides = ui.differences(scenario, Scenario())
    assert ui.decode_link(ui.encode_link("baseline_2024", overrides)) == ("baseline_2024", overrides)
    assert with_overrides(Scenario(), overrides).model_json() == scenario.model_json()


def test_schedules_expand_month_by_month_and_compress_to_their_changes():
    months = ["2024-07", "2024-08", "2024-09", "2024-10"]
    actions = ui.expand_schedule({"2024-08": "tighten", "2024-10": "engage"}, "hold", months)
    assert actions == ["hold", "tighten", "tighten", "engage"]
    assert ui.compress_schedule(months, actions) == {"2024-07": "hold", "2024-08": "tighten", "2024-10": "engage"}


def test_a_month_of_the_story_says_what_happened_and_why():
    results = simulate(with_overrides(Scenario(), {"simulation.replications": 20, "audience.size": 100}))
    row = results.story().iloc[0]
    text = explore.month_story(row, results.scenario)
    assert text.startswith("**Jul 2024** · European Union decides to **hold**")
    assert f"pardons **{row['released']:,}**" in text
    assert row["headline"] in text
    assert f"hope of relief from the European Union ({row['driver_relief_eu']:+.2f})".replace("-", "\u2212") in text
    assert "the cost of letting prisoners go (\u2212" in text
