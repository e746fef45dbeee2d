"""Bayesian calibration to the record (July 2024 - September 2025): ABC-SMC on means over runs, batched.

Why this method. A run of this model is lumpy (a pardon occasion held or not moves a month by
20-60 people), so comparing the record with one run accepts parameter sets for lucky draws. Here
each parameter set runs `runs_per_set` replications and its distance is the largest error of the
*mean* over them, over every target of the record, each in units of its tolerance
(`record.record_targets`): d = maxₖ |meanₖ − observedₖ| / toleranceₖ. A set whose mean path misses
any target by more than its tolerance has d > 1. ABC-SMC (Beaumont et al. 2009; Del Moral et al.
2012) lowers the threshold population by population (the median distance of the last one, down
to `final_epsilon`, 1 by default): it keeps the sets within the new threshold, resamples them to
the population's size and moves each by a few Metropolis steps (a Gaussian kernel scaled from the
population's covariance, folded back at the walls of the uniform priors; a step is kept when its
distance is within the threshold), so the weights stay equal instead of degenerating in twenty
dimensions. A
whole population of parameter sets runs in one model call (per-replication parameters, as in
`batching.py`), so it takes minutes on a laptop; it needs numpy only, and the same seed gives the
same posterior.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .model import run_to_end, start
from .record import RECORD_END, RECORD_PRESET, Target, record_targets, target_values
from .scenarios import load_preset, with_overrides
from .schema import Scenario, month_index
from .uncertainty import PRIORS, Prior


def calibration_scenario(base: Scenario | None = None, audience_size: int = 200) -> Scenario:
    """The scenario the calibration runs: as_it_happened up to the end of the record, one parameter set per run."""
    base = base or load_preset(RECORD_PRESET)
    months = month_index(RECORD_END) - month_index(base.simulation.start) + 1
    overrides = {"simulation.months": months, "audience.size": audience_size, "simulation.uncertainty": "none"}
    return with_overrides(base, overrides)


def simulate_means(
    scenario: Scenario, values: dict[str, np.ndarray], runs_per_set: int, seed: int, targets: list[Target]
) -> np.ndarray:
    """Mean of each target over `runs_per_set` runs of each parameter set, shape (sets, targets): one model call."""
    sets = len(next(iter(values.values())))
    parameters = {path: np.repeat(np.asarray(v, float), runs_per_set) for path, v in values.items()}
    state = run_to_end(start(scenario, sets * runs_per_set, seed, parameters=parameters))
    per_run = target_values(state.history, scenario, targets)
    return per_run.reshape(sets, runs_per_set, -1).mean(axis=1)


def synthetic_targets(
    values: dict[str, float], runs: int = 2000, seed: int = 99, base: Scenario | None = None, audience_size: int = 200
) -> list[Target]:
    """The record's targets with the observed figures replaced by the model's means at known parameter values."""
    targets = record_targets()
    scenario = calibration_scenario(base, audience_size)
    means = simulate_means(scenario, {p: np.array([v]) for p, v in values.items()}, runs, seed, targets)[0]
    return [replace(t, observed=float(m)) for t, m in zip(targets, means, strict=True)]


def distances(means: np.ndarray, targets: list[Target]) -> np.ndarray:
    """Largest error of a set's mean path over the targets, in units of each target's tolerance, shape (sets,)."""
    observed = np.array([t.observed for t in targets])
    tolerance = np.array([t.tolerance for t in targets])
    return (np.abs(means - observed) / tolerance).max(axis=1)


@dataclass(frozen=True)
class Calibration:
    """The last population: parameter sets with importance weights (column 'weight', summing to 1), and provenance."""

    posterior: pd.DataFrame
    metadata: dict


def _reflect(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Fold values back into the prior box at its walls: the proposal stays symmetric, so Metropolis holds."""
    span = high - low
    folded = np.mod(values - low, 2 * span)
    return low + np.where(folded > span, 2 * span - folded, folded)


