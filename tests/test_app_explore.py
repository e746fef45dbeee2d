"""The Explore page, driven by Streamlit's AppTest: controls, links, uploads, downloads, and their errors."""

import base64
import importlib
import json
import re
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
from simulator.core.actions import ACTIONS
from simulator.presentation import plots
from simulator.presentation.safe_text import unescape_markdown
from simulator.presentation.wording import JARGON, preset_question, preset_setting

ROOT = Path(__file__).resolve().parent.parent
ui = importlib.import_module("simulator.app.ui")
explore = importlib.import_module("simulator.app.pages.explore")
explore_charts = importlib.import_module("simulator.app.explore_charts")

# Few replications and agents keep every run here fast; a link is how a test opens a small scenario.
SMALL = {"simulation.replications": "60", "audience.size": "300"}
TABS = ("Prisoners", "Sanctions", "Stories and beliefs", "Regime", "Why the regime acted")


def open_app(**params) -> AppTest:
    """Run the app's first page as a new session opening a link with the baseline and these parameters.

    Every sidebar section and the whole story are opened, as a student would to reach their controls.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "baseline_2024", **SMALL, **params})
    for group in explore.SECTIONS:
        at.session_state[explore.SECTION + group] = True
    at.session_state[explore.STORY] = True
    for key in (explore.UPLOAD_BOX, explore.SHARE_LINK, ui.MOVE_SETTINGS + "eu", ui.MOVE_SETTINGS + "second_sender"):
        at.session_state[key] = True
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def errors(at: AppTest) -> str:
    """The error boxes as read (user values in them are escaped Markdown)."""
    return unescape_markdown("\n".join(e.value for e in at.error))


def text(at: AppTest) -> str:
    return unescape_markdown("\n".join(m.value for m in at.markdown))


def charts(at: AppTest) -> dict[str, dict]:
    """The charts drawn in this run (only the open tab's), as the Plotly figures the browser gets."""
    return {c.key: json.loads(json.loads(c.proto.json)["figure"]) for c in at.get("bidi_component")}


def open_tab(at: AppTest, title: str) -> AppTest:
    at.session_state["explore_tab"] = title
    return at.run()


def all_charts(at: AppTest) -> dict[str, dict]:
    """Every chart of the page, opening each tab in turn."""
    found = {}
    for title in TABS:
        found |= charts(open_tab(at, title))
    return found


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
    assert set(charts(at)) == {"chart_prisoners", "chart_flows"}  # only the open tab is drawn
    assert {"chart_decisions_eu", "chart_narratives", "chart_drivers", "chart_stability"} <= set(all_charts(at))
    assert_fine(at)
    story = text(at)
    assert "State media" in story and "Pushing towards releases:" in story
    assert [b.proto.label for b in at.get("download_button")] == [
        "Scenario (YAML)",
        "Results per month (CSV)",
        "Results per run (CSV)",
        "Charts (HTML)",
        "Provenance (JSON)",
    ]
    assert at.query_params == {"preset": "baseline_2024", **SMALL}
    assert "stylised model, not a forecast" in " ".join(c.value for c in at.sidebar.caption)


def test_headline_values_are_the_medians_of_the_library_run():
    at = open_app()
    scenario = with_overrides(load_preset("baseline_2024"), {k: int(v) for k, v in SMALL.items()})
    summary = simulate(scenario).summary
    for name in explore.HEADLINES:
        indicator = plots.INDICATORS[name]
        assert metrics(at)[indicator.label] == indicator.shown(summary[name].median())
    assert metrics(at)["Total released"] == f"{summary['total_released'].median():,.0f} people"


def test_the_observed_record_is_overlaid_to_its_end_and_the_end_is_marked():
    shown = charts(open_app())
    observed = next(t for t in shown["chart_prisoners"]["data"] if t.get("name") == "Observed (Viasna)")
    assert {1391, 1317, 1234, 1174, 1168} <= set(numbers(observed["y"]))
    flows = {t.get("name"): t for t in shown["chart_flows"]["data"]}
    assert {"Observed pardons", "Observed deals", "Observed newly recognised"} <= set(flows)
    assert {3, 14, 52} <= set(numbers(flows["Observed deals"]["y"]))
    annotations = [a.get("text", "") for a in shown["chart_prisoners"]["layout"].get("annotations", [])]
    assert any("Record ends" in a for a in annotations)


def test_changing_a_control_changes_the_results_the_deltas_and_the_link():
    at = open_app()
    before = metrics(at)
    at.slider(key="w:regime.pardons.release_cost").set_value(1.5).run()
    assert_fine(at)
    assert metrics(at)["Total released"] != before["Total released"]
    assert at.query_params["regime.pardons.release_cost"] == "1.5"
    small = with_overrides(load_preset("baseline_2024"), {k: int(v) for k, v in SMALL.items()})
    changed = with_overrides(small, {"regime.pardons.release_cost": 1.5})
    expected = simulate(changed).summary["total_released"].median() - simulate(small).summary["total_released"].median()
    total_released = next(m for m in at.metric if m.label == "Total released")
    assert expected < 0 and total_released.delta == f"{expected:+,.0f} people"
    # The preset leaves the cost to be drawn run by run, so the line says so rather than show its default.
    line = text(at).replace("*", "").split("Cost of releasing: ", 1)[1].split("\n", 1)[0]
    assert line.startswith("drawn run by run (5–95%: ") and "→ 1.5" in line


def test_editing_the_schedule_changes_what_the_eu_decides():
    at = open_app()
    key = next(k for k in at.session_state.keys() if k.startswith("w:eu.policy.schedule:"))
    at.session_state[key] = {"edited_rows": {0: {"Action": "engage"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert_fine(at)
    assert at.query_params["eu.policy.schedule"] == "2024-07:engage,2024-08:hold,2024-09:tighten"
    engage = next(t for t in charts(open_tab(at, "Sanctions"))["chart_decisions_eu"]["data"] if t["name"] == "Engage")
    assert numbers(engage["y"])[0] > 0.5


def test_a_longer_horizon_lengthens_the_schedule_table_at_once():
    at = open_app()
    if not hasattr(at, "data_editor"):  # the app runs on older Streamlit; its AppTest reads tables from 1.67
        pytest.skip("this Streamlit's AppTest cannot read st.data_editor")
    at.number_input(key="w:simulation.months").set_value(30).run()
    assert_fine(at)
    assert len(at.data_editor[0].value) == 30


def test_each_policy_kind_shows_the_fields_it_reads():
    at = open_app()
    at.segmented_control(key="w:eu.move").set_value("rule").run()
    assert_fine(at)
    labels = {w.label for w in [*at.main.slider, *at.main.number_input]}
    assert any(label.startswith("Releases that earn engagement") for label in labels)
    assert not any(k.startswith("w:eu.policy.schedule:") for k in at.session_state.keys())
    assert at.query_params["eu.policy.kind"] == "reciprocal"
    assert at.selectbox(key="w:eu.policy.kind").options == list(ui.RULES)
    at.selectbox(key="w:eu.policy.kind").set_value("graduated").run()
    assert_fine(at)
    assert at.query_params["eu.policy.kind"] == "graduated"
    assert "eu.policy.engage_threshold" not in at.query_params


def test_a_new_preset_replaces_the_scenario_and_reset_returns_to_it():
    at = open_app()
    at.selectbox(key="w:preset").set_value("hold").run()
    assert_fine(at)
    assert at.query_params == {"preset": "hold"}
    assert at.selectbox(key="w:preset").value == "hold"
    assert preset_setting(load_preset("hold")) in text(at)
    at.slider(key="w:regime.pardons.release_cost").set_value(1.0).run()
    assert at.query_params["regime.pardons.release_cost"] == "1.0"
    next(b for b in at.button if b.label == "Reset to this question's settings").click().run()
    assert_fine(at)
    assert at.query_params == {"preset": "hold"}
    assert at.slider(key="w:regime.pardons.release_cost").value == load_preset("hold").regime.pardons.release_cost


def test_a_good_link_restores_the_view():
    at = open_app(**{"regime.pardons.release_cost": "0.8", "eu.policy.kind": "fixed", "eu.policy.action": "engage"})
    assert_fine(at)
    assert at.slider(key="w:regime.pardons.release_cost").value == 0.8
    assert at.segmented_control(key="w:eu.move").value == "engage"


def test_a_bad_or_tampered_link_shows_an_error_and_the_preset():
    at = open_app(**{"regime.pardons.release_cost": "abc", "regime.no_such_thing": "1"})
    assert not at.exception, at.exception
    assert "could not be opened" in errors(at)
    assert "regime.pardons.release_cost: 'abc' is not a number" in errors(at)
    assert "regime.no_such_thing: unknown parameter" in errors(at)
    assert len(at.metric) == 5 and at.query_params == {"preset": "baseline_2024"}


def test_a_scenario_too_large_for_the_app_but_not_the_library_is_refused_before_it_runs():
    at = open_app(**{"simulation.replications": "4000", "audience.size": "2500", "simulation.months": "30"})
    assert not at.exception
    assert "cannot run in the app" in errors(at) and "above the app's limit" in errors(at)
    assert not at.metric and at.query_params["simulation.replications"] == "4000"


def test_a_scenario_too_large_for_the_library_is_refused_with_the_limit():
    at = open_app(**{"simulation.replications": "100000", "audience.size": "50000"})
    assert not at.exception
    # Refused by the schema's limit when the link is read, or by the app's before it runs.
    assert "simulation.replications x audience.size" in errors(at) and "limit" in errors(at)
    assert "simulation.replications" not in at.query_params


def test_an_interactive_policy_points_to_the_workshop_instead_of_failing():
    at = open_app(**{"eu.policy.kind": "interactive"})
    assert not at.exception
    assert "eu.policy.kind: 'interactive' needs a person to choose each month" in errors(at)
    assert at.segmented_control(key="w:eu.move").value is None
    assert "Decided by a person each month" in " ".join(c.value for c in at.main.caption)


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
        (b"regime:\n  release_cost: 9\n", "regime.pardons.release_cost: 9 is above the maximum 3"),
        (b"a: &a [1, 2]\nb: *a\n", "uses YAML aliases"),
    ],
)
def test_a_bad_upload_shows_an_error_and_keeps_the_current_scenario(content, named):
    at = open_app(**{"regime.pardons.release_cost": "0.5"})
    before, link = metrics(at), dict(at.query_params)
    _upload(at, "mine.yaml", content)
    assert not at.exception, at.exception
    assert named in errors(at)
    assert "current scenario is unchanged" in errors(at)
    assert metrics(at) == before and dict(at.query_params) == link


def test_a_good_upload_opens_as_its_closest_preset_with_changes():
    scenario = with_overrides(
        load_preset("hold"), {**{k: int(v) for k, v in SMALL.items()}, "regime.pardons.release_cost": 0.5}
    )
    at = _upload(open_app(), "saved.yaml", scenario_to_yaml(scenario).encode())
    assert_fine(at)
    assert at.query_params == {"preset": "hold", **SMALL, "regime.pardons.release_cost": "0.5"}
    assert "Opened 'saved.yaml'" in unescape_markdown(" ".join(s.value for s in at.success))


def test_the_saved_scenario_reopens_as_the_same_scenario_and_says_what_changed():
    overrides = {"regime.pardons.release_cost": 0.5}
    scenario = with_overrides(load_preset("baseline_2024"), overrides)
    saved = parse_scenario_yaml(scenario_to_yaml(explore.saved_scenario(scenario, "baseline_2024", overrides)))
    assert saved.model_json() == scenario.model_json()
    assert saved.meta.name == "baseline_2024_modified"
    assert saved.meta.description.endswith("Changed: regime.pardons.release_cost.")


def test_large_text_enlarges_the_charts():
    at = open_app()
    small = charts(at)["chart_prisoners"]["layout"]["font"]["size"]
    at.toggle(key="large_text").set_value(True).run()
    assert_fine(at)
    assert charts(at)["chart_prisoners"]["layout"]["font"]["size"] > small


def test_two_sessions_do_not_see_each_others_changes():
    first, second = open_app(), open_app()
    first.slider(key="w:regime.pardons.release_cost").set_value(1.2).run()
    second.run()
    assert "regime.pardons.release_cost" in first.query_params
    assert "regime.pardons.release_cost" not in second.query_params


# --- the pure helpers behind the page ------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"regime.pardons.release_cost": "abc"}, "regime.pardons.release_cost: 'abc' is not a number"),
        ({"regime.pardons.release_cost": "nan"}, "regime.pardons.release_cost: 'nan' is not a finite number"),
        ({"regime.pardons.release_cost": "99"}, "regime.pardons.release_cost: 99.0 is above the maximum 3"),
        ({"preset": "no_such_preset"}, "preset: 'no_such_preset' is not one of"),
        ({"regime.no_such_thing": "1"}, "regime.no_such_thing: unknown parameter"),
        ({"second_sender.enabled": "maybe"}, "second_sender.enabled: 'maybe' is not allowed; write true or false"),
        ({"eu.policy.schedule": "2024-07=hold"}, "eu.policy.schedule: '2024-07=hold' is not a schedule"),
        ({"eu.policy.schedule": "2024-13:hold"}, "is not a month"),
        ({"eu.policy.action": "bribe"}, "eu.policy.action: 'bribe' is not allowed; choose one of"),
        ({"simulation.months": "1e9"}, "simulation.months: '1e9' is not a whole number"),
        ({"audience.supporter_share": "0.9"}, "supporter_share + opposition_share must not exceed 1"),
        ({"meta.name": "x"}, "meta.name: unknown parameter"),
        ({"regime.pardons.release_cost": "1" * 5000}, "above the maximum 1000"),
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
        (b"regime:\n  release_cost: 9\n", "regime.pardons.release_cost: 9 is above the maximum 3"),
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
    text = unescape_markdown(explore.month_story(row, results.scenario))
    assert text.startswith("**Jul 2024** · European Union decides to **hold**")
    assert f"pardons **{row['released']:,}**" in text
    assert row["headline"] in text
    assert f"hope of relief from the European Union ({row['driver_relief_eu']:+.2f})".replace("-", "\u2212") in text
    assert "the cost of letting prisoners go (\u2212" in text


# --- a student's first minute ---------------------------------------------------------------------


def test_the_eus_move_is_in_the_page_after_the_question_and_sets_the_policy():
    """In the page, not the sidebar: a phone hides the sidebar behind a chevron that covers the results."""
    at = open_app()
    first, second = [w for w in at.main if getattr(w, "key", None)][:2]
    assert first.key == "w:preset"
    assert second.key == "w:eu.move" and second.options == [ui.MOVE_LABELS[m] for m in ui.MOVES]
    assert "w:eu.move" not in [getattr(w, "key", None) for w in at.sidebar]
    first = second
    assert first.value == "schedule"  # the baseline's EU follows the 2024 schedule
    at.segmented_control(key="w:eu.move").set_value("tighten").run()
    assert_fine(at)
    assert at.query_params["eu.policy.kind"] == "fixed" and at.query_params["eu.policy.action"] == "tighten"
    assert "The European Union's move: A schedule → Tighten" in text(at).replace("*", "")
    tighten = next(t for t in charts(open_tab(at, "Sanctions"))["chart_decisions_eu"]["data"] if t["name"] == "Tighten")
    assert min(numbers(tighten["y"])) > 0.5


def test_presets_are_offered_by_their_questions():
    at = open_app()
    picker = at.selectbox(key="w:preset")
    assert picker.options == [preset_question(load_preset(name)) for name in preset_names()]
    assert all(option.endswith("?") for option in picker.options)
    assert picker.value == "baseline_2024" and preset_setting(load_preset("baseline_2024")) in text(at)
    assert not [w for w in at.sidebar.selectbox if w.key == "w:preset"]  # in the page, wide enough to read


def test_every_control_speaks_plain_units():
    at = open_app()
    at.toggle(key="advanced").set_value(True).run()
    labels = [w.label for w in [*at.sidebar.slider, *at.sidebar.number_input, *at.sidebar.select_slider]]
    assert len(labels) > 20
    assert not [label for label in labels if any(word in label.lower() for word in JARGON)]


def test_headline_numbers_carry_their_units():
    at = open_app(**{"regime.pardons.release_cost": "0.8"})
    for name in explore.HEADLINES:
        indicator = plots.INDICATORS[name]
        metric = next(m for m in at.metric if m.label == indicator.label)
        unit = indicator.unit if indicator.short_unit is None else indicator.short_unit
        assert metric.value.endswith(" " + unit)
        assert metric.delta.endswith(" " + unit if "%" not in indicator.number_format else " points")


def test_your_changes_drop_settings_that_no_longer_apply():
    at = open_app(**{"eu.policy.kind": "reciprocal", "eu.policy.engage_threshold": "30"})
    assert "eu.policy.engage_threshold" in at.query_params
    assert "Releases that earn engagement" in text(at)
    at.segmented_control(key="w:eu.move").set_value("hold").run()
    assert_fine(at)
    assert "eu.policy.engage_threshold" not in at.query_params
    assert "Releases that earn engagement" not in text(at)
    # A link with a setting its policy ignores opens without it, too.
    at = open_app(**{"eu.policy.engage_threshold": "30", "second_sender.friction": "0.5"})
    assert_fine(at)
    assert "eu.policy.engage_threshold" not in at.query_params and "second_sender.friction" not in at.query_params


def test_the_month_stepper_replays_the_story_on_the_charts():
    at = open_app()
    before = charts(at)["chart_prisoners"]["layout"].get("shapes", [])
    at.select_slider(key=explore.MONTH).set_value("Sep 2024").run()
    assert_fine(at)
    shapes = charts(at)["chart_prisoners"]["layout"]["shapes"]
    assert len(shapes) == len(before) + 2
    assert any(s["type"] == "line" and str(s["x0"]).startswith("2024-09") for s in shapes)
    assert at.info[0].value.startswith("**Sep 2024**")
    at.button(key="month_forward").click().run()
    assert at.info[0].value.startswith("**Oct 2024**")
    at.button(key="month_back").click().run()
    at.button(key="month_back").click().run()
    assert at.info[0].value.startswith("**Aug 2024**")
    open_tab(at, "Regime")
    assert any(str(s["x0"]).startswith("2024-08") for s in charts(at)["chart_stability"]["layout"]["shapes"])


def test_closed_sections_and_story_draw_nothing_and_keep_the_changes():
    at = open_app(**{"regime.pardons.release_cost": "1.0"})
    assert at.sidebar.slider and "State media" in text(at)
    for group in explore.SECTIONS:
        at.session_state[explore.SECTION + group] = False
    at.session_state[explore.STORY] = False
    at.run()
    assert_fine(at)
    assert not at.sidebar.slider and "State media" not in text(at)
    assert at.query_params["regime.pardons.release_cost"] == "1.0" and metrics(at)
    at.session_state[explore.SECTION + "regime.pardons"] = True
    at.run()
    assert at.slider(key="w:regime.pardons.release_cost").value == 1.0


def test_each_parameter_is_in_one_sidebar_section_and_a_section_draws_only_its_own():
    shown = [path for group in explore.SECTIONS for path in explore.section_paths(group)]
    assert sorted(shown) == sorted(ui.PARAMETERS)  # every parameter once
    assert "regime.narratives.narrative_noise" in explore.section_paths("regime")  # no section of its own
    assert all(explore.section_caption(group).strip() for group in explore.SECTIONS)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "baseline_2024", **SMALL})
    at.session_state[explore.SECTION + "regime.repression"] = True
    at.run()
    assert_fine(at)
    drawn = {w.key for kind in (at.sidebar.slider, at.sidebar.number_input, at.sidebar.toggle) for w in kind}
    assert {"w:regime.repression.base_arrests", "w:regime.repression.rearrest_rate"} <= drawn
    assert not any(key.startswith(("w:regime.pardons.", "w:regime.initial")) for key in drawn)
    assert {e.label for e in at.sidebar.expander} >= set(explore.SECTIONS.values())


