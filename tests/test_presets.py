"""Every ready-made scenario and example sweep ships, loads, says what question it asks, and runs."""

import warnings

import pytest
from conftest import small

from simulator import Scenario, load_preset, preset_names, simulate, with_overrides
from simulator.core.migration import SchemaNotice
from simulator.core.shipped import SWEEP_EXAMPLES, names_in

EXPECTED = {"baseline_2024", "engage", "hold", "tighten", "reciprocal", "maximalist", "us_second_sender"}
EXPECTED_SWEEPS = {"policies_lhs", "sobol_regime", "morris_screening", "release_cost_grid"}
PRESETS = preset_names()


def test_the_required_presets_ship_so_the_parametrised_tests_cannot_collapse_to_nothing():
    assert PRESETS, "no presets found in the package"
    assert EXPECTED <= set(PRESETS)


def test_the_example_sweep_specs_ship():
    assert EXPECTED_SWEEPS <= set(names_in(SWEEP_EXAMPLES))


@pytest.mark.parametrize("name", PRESETS)
def test_preset_loads_describes_its_question_and_runs(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", SchemaNotice)  # a shipped preset uses today's names, not version 1's
        scenario = load_preset(name)
    assert scenario.meta.name == name
    assert "Question" in scenario.meta.description
    results = simulate(small(scenario, simulation__months=6), seed=1)
    assert len(results.summary) == 64


def test_baseline_preset_is_the_default_scenario_with_posterior_bands():
    preset = load_preset("baseline_2024")
    assert preset.simulation.uncertainty == "posterior"
    assert with_overrides(preset, {"simulation.uncertainty": "none"}).digest() == Scenario().digest()


def test_the_second_sender_preset_enables_a_second_sender():
    scenario = load_preset("us_second_sender")
    assert [s.key for s in scenario.senders()][1:] == [scenario.second_sender.key]
