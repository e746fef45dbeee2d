"""What the record pins down, and which policy conclusions survive what they leave open.

`identifiability` compares each uncertain parameter's prior with its posterior; `conclusions`
runs the three fixed EU policies on a sample of posterior parameter sets (common random numbers,
several runs per set) and reports, for each policy conclusion, the share of parameter sets in
which it holds: a conclusion that holds in some sets and not in others is a modelling choice,
not a result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import run_to_end, start
from .runner import results_from_state
from .scenarios import with_overrides
from .schema import Scenario
from .uncertainty import PRIORS, Posterior, Prior, load_posterior


@dataclass(frozen=True)
class Conclusion:
    """A policy statement: `policy` minus `baseline` on `indicator` is positive (or negative when `lower`)."""

    statement: str
    policy: str
    baseline: str
    indicator: str
    lower: bool = False


CONCLUSIONS: tuple[Conclusion, ...] = (
    Conclusion("Engage frees more people than hold", "engage", "hold", "total_released"),
    Conclusion("Tighten frees more people than hold", "tighten", "hold", "total_released"),
    Conclusion("Engage brings more new arrests than hold", "engage", "hold", "total_newly_imprisoned"),
    Conclusion("Engage leaves fewer prisoner-months than hold", "engage", "hold", "prisoner_months", lower=True),
    Conclusion("Engage raises the apolitical's belief above hold", "engage", "hold", "final_acceptance_apolitical"),
    Conclusion("Tighten deepens dependence on Russia/China over hold", "tighten", "hold", "final_dependence"),
)


def identifiability(posterior: Posterior | None = None, priors: tuple[Prior, ...] = PRIORS) -> pd.DataFrame:
    """Prior against posterior for each uncertain parameter: interval, shrinkage of spread, and a verdict."""
    frame = equal_weight_sample(posterior or load_posterior())
    rows = []
    for prior in priors:
        values = frame[prior.path]
        prior_sd = (prior.high - prior.low) / np.sqrt(12)
        shrinkage = 1 - values.std() / prior_sd
        rows.append(
            {
                "parameter": prior.path,
                "prior": f"{prior.low:g} to {prior.high:g}",
                "posterior_median": values.median(),
                "posterior_q05": values.quantile(0.05),
                "posterior_q95": values.quantile(0.95),
                "shrinkage": shrinkage,
                "verdict": _verdict(shrinkage),
            }
        )
    return pd.DataFrame(rows)


def equal_weight_sample(posterior: Posterior, size: int = 2000) -> pd.DataFrame:
    """The posterior as equally weighted rows (systematic resampling by weight), for quantiles and plots."""
    rows = posterior.pick((np.arange(size) + 0.5) / size)
    return pd.DataFrame(posterior.values[rows], columns=list(posterior.paths))


def _verdict(shrinkage: float) -> str:
    if shrinkage >= 0.5:
        return "pinned down"
    return "narrowed" if shrinkage >= 0.2 else "not pinned down (the prior range is what the app and sweeps vary)"


def conclusions(
    base: Scenario,
    posterior: Posterior | None = None,
    sets: int = 100,
    runs_per_set: int = 20,
    seed: int = 7,
    audience_size: int = 500,
) -> pd.DataFrame:
    """For each policy conclusion, the share of posterior parameter sets in which it holds, and the spread."""
    posterior = posterior or load_posterior()
    chosen = posterior.pick((np.arange(sets) + 0.5) / sets)
    parameters = {path: np.repeat(posterior.values[chosen, i], runs_per_set) for i, path in enumerate(posterior.paths)}
    policies = {c.policy for c in CONCLUSIONS} | {c.baseline for c in CONCLUSIONS}
    by_set = {policy: _set_means(base, policy, parameters, runs_per_set, seed, audience_size) for policy in policies}
    rows = []
    for conclusion in CONCLUSIONS:
        difference = by_set[conclusion.policy][conclusion.indicator] - by_set[conclusion.baseline][conclusion.indicator]
        holds = difference < 0 if conclusion.lower else difference > 0
        share = float(holds.mean())
        rows.append(
            {
                "conclusion": conclusion.statement,
                "share_of_parameter_sets": share,
                "median_difference": float(difference.median()),
                "difference_q05": float(difference.quantile(0.05)),
                "difference_q95": float(difference.quantile(0.95)),
                "robust": share >= 0.9 or share <= 0.1,
            }
        )
    return pd.DataFrame(rows)


def _set_means(
    base: Scenario, action: str, parameters: dict, runs_per_set: int, seed: int, audience_size: int
) -> pd.DataFrame:
    """Mean summary indicators per parameter set under a fixed EU action (same random numbers for every action)."""
    scenario = with_overrides(
        base,
        {"eu.policy.kind": "fixed", "eu.policy.action": action, "audience.size": audience_size},
    )
    count = len(next(iter(parameters.values())))
    summary = results_from_state(run_to_end(start(scenario, count, seed, parameters=parameters))).summary
    return summary.groupby(summary["replication"] // runs_per_set).mean(numeric_only=True)