def test_explore_links_to_the_picture_of_the_model():
    at = open_app()
    link = at.get("page_link")[0]
    assert link.proto.page.endswith("about.py") or "about" in link.proto.page


# --- hostile and clumsy input -----------------------------------------------------------------------


def _markdown_shown(at: AppTest) -> str:
    """Every Markdown source the page sends: texts, captions, boxes, titles and widget labels."""
    parts = [e.value for kind in ("markdown", "caption", "error", "info", "success", "title") for e in at.get(kind)]
    parts += [w.label for w in [*at.segmented_control, *at.selectbox]]
    return "\n".join(parts)


def _unescaped(markup: str, text: str) -> bool:
    """Whether Markdown holds `text` with its first character not escaped by a backslash."""
    return re.search(r"(?<!\\)" + re.escape(text), markup) is not None


@pytest.mark.parametrize("name", ["![x](http://host/p.png)", "[text](https://host/a)", "<img src=http://host/p.png>"])
def test_a_sender_name_from_a_link_shows_as_text_never_as_an_image_or_link(name):
    at = open_app(**{"eu.name": name, "eu.policy.kind": "fixed", "eu.policy.action": "engage"})
    assert not at.exception, at.exception
    at.select_slider(key=explore.MONTH).set_value("Jul 2024").run()
    for title in TABS:
        open_tab(at, title)
        shown = _markdown_shown(at)
        assert not any(_unescaped(shown, part) for part in ("![", "](http", "<img", "[text]"))
        for figure in charts(at).values():  # Plotly reads <a href> and <img>-like tags, not Markdown
            assert "<img" not in json.dumps(figure) and "<a " not in json.dumps(figure)
    assert name in text(at)  # shown, as the characters it spells


