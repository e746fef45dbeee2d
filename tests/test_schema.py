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
from simulator.core.scenarios import MAX_SCENARIO_BYTES, SCHEMA_VERSION, load_scenario


def test_defaults_are_valid_and_frozen():
    scenario = Scenario()
    assert scenario.simulation.start == "2024-07"
    with pytest.raises(ValueError):
        scenario.regime.pardons.release_cost = 1.0


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
    scenario = with_overrides(Scenario(), {"regime.pardons.release_cost": 0.4, "eu.policy.kind": "reciprocal"})
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
    scenario = with_overrides(Scenario(), {"regime.pardons.release_cost": "0.4", "eu.policy.action": "engage"})
    assert scenario.regime.pardons.release_cost == 0.4
    assert scenario.eu.policy.action == "engage"


def test_unknown_override_path_is_named():
    with pytest.raises(ScenarioError, match=r"regime.nope: unknown parameter"):
        with_overrides(Scenario(), {"regime.nope": 1})
    with pytest.raises(ScenarioError, match=r"nothing.x: unknown parameter"):
        with_overrides(Scenario(), {"nothing.x": 1})


def test_override_out_of_range_is_named():
    with pytest.raises(ScenarioError, match=r"regime.pardons.release_cost: 9 is above the maximum 3"):
        with_overrides(Scenario(), {"regime.pardons.release_cost": 9})


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
    changed = with_overrides(scenario, {"regime.pardons.release_cost": 0.1})
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


# Reading files from strangers (issue 13, items 3 and 10).


@pytest.mark.parametrize(
    "text",
    [
        "regime: " + "[" * 1000 + "]" * 1000,
        "regime: " + "[" * (MAX_SCENARIO_BYTES - 20),
        "regime: " + "{a: " * 5000,
        "- " * 50_000 + "x",
        "".join(" " * i + f"k{i}:\n" for i in range(400)),
    ],
    ids=["flow-1000", "flow-256KiB", "mapping-5000", "dashes-50000", "indented-400"],
)
def test_deeply_nested_yaml_is_refused_in_one_line_without_recursion(text):
    with pytest.raises(ScenarioError) as error:
        parse_scenario_yaml(text)
    (line,) = error.value.problems
    assert line.startswith("file: ") and ("nested deeper than 32" in line or "nesting depth" in line)


def test_a_file_above_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("regime: [" + "1, " * 6_000_000 + "1]")  # about 18 MB: parsing it would take minutes
    with pytest.raises(ScenarioError, match=r"file: 18,000,011 bytes is above the maximum 262,144 bytes"):
        load_scenario(path)


def test_too_many_values_are_refused_before_they_are_built():
    with pytest.raises(ScenarioError, match=r"file: line 1: more than 2,000 values"):
        parse_scenario_yaml("regime: [" + ",".join(["1"] * 50_000) + "]")


def test_very_long_numbers_are_refused_with_their_line():
    for number in ("9" * 5000, "1:" * 50_000 + "1"):
        with pytest.raises(ScenarioError, match=r"file: line 2: a number .* characters long is longer than"):
            parse_scenario_yaml(f"meta: {{name: x}}\nsimulation: {{seed: {number}}}")


def test_a_huge_integer_from_python_is_named_not_printed():
    with pytest.raises(ScenarioError) as error:
        with_overrides(Scenario(), {"simulation.seed": 10**10_000})
    (line,) = error.value.problems
    assert line == "simulation.seed: an integer of about 10,000 digits is above the maximum 4294967295"


def test_duplicate_keys_are_refused_naming_the_key_and_both_lines():
    text = "meta:\n  name: a\nregime:\n  release_cost: 0.3\n  release_cost: 0.4\n"
    with pytest.raises(ScenarioError) as error:
        parse_scenario_yaml(text)
    assert error.value.problems == [
        "file: line 5: key 'release_cost' appears twice in the same mapping (first on line 4); keep one"
    ]


def test_yaml_syntax_errors_carry_line_and_column():
    with pytest.raises(ScenarioError, match=r"file: not valid YAML at line 3, column 1: "):
        parse_scenario_yaml("meta:\n  name: [unclosed\n")


def test_values_python_cannot_build_are_refused_with_their_line():
    with pytest.raises(ScenarioError, match=r"file: line 2: a value cannot be read \(month must be in 1..12\)"):
        parse_scenario_yaml("meta: {name: x}\nsimulation: {start: 2024-13-45}\n")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n# and another\n", "---\n"])
