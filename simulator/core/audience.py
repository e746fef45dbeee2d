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
from pydantic import model_validator

from . import kernels, streams
from .parameters import Group, param


class AudienceParams(Group):
    """The domestic audience: groups, media diets, beliefs, social influence and mobilisation."""

    size: int = param(
        2000,
        ge=30,
        le=50_000,
        unit="agents",
        label="Audience agents",
        help="Agents simulated per replication; a representative sample of the population.",
    )
    supporter_share: float = param(
        0.3, ge=0, le=1, unit="share", label="Supporters", help="Share of the population who support the regime."
    )
    opposition_share: float = param(
        0.2, ge=0, le=1, unit="share", label="Opposition", help="Share in opposition; the rest are apolitical."
    )
    state_media_supporter: float = param(
        0.85,
        ge=0,
        le=1,
        unit="share",
        label="State media diet (supporters)",
        help="Average share of supporters' news that comes from state media.",
    )
    state_media_apolitical: float = param(
        0.6,
        ge=0,
        le=1,
        unit="share",
        label="State media diet (apolitical)",
        help="Average share of apolitical people's news from state media.",
    )
    state_media_opposition: float = param(
        0.2,
        ge=0,
        le=1,
        unit="share",
        label="State media diet (opposition)",
        help="Average share of the opposition's news from state media.",
    )
    diet_spread: float = param(
        0.8,
        ge=0,
        le=3,
        unit="logit sd",
        label="Media diet spread",
        help="How much media diets differ within a group (spread on the log-odds scale).",
        advanced=True,
    )
    independent_media_reach: float = param(
        0.6,
        ge=0,
        le=1,
        unit="share",
        label="Independent media reach",
        help="How much of the non-state news diet independent and diaspora media "
        "actually deliver (blocking lowers it).",
    )
    independent_critique: float = param(
        0.85,
        ge=0,
        le=1,
        unit="share",
        label="Independent media critique",
        help="How strongly independent media discount the regime's story.",
        advanced=True,
    )
    learning_rate: float = param(
        0.15,
        ge=0,
        le=1,
        unit="per month",
        label="Belief updating speed",
        help="How far beliefs move towards what the media say each month.",
    )
    initial_belief_supporter: float = param(
        0.8,
        ge=0,
        le=1,
        unit="probability",
        label="Initial belief (supporters)",
        help="Supporters' initial belief in the regime's story.",
    )
    initial_belief_apolitical: float = param(
        0.5,
        ge=0,
        le=1,
        unit="probability",
        label="Initial belief (apolitical)",
        help="Apolitical people's initial belief.",
    )
    initial_belief_opposition: float = param(
        0.15,
        ge=0,
        le=1,
        unit="probability",
        label="Initial belief (opposition)",
        help="The opposition's initial belief.",
    )
    stubbornness: float = param(
        0.1,
        ge=0,
        le=1,
        unit="share",
        label="Stubbornness",
        help="Share of their initial belief people hold on to each month, whatever they hear.",
        advanced=True,
    )
    credibility_consistent: float = param(
        0.85,
        ge=0,
        le=1,
        unit="probability",
        label="Credibility when events fit",
        help="How believable a story is when visible events match it.",
    )
    credibility_contradicted: float = param(
        0.25,
        ge=0,
        le=1,
        unit="probability",
        label="Credibility when contradicted",
        help="How believable a story is when events contradict it.",
    )
    confidence_bound: float = param(
        0.3,
        ge=0,
        le=1,
        unit="belief",
        label="Open-mindedness",
        help="Bounded confidence: people only listen to those whose belief differs by less than this.",
        advanced=True,
    )
    influence_strength: float = param(
        0.3,
        ge=0,
        le=0.5,
        unit="share",
        label="Social influence",
        help="How far a person moves towards a like-minded contact each month.",
        advanced=True,
    )
    grievance_supporter: float = param(
        0.1,
        ge=0,
        le=1,
        unit="index 0-1",
        label="Grievance (supporters)",
        help="Average grievance of supporters.",
        advanced=True,
    )
    grievance_apolitical: float = param(
        0.3,
        ge=0,
        le=1,
        unit="index 0-1",
        label="Grievance (apolitical)",
        help="Average grievance of apolitical people.",
        advanced=True,
    )
    grievance_opposition: float = param(
        0.7, ge=0, le=1, unit="index 0-1", label="Grievance (opposition)", help="Average grievance of the opposition."
    )
    threshold_mean: float = param(
        0.5,
        ge=0,
        le=2,
        unit="index",
        label="Protest threshold",
        help="Average threshold a person's grievance times disbelief must pass to mobilise.",
        advanced=True,
    )
    threshold_spread: float = param(
        0.3,
        ge=0,
        le=1,
        unit="index",
        label="Threshold spread",
        help="Spread of protest thresholds around their average.",
        advanced=True,
    )
    deterrence: float = param(
        0.3,
        ge=0,
        le=3,
        unit="index per repression",
        label="Deterrence by arrests",
        help="How much the risk of arrest raises everyone's protest threshold.",
    )
    social_proof: float = param(
        2.0,
        ge=0,
        le=20,
        unit="index per share",
        label="Social proof",
        help="How much others' mobilisation last month lowers thresholds.",
        advanced=True,
    )
    supporter_trust: float = param(
        0.5,
        ge=0,
        le=1,
        unit="share of doubt removed",
        label="Supporters' trust in state media",
        help="How much of a story's doubt supporters set aside because they already believe the regime's "
        "account (what a group already believes shapes what it accepts).",
    )
    relief_persuasion: float = param(
        0.6,
        ge=0,
        le=1,
        unit="share of doubt removed",
        label="Relief makes 'victory' credible",
        help="How much of their remaining doubt visible sanctions relief removes for supporters and the "
        "apolitical when state media say 'even the EU had to give in'; relief is visible to all.",
        source="judgement: seed article; controlled media space",
    )
    unanswered_persuasion: float = param(
        0.2,
        ge=0,
        le=1,
        unit="share of doubt removed",
        label="Unanswered releases make 'the West only talks' credible",
        help="How much doubt it removes when releases went unanswered by every sender.",
    )
    rally_effect: float = param(
        0.3,
        ge=-1,
        le=1,
        unit="share of doubt removed",
        label="Rally round the flag",
        help="Competing hypotheses: above 0, 'siege' rallies supporters (rally round the flag); below 0, "
        "sanctions erode even supporters' belief.",
        source="judgement; literature is split (Galtung 1967; Peksen 2009)",
    )
    hardship_cost: float = param(
        0.5,
        ge=0,
        le=2,
        unit="belief per pressure",
        label="Hardship cost of 'siege' (apolitical)",
        help="How much felt sanctions hardship costs the 'siege' and 'pivot east' stories among the "
        "apolitical, per unit of sanctions pressure.",
    )

    @model_validator(mode="after")
    def _groups_fit(self):
        if self.supporter_share + self.opposition_share > 1:
            raise ValueError("supporter_share + opposition_share must not exceed 1")
        return self