def test_a_link_too_large_for_the_app_is_refused_and_never_runs(monkeypatch):
    started = []

    def record(scenario, *args, **kwargs):
        started.append(scenario.simulation.replications)
        return simulate(scenario, *args, **kwargs)

    monkeypatch.setattr(ui, "simulate", record)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(
        {
            "preset": "baseline_2024",
            "simulation.replications": "100000",
            "audience.size": "2500",
            "simulation.months": "1",
        }
    )
    at.run()
    assert not at.exception, at.exception
    assert "simulation.replications x audience.size" in errors(at) and "limit" in errors(at)
    assert 100_000 not in started
    assert "simulation.replications" not in at.query_params or not at.metric


def test_a_start_month_the_calendar_cannot_show_names_the_field():
    at = open_app(**{"simulation.start": "0001-01"})
    assert not at.exception, at.exception
    assert "simulation.start: '0001-01' is outside" in errors(at) and "1990-01" in errors(at)
    assert "simulation.start" not in at.query_params or not at.metric


@pytest.mark.parametrize(
    "content", [b"", b"# just a comment\n\n   # another\n", b"---\n...\n", b"regime: " + b"[" * 5000 + b"]" * 5000]
)
def test_an_empty_or_hostile_upload_is_refused_and_the_work_is_kept(content):
    at = open_app(**{"regime.pardons.release_cost": "0.5"})
    before, link = metrics(at), dict(at.query_params)
    _upload(at, "mine.yaml", content)
    assert not at.exception, at.exception
    assert "current scenario is unchanged" in errors(at)
    assert metrics(at) == before and dict(at.query_params) == link


