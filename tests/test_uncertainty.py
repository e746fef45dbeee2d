"""Parameter uncertainty: the shipped posterior, per-replication draws, and the bands they widen."""

import numpy as np
import pytest
from conftest import small

from simulator import Scenario, load_preset, simulate, with_overrides
from simulator.core.model import run_to_end, start
from simulator.core.uncertainty import PRIORS, UNCERTAIN, load_posterior, posterior_metadata, varied_paths

POSTERIOR = {"simulation.uncertainty": "posterior"}


def test_the_shipped_posterior_has_enough_distinct_sets_inside_the_priors_and_its_provenance():
    posterior = load_posterior()
    frame = posterior.frame()
    assert len(frame.drop_duplicates()) >= 1000
    assert posterior.effective_size >= 500
    for prior in PRIORS:
        assert frame[prior.path].between(prior.low, prior.high).all(), prior.path
    metadata = posterior_metadata()
    assert metadata["script"] == "scripts/calibrate_posterior.py" and metadata["seed"] >= 0
    assert metadata["run_minutes"] > 0 and metadata["population_size"] == posterior.size
    assert metadata["reached_final_epsilon"] and metadata["final_epsilon"] <= 1.0
    assert {"made_on", "model_version", "targets", "record_end"} <= set(metadata)


def test_each_replication_draws_a_posterior_set_and_the_summary_shows_it():
    results = simulate(small(**{"simulation__uncertainty": "posterior"}), seed=3)
    drawn = results.summary[list(UNCERTAIN)]
    assert drawn.nunique().min() > 1
    rows = {tuple(r) for r in load_posterior().values.round(9)}
    assert all(tuple(r) in rows for r in drawn.to_numpy().round(9))
    assert results.metadata["uncertainty"].startswith("posterior")


def test_posterior_runs_are_reproducible_and_chunking_independent():
    scenario = small(**{"simulation__uncertainty": "posterior"})
    whole = simulate(scenario, seed=5)
    again = simulate(scenario, seed=5)
    chunked = simulate(scenario, seed=5, chunk_size=7)
    assert whole.monthly.equals(again.monthly)
    assert whole.monthly.equals(chunked.monthly) and whole.summary.equals(chunked.summary)


def test_uncertainty_argument_overrides_the_scenario_and_metadata_says_which():
    scenario = small()
    assert simulate(scenario, uncertainty="posterior").metadata["uncertainty"].startswith("posterior")
    assert simulate(scenario).metadata["uncertainty"].startswith("none")
    assert "regime.pardons.release_cost" not in simulate(scenario).summary


def test_bands_are_at_least_as_wide_with_parameter_uncertainty():
    scenario = small(simulation__replications=200)
    one_set = simulate(scenario, seed=9, uncertainty="none").bands("prisoners")
    posterior = simulate(scenario, seed=9, uncertainty="posterior").bands("prisoners")
    assert (posterior["q95"] - posterior["q05"]).mean() >= (one_set["q95"] - one_set["q05"]).mean()


def test_parameters_the_user_set_are_kept_not_drawn():
    scenario = with_overrides(Scenario(), {**POSTERIOR, "regime.pardons.release_cost": 0.9})
    assert "regime.pardons.release_cost" not in varied_paths(scenario)
    assert set(varied_paths(with_overrides(Scenario(), POSTERIOR))) == set(UNCERTAIN)


def test_presets_use_the_posterior_by_default():
    assert load_preset("baseline_2024").simulation.uncertainty == "posterior"


def test_explicit_parameters_are_checked_by_name_and_shape():
    with pytest.raises(ValueError, match="regime.nonsense"):
        start(small(), 4, parameters={"regime.nonsense": np.ones(4)})
    with pytest.raises(ValueError, match="needs 4 finite values"):
        start(small(), 4, parameters={"regime.pardons.release_cost": np.ones(3)})
    state = run_to_end(
        start(small(simulation__months=2), 4, parameters={"regime.repression.base_arrests": np.array([0, 0, 0, 0.0])})
    )
    assert all((record["new_arrests"] == 0).all() for record in state.history)


def test_posterior_predictive_means_are_within_tolerance_and_bands_hold_the_record():
    from simulator.core.calibration import posterior_predictive

    check = posterior_predictive(runs=1000, seed=11)
    misses = check[~check["mean_within"] | ~check["inside_band"]]
    assert misses.empty, misses.to_string()
