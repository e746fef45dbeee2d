"""The Bayesian calibration: distances on mean paths, batched runs, and recovery of known parameters."""

import numpy as np

from simulator.core.inference import (
    abc_smc,
    calibration_scenario,
    distances,
    simulate_means,
    synthetic_targets,
)
from simulator.core.model import run_to_end, start
from simulator.core.record import record_targets, target_values
from simulator.core.uncertainty import PRIORS, Prior

TARGETS = record_targets()


def test_a_set_is_within_tolerance_exactly_when_its_distance_is_at_most_one():
    observed = np.array([t.observed for t in TARGETS])
    tolerance = np.array([t.tolerance for t in TARGETS])
    means = np.vstack([observed, observed + 0.99 * tolerance, observed - 1.01 * tolerance])
    assert list(distances(means, TARGETS) <= 1) == [True, True, False]


def test_target_values_match_the_result_tables():
    scenario = calibration_scenario()
    state = run_to_end(start(scenario, 6, 5))
    values = target_values(state.history, scenario, TARGETS)
    from simulator.core.runner import results_from_state

    monthly = results_from_state(state).monthly
    monthly = monthly.assign(label=monthly["date"].dt.strftime("%Y-%m"))
    first = TARGETS[3]  # pardons 2024 Q4
    expected = monthly[monthly["label"].isin(first.months)].groupby("replication")["pardoned"].sum()
    assert list(values[:, 3]) == list(expected.astype(float))


def test_a_population_runs_in_one_call_and_its_parameters_act_per_set():
    scenario = calibration_scenario()
    values = {"regime.repression.base_arrests": np.array([30.0, 45.0])}
    means = simulate_means(scenario, values, 6, 3, TARGETS)
    assert means.shape == (2, len(TARGETS))
    recognised = [i for i, t in enumerate(TARGETS) if t.name.startswith("recognised")]
    assert (means[1, recognised] > means[0, recognised]).all()


def test_the_same_seed_gives_the_same_posterior():
    priors = PRIORS[:3]
    first = abc_smc(population=40, runs_per_set=2, max_generations=2, priors=priors, seed=5)
    second = abc_smc(population=40, runs_per_set=2, max_generations=2, priors=priors, seed=5)
    assert first.posterior.equals(second.posterior)


def test_abc_recovers_known_parameters_from_synthetic_data():
    known = {"regime.pardons.holiday_share": 0.75, "regime.repression.base_arrests": 40.0}
    priors = (
        Prior("regime.pardons.holiday_share", 0.4, 1.0, "test"),
        Prior("regime.repression.base_arrests", 25.0, 55.0, "test"),
    )
    targets = synthetic_targets(known)
    made = abc_smc(population=300, runs_per_set=8, priors=priors, targets=targets, seed=3, max_generations=15)
    assert made.metadata["reached_final_epsilon"]
    for path, value in known.items():
        low, high = made.posterior[path].quantile([0.05, 0.95])
        assert low <= value <= high, (path, low, high)
        prior = next(p for p in priors if p.path == path)
        assert high - low < 0.9 * (prior.high - prior.low)