def test_an_upload_named_like_markdown_shows_its_name_as_text():
    scenario = with_overrides(load_preset("hold"), {k: int(v) for k, v in SMALL.items()})
    at = _upload(open_app(), "![x](http:host).yaml", scenario_to_yaml(scenario).encode())
    assert not at.exception
    assert "![x](http:host)" not in " ".join(s.value for s in at.success)
    assert "Opened '![x](http:host).yaml'" in unescape_markdown(" ".join(s.value for s in at.success))


@pytest.mark.parametrize("path", ["eu.key", "eu.name", "simulation.start", "simulation.election"])
def test_nothing_typed_into_a_text_control_crashes_the_page(path):
    at = open_app()
    at.toggle(key="advanced").set_value(True).run()
    for value in ("", "a b", "0001-01", "<b>x</b>", "%{y}", "x" * 200):
        at.text_input(key=ui.WIDGET + path).set_value(value).run()
        assert not at.exception, (value, at.exception)


def test_explore_says_in_plain_words_which_uncertainty_its_bands_show():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(SMALL)
    at.run()
    captions = " ".join(c.value for c in at.caption)
    assert "draws" in captions and "posterior" in captions
    at.query_params["simulation.uncertainty"] = "none"
    at.run()
    assert "this parameter set only" in " ".join(c.value for c in at.caption)


