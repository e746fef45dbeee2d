"""The domestic audience: agents as rows of arrays, shaped (replications, agents).

Agents are sorted by group (supporters, apolitical, opposition) so that group figures are slices.
Each month an agent's belief in the regime's story moves towards what its media say, then towards
a like-minded contact (bounded confidence, Deffuant et al. 2000), and opposition-minded agents may
mobilise when grievance times disbelief clears their threshold (Granovetter 1978), which the risk
of arrest raises and others' mobilisation lowers. Each agent also keeps a share of its initial
belief every month (stubbornness, Friedkin and Johnsen 1990), so group identities persist.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .schema import AudienceParams

GROUPS: tuple[str, ...] = ("supporter", "apolitical", "opposition")


@dataclass(frozen=True)
class Audience:
    """Fixed traits of every agent, arrays shaped (replications, agents); beliefs live in the model state."""

    group_bounds: tuple[tuple[int, int], ...]
    keep: np.ndarray
    anchor: np.ndarray
    state_weight: np.ndarray
    independent_weight: np.ndarray
    grievance: np.ndarray
    grievance_over_threshold: np.ndarray


def group_sizes(params: AudienceParams) -> tuple[int, int, int]:
    """Agents per group, from the shares, always summing to the audience size."""
    supporters = round(params.size * params.supporter_share)
    opposition = round(params.size * params.opposition_share)
    opposition = min(opposition, params.size - supporters)
    return supporters, params.size - supporters - opposition, opposition


def _group_means(params: AudienceParams, field: str) -> np.ndarray:
    return np.array([getattr(params, f"{field}_{g}") for g in GROUPS])


def create_audience(params: AudienceParams, generators: list[np.random.Generator]) -> tuple[Audience, np.ndarray]:
    """Draw every replication's agents; return their fixed traits and initial beliefs."""
    sizes = group_sizes(params)
    edges = np.cumsum((0,) + sizes)
    bounds = tuple((int(edges[i]), int(edges[i + 1])) for i in range(3))
    group_of = np.repeat(np.arange(3), sizes)
    diet_mean = np.clip(_group_means(params, "state_media")[group_of], 1e-3, 1 - 1e-3)
    belief_mean = _group_means(params, "initial_belief")[group_of]
    grievance_mean = _group_means(params, "grievance")[group_of]
    normals = np.empty((len(generators), 3, params.size), dtype=np.float32)
    uniforms = np.empty((len(generators), params.size), dtype=np.float32)
    for r, rng in enumerate(generators):
        rng.standard_normal(out=normals[r], dtype=np.float32)
        rng.random(out=uniforms[r], dtype=np.float32)
    # Logit-normal media diets: a group's mean diet, spread so that most people sit near it.
    state_diet = 1 / (1 + np.exp(-(np.log(diet_mean / (1 - diet_mean)) + params.diet_spread * normals[:, 0])))
    beliefs = np.clip(belief_mean + 0.1 * normals[:, 1], 0, 1)
    grievance = np.clip(grievance_mean + 0.15 * normals[:, 2], 0, 1)
    threshold = params.threshold_mean + params.threshold_spread * (uniforms - 0.5) * 2
    learning = params.learning_rate * (1 - params.stubbornness)
    state_weight = learning * state_diet
    independent_weight = learning * (1 - state_diet) * params.independent_media_reach
    audience = Audience(
        group_bounds=bounds,
        keep=((1 - params.stubbornness) - state_weight - independent_weight).astype(np.float32),
        anchor=(params.stubbornness * beliefs).astype(np.float32),
        state_weight=state_weight.astype(np.float32),
        independent_weight=independent_weight.astype(np.float32),
        grievance=grievance.astype(np.float32),
        grievance_over_threshold=(grievance - threshold).astype(np.float32),
    )
    return audience, beliefs.astype(np.float32)


def update_beliefs(
    audience: Audience,
    beliefs: np.ndarray,
    state_signal: np.ndarray,
    independent_signal: np.ndarray,
    partner_offset: np.ndarray,
    params: AudienceParams,
) -> np.ndarray:
    """New beliefs after one month of media exposure and one bounded-confidence conversation.

    beliefs: (replications, agents) in [0, 1]; signals: (replications,) in [0, 1], what state and
    independent media make of the regime's story; partner_offset: (replications,) ints, the cyclic
    shift that pairs each agent with a contact this month.
    """
    heard = beliefs * audience.keep
    heard += audience.anchor
    media = audience.state_weight * state_signal[:, None].astype(np.float32)
    heard += media
    np.multiply(audience.independent_weight, independent_signal[:, None].astype(np.float32), out=media)
    heard += media
    agents = heard.shape[1]
    doubled = np.concatenate([heard, heard], axis=1)
    windows = np.lib.stride_tricks.sliding_window_view(doubled, agents, axis=1)
    contact = windows[np.arange(heard.shape[0]), partner_offset % agents]
    gap = np.subtract(contact, heard, out=contact)
    np.abs(gap, out=media)
    # Multiplying by the mask is several times faster than masked assignment on random masks.
    gap *= np.float32(params.influence_strength) * (media < params.confidence_bound)
    heard += gap
    return np.clip(heard, 0.0, 1.0, out=heard)


def mobilised(audience: Audience, beliefs: np.ndarray, threshold_shift: np.ndarray) -> np.ndarray:
    """Which agents mobilise: grievance times disbelief above threshold plus shift; (replications, agents) bool."""
    drive = audience.grievance_over_threshold - audience.grievance * beliefs
    return drive > threshold_shift[:, None].astype(np.float32)


def group_means(audience: Audience, values: np.ndarray) -> np.ndarray:
    """Mean of an agent quantity (float beliefs or bool flags) by group, shape (replications, 3); empty groups give 0."""
    out = np.zeros((values.shape[0], 3))
    for g, (lo, hi) in enumerate(audience.group_bounds):
        if hi > lo:
            part = values[:, lo:hi]
            if part.dtype == bool:
                total = part.view(np.uint8).sum(axis=1, dtype=np.int32)
            else:
                total = part @ np.ones(hi - lo, dtype=part.dtype)
            out[:, g] = total / (hi - lo)
    return out


def overall_mean(audience: Audience, by_group: np.ndarray) -> np.ndarray:
    """Population mean from group means, shape (replications,)."""
    sizes = np.array([hi - lo for lo, hi in audience.group_bounds], dtype=float)
    return by_group @ sizes / sizes.sum()
