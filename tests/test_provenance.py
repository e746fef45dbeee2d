"""Provenance: every output can say which package, scenario, seed and numeric libraries made it."""

import json
from importlib import metadata
from pathlib import Path

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


def test_saved_results_carry_provenance_in_metadata_json_and_parquet(tmp_path):
    from conftest import run_small

    from simulator.core.provenance import read_parquet_provenance

    results = run_small(seed=5, simulation__months=3, simulation__replications=4)
    results.save(tmp_path)
    expected = provenance(results.scenario, 5)
    saved = json.loads((tmp_path / "metadata.json").read_text())
    assert {key: saved[key] for key in expected} == expected
    for table in ("monthly", "summary"):
        stored = read_parquet_provenance(tmp_path / f"{table}.parquet")
        assert {key: stored[key] for key in expected} == expected


def test_a_parquet_file_without_provenance_reads_as_empty(tmp_path):
    import pandas as pd

    from simulator.core.provenance import read_parquet_provenance

    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "plain.parquet")
    assert read_parquet_provenance(tmp_path / "plain.parquet") == {}


def test_provenance_carries_the_model_version_and_the_checkout_it_ran_from():
    import subprocess

    from simulator.core.provenance import checkout_state
    from simulator.core.version import MODEL_VERSION

    record = provenance()
    assert record["model_version"] == MODEL_VERSION
    package = Path(simulator.__file__).parent
    if not (package.parent / ".git").exists():
        assert "git_commit" not in record  # an installed package names its version only
        return
    head = subprocess.run(["git", "-C", str(package), "rev-parse", "HEAD"], capture_output=True, text=True)
    assert record["git_commit"] == head.stdout.strip() == checkout_state()["git_commit"]
    assert isinstance(record["git_dirty"], bool)
