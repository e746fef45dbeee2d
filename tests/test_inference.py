"""ABC calibration recovers a known parameter from synthetic data; the identifiability report is consistent."""

import numpy as np
import pytest

from simulator import Scenario, with_overrides
from simulator.core.inference import calibration_scenario, measurement_scales, observed_summary, simulated_summary
from simulator.core.uncertainty import Prior

pytest.importorskip("pyabc")


def test_observed_figures_and_their_measurement_uncertainty():
    observed, scales = observed_summary(), measurement_scales()
    assert len(observed) == 9 and set(scales) == set(observed)
    assert observed["pardoned_2024-09"] == 67 and scales["pardoned_2024-09"] == 3.0
    assert scales["newly_recognised_2024-07"] == pytest.approx(0.2 * 63)


def test_one_simulated_run_gives_the_same_nine_figures():
    summary = simulated_summary(calibration_scenario(), seed=1)
    assert set(summary) == set(observed_summary())
    assert all(np.isfinite(v) and v >= 0 for v in summary.values())


def test_abc_recovers_a_known_parameter_from_synthetic_data():
    from simulator.core.inference import abc_calibrate

    truth = {"regime.repression.base_arrests": 44.0, "regime.sentences.early_cohort_completion_rate": 0.045}
    scenario = calibration_scenario(with_overrides(Scenario(), truth), audience_size=60)
    runs = [simulated_summary(scenario, seed) for seed in range(100)]
    synthetic = {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}
    priors = (
        Prior("regime.repression.base_arrests", 25.0, 50.0, "test"),
        Prior("regime.sentences.early_cohort_completion_rate", 0.02, 0.1, "test"),
    )
    calibration = abc_calibrate(
        population=80, generations=3, seed=3, priors=priors, observed=synthetic, audience_size=60
    )
    posterior = calibration.posterior
    assert len(posterior) == 80
    assert posterior["weight"].sum() == pytest.approx(1.0)
    resampled = posterior.sample(2000, replace=True, weights="weight", random_state=0)
    for path, value in truth.items():
        low, high = resampled[path].quantile([0.05, 0.95])
        assert low <= value <= high, (path, low, high)
    assert resampled["regime.repression.base_arrests"].std() < (50 - 25) / np.sqrt(12)