GROUPS: tuple[str, ...] = ("supporter", "apolitical", "opposition")


@dataclass(frozen=True)
class Audience:
    """Fixed traits of every agent, (replications, agents) fractions in 65,535ths (`kernels.TRAIT_STEPS`), and
    each replication's rates, (replications, 6) (`kernels.audience_month`); beliefs live in the model state.

    Traits: share of news from state media, initial belief, grievance, and where the protest threshold
    sits in its range (0 lowest, 65,535 highest).
    """

    group_bounds: tuple[tuple[int, int], ...]
    state_diet: np.ndarray
    initial_belief: np.ndarray
    grievance: np.ndarray
    threshold: np.ndarray
    rates: np.ndarray


def group_sizes(params: AudienceParams) -> tuple[int, int, int]:
    """Agents per group, from the shares, always summing to the audience size."""
    supporters = round(params.size * params.supporter_share)
    opposition = round(params.size * params.opposition_share)
    opposition = min(opposition, params.size - supporters)
    return supporters, params.size - supporters - opposition, opposition


def _per_group(params: AudienceParams, field: str) -> np.ndarray:
    return np.array([getattr(params, f"{field}_{g}") for g in GROUPS])


def create_audience(params: AudienceParams, seed: int, first: int, count: int) -> tuple[Audience, np.ndarray]:
    """Draw the agents of replications first..first+count from their own streams; return traits and beliefs."""
    sizes = group_sizes(params)
    edges = np.cumsum((0,) + sizes)
    bounds = tuple((int(edges[i]), int(edges[i + 1])) for i in range(3))
    group_of = np.repeat(np.arange(3), sizes)
    diet_mean = np.clip(_per_group(params, "state_media"), 1e-3, 1 - 1e-3)
    means = np.stack(
        [np.log(diet_mean / (1 - diet_mean)), _per_group(params, "initial_belief"), _per_group(params, "grievance")]
    ).astype(np.float32)[:, group_of]
    beliefs = np.empty((count, params.size), dtype=np.float32)
    traits = [np.empty((count, params.size), dtype=np.uint16) for _ in range(4)]
    state_diet, initial_belief, grievance, threshold = traits
    kernels.draw_audience(
        seed,
        first,
        streams.AGENT_STREAM,
        means,
        params.diet_spread,
        state_diet,
        beliefs,
        initial_belief,
        grievance,
        threshold,
    )
    audience = Audience(
        group_bounds=bounds,
        state_diet=state_diet,
        initial_belief=initial_belief,
        grievance=grievance,
        threshold=threshold,
        rates=np.tile(_rates(params), (count, 1)),
    )
    return audience, beliefs


