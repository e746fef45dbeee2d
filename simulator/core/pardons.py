"""The regime's own pardons, with three motives: a standing holiday routine, a push before a vote, and signals.

Pardons come from prisoners who petitioned (a pardon requires a petition admitting guilt),
cheapest tier first, and only on occasions, with months of nothing between:

- the holiday routine: on the regime's calendar (Victory Day, Independence Day, Unity Day,
  7 November, New Year) a pardon is held with each holiday's chance, and it frees `holiday_share` of
  the ordinary petitioners (the queue built up since the last pardon), whatever the regime
  expects from abroad;
- the campaign: before a vote the regime wants legitimacy; the push rises over the campaign to
  `election_weight` in the month of the vote, and ends with it; the campaign also invites
  petitions (`campaign_petitions`), so the queue of those who can be pardoned grows, until the
  prisoners willing to petition (not all will admit guilt) run short;
- signals to a sender: the relief the regime expects (belief that a sender pays times relief on
  the table) pushes the same decision as the campaign, so signal pardons follow expected relief.
"""

from __future__ import annotations

import numpy as np

from .parameters import Group, column, param


class PardonParams(Group):
    """The regime's own pardons: who petitions, and the three motives (holidays, the campaign, signals to a sender)."""

    initial_petitioner_share: float = param(
        0.01262,
        ge=0,
        le=1,
        unit="share",
        label="Petitioners at start",
        help="Share of prisoners who have already petitioned for a pardon (a "
        "pardon requires a petition admitting guilt).",
    )
    petition_rate: float = param(
        0.0378,
        ge=0,
        le=1,
        unit="per month",
        label="Petitions per month",
        help="Monthly share of the prisoners willing to petition who file a petition (outside a campaign).",
        source="calibrated",
    )
    initial_willing_share: float = param(
        0.284,
        ge=0,
        le=1,
        unit="share",
        label="Willing to petition (at start)",
        help="Share of the prisoners held at the start, and not yet petitioning, who would ever petition (a pardon "
        "requires admitting guilt; many refuse).",
        source="calibrated: the campaign's pardons ran down by January 2025",
    )
    willing_share: float = param(
        0.2187,
        ge=0,
        le=1,
        unit="share",
        label="Willing to petition (new prisoners)",
        help="Share of newly imprisoned people who would ever petition for a pardon.",
        source="calibrated: about 8 pardons a month after the vote",
    )
    campaign_petitions: float = param(
        2.07,
        ge=0,
        le=20,
        unit="x",
        label="Petitions invited by the campaign",
        help="How many times more of the willing prisoners petition each month of the campaign than outside it: "
        "before a vote the regime invites petitions and pardons those who file them.",
        source="calibrated: pardons of about 60 a month in September-December 2024, about 8 a month after the vote",
    )
    max_release_share: float = param(
        0.9275,
        ge=0,
        le=1,
        unit="share/month",
        label="Largest monthly batch",
        help="Share of a tier's petitioners the regime pardons in a month when every "
        "driver pushes it fully towards release.",
        source="calibrated",
    )
    release_cost: float = param(
        0.2679,
        ge=0,
        le=3,
        unit="propensity",
        label="Cost of releasing",
        help="How much releasing an ordinary prisoner costs the regime (lost leverage, looking weak).",
    )
    decision_softness: float = param(
        0.1,
        ge=0.01,
        le=2,
        unit="propensity",
        label="Decision softness",
        help="How gradually batches grow as the case for releasing strengthens; small "
        "values make the regime all-or-nothing.",
        advanced=True,
    )
    holiday_share: float = param(
        0.9014,
        ge=0,
        le=1,
        unit="share",
        label="Holiday clemency share",
        help="Share of the ordinary petitioners the regime pardons on a holiday it keeps: the queue of petitions "
        "that built up since the last pardon is cleared in part, whatever the regime expects from any sender.",
        source="calibrated: 42 on 7 May (after three months without pardons), 16 on 2 July and 25 on 16 "
        "September 2025, with no relief expected",
    )
    occasion_new_year: float = param(
        1.0,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: New Year (December)",
        help="Chance that the regime holds a pardon in December, before the New Year.",
        source="data: pardon of 28 December 2024",
    )
    occasion_victory_day: float = param(
        1.0,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: Victory Day (May)",
        help="Chance of a pardon in May, around 9 May.",
        source="data: pardon of 7 May 2025",
    )
    occasion_independence_day: float = param(
        1.0,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: Independence Day (July)",
        help="Chance of a pardon in July, around 3 July.",
        source="data: pardon of 3 July 2024",
    )
    occasion_unity_day: float = param(
        1.0,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: National Unity Day (September)",
        help="Chance of a pardon in September, around 17 September.",
        source="data: pardons of 4 and 16 September 2024",
    )
    occasion_october_revolution: float = param(
        1.0,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: 7 November",
        help="Chance of a pardon in November, around October Revolution Day.",
        source="data: pardon of 7 November 2024",
    )
    occasion_other_months: float = param(
        0.0,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon in an ordinary month",
        help="Chance of a pardon in a month that is neither a holiday nor in the election campaign.",
        source="data: no pardon in February-April, June or August 2025",
    )
    occasion_election_eve: float = param(
        0.8038,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: the election",
        help="Chance of a pardon in each month of the campaign before the vote (none after it).",
        source="data: pardons of August, October-December 2024 and 18 January 2025",
    )
    election_weight: float = param(
        2.592,
        ge=0,
        le=3,
        unit="propensity",
        label="Election legitimacy value",
        help="Push to release that the coming election gives at its peak (the month of the vote).",
        source="calibrated",
    )
    campaign_months: int = param(
        7,
        ge=1,
        le=24,
        unit="months",
        label="Campaign length",
        help="How many months before the election the campaign runs (pardons, invited petitions); it ends with "
        "the vote.",
        source="calibrated: the first pardon off the calendar came on 16 August 2024",
    )
    relief_sensitivity: float = param(
        1.0,
        ge=0,
        le=5,
        unit="propensity per relief",
        label="Appetite for relief",
        help="Signal pardons: how strongly the relief the regime expects from a sender (its belief that the "
        "sender pays times the relief on the table) pushes it to pardon more on an occasion.",
    )
    pressure_response: float = param(
        0.0,
        ge=-2,
        le=2,
        unit="propensity per pressure",
        label="Response to pressure",
        help="Competing hypotheses: above 0, sanctions pressure makes the regime release "
        "more (coercion works); below 0, less (defiance).",
    )
    mobilisation_penalty: float = param(
        2.0,
        ge=-10,
        le=20,
        unit="propensity per share",
        label="Street-pressure penalty",
        help="How much mobilised opposition discourages releases (releasing "
        "under pressure looks weak); negative to defuse protest.",
        advanced=True,
    )
    deportation_share: float = param(
        0.05,
        ge=0,
        le=1,
        unit="share",
        label="Deported (unilateral pardons)",
        help="Share of people pardoned as a unilateral gesture who are deported.",
    )


