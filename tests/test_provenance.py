"""Provenance: every output can say which package, scenario, seed and numeric libraries made it."""

import json
from importlib import metadata

import simulator
from simulator import Scenario, with_overrides
from simulator.core.provenance import provenance


def test_provenance_names_package_scenario_seed_and_libraries():
    scenario = with_overrides(Scenario(), {"simulation.seed": 7})
    record = provenance(scenario, seed=3)
    assert record["simulator_version"] == simulator.__version__
    assert record["scenario_hash"] == scenario.digest()
    assert record["seed"] == 3
    for name in ("numpy", "numba", "pandas"):
        assert record[name] == metadata.version(name)


def test_seed_defaults_to_the_scenarios_own():
    assert provenance(with_overrides(Scenario(), {"simulation.seed": 7}))["seed"] == 7


def test_without_a_scenario_the_scenario_fields_are_empty_and_the_record_is_json():
    record = provenance()
    assert record["scenario_hash"] is None and record["seed"] is None
    assert json.loads(json.dumps(record)) == record