def _shared_link(at: AppTest) -> dict[str, str]:
    """The query of the link shown under "Share this view", decoded as a browser would."""
    from urllib.parse import parse_qs, urlsplit

    link = next(c.value for c in at.code if "?" in c.value)
    return {k: v[-1] for k, v in parse_qs(urlsplit(link).query, keep_blank_values=True).items()}


def test_the_shared_link_reopens_the_same_view_whatever_characters_a_value_holds():
    name = "Tom & Jerry #1 + 50% = a/b?c"
    at = open_app(**{"eu.name": name, "regime.pardons.release_cost": "0.8"})
    assert_fine(at)
    shared = _shared_link(at)
    assert shared["eu.name"] == name and shared["regime.pardons.release_cost"] == "0.8"
    again = open_app(**shared)
    assert_fine(again)
    assert again.session_state[ui.OVERRIDES] == at.session_state[ui.OVERRIDES]
    assert _shared_link(again) == shared
    assert again.run() and _shared_link(again) == shared  # and after a rerun


def test_a_damaged_link_keeps_its_valid_preset():
    at = open_app(**{"preset": "tighten", "regime.pardons.release_cost": "abc"})
    assert "could not be opened" in errors(at) and "(tighten)" in errors(at)
    assert at.query_params["preset"] == "tighten" and len(at.metric) == 5


