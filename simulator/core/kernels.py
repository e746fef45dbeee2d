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


@njit(cache=True)
def _mobilised(belief, grievance, grievance_over_threshold, shift):
    return grievance_over_threshold - grievance * belief > shift


@njit(cache=True)
def mobilised_by_group(beliefs, grievance, grievance_over_threshold, shift, bounds, out):
    """Fill out (replications, 3) with the share of each group that mobilises."""
    for r in range(beliefs.shape[0]):
        for g in range(3):
            lo, hi = bounds[g, 0], bounds[g, 1]
            count = 0
            for i in range(lo, hi):
                if _mobilised(beliefs[r, i], grievance[r, i], grievance_over_threshold[r, i], shift[r]):
                    count += 1
            out[r, g] = count / (hi - lo) if hi > lo else 0.0


@njit(cache=True, fastmath=True, inline="always")
def _converse(own, contacts, new_beliefs, grievance, grievance_over_threshold, bound, strength, shift):
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
        mobilised_count += np.int64(_mobilised(value, grievance[k], grievance_over_threshold[k], shift))
    return belief_sum, mobilised_count


@njit(cache=True, fastmath=True, inline="always")
def _hear(beliefs, keep, anchor, state_weight, independent_weight, state_signal, independent_signal, heard):
    """What each agent of one group makes of its media and its old belief, before talking.

    Aligned slices indexed from zero: with loop bounds read from an array, the compiler could not
    rule out negative indices and left the loop scalar (about 3 ns an agent instead of 0.3).
    """
    for k in range(beliefs.shape[0]):
        heard[k] = (
            beliefs[k] * keep[k]
            + anchor[k]
            + state_weight[k] * state_signal
            + independent_weight[k] * independent_signal
        )


@njit(cache=True, fastmath=True)
def audience_month(
    beliefs,
    keep,
    anchor,
    state_weight,
    independent_weight,
    grievance,
    grievance_over_threshold,
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
    clipping and group tallies for every agent. state_signal: (replications, 3)."""
    replications, agents = beliefs.shape
    heard = np.empty(agents, dtype=np.float32)
    for r in range(replications):
        for g in range(3):
            lo, hi = bounds[g, 0], bounds[g, 1]
            _hear(
                beliefs[r, lo:hi],
                keep[r, lo:hi],
                anchor[r, lo:hi],
                state_weight[r, lo:hi],
                independent_weight[r, lo:hi],
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
                grievance_over_threshold[r, lo:mid],
                bound,
                strength,
                shift[r],
            )
            tail_sum, tail_count = _converse(
                heard[mid:hi],
                heard[mid - wrap : hi - wrap],
                new_beliefs[r, mid:hi],
                grievance[r, mid:hi],
                grievance_over_threshold[r, mid:hi],
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
    """Fill out with binomial counts by inverse CDF of the uniforms (all arrays flat, same length)."""
    for i in range(uniform.shape[0]):
        n, p, u = trials[i], min(max(probability[i], 0.0), 1.0), uniform[i]
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