def abc_smc(
    population: int = 1500,
    runs_per_set: int = 8,
    seed: int = 2024,
    final_epsilon: float = 1.0,
    max_minutes: float = 20.0,
    max_generations: int = 30,
    moves: int = 3,
    max_moves: int = 40,
    moved_share: float = 0.7,
    alive_share: float = 0.5,
    batch_sets: int = 1500,
    priors: tuple[Prior, ...] = PRIORS,
    base: Scenario | None = None,
    audience_size: int = 200,
    progress: Callable[[str], None] | None = None,
    targets: list[Target] | None = None,
) -> Calibration:
    """Run ABC-SMC with MCMC moves to the record; return the last population (equal weights) and its provenance.

    targets: what to reproduce (the record's by default; `synthetic_targets` for a recovery test).
    """
    rng = np.random.default_rng(seed)
    scenario = calibration_scenario(base, audience_size)
    targets = targets or record_targets()
    low = np.array([p.low for p in priors])
    high = np.array([p.high for p in priors])
    began = time.perf_counter()
    say = progress or (lambda line: None)
    counts = {"simulations": 0, "batches": 0}

    def evaluate(sets: np.ndarray) -> np.ndarray:
        result = np.empty(len(sets))
        for first in range(0, len(sets), batch_sets):
            chunk = sets[first : first + batch_sets]
            counts["batches"] += 1
            counts["simulations"] += len(chunk) * runs_per_set
            values = {p.path: chunk[:, i] for i, p in enumerate(priors)}
            means = simulate_means(scenario, values, runs_per_set, seed + counts["batches"], targets)
            result[first : first + len(chunk)] = distances(means, targets)
        return result

    particles = low + (high - low) * rng.random((population, len(priors)))
    dist = evaluate(particles)
    history: list[dict] = []
    epsilon = np.inf
    for generation in range(1, max_generations + 1):
        epsilon = max(final_epsilon, float(np.quantile(dist, alive_share)))
        alive = np.flatnonzero(dist <= epsilon)
        chosen = rng.choice(alive, size=population)
        particles, dist = particles[chosen].copy(), dist[chosen].copy()
        # The scale that suits a random-walk Metropolis step in this many dimensions (Roberts and Rosenthal 2001).
        cov = 2.38**2 / len(priors) * np.cov(particles.T) + 1e-12 * np.eye(len(priors))
        moved, tried, planned, ever_moved = 0, 0, moves, np.zeros(population, bool)
        while tried < planned:
            step = rng.multivariate_normal(np.zeros(len(priors)), cov, size=population)
            proposed = _reflect(particles + step, low, high)
            proposed_dist = evaluate(proposed)
            accept = proposed_dist <= epsilon
            particles[accept], dist[accept] = proposed[accept], proposed_dist[accept]
            moved, tried, ever_moved = moved + int(accept.sum()), tried + 1, ever_moved | accept
            # Enough steps that most resampled copies move at least once (distinct sets, not duplicates).
            rate = max(moved / (tried * population), 1e-3)
            planned = int(min(max_moves, max(moves, np.ceil(np.log(1 - moved_share) / np.log(1 - rate)))))
        minutes = (time.perf_counter() - began) / 60
        per_generation = minutes / generation
        # Thresholds have fallen by a roughly constant factor per generation: extrapolate it to final_epsilon.
        shrink = (epsilon / history[0]["epsilon"]) ** (1 / generation) if history else 0.7
        ahead = np.log(final_epsilon / epsilon) / np.log(min(shrink, 0.99)) if epsilon > final_epsilon else 0.0
        say(
            f"generation {generation}: epsilon {epsilon:.2f}, {tried} moves ({moved / (tried * population):.0%} "
            f"accepted; {ever_moved.mean():.0%} of sets moved), {minutes:.1f} min so far, "
            f"about {ahead * per_generation:.1f} min left"
        )
        history.append(
            {"generation": generation, "epsilon": round(epsilon, 4), "moves": tried, "moves_accepted": moved}
        )
        if epsilon <= final_epsilon or minutes > max_minutes:
            break
    distinct = np.unique(particles, axis=0, return_counts=True)[1]
    frame = pd.DataFrame(particles, columns=[p.path for p in priors]).assign(weight=1.0 / population)
    metadata = {
        "method": "ABC-SMC with MCMC moves (Del Moral, Doucet and Jasra 2012) on the mean over runs of each "
        "parameter set; numpy, batched (simulator.core.inference)",
        "seed": seed,
        "population_size": population,
        "runs_per_set": runs_per_set,
        "audience_size": audience_size,
        "generations": history,
        "final_epsilon": float(epsilon),
        "reached_final_epsilon": bool(epsilon <= final_epsilon),
        "simulations": counts["simulations"],
        "distinct_sets": int(len(distinct)),
        "effective_sample_size": round(float(distinct.sum() ** 2 / np.sum(distinct**2)), 1),
        "run_minutes": round((time.perf_counter() - began) / 60, 2),
        "distance": "largest error of the mean over runs_per_set runs, over every target, in units of its tolerance",
        "targets": {t.name: {"observed": t.observed, "tolerance": t.tolerance, "why": t.why} for t in targets},
        "record_preset": RECORD_PRESET,
        "record_end": RECORD_END,
        "priors": {p.path: {"low": p.low, "high": p.high, "why": p.why} for p in priors},
    }
    return Calibration(frame, metadata)