def test_the_first_months_headline_claims_the_releases_beside_it():
    """Under Tighten the first month's story never claims releases it cannot show ("we freed 0, they did nothing").

    Before the first month nobody answered anything, so "the West only talks" is not borne out; the story told
    counts the month's own pardons.
    """
    at = open_app(**{"preset": "tighten", "simulation.replications": "500", "audience.size": "2000"})
    assert_fine(at)
    first = text(at).split("**Jul 2024**", 1)[1].split("**Aug 2024**", 1)[0]
    pardons = re.search(r"Regime: pardons \*\*(\d+)\*\*", first).group(1)
    assert "we freed 0" not in first and pardons != "0"  # the case the issue found
    assert "they did nothing" not in first or f"we freed {pardons}, they did nothing" in first


def test_the_story_says_when_friction_blocked_the_chosen_move():
    at = open_app(**{"preset": "tighten"})
    assert_fine(at)
    story = text(at)
    results = simulate(with_overrides(load_preset("tighten"), {k: int(v) for k, v in SMALL.items()}))
    typical = results.story(results.typical_replication())
    blocked = typical[typical["action_decided_eu"] == "hold"]
    assert len(blocked) > 0  # the tighten preset's friction blocks some months
    assert "decides to **hold**" not in story
    assert story.count("meant to **tighten**, but member-state friction blocked it") == len(blocked)
    assert "chance 20% a month" in story


