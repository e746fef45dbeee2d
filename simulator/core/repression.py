"""Repression: new arrests from a finite pool of people at risk, re-arrests, and what drives repression.

New arrests come from the people at risk still in the country (activists and critics), so the pool
depletes as they are arrested; it is replenished each month, by mobilisation and by people freed at
home. Repression intensity (1 = the 2024 level) rises with protest, with a sender's tightening
(a crackdown under siege), with payments for releases (the hostage response, which follows the
value paid after a delay and fades) and, in either direction, with the coming vote.
"""

from __future__ import annotations

import numpy as np

from .parameters import Group, param


class RepressionParams(Group):
    """New arrests from the people at risk, re-arrests, and what drives repression up or down."""

    base_arrests: float = param(
        37.28,
        ge=0,
        le=2000,
        unit="persons/month",
        label="New arrests at 2024 repression",
        help="Politically motivated arrests per month at the 2024 level of repression while the pool of people "
        "at risk is as large as at the start; fewer as the pool depletes.",
        source="calibrated to Viasna's newly recognised prisoners",
    )
    initial_at_risk: int = param(
        714,
        ge=1,
        le=200_000,
        unit="persons",
        label="People at risk at start",
        help="Activists and critics still in the country whom the regime can arrest (its finite pool).",
        source="calibrated: recognitions fell from about 53 a month in late 2024 to about 35 in 2025",
    )
    pool_inflow: float = param(
        1.914,
        ge=0,
        le=5000,
        unit="persons/month",
        label="New people at risk per month",
        help="People who become targets each month (new critics, returning exiles).",
        source="calibrated",
    )
    mobilised_inflow: float = param(
        200.0,
        ge=0,
        le=100_000,
        unit="persons/month per share",
        label="People at risk from protest",
        help="Extra people at risk per month per unit of mobilised share of the audience.",
        advanced=True,
    )
    released_rejoin_share: float = param(
        0.1,
        ge=0,
        le=1,
        unit="share",
        label="Freed who rejoin the pool",
        help="Share of people freed at home who become targets again (besides the re-arrest rate below).",
        advanced=True,
    )
    new_arrest_prominent_share: float = param(
        0.03,
        ge=0,
        le=1,
        unit="share",
        label="Prominent share of arrests",
        help="Share of new arrests who are prominent.",
        advanced=True,
    )
    rearrest_rate: float = param(
        0.002,
        ge=0,
        le=0.1,
        unit="per person-month",
        label="Re-arrest rate",
        help="Monthly chance that a former prisoner at home is arrested again, at 2024 repression.",
    )
    mobilisation_response: float = param(
        5.849,
        ge=0,
        le=50,
        unit="repression per share",
        label="Repression of protest",
        help="How much repression rises per unit of mobilised share.",
    )
    siege_repression: float = param(
        0.1,
        ge=0,
        le=3,
        unit="repression",
        label="Crackdown under siege",
        help="Rise in repression when a sender tightens sanctions.",
    )
    hostage_incentive: float = param(
        0.45,
        ge=0,
        le=1.5,
        unit="share more arrests",
        label="Hostage-taking incentive",
        help="Rise in arrests when the regime has been paid the reference value for releases (a deal's item, or "
        "relief answering a release): 0.45 means 45% more arrests; smaller payments raise them less.",
        source="literature: Brandt, George and Sandler (2016), 26-87% more kidnappings after concessions; "
        "default near the middle of that range",
    )
    hostage_reference: float = param(
        0.5,
        ge=0.01,
        le=5,
        unit="relief",
        label="Payment for the full hostage response",
        help="Value paid for releases (still remembered) at which the hostage response is full.",
        advanced=True,
    )
    hostage_delay: int = param(
        3,
        ge=0,
        le=24,
        unit="months",
        label="Delay of the hostage response",
        help="Months between a payment and the arrests it encourages (targets are found, cases built).",
    )
    hostage_memory: float = param(
        0.8,
        ge=0,
        le=1,
        unit="per month",
        label="Memory of payments",
        help="Share of a payment's effect on arrests that remains a month later: the response fades.",
        advanced=True,
    )
    election_repression: float = param(
        0.5513,
        ge=-1,
        le=3,
        unit="repression",
        label="Election effect on repression",
        help="Change in repression in the month of the vote (ramping over the campaign, ending with the vote); "
        "below 0 a regime that seeks legitimacy arrests fewer before the vote.",
        source="calibrated: its sign and size come from recognitions in August 2024-January 2025",
    )


def repression_drivers(
    mobilised_share: np.ndarray,
    tightened: np.ndarray,
    paid_memory: np.ndarray,
    proximity: float,
    params,
) -> dict[str, np.ndarray]:
    """Contribution of each driver to repression intensity (1 = the 2024 level), each shaped (replications,).

    paid_memory: (replications,) value paid for releases that the regime still remembers, after the delay.
    """
    count = mobilised_share.shape[0]
    return {
        "baseline": np.ones(count),
        "mobilisation": params.mobilisation_response * mobilised_share,
        "siege": params.siege_repression * tightened,
        "hostage": params.hostage_incentive * np.minimum(1.0, paid_memory / params.hostage_reference),
        "election": np.full(count, 1.0) * params.election_repression * proximity,
    }


def remember_payment(paid_memory: np.ndarray, paid_then: np.ndarray, params) -> np.ndarray:
    """Value paid for releases the regime still counts on after this month, (replications,).

    paid_then: the value paid `hostage_delay` months ago, which reaches arrests now.
    """
    return params.hostage_memory * paid_memory + paid_then


def arrest_probability(intensity: np.ndarray, params) -> np.ndarray:
    """Monthly chance that a person at risk is arrested, (replications,): the 2024 rate times intensity."""
    return np.minimum(params.base_arrests / params.initial_at_risk * intensity, 1.0)


def pool_after(
    at_risk: np.ndarray, arrested: np.ndarray, mobilised_share: np.ndarray, freed_at_home: np.ndarray, params
) -> np.ndarray:
    """People at risk after this month's arrests and newcomers, (replications,) counts."""
    inflow = (
        params.pool_inflow + params.mobilised_inflow * mobilised_share + params.released_rejoin_share * freed_at_home
    )
    return np.maximum(at_risk - arrested, 0) + np.round(inflow).astype(np.int64)
