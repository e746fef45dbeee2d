"""Bayesian calibration by approximate Bayesian computation (ABC-SMC, with pyabc) to the 2024 series.

Each particle is one parameter set from the priors in `uncertainty.PRIORS`; the model runs one
replication of July-September 2024 and is accepted when its monthly pardons, stocks and newly
imprisoned lie close to Viasna's figures, measured in units of each figure's stated measurement
uncertainty. pyabc needs the `analysis` extra; it seeds numpy's global generator, so the
calibration runs on a single core for a reproducible result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..extras import require
from .calibration import observed_2024
from .model import run_to_end, start
from .scenarios import with_overrides
from .schema import Scenario
from .uncertainty import PRIORS, Prior

MONTHS = ("2024-07", "2024-08", "2024-09")
# Stated measurement uncertainty (one standard deviation) of each observed figure:
MEASUREMENT = {
    # reports of the July pardon differ (18 by Viasna, a decree for 15 by Euractiv): about 3 people
    "pardoned": lambda observed: 3.0,
    # mid- and end-September counts differ by 7 (1,324 and 1,317): about 7 people
    "political_prisoners_end_of_month": lambda observed: 7.0,
    # recognition lags arrests by weeks, so a month's figure moves by about a fifth
    "newly_recognised": lambda observed: 0.2 * observed,
}
FIGURES = ("pardoned", "political_prisoners_end_of_month", "newly_recognised")


def observed_summary() -> dict[str, float]:
    """The nine observed figures (three per month, July-September 2024), keyed 'figure_YYYY-MM'."""
    observed = observed_2024().set_index("month")
    return {f"{name}_{month}": float(observed.loc[month, name]) for month in MONTHS for name in FIGURES}


def measurement_scales() -> dict[str, float]:
    """One standard deviation of measurement uncertainty for each observed figure."""
    return {key: MEASUREMENT[key.rsplit("_", 1)[0]](value) for key, value in observed_summary().items()}


def simulated_summary(scenario: Scenario, seed: int) -> dict[str, float]:
    """One replication's July-September 2024, as the same nine figures as `observed_summary`."""
    state = run_to_end(start(scenario, 1, seed))
    summary = {}
    for month, record in zip(MONTHS, state.history, strict=False):
        summary[f"pardoned_{month}"] = float(record["pardoned"].sum())
        summary[f"political_prisoners_end_of_month_{month}"] = float(record["prisoners"].sum())
        summary[f"newly_recognised_{month}"] = float(record["new_arrests"][0] + record["rearrests"][0])
    return summary


def calibration_scenario(base: Scenario | None = None, audience_size: int = 300) -> Scenario:
    """The scenario the calibration runs: July-September 2024 only, one parameter set per run."""
    return with_overrides(
        base or Scenario(),
        {"simulation.months": 3, "audience.size": audience_size, "simulation.uncertainty": "none"},
    )


def _key(path: str) -> str:
    return path.replace(".", "__")


@dataclass(frozen=True)
class Calibration:
    """The result of an ABC-SMC run: the last population's parameter sets with their importance weights
    (column 'weight', summing to 1), and how they were made."""

    posterior: pd.DataFrame
    metadata: dict


def abc_calibrate(
    population: int = 600,
    generations: int = 8,
    seed: int = 2024,
    max_minutes: float = 25.0,
    priors: tuple[Prior, ...] = PRIORS,
    observed: dict[str, float] | None = None,
    base: Scenario | None = None,
    database: str = "sqlite://",
    progress: Callable[[str], None] | None = None,
    audience_size: int = 300,
) -> Calibration:
    """Run ABC-SMC and return the last population (distinct weighted parameter sets) with its metadata."""
    pyabc = require("pyabc", "analysis")
    scenario = calibration_scenario(base, audience_size)
    observed = observed or observed_summary()
    scales = measurement_scales()
    np.random.seed(seed)  # pyabc draws from numpy's global generator; seeding it makes the run repeatable
    counter = iter(range(10**12))

    def model(parameters) -> dict[str, float]:
        overrides = {p.path: float(parameters[_key(p.path)]) for p in priors}
        return simulated_summary(with_overrides(scenario, overrides), seed + next(counter))

    def distance(simulated: dict, data: dict) -> float:
        return float(np.sqrt(sum(((simulated[k] - data[k]) / scales[k]) ** 2 for k in data)))

    prior = pyabc.Distribution(**{_key(p.path): pyabc.RV("uniform", p.low, p.high - p.low) for p in priors})
    abc = pyabc.ABCSMC(model, prior, distance, population_size=population, sampler=pyabc.sampler.SingleCoreSampler())
    abc.new(database, observed)
    began = time.perf_counter()
    history = abc.run(max_nr_populations=generations, max_walltime=pd.Timedelta(minutes=max_minutes).to_pytimedelta())
    minutes = (time.perf_counter() - began) / 60
    frame, weights = history.get_distribution()
    frame = frame.reset_index(drop=True)
    frame.columns = [c.replace("__", ".") for c in frame.columns]
    frame = frame[[p.path for p in priors]].assign(weight=np.asarray(weights, float) / np.sum(weights))
    populations = history.get_all_populations()
    if progress:
        for row in populations.itertuples():
            progress(f"population {row.t}: epsilon {row.epsilon:.3g}, {row.samples} simulations")
    metadata = {
        "method": "ABC-SMC (pyabc), single core",
        "pyabc_version": pyabc.__version__,
        "seed": seed,
        "population_size": population,
        "generations": int(history.max_t + 1),
        "final_epsilon": float(populations["epsilon"].iloc[-1]),
        "simulations": int(populations["samples"].sum()),
        "effective_sample_size": round(float(1 / np.sum(frame["weight"] ** 2)), 1),
        "run_minutes": round(minutes, 2),
        "distance": "Euclidean over the nine figures, each in units of its measurement uncertainty",
        "measurement_sd": scales,
        "observed": observed,
        "priors": {p.path: {"low": p.low, "high": p.high, "why": p.why} for p in priors},
    }
    return Calibration(frame, metadata)