def test_the_changes_line_says_what_the_runs_used_and_why_a_change_moved_nothing():
    at = open_app(
        **{"preset": "tighten", "regime.pardons.pressure_response": "1.4", "regime.repression.hostage_incentive": "0.5"}
    )
    assert_fine(at)
    changes = next(line for line in text(at).splitlines() if line.startswith("**Your changes"))
    reference = simulate(with_overrides(load_preset("tighten"), {k: int(v) for k, v in SMALL.items()})).summary
    low, high = reference["regime.pardons.pressure_response"].quantile([0.05, 0.95])
    drawn = f"drawn run by run (5–95%: {low:.2f} to {high:.2f})".replace("-", "\u2212")
    assert f"{ui.PARAMETERS['regime.pardons.pressure_response'].label}: {drawn} → **1.4**" in changes
    assert "0.0 →" not in changes
    hostage = changes.split(ui.PARAMETERS["regime.repression.hostage_incentive"].label, 1)[1]
    assert "this moved nothing: it only counts after the regime has been paid" in hostage
    at.run()
    assert next(line for line in text(at).splitlines() if line.startswith("**Your changes")) == changes


def test_a_question_names_parameters_by_their_labels_not_their_paths():
    at = open_app(preset="tighten")
    assert_fine(at)
    assert "regime.pardons.pressure_response" not in text(at)
    assert f"“{ui.PARAMETERS['regime.pardons.pressure_response'].label}”" in preset_setting(load_preset("tighten")) + (
        preset_question(load_preset("tighten"))
    )
    assert "regime.pardons.pressure_response" not in " ".join(explore.preset_questions().values())


