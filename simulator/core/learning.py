"""How the regime learns whether a sender pays: a Beta belief per sender, from what senders actually did.

Relief actually delivered (sanctions lifted, a deal's item given) is evidence that a sender pays;
holding or tightening in answer to a release is evidence that it does not. Evidence of rewards
fades back towards the prior at `belief_memory`; evidence of refusals at `refusal_memory` (by
default it persists: a sender that never pays is not trusted again by forgetting).
"""

from __future__ import annotations

import numpy as np

from .actions import HOLD, TIGHTEN
from .parameters import Group, column, param, per_sender


class LearningParams(Group):
    """How the regime learns whether a sender pays: what counts as an answer, and how long it remembers."""

    hold_as_refusal: float = param(
        0.5,
        ge=0,
        le=1,
        unit="weight",
        label="Hold read as refusal",
        help="How much the regime reads a 'hold' answer to its release as a refusal (1: as bad as tightening).",
    )
    belief_memory: float = param(
        0.95,
        ge=0.5,
        le=1,
        unit="per month",
        label="Memory of rewards",
        help="Share of its evidence that a sender pays which the regime keeps each month; lower forgets faster.",
        advanced=True,
    )
    refusal_memory: float = param(
        1.0,
        ge=0.5,
        le=1,
        unit="per month",
        label="Memory of refusals",
        help="Share of its evidence that a sender does not pay which the regime keeps each month; 1 means a "
        "sender that never pays is never trusted again without new evidence.",
        source="judgement: what the regime learns from a sender that never pays persists",
    )
    release_signal_threshold: int = param(
        10,
        ge=1,
        le=1000,
        unit="persons",
        label="Release that counts as a signal",
        help="Smallest monthly release the regime expects a sender to answer.",
        advanced=True,
    )
    relief_per_success: float = param(
        0.03946,
        ge=0.001,
        le=5,
        unit="relief",
        label="Relief worth one answered release",
        help="Relief actually delivered by a sender (lifted sanctions, a deal's item) that the regime counts as one "
        "more answer that the sender pays: trust grows with what is delivered, not with what is promised.",
    )


def prior_evidence(senders) -> tuple[np.ndarray, np.ndarray]:
    """Beta pseudo-counts (successes, failures) of the regime's prior belief about each sender, shape (senders,).

    Shaped (replications, senders) where a batch varies a sender's prior.
    """
    mean = per_sender(senders, "prior_belief")
    strength = per_sender(senders, "prior_strength")
    return mean * strength, (1 - mean) * strength


def learn_reciprocity(
    successes: np.ndarray,
    failures: np.ndarray,
    prior: tuple[np.ndarray, np.ndarray],
    answered_release: np.ndarray,
    answers: np.ndarray,
    delivered: np.ndarray,
    params,
) -> tuple[np.ndarray, np.ndarray]:
    """Beta-Bernoulli update of the belief that each sender rewards releases.

    successes, failures: (replications, senders) pseudo-counts; answered_release: (replications,)
    bool, last month's pardons were large enough to expect an answer; answers: (replications,
    senders) action codes the senders decided this month (-1 for a sender not yet taking part);
    delivered: (replications, senders) relief each sender actually delivered.
    """
    prior_successes, prior_failures = prior
    successes = prior_successes + column(params.belief_memory) * (successes - prior_successes)
    failures = prior_failures + column(params.refusal_memory) * (failures - prior_failures)
    counted = answered_release[:, None]
    successes = successes + delivered / column(params.relief_per_success)
    failures = failures + counted * ((answers == TIGHTEN) + column(params.hold_as_refusal) * (answers == HOLD))
    return successes, failures
