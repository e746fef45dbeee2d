"""Random streams: one per replication, derived from the root seed and the replication's index.

Because a replication's numbers depend only on (seed, replication index), results are identical
however replications are chunked or distributed, and two scenarios run with the same seed share
their random numbers (common random numbers), so differences between them come from the policy.

The numbers are counter-based (SplitMix64 in `kernels`): the n-th draw of a stream is a hash of
(seed, replication, stream, n), computed in compiled loops without a generator object per
replication. Random streams version 2 (see `version.RANDOM_STREAMS`); version 1 drew the same
distributions from one numpy PCG64 generator per replication and purpose, about 10x slower.
"""

from __future__ import annotations

import numpy as np

from . import kernels

# Fixed slots of the monthly uniform draws; adding a slot at the end keeps earlier slots unchanged.
RELEASE = slice(0, 3)
COMPLETION = slice(3, 6)
NEW_ARRESTS = 6
PROMINENT_ARRESTS = 7
REARRESTS = 8
DEPORTATION = 9
# One slot per story: five from the start, the sixth (divide, model v3) at the end.
NARRATIVE = [10, 11, 12, 13, 14, 41]
FRICTION = slice(15, 19)
PARTNER_OFFSET = 19
PETITIONS = slice(20, 23)
# Slots 23-25 drew the old proportional deal batches; they stay unused so later slots keep their draws.
DEAL_DEPORTATION = 26
PARDON_OCCASION = 27
ENVOY_VISIT = slice(28, 32)
DEAL_SIZE = slice(32, 36)
EARLY_COHORT_RELEASED = 36
EARLY_COHORT_COMPLETED = 37
PETITIONERS_COMPLETED = slice(38, 41)
MONTHLY_SLOTS = 42

AGENT_STREAM, MONTHLY_STREAM = 0, 1


def monthly_uniforms(seed: int, first: int, count: int, months: int) -> np.ndarray:
    """Uniform draws for every month, shape (replications, months, MONTHLY_SLOTS), from each replication's stream."""
    draws = np.empty((count, months, MONTHLY_SLOTS))
    kernels.uniform_table(seed, first, count, MONTHLY_STREAM, draws)
    return draws


def parameter_uniforms(seed: int, first: int, count: int) -> np.ndarray:
    """One uniform per replication that picks its parameter set from the posterior, shape (replications,).

    A SplitMix64 hash of (seed, replication index): like every other stream it depends only on the
    seed and the replication, but it is computed for all replications at once (no generator each).
    """
    key = (np.uint64(seed) << np.uint64(32)) | np.arange(first, first + count, dtype=np.uint64)
    z = key + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _safe(uniform: np.ndarray) -> np.ndarray:
    return np.clip(uniform, 1e-12, 1 - 1e-12)


def _flat(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return (values if values.shape == shape else np.broadcast_to(values, shape)).reshape(-1)


def binomial(uniform: np.ndarray, trials: np.ndarray, probability: np.ndarray | float) -> np.ndarray:
    """Binomial counts by inverse CDF, so a larger probability never gives fewer successes (monotone coupling)."""
    uniform, trials, probability = (
        np.asarray(uniform, np.float64),
        np.asarray(trials, np.int64),
        np.asarray(probability, np.float64),
    )
    shape = np.broadcast_shapes(uniform.shape, trials.shape, probability.shape)
    counts = np.empty(shape, dtype=np.int64)
    kernels.binomial(_flat(uniform, shape), _flat(trials, shape), _flat(probability, shape), counts.reshape(-1))
    return counts


def poisson(uniform: np.ndarray, mean: np.ndarray | float) -> np.ndarray:
    """Poisson counts by inverse CDF (monotone in the mean)."""
    uniform, mean = np.broadcast_arrays(_safe(uniform), np.asarray(mean, np.float64))
    counts = np.empty(uniform.shape, dtype=np.int64)
    kernels.poisson(uniform.ravel(), mean.ravel(), counts.reshape(-1))
    return counts