def test_folded_boxes_draw_their_content_only_once_opened():
    """The file box, the move's schedule and the link to copy are drawn when opened, not on every first visit."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"preset": "as_it_happened", **SMALL})  # the EU follows a schedule
    at.run()
    assert_fine(at)

    def schedule_tables() -> int:
        return sum(str(k).startswith("w:eu.policy.schedule:") for k in at.session_state.keys())

    assert (len(at.get("file_uploader")), len(at.code), schedule_tables()) == (0, 0, 0)
    for key in (explore.UPLOAD_BOX, explore.SHARE_LINK, ui.MOVE_SETTINGS + "eu"):
        at.session_state[key] = True
    at.run()
    assert_fine(at)
    assert len(at.get("file_uploader")) == 1 and schedule_tables() == 1
    assert "preset=as_it_happened" in at.code[0].value


def test_every_explore_chart_passes_plotlys_checks_and_sends_what_a_checked_figure_would():
    """The charts are built without Plotly's per-property checks (for speed); here each one is checked."""
    import plotly.graph_objects as go
    import plotly.io as pio

    scenario = with_overrides(load_preset("as_it_happened"), {"simulation.replications": 40, "audience.size": 200})
    results = simulate(scenario)
    builders = explore_charts.chart_builders(results, large=True)
    assert set(builders) >= {n for names in explore_charts.chart_tabs(scenario).values() for n in names}
    for name, build in builders.items():
        figure = build()
        marked = plots.mark_month(figure, results.monthly["date"].iloc[3], results.monthly["date"].max())
        for shown in (figure, marked):
            checked = go.Figure(shown.to_dict())  # raises on any property Plotly does not know
            assert json.loads(pio.to_json(shown, validate=False)) == json.loads(pio.to_json(checked)), name


def test_the_default_question_and_each_eu_move_on_it_are_run_before_any_visit(monkeypatch):
    """`simulator app` prepares them (explore_charts.warm_up), so a first visitor's first moves simulate nothing."""
    ui.run_cache.clear()
    explore_charts.explore_figures.clear()
    explore_charts.warm_up()
    assert len(ui.run_cache().keys()) == 1 + len(ACTIONS)
    simulated = []
    monkeypatch.setattr(ui, "simulate", lambda scenario: simulated.append(scenario) or simulate(scenario))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    for move in ACTIONS:
        at.segmented_control(key="w:eu.move").set_value(move).run()
        assert not at.exception and len(at.metric) == len(explore.HEADLINES), move
    assert simulated == []


def test_first_questions_are_a_preset_and_each_eu_move_it_does_not_already_make():
    engage = load_preset("engage")
    questions = explore_charts.first_questions(engage)
    assert questions[0] == engage and len(questions) == 3
    assert [(q.eu.policy.kind, q.eu.policy.action) for q in questions[1:]] == [("fixed", "hold"), ("fixed", "tighten")]
    scheduled = explore_charts.first_questions(load_preset(ui.DEFAULT_PRESET))
    assert [q.eu.policy.action for q in scheduled[1:]] == list(ACTIONS)