def _rates(params: AudienceParams) -> np.ndarray:
    """A replication's rates, in the order `kernels.audience_month` reads them."""
    learning = params.learning_rate * (1 - params.stubbornness)
    lowest = params.threshold_mean - params.threshold_spread
    return np.array(
        [
            1 - params.stubbornness,
            learning,
            learning * params.independent_media_reach,
            params.stubbornness,
            lowest,
            2 * params.threshold_spread / kernels.TRAIT_STEPS,
        ],
        dtype=np.float32,
    )


def audience_month(
    audience: Audience,
    beliefs: np.ndarray,
    state_signal: np.ndarray,
    independent_signal: np.ndarray,
    partner_offset: np.ndarray,
    threshold_shift: np.ndarray,
    params,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One month for every agent: media exposure, one bounded-confidence conversation, mobilisation.

    beliefs: (replications, agents) in [0, 1]; state_signal: (replications, 3) in [0, 1], how
    believable state media's story is to each group; independent_signal: (replications,), what
    independent media make of it; partner_offset: (replications,) ints, the cyclic
    shift that pairs each agent with a contact; threshold_shift: (replications,), how much arrest
    risk minus social proof raises everyone's protest threshold. Returns the new beliefs and, by
    group (replications, 3), the mean belief and the mobilised share. out: where to write the new
    beliefs (an array of beliefs' shape that nothing else reads any more), or None for a new one.
    """
    new_beliefs = np.empty_like(beliefs) if out is None else out
    acceptance = np.zeros((beliefs.shape[0], 3))
    mobilised = np.zeros((beliefs.shape[0], 3))
    kernels.audience_month(
        beliefs,
        audience.state_diet,
        audience.initial_belief,
        audience.grievance,
        audience.threshold,
        audience.rates,
        np.asarray(state_signal, np.float32),
        np.asarray(independent_signal, np.float32),
        np.asarray(partner_offset, np.int64),
        np.float32(params.confidence_bound),
        np.float32(params.influence_strength),
        np.asarray(threshold_shift, np.float32),
        np.array(audience.group_bounds, np.int64),
        new_beliefs,
        acceptance,
        mobilised,
    )
    return new_beliefs, acceptance, mobilised


def mobilised_by_group(audience: Audience, beliefs: np.ndarray, threshold_shift: np.ndarray) -> np.ndarray:
    """Share of each group mobilised at these beliefs, shape (replications, 3)."""
    shares = np.zeros((beliefs.shape[0], 3))
    kernels.mobilised_by_group(
        beliefs,
        audience.grievance,
        audience.threshold,
        np.ascontiguousarray(audience.rates[:, 4]),
        np.ascontiguousarray(audience.rates[:, 5]),
        np.asarray(threshold_shift, np.float32),
        np.array(audience.group_bounds, np.int64),
        shares,
    )
    return shares


def overall_mean(audience: Audience, by_group: np.ndarray) -> np.ndarray:
    """Population mean from group means, shape (replications,)."""
    sizes = [float(hi - lo) for lo, hi in audience.group_bounds]
    # Term by term, not a matrix product: BLAS rounds differently for different numbers of rows,
    # and results must not depend on how replications are chunked.
    return (by_group[:, 0] * sizes[0] + by_group[:, 1] * sizes[1] + by_group[:, 2] * sizes[2]) / sum(sizes)