HOLIDAYS: dict[int, str] = {
    12: "occasion_new_year",
    5: "occasion_victory_day",
    7: "occasion_independence_day",
    9: "occasion_unity_day",
    11: "occasion_october_revolution",
}
HOLIDAY_NAMES: dict[int, str] = {
    12: "New Year",
    5: "Victory Day",
    7: "Independence Day",
    9: "National Unity Day",
    11: "October Revolution Day",
}


def campaign_proximity(months_to_election: int, campaign_months: int) -> float:
    """Weight of the vote in the regime's decisions: rising linearly to 1 in the month of the vote, 0 after it."""
    if months_to_election < 0 or months_to_election >= campaign_months:
        return 0.0
    return 1.0 - months_to_election / campaign_months


def occasion_chances(month_of_year: int, proximity: float, params) -> tuple[object, object]:
    """Chance of a holiday pardon this month, and chance of any pardon occasion (holiday, campaign or other).

    month_of_year: 1-12. Values are scalars, or (replications,) arrays when a chance is drawn per run.
    """
    holiday = getattr(params, HOLIDAYS[month_of_year]) if month_of_year in HOLIDAYS else 0.0
    campaign = params.occasion_election_eve * (proximity > 0)
    return holiday, np.minimum(1.0, np.maximum(np.maximum(holiday, campaign), params.occasion_other_months))


def motive_drivers(
    expected_relief: np.ndarray,
    proximity: float,
    total_pressure: np.ndarray,
    mobilised_share: np.ndarray,
    params,
) -> dict[str, np.ndarray]:
    """Contribution of each driver to the regime's political pardons, each shaped (replications,).

    expected_relief: (replications, senders), belief times relief on the table per sender.
    Keys: 'relief_<i>' per sender index (signals), 'election' (the campaign), 'pressure',
    'mobilisation', 'cost'.
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


def willingness(drivers: dict[str, np.ndarray], tier_prices: np.ndarray, params) -> np.ndarray:
    """How willing the regime is to pardon each tier for political reasons, shape (replications, 3), in [0, 1].

    A logistic choice: when benefits equal a tier's cost the willingness is one half; dearer tiers
    (tier_prices: (3,) or (replications, 3), ordinary = 1) need a stronger push.
    """
    benefit = np.sum([v for k, v in drivers.items() if k != "cost"], axis=0)
    cost = column(params.release_cost) * tier_prices
    margin = (benefit[:, None] - cost) / column(params.decision_softness)
    return 1.0 / (1.0 + np.exp(-np.clip(margin, -50, 50)))


def petition_rate(params, proximity: np.ndarray) -> np.ndarray:
    """Monthly share of prisoners not yet petitioning who file a petition, (replications,): more in a campaign."""
    return params.petition_rate * (1.0 + params.campaign_petitions * (np.asarray(proximity) > 0))


def willing_after(willing: np.ndarray, arrived: np.ndarray, params) -> np.ndarray:
    """Prisoners who would petition but have not yet, after this month's arrivals, (replications, 3) counts.

    arrived: (replications, 3) people newly imprisoned this month, by tier.
    """
    return willing + np.round(arrived * column(params.willing_share)).astype(np.int64)


def pardon_shares(
    petitioners: np.ndarray, holiday_held: np.ndarray, held: np.ndarray, political: np.ndarray, params
) -> tuple[np.ndarray, np.ndarray]:
    """Share of each tier's petitioners pardoned this month, and its holiday-routine part, both (replications, 3).

    petitioners: (replications, 3); holiday_held, held: (replications,) bool, a holiday pardon and
    any pardon occasion this month; political: willingness (replications, 3) from `willingness`.
    """
    routine = np.zeros(petitioners.shape)
    routine[:, 0] = params.holiday_share * holiday_held
    share = np.clip(routine + column(params.max_release_share) * political * held[:, None], 0.0, 1.0)
    return share, routine
