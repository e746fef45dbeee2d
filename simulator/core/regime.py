"""The regime's decisions: what it expects from each sender, how many it pardons, how hard it represses."""

from __future__ import annotations

import numpy as np

from .policies import ENGAGE, HOLD, TIGHTEN
from .schema import RegimeParams, SenderParams

TIERS: tuple[str, ...] = ("ordinary", "prominent", "leaders")


def election_proximity(months_to_election: int, campaign_months: int, fade_months: int = 0) -> float:
    """Weight of legitimacy signals: rising linearly to 1 in the election month over the campaign,
    then fading linearly to 0 over `fade_months` while the re-elected leader seeks recognition."""
    if months_to_election >= campaign_months:
        return 0.0
    if months_to_election >= 0:
        return 1.0 - months_to_election / campaign_months
    return max(0.0, 1.0 + months_to_election / fade_months) if fade_months else 0.0


def prior_evidence(senders: list[SenderParams]) -> tuple[np.ndarray, np.ndarray]:
    """Beta pseudo-counts (successes, failures) of the regime's prior belief about each sender, shape (senders,)."""
    mean = np.array([s.prior_belief for s in senders])
    strength = np.array([s.prior_strength for s in senders])
    return mean * strength, (1 - mean) * strength


def learn_reciprocity(
    successes: np.ndarray,
    failures: np.ndarray,
    prior: tuple[np.ndarray, np.ndarray],
    answered_release: np.ndarray,
    answers: np.ndarray,
    params: RegimeParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Beta-Bernoulli update of the belief that each sender rewards releases.

    successes, failures: (replications, senders) pseudo-counts; answered_release: (replications,)
    bool, last month's release was large enough to expect an answer; answers: (replications, senders)
    action codes the senders decided this month (-1 for a sender not yet taking part). Evidence of
    rewards fades back towards the prior at `belief_memory`; evidence of refusals at
    `refusal_memory` (by default it persists: a sender that never pays is not trusted again by
    forgetting). Engagement always counts as a success: an offer shows willingness to pay even
    before a release. Holding or tightening counts as a refusal only as the answer to a release.
    """
    prior_successes, prior_failures = prior
    successes = prior_successes + column(params.belief_memory) * (successes - prior_successes)
    failures = prior_failures + column(params.refusal_memory) * (failures - prior_failures)
    counted = answered_release[:, None]
    successes = successes + (answers == ENGAGE)
    failures = failures + counted * ((answers == TIGHTEN) + column(params.hold_as_refusal) * (answers == HOLD))
    return successes, failures


def column(value):
    """A per-replication parameter (replications,) as a column that broadcasts over senders or tiers."""
    return value[:, None] if isinstance(value, np.ndarray) and value.ndim == 1 else value


def by_tier(ordinary, prominent, leaders) -> np.ndarray:
    """One value per tier, shape (3,), or (replications, 3) when any of them is a per-replication parameter."""
    return np.stack(np.broadcast_arrays(ordinary, prominent, leaders), axis=-1).astype(float)


def release_drivers(
    expected_relief: np.ndarray,
    proximity: float,
    total_pressure: np.ndarray,
    mobilised_share: np.ndarray,
    params: RegimeParams,
) -> dict[str, np.ndarray]:
    """Contribution of each driver to the regime's propensity to release, each shaped (replications,).

    expected_relief: (replications, senders), belief times relief on the table per sender.
    Keys: 'relief_<i>' per sender index, 'election', 'pressure', 'mobilisation', 'cost'.
    """
    drivers = {
        f"relief_{i}": params.relief_sensitivity * expected_relief[:, i] for i in range(expected_relief.shape[1])
    }
    count = total_pressure.shape[0]
    drivers["election"] = np.broadcast_to(params.election_weight * proximity, (count,)).astype(float)
    drivers["pressure"] = params.pressure_response * total_pressure
    drivers["mobilisation"] = -params.mobilisation_penalty * mobilised_share
    drivers["cost"] = np.broadcast_to(-np.asarray(params.release_cost, float), (count,)).copy()
    return drivers


def release_willingness(drivers: dict[str, np.ndarray], params: RegimeParams) -> np.ndarray:
    """How willing the regime is to release each tier this month, shape (replications, 3), in [0, 1].

    A logistic choice: when benefits equal a tier's cost the willingness is one half; dearer tiers
    need a stronger push, and `decision_softness` sets how sharply willingness grows with the margin.
    """
    benefit = sum(v for k, v in drivers.items() if k != "cost")
    multipliers = by_tier(1.0, params.prominent_cost_multiplier, params.leader_cost_multiplier)
    margin = (benefit[:, None] - column(params.release_cost) * multipliers) / column(params.decision_softness)
    return 1.0 / (1.0 + np.exp(-np.clip(margin, -50, 50)))


OCCASIONS: dict[int, str] = {
    1: "occasion_new_year",
    5: "occasion_victory_day",
    7: "occasion_independence_day",
    9: "occasion_unity_day",
    11: "occasion_october_revolution",
}


def pardon_occasion(month_of_year: int, proximity: float, params: RegimeParams) -> float | np.ndarray:
    """Chance that the regime holds a pardon this month: its calendar of occasions, plus the election's eve.

    month_of_year: 1-12. Unilateral pardons concentrate on national holidays and before an
    election, with months of nothing between them.
    """
    calendar = getattr(params, OCCASIONS.get(month_of_year, "occasion_other_months"))
    return np.minimum(1.0, calendar + params.occasion_election_eve * proximity)


def deal_offer(pressure: np.ndarray, senders: list[SenderParams]) -> np.ndarray:
    """Relief each sender puts on a deal's table, (replications, senders): sanctions it lifts plus recognition."""
    weight = np.array([s.sanctions_weight * s.relief_step for s in senders])
    recognition = np.array([s.engagement_value for s in senders])
    return weight * pressure + recognition


def deal_batch(
    offer: np.ndarray, price_level: np.ndarray, lumpiness: np.ndarray, available: np.ndarray, params: RegimeParams
) -> np.ndarray:
    """Prisoners by tier that one deal frees, shape (replications, 3), never more than are available.

    offer, price_level, lumpiness: (replications,): relief on offer as the regime trusts it, its current price
    multiplier, and a log-normal factor for how the talks went. The value buys leaders first (what
    senders ask for), then prominent prisoners, then ordinary ones; value a tier cannot absorb
    (too few left) passes to the next.
    """
    value = params.relief_sensitivity * offer * params.deal_persons_per_relief * lumpiness / price_level
    prices = by_tier(1.0, params.prominent_cost_multiplier, params.leader_cost_multiplier)
    if prices.ndim == 1:
        prices = np.broadcast_to(prices, available.shape)
    asks = {2: params.deal_leader_ask, 1: params.deal_prominent_ask}
    batch = np.zeros_like(available)
    carried = np.zeros_like(value)
    for tier in (2, 1, 0):
        budget = value * asks.get(tier, 1.0) + carried
        if tier == 0:
            budget = value - (batch * prices).sum(axis=1)
        bought = np.minimum(available[:, tier], np.floor(np.maximum(budget, 0) / prices[:, tier])).astype(np.int64)
        batch[:, tier] = bought
        carried = budget - bought * prices[:, tier]
    return batch


def repression_drivers(
    mobilised_share: np.ndarray,
    tightened: np.ndarray,
    paid_memory: np.ndarray,
    proximity: float,
    params: RegimeParams,
) -> dict[str, np.ndarray]:
    """Contribution of each driver to repression intensity (1 = the 2024 level), each shaped (replications,).

    paid_memory: (replications,) in [0, 1], how present a payment for releases still is (1 in the
    month of a deal or of relief answering a release, fading at `hostage_memory`).
    """
    count = mobilised_share.shape[0]
    return {
        "baseline": np.ones(count),
        "mobilisation": params.mobilisation_response * mobilised_share,
        "siege": params.siege_repression * tightened,
        "hostage": params.hostage_incentive * paid_memory,
        "election": np.full(count, params.election_repression * proximity),
    }


def remember_payment(paid_memory: np.ndarray, paid_now: np.ndarray, params: RegimeParams) -> np.ndarray:
    """How present payments for releases are after this month, (replications,) in [0, 1]."""
    return np.maximum(params.hostage_memory * paid_memory, paid_now.astype(float))


def update_pressure(
    pressure: np.ndarray, in_effect: np.ndarray, senders: list[SenderParams]
) -> tuple[np.ndarray, np.ndarray]:
    """Sanctions pressure after this month's actions in effect, and the relief each sender gave.

    pressure, in_effect: (replications, senders). Tightening adds a share of the headroom; engaging
    lifts a share of the pressure (that lift is the relief); holding lets evasion erode it slowly.
    """
    tighten_step = np.array([s.tighten_step for s in senders])
    relief_step = np.array([s.relief_step for s in senders])
    erosion = np.array([s.erosion for s in senders])
    relief = (in_effect == ENGAGE) * relief_step * pressure
    tightening = (in_effect == TIGHTEN) * tighten_step * (1 - pressure)
    erosion_loss = (in_effect == HOLD) * erosion * pressure
    return np.clip(pressure - relief + tightening - erosion_loss, 0.0, 1.0), relief


def update_dependence(
    dependence: np.ndarray, total_pressure: np.ndarray, total_relief: np.ndarray, params: RegimeParams
) -> np.ndarray:
    """Dependence on Russia/China: sanctions pressure pushes it up, relief lets the regime decouple."""
    pivot = params.pivot_rate * total_pressure * (1 - dependence)
    decoupling = params.decoupling_rate * total_relief * dependence
    return np.clip(dependence + pivot - decoupling, 0.0, 1.0)


def update_stability(
    stability: np.ndarray,
    acceptance: np.ndarray,
    mobilised_share: np.ndarray,
    total_pressure: np.ndarray,
    dependence: np.ndarray,
    params: RegimeParams,
) -> np.ndarray:
    """Regime stability moves part of the way towards what acceptance, protest, pressure and patrons imply."""
    target = np.clip(
        0.5
        + params.stability_from_acceptance * (acceptance - 0.5)
        - params.stability_from_mobilisation * mobilised_share
        - params.stability_from_pressure * total_pressure
        + params.stability_from_dependence * dependence,
        0.0,
        1.0,
    )
    return stability + params.stability_adjustment * (target - stability)