def test_an_empty_or_comment_only_file_is_refused(text):
    with pytest.raises(ScenarioError, match=r"^file: is empty \(or holds only comments\)"):
        parse_scenario_yaml(text)


@pytest.mark.parametrize("text", [b"meta: {name: \xff\xfe}", "meta: {name: \x00}"])
def test_unreadable_characters_are_refused_in_one_line(text):
    with pytest.raises(ScenarioError, match=r"^file: not valid YAML \(unacceptable character"):
        parse_scenario_yaml(text)


def test_hundreds_of_problems_give_a_bounded_message():
    text = "regime:\n" + "".join(f"  unknown_{i}_{'x' * 500}: 1\n" for i in range(300))
    with pytest.raises(ScenarioError) as error:
        parse_scenario_yaml(text)
    problems = error.value.problems
    assert len(problems) == 21 and problems[-1] == "... and 280 more problems"
    assert max(len(p) for p in problems) <= 300 and len(str(error.value)) < 7000


# The scenario-file version (issue 9, item 5).


def test_saved_files_carry_the_schema_version_and_read_back():
    text = scenario_to_yaml(Scenario())
    assert text.startswith(f"schema_version: {SCHEMA_VERSION}\n")
    assert parse_scenario_yaml(text) == Scenario()


def test_files_without_a_schema_version_are_read_as_version_1_and_still_load():
    assert parse_scenario_yaml("meta: {name: baseline_2024}").digest() == Scenario().digest()
    assert parse_scenario_yaml("schema_version: 1\nmeta: {name: baseline_2024}").digest() == Scenario().digest()


@pytest.mark.parametrize("version", [0, 3, "1", True, None])
def test_a_file_from_another_schema_version_is_refused_naming_the_version_read(version):
    with pytest.raises(ScenarioError) as error:
        validate_scenario({"schema_version": version, "meta": {"name": "x"}})
    (line,) = error.value.problems
    assert line.startswith(f"schema_version: {version!r}" if isinstance(version, str) else f"schema_version: {version}")
    assert "this version of the simulator reads schema_version 1 and 2" in line


# Dates every entry point can turn into calendar months (issue 13, item 8).


@pytest.mark.parametrize("field", ["simulation.start", "simulation.election"])
@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1989-12", "2101-01"])
def test_months_outside_the_supported_range_are_refused_naming_the_range(field, month):
    with pytest.raises(ScenarioError) as error:
        with_overrides(Scenario(), {field: month})
    assert error.value.problems == [f"{field}: '{month}' is outside the supported months 1990-01 to 2100-12"]


def test_the_last_supported_start_runs_its_longest_horizon():
    from conftest import run_small

    results = run_small(simulation__start="2100-12", simulation__months=120, simulation__replications=2)
    assert str(results.monthly["date"].max().date()) == "2110-11-01"


@pytest.mark.parametrize(("field", "longest"), [("meta.name", 200), ("meta.description", 20_000)])
def test_names_and_descriptions_are_bounded_so_a_scenario_can_be_saved_and_read_back(field, longest):
    with_overrides(Scenario(), {field: "a" * longest})
    with pytest.raises(ScenarioError) as error:
        with_overrides(Scenario(), {field: "a" * (longest + 1)})
    assert error.value.problems == [f"{field}: {longest + 1:,} characters is above the maximum {longest:,}"]


def test_a_scenario_too_large_to_save_is_refused_whatever_field_holds_the_text():
    with pytest.raises(ScenarioError, match=r"^scenario: [\d,]+ bytes once saved is above the maximum 131,072"):
        with_overrides(Scenario(), {"eu.name": "x" * 200_000})


# Numbers must be numbers, and names that look alike are one name (issue 20, item 16).


@pytest.mark.parametrize(
    "text, line",
    [
        ("simulation:\n  months: yes\n", "simulation.months: true is not a number; give a whole number from 1 to 120"),
        (
            "simulation:\n  seed: true\n",
            "simulation.seed: true is not a number; give a whole number from 0 to 4,294,967,295",
        ),
        (
            "regime:\n  pardons:\n    release_cost: .nan\n",
            "regime.pardons.release_cost: nan is not a number; give a number from 0 to 3",
        ),
    ],
)
def test_booleans_and_nan_are_refused_as_numbers_naming_what_is_allowed(text, line):
    with pytest.raises(ScenarioError) as error:
        parse_scenario_yaml(text)
    assert error.value.problems == [line]


def test_true_still_reads_as_a_switch():
    assert parse_scenario_yaml("second_sender:\n  enabled: true\n").second_sender.enabled is True
