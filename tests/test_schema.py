"""The scenario schema: defaults, readable errors, YAML, overrides, metadata."""

import pytest

from simulator import (
    Scenario,
    ScenarioError,
    parameter_table,
    parse_scenario_yaml,
    scenario_to_yaml,
    validate_scenario,
    with_overrides,
)
from simulator.core.scenarios import MAX_SCENARIO_BYTES


def test_defaults_are_valid_and_frozen():
    scenario = Scenario()
    assert scenario.simulation.start == "2024-07"
    with pytest.raises(ValueError):
        scenario.regime.release_cost = 1.0


def test_out_of_range_value_names_field_value_and_maximum():
    with pytest.raises(ScenarioError) as error:
        validate_scenario({"eu": {"friction": 1.7}})
    assert error.value.problems == ["eu.friction: 1.7 is above the maximum 1.0"]


def test_below_minimum_is_named():
    with pytest.raises(ScenarioError, match=r"simulation.months: 0 is below the minimum 1"):
        validate_scenario({"simulation": {"months": 0}})


def test_unknown_field_is_rejected_with_its_path():
    with pytest.raises(ScenarioError, match=r"regime.release_costs: unknown field"):
        validate_scenario({"regime": {"release_costs": 0.3}})


def test_bad_choice_lists_allowed_values():
    with pytest.raises(ScenarioError, match=r"eu.policy.kind: 'appease' is not allowed; choose one of"):
        validate_scenario({"eu": {"policy": {"kind": "appease"}}})


def test_bad_month_in_schedule_is_explained():
    with pytest.raises(ScenarioError, match=r"YYYY-MM"):
        validate_scenario({"eu": {"policy": {"schedule": {"July": "hold"}}}})


def test_every_error_is_reported_at_once():
    with pytest.raises(ScenarioError) as error:
        validate_scenario({"eu": {"friction": 2}, "audience": {"size": 1}})
    assert len(error.value.problems) == 2


def test_cross_field_rule_is_readable():
    with pytest.raises(ScenarioError, match=r"supporter_share \+ opposition_share must not exceed 1"):
        validate_scenario({"audience": {"supporter_share": 0.7, "opposition_share": 0.5}})


def test_yaml_round_trip_gives_an_equal_scenario():
    scenario = with_overrides(Scenario(), {"regime.release_cost": 0.4, "eu.policy.kind": "reciprocal"})
    assert parse_scenario_yaml(scenario_to_yaml(scenario)) == scenario


def test_yaml_cannot_execute_code():
    with pytest.raises(ScenarioError, match=r"not valid YAML"):
        parse_scenario_yaml("regime: !!python/object/apply:os.system ['echo hacked']")


def test_yaml_that_is_not_a_mapping_is_rejected():
    with pytest.raises(ScenarioError, match=r"expected a mapping"):
        parse_scenario_yaml("- just\n- a list\n")


def test_oversized_file_is_rejected():
    with pytest.raises(ScenarioError, match=r"above the maximum"):
        parse_scenario_yaml("#" * (MAX_SCENARIO_BYTES + 1))


def test_overrides_by_dotted_path():
    scenario = with_overrides(Scenario(), {"regime.release_cost": "0.4", "eu.policy.action": "engage"})
    assert scenario.regime.release_cost == 0.4
    assert scenario.eu.policy.action == "engage"


def test_unknown_override_path_is_named():
    with pytest.raises(ScenarioError, match=r"regime.nope: unknown parameter"):
        with_overrides(Scenario(), {"regime.nope": 1})
    with pytest.raises(ScenarioError, match=r"nothing.x: unknown parameter"):
        with_overrides(Scenario(), {"nothing.x": 1})


def test_override_out_of_range_is_named():
    with pytest.raises(ScenarioError, match=r"regime.release_cost: 9 is above the maximum 3"):
        with_overrides(Scenario(), {"regime.release_cost": 9})


def test_every_parameter_has_unit_help_and_range_metadata():
    rows = parameter_table(Scenario)
    assert len(rows) > 80
    for row in rows:
        assert row.help, row.path
        if row.kind in ("int", "float"):
            assert row.minimum is not None and row.maximum is not None, row.path
            assert row.minimum <= row.default <= row.maximum, row.path
    kinds = {row.path: row for row in rows}
    assert kinds["eu.policy.kind"].choices == (
        "fixed",
        "schedule",
        "reciprocal",
        "maximalist",
        "graduated",
        "interactive",
    )


def test_second_sender_is_off_by_default_and_senders_are_a_list():
    scenario = Scenario()
    assert [s.key for s in scenario.senders()] == ["eu"]
    both = with_overrides(scenario, {"second_sender.enabled": True})
    assert [s.key for s in both.senders()] == ["eu", "us"]


def test_digest_ignores_meta_but_not_parameters():
    scenario = Scenario()
    renamed = with_overrides(scenario, {"meta.name": "other"})
    changed = with_overrides(scenario, {"regime.release_cost": 0.1})
    assert renamed.digest() == scenario.digest()
    assert changed.digest() != scenario.digest()


def test_partial_second_sender_keeps_its_own_defaults():
    scenario = validate_scenario({"second_sender": {"enabled": True}})
    assert scenario.second_sender.key == "us" and scenario.second_sender.prior_belief == 0.1
    assert scenario == parse_scenario_yaml(scenario_to_yaml(scenario))


def test_yaml_aliases_are_refused_before_they_can_expand():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nregime: [*b,*b,*b,*b,*b]\n'
    with pytest.raises(ScenarioError, match=r"aliases"):
        parse_scenario_yaml(bomb)


def test_long_bad_values_are_cut_short_in_messages():
    with pytest.raises(ScenarioError) as error:
        validate_scenario({"meta": {"name": ["x" * 50] * 50}})
    assert len(error.value.problems[0]) < 200


def test_parameter_table_shows_each_groups_own_defaults():
    rows = {row.path: row for row in parameter_table(Scenario)}
    assert rows["second_sender.name"].default == "United States"
    assert rows["second_sender.enabled"].default is False
    assert rows["eu.policy.schedule"].default == {"2024-07": "hold", "2024-09": "tighten"}
