"""Compiled inner loops (Numba): the audience month and count draws, fused over replications and agents.

Each kernel makes one pass over memory instead of the dozen temporary arrays the same numpy
code needs; compiled code is cached on disk, so only the very first run pays the compilation.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Inverse-CDF search is exact below this mean; above it the normal approximation is accurate to
# well under one person and avoids underflow of the first probability.
_EXACT_MEAN = 40.0


# Agents' traits are stored as 16-bit fractions of their range: the audience of a default run does not
# fit in the processor's caches, so each month's pass is bound by memory, and 2 bytes a trait instead of
# 4 make it faster (a resolution of 1/65,535, far below what the model's data can tell apart).
TRAIT_STEPS = 65535
_PER_STEP = np.float32(1 / TRAIT_STEPS)


@njit(cache=True, inline="always")
def _mobilised(belief, grievance, threshold, shift):
    return grievance * (np.float32(1.0) - belief) - threshold > shift


@njit(cache=True, fastmath=True, inline="always")
def _tally(beliefs, grievance, threshold, threshold_low, threshold_step, shift):
    """How many agents of one group mobilise at these beliefs (aligned slices)."""
    count = 0
    for k in range(beliefs.shape[0]):
        held = np.float32(grievance[k]) * _PER_STEP
        bar = threshold_low + threshold_step * np.float32(threshold[k])
        count += np.int64(_mobilised(beliefs[k], held, bar, shift))
    return count


@njit(cache=True)
def mobilised_by_group(beliefs, grievance, threshold, threshold_low, threshold_step, shift, bounds, out):
    """Fill out (replications, 3) with the share of each group that mobilises."""
    for r in range(beliefs.shape[0]):
        for g in range(3):
            lo, hi = bounds[g, 0], bounds[g, 1]
            count = _tally(
                beliefs[r, lo:hi],
                grievance[r, lo:hi],
                threshold[r, lo:hi],
                threshold_low[r],
                threshold_step[r],
                shift[r],
            )
            out[r, g] = count / (hi - lo) if hi > lo else 0.0


@njit(cache=True, fastmath=True, inline="always")
def _converse(own, contacts, new_beliefs, grievance, threshold, threshold_low, threshold_step, bound, strength, shift):
    """Each agent (own) meets the contact in the same position (contacts): bounded confidence, clipping.

    All arrays are aligned slices of equal length, so the loop has no index arithmetic and
    vectorises. Returns (belief sum, mobilised count).
    """
    belief_sum, mobilised_count = 0.0, 0
    for k in range(own.shape[0]):
        gap = contacts[k] - own[k]
        # Arithmetic instead of branches: the conditions are random, so branches mispredict.
        value = own[k] + strength * gap * np.float32(abs(gap) < bound)
        value = min(max(value, np.float32(0.0)), np.float32(1.0))
        new_beliefs[k] = value
        belief_sum += value
        held = np.float32(grievance[k]) * _PER_STEP
        bar = threshold_low + threshold_step * np.float32(threshold[k])
        mobilised_count += np.int64(_mobilised(value, held, bar, shift))
    return belief_sum, mobilised_count


@njit(cache=True, fastmath=True, inline="always")
def _hear(beliefs, state_diet, initial_belief, rates, state_signal, independent_signal, heard):
    """What each agent of one group makes of its media and its old belief, before talking.

    rates: the replication's (persistence, learning, independent learning, stubbornness). The media
    weights follow from the agent's diet, so only the diet is read from memory. Aligned slices
    indexed from zero: with loop bounds read from an array, the compiler could not rule out
    negative indices and left the loop scalar (about 3 ns an agent instead of 0.3).
    """
    persistence, learning, independent_learning, stubbornness = rates[0], rates[1], rates[2], rates[3]
    for k in range(beliefs.shape[0]):
        diet = np.float32(state_diet[k]) * _PER_STEP
        state_weight = learning * diet
        independent_weight = independent_learning * (np.float32(1.0) - diet)
        heard[k] = (
            beliefs[k] * (persistence - state_weight - independent_weight)
            + stubbornness * (np.float32(initial_belief[k]) * _PER_STEP)
            + state_weight * state_signal
            + independent_weight * independent_signal
        )


@njit(cache=True, fastmath=True)
def audience_month(
    beliefs,
    state_diet,
    initial_belief,
    grievance,
    threshold,
    rates,
    state_signal,
    independent_signal,
    offsets,
    bound,
    strength,
    shift,
    bounds,
    new_beliefs,
    acceptance,
    mobilised,
):
    """Media exposure (state media's story as each group receives it), one bounded-confidence contact,
    clipping and group tallies for every agent. state_signal: (replications, 3); rates: (replications, 6),
    the persistence, learning, independent learning and stubbornness `_hear` reads, then the lowest
    protest threshold and the threshold's step per trait step."""
    replications, agents = beliefs.shape
    heard = np.empty(agents, dtype=np.float32)
    for r in range(replications):
        for g in range(3):
            lo, hi = bounds[g, 0], bounds[g, 1]
            _hear(
                beliefs[r, lo:hi],
                state_diet[r, lo:hi],
                initial_belief[r, lo:hi],
                rates[r],
                state_signal[r, g],
                independent_signal[r],
                heard[lo:hi],
            )
        offset = offsets[r] % agents
        # The contact of agent i is i + offset, wrapping round: two straight runs, so each loop vectorises.
        wrap = agents - offset
        for g in range(3):
            lo, hi = bounds[g, 0], bounds[g, 1]
            mid = min(max(wrap, lo), hi)
            head_sum, head_count = _converse(
                heard[lo:mid],
                heard[lo + offset : mid + offset],
                new_beliefs[r, lo:mid],
                grievance[r, lo:mid],
                threshold[r, lo:mid],
                rates[r, 4],
                rates[r, 5],
                bound,
                strength,
                shift[r],
            )
            tail_sum, tail_count = _converse(
                heard[mid:hi],
                heard[mid - wrap : hi - wrap],
                new_beliefs[r, mid:hi],
                grievance[r, mid:hi],
                threshold[r, mid:hi],
                rates[r, 4],
                rates[r, 5],
                bound,
                strength,
                shift[r],
            )
            if hi > lo:
                acceptance[r, g] = (head_sum + tail_sum) / (hi - lo)
                mobilised[r, g] = (head_count + tail_count) / (hi - lo)


@njit(cache=True)
def _inverse_normal(u):
    """Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9)."""
    a = (
        -3.969683028665376e01,
        2.209460984245205e02,
        -2.759285104469687e02,
        1.383577518672690e02,
        -3.066479806614716e01,
        2.506628277459239e00,
    )
    b = (
        -5.447609879822406e01,
        1.615858368580409e02,
        -1.556989798598866e02,
        6.680131188771972e01,
        -1.328068155288572e01,
    )
    c = (
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e00,
        -2.549732539343734e00,
        4.374664141464968e00,
        2.938163982698783e00,
    )
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
    if u < 0.02425:
        q = math.sqrt(-2 * math.log(u))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    if u > 1 - 0.02425:
        return -_inverse_normal(1 - u)
    q = u - 0.5
    r = q * q
    return (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )


@njit(cache=True)
def _binomial_lower(u, n, p):
    """Binomial inverse CDF for p <= 0.5."""
    mean = n * p
    if n == 0 or p <= 0.0:
        return 0
    if mean > _EXACT_MEAN:
        k = math.floor(mean + math.sqrt(mean * (1 - p)) * _inverse_normal(u) + 0.5)
        return min(max(k, 0), n)
    ratio = p / (1 - p)
    pmf = math.exp(n * math.log1p(-p))
    cdf = pmf
    k = 0
    while cdf < u and k < n:
        pmf *= (n - k) / (k + 1) * ratio
        k += 1
        cdf += pmf
        if pmf < 1e-300 and k > mean:
            break
    return k


@njit(cache=True)
def binomial(uniform, trials, probability, out):
    """Fill out with binomial counts by inverse CDF of the uniforms (all arrays flat, same length).

    Uniforms are kept 1e-12 inside (0, 1), where the search and the normal quantile are exact.
    """
    for i in range(uniform.shape[0]):
        n, p, u = trials[i], min(max(probability[i], 0.0), 1.0), min(max(uniform[i], 1e-12), 1 - 1e-12)
        if p > 0.5:
            # Count failures instead: n - X(1 - u) is still increasing in u.
            out[i] = n - _binomial_lower(1 - u, n, 1 - p)
        else:
            out[i] = _binomial_lower(u, n, p)


@njit(cache=True)
def poisson(uniform, mean, out):
    """Fill out with Poisson counts by inverse CDF of the uniforms (flat arrays)."""
    for i in range(uniform.shape[0]):
        m, u = max(mean[i], 0.0), uniform[i]
        if m > _EXACT_MEAN:
            out[i] = max(math.floor(m + math.sqrt(m) * _inverse_normal(u) + 0.5), 0)
            continue
        pmf = math.exp(-m)
        cdf = pmf
        k = 0
        while cdf < u:
            k += 1
            pmf *= m / k
            cdf += pmf
            if pmf < 1e-300 and k > m:
                break
        out[i] = k


# --- counter-based random numbers ---------------------------------------------------------------------------
# SplitMix64 (Steele, Lea and Flood 2014): the n-th number of a stream is a hash of its key plus n times the
# golden gamma, so any draw is computed directly from (seed, replication, stream, n), in any order, and the
# loops that fill arrays with them vectorise.
_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 2.0**-53


@njit(cache=True, inline="always")
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * _MIX_1
    z = (z ^ (z >> np.uint64(27))) * _MIX_2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def stream_key(seed, replication, stream):
    """The key of one replication's stream: a hash of the root seed, the replication's index and the purpose."""
    key = _mix(np.uint64(seed) + _GAMMA)
    key = _mix(key + np.uint64(replication) + _GAMMA)
    return _mix(key + np.uint64(stream) + _GAMMA)


@njit(cache=True)
def fill_uniforms(key, out):
    """Fill out (flat, float64) with the stream's numbers 0, 1, ... as uniforms in (0, 1), never 0 or 1."""
    for n in range(out.shape[0]):
        out[n] = (np.float64(_mix(key + np.uint64(n + 1) * _GAMMA) >> np.uint64(11)) + 0.5) * _TO_UNIT


@njit(cache=True)
def uniform_table(seed, first, count, stream, out):
    """Fill out (count, ...) row by row: row r from the stream of replication first + r."""
    flat = out.reshape(count, -1)
    for r in range(count):
        fill_uniforms(stream_key(seed, first + r, stream), flat[r])


# error_model="numpy": no check for division by zero, which would keep the loop scalar.
@njit(cache=True, fastmath=True, error_model="numpy")
def _normal_centre(u, out):
    """The normal quantile's central formula (Acklam) for every uniform; tails are redone by `_normal_tails`."""
    for k in range(u.shape[0]):
        q = u[k] - 0.5
        r = q * q
        out[k] = (
            (
                (
                    (
                        ((-3.969683028665376e01 * r + 2.209460984245205e02) * r - 2.759285104469687e02) * r
                        + 1.383577518672690e02
                    )
                    * r
                    - 3.066479806614716e01
                )
                * r
                + 2.506628277459239e00
            )
            * q
            / (
                (
                    (
                        ((-5.447609879822406e01 * r + 1.615858368580409e02) * r - 1.556989798598866e02) * r
                        + 6.680131188771972e01
                    )
                    * r
                    - 1.328068155288572e01
                )
                * r
                + 1
            )
        )


@njit(cache=True, error_model="numpy")
def _normal_tails(u, out):
    """Redo the normal quantile where the uniform is in a tail (about 5% of draws): Acklam's tail formula.

    The tail draws are listed first, so the logarithm is computed for them alone.
    """
    tails = np.empty(u.shape[0], dtype=np.int64)
    count = 0
    for k in range(u.shape[0]):
        tails[count] = k
        count += min(u[k], 1.0 - u[k]) < 0.02425
    for j in range(count):
        k = tails[j]
        q = math.sqrt(-2.0 * math.log(min(u[k], 1.0 - u[k])))
        numerator = (
            (
                ((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e00) * q
                - 2.549732539343734e00
            )
            * q
            + 4.374664141464968e00
        ) * q + 2.938163982698783e00
        denominator = (
            ((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e00) * q + 3.754408661907416e00
        ) * q + 1
        out[k] = numerator / denominator if u[k] < 0.5 else -numerator / denominator


@njit(cache=True, inline="always")
def _fraction(value):
    return np.uint16(min(max(value, np.float32(0.0)), np.float32(1.0)) * np.float32(TRAIT_STEPS) + np.float32(0.5))


@njit(cache=True, fastmath=True, error_model="numpy")
def _agent_traits(draws, normals, means, diet_spread, state_diet, beliefs, initial_belief, grievance, threshold):
    """One replication's agents from their draws: logit-normal diets, normal beliefs and grievances, uniform
    thresholds. means: (3, agents) diet logit, initial belief, grievance."""
    agents = state_diet.shape[0]
    f32 = np.float32
    for i in range(agents):
        state_diet[i] = _fraction(f32(1) / (f32(1) + math.exp(-(means[0, i] + diet_spread * f32(normals[i])))))
        belief = _fraction(means[1, i] + f32(0.1) * f32(normals[agents + i]))
        initial_belief[i] = belief
        beliefs[i] = f32(belief) * _PER_STEP
        grievance[i] = _fraction(means[2, i] + f32(0.15) * f32(normals[2 * agents + i]))
        threshold[i] = _fraction(f32(draws[3 * agents + i]))


@njit(cache=True)
def draw_audience(seed, first, stream, means, diet_spread, state_diet, beliefs, initial_belief, grievance, threshold):
    """Every replication's agents (rows of the (replications, agents) outputs) from its own agent stream."""
    agents = state_diet.shape[1]
    draws = np.empty(4 * agents)
    normals = np.empty(3 * agents)
    for r in range(state_diet.shape[0]):
        fill_uniforms(stream_key(seed, first + r, stream), draws)
        _normal_centre(draws[: 3 * agents], normals)
        _normal_tails(draws[: 3 * agents], normals)
        _agent_traits(
            draws,
            normals,
            means,
            np.float32(diet_spread),
            state_diet[r],
            beliefs[r],
            initial_belief[r],
            grievance[r],
            threshold[r],
        )
