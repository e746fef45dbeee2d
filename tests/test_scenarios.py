"""Saving scenarios: whatever is accepted saves to a file that reads back equal (issue 20, item 5)."""

import pandas as pd
import pytest
import yaml

from simulator import Scenario, ScenarioError, load_scenario, parse_scenario_yaml, save_scenario, scenario_to_yaml
from simulator.core.limits import MAX_FILE_BYTES, MAX_YAML_NODES
from simulator.core.scenarios import _saved_data, saved_values


def _round_trip(text: str, tmp_path) -> Scenario:
    accepted = parse_scenario_yaml(text)
    path = tmp_path / "saved.yaml"
    save_scenario(accepted, path)
    assert load_scenario(path) == accepted
    assert parse_scenario_yaml(scenario_to_yaml(accepted)) == accepted
    return accepted


def test_a_name_with_a_byte_order_mark_and_emoji_saves_small_enough_to_read_back(tmp_path):
    # A byte-order mark forces double quotes, where PyYAML wrote each emoji as a 10-byte escape.
    upload = 'eu:\n  name: "\ufeff' + "😀" * 26_000 + '"\n'  # 104 KB, as a person's editor writes it
    assert len(upload.encode("utf-8")) < MAX_FILE_BYTES
    accepted = _round_trip(upload, tmp_path)
    saved = scenario_to_yaml(accepted).encode("utf-8")
    assert len(saved) < MAX_FILE_BYTES and b"\\U0001F600" not in saved


@pytest.mark.parametrize(
    "text", ["a\ufeffb 😀", "\\U0001F600 is not an emoji", "\\\\U0001F600", "bell\x07 😀", "line\u2028😀", "é😀𝔘"]
)
def test_texts_that_need_double_quotes_read_back_exactly(text, tmp_path):
    accepted = _round_trip(yaml.safe_dump({"meta": {"description": text}}, allow_unicode=True), tmp_path)
    assert accepted.meta.description == text


def _schedule(months: int) -> dict[str, str]:
    return {
        str(m)[:7]: "tighten" if i % 2 else "engage"
        for i, m in enumerate(pd.period_range("2000-01", periods=months, freq="M"))
    }


def test_a_schedule_too_long_to_save_is_refused_when_read_naming_the_field():
    upload = yaml.safe_dump({"eu": {"policy": {"kind": "schedule", "schedule": _schedule(990)}}})
    assert len(upload) < MAX_FILE_BYTES  # the upload itself is within the limits
    with pytest.raises(ScenarioError, match=r"^eu.policy.schedule: 990 months listed; saved with every setting"):
        parse_scenario_yaml(upload)


def test_the_longest_schedule_accepted_saves_and_reads_back(tmp_path):
    base = saved_values(_saved_data(Scenario()))
    months = (MAX_YAML_NODES - base + 4) // 2  # each month is a key and a value; the default lists two
    upload = yaml.safe_dump({"eu": {"policy": {"kind": "schedule", "schedule": _schedule(months)}}})
    assert len(_round_trip(upload, tmp_path).eu.policy.schedule) == months
    with pytest.raises(ScenarioError, match="eu.policy.schedule"):
        parse_scenario_yaml(yaml.safe_dump({"eu": {"policy": {"schedule": _schedule(months + 1)}}}))


def test_the_counted_values_are_the_values_the_reader_counts():
    scenario = Scenario(eu={"policy": {"kind": "schedule", "schedule": _schedule(30)}})
    events = list(yaml.parse(scenario_to_yaml(scenario)))
    counted = sum(isinstance(e, yaml.ScalarEvent | yaml.CollectionStartEvent) for e in events)
    assert saved_values(_saved_data(scenario)) == counted
