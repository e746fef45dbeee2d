"""Every ready-made scenario loads, says what question it asks, and runs."""

import pytest
from conftest import small

from simulator import load_preset, preset_names, simulate

EXPECTED = {"baseline_2024", "engage", "hold", "tighten", "reciprocal", "maximalist"}


def test_the_required_presets_exist():
    assert EXPECTED <= set(preset_names())


@pytest.mark.parametrize("name", preset_names())
def test_preset_loads_describes_its_question_and_runs(name):
    scenario = load_preset(name)
    assert scenario.meta.name == name
    assert "Question" in scenario.meta.description
    results = simulate(small(scenario, simulation__months=6), seed=1)
    assert len(results.summary) == 64


def test_baseline_preset_is_the_default_scenario():
    from simulator import Scenario

    assert load_preset("baseline_2024").digest() == Scenario().digest()
