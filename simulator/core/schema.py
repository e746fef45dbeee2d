"""The scenario schema: every parameter of the model, grouped by actor, with units, ranges and help."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .limits import (
    FIRST_MONTH,
    LAST_MONTH,
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
    MAX_SCENARIO_JSON_BYTES,
    run_size_problems,
)
from .parameters import param

Action = Literal["engage", "hold", "tighten"]
ACTIONS: tuple[str, ...] = ("engage", "hold", "tighten")
PolicyKind = Literal["fixed", "schedule", "reciprocal", "maximalist", "graduated", "interactive"]
POLICY_KINDS: tuple[str, ...] = ("fixed", "schedule", "reciprocal", "maximalist", "graduated", "interactive")

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _check_month(value: str) -> str:
    if not _MONTH.match(value):
        raise ValueError(f"'{value}' is not a month; write it as YYYY-MM, e.g. 2024-07")
    return value


Month = Annotated[str, AfterValidator(_check_month)]


def month_index(month: str) -> int:
    """Count months since year 0 for a 'YYYY-MM' string, so months can be subtracted."""
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month_label(index: int) -> str:
    """Turn a month count back into 'YYYY-MM'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class Group(BaseModel):
    """Base for parameter groups: unknown fields are rejected and values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class SimulationParams(Group):
    """When the simulation starts, how long it runs and how many replications it draws."""

    start: Month = param(
        "2024-07",
        unit="month",
        label="Start month",
        help="First simulated month (YYYY-MM).",
        source="data: July 2024, the first 2024 pardon",
    )
    months: int = param(24, ge=1, le=120, unit="months", label="Horizon", help="How many months to simulate.")
    replications: int = param(
        500,
        ge=1,
        le=100_000,
        unit="runs",
        label="Replications",
        help="Independent runs drawn to show the spread of outcomes.",
    )
    seed: int = param(
        2024,
        ge=0,
        le=2**32 - 1,
        unit="",
        label="Random seed",
        help="Root seed: the same scenario and seed always give the same results.",
        advanced=True,
    )
    election: Month = param(
        "2025-01",
        unit="month",
        label="Election month",
        help="Month of the presidential election (26 January 2025 in the reference case).",
        source="data: Central Election Commission",
    )
    uncertainty: Literal["none", "posterior"] = param(
        "none",
        unit="",
        label="Parameter uncertainty",
        help="none: every run uses this parameter set, so bands show chance only; posterior: each run draws "
        "the parameters the 2024 data cannot pin down from the calibrated posterior (parameters you changed "
        "keep your value), so bands also show what the data leave open. The shipped presets use the posterior.",
    )

    @field_validator("start", "election")
    @classmethod
    def _within_supported_months(cls, value: str) -> str:
        # Every month of the horizon must be a valid calendar date for the result tables (pandas timestamps).
        if _MONTH.match(value) and not FIRST_MONTH <= value <= LAST_MONTH:
            raise ValueError(f"'{value}' is outside the supported months {FIRST_MONTH} to {LAST_MONTH}")
        return value


class RegimeParams(Group):
    """How the regime holds, releases and arrests prisoners, learns, and tells its story."""

    initial_prisoners: int = param(
        1413,
        ge=0,
        le=20_000,
        unit="persons",
        label="Political prisoners at start",
        help="Recognised political prisoners at the end of the month before the start.",
        source="data: Viasna, end of June 2024",
    )
    prominent_share: float = param(
        0.10,
        ge=0,
        le=0.5,
        unit="share",
        label="Prominent share",
        help="Share of prisoners who are prominent (journalists, activists, known names).",
    )
    leader_share: float = param(
        0.02,
        ge=0,
        le=0.2,
        unit="share",
        label="Leader share",
        help="Share of prisoners who are opposition leaders, the most valuable chips.",
    )
    initial_released_at_home: int = param(
        2000,
        ge=0,
        le=100_000,
        unit="persons",
        label="Former prisoners at home",
        help="People released earlier who live in the country and can be re-arrested.",
    )
    initial_petitioner_share: float = param(
        0.12,
        ge=0,
        le=1,
        unit="share",
        label="Petitioners at start",
        help="Share of prisoners who have already petitioned for a pardon (a "
        "pardon requires a petition admitting guilt).",
    )
    petition_rate: float = param(
        0.0083,
        ge=0,
        le=1,
        unit="per month",
        label="Petitions per month",
        help="Monthly share of prisoners not yet petitioning who file a pardon petition.",
        source="calibrated",
    )
    max_release_share: float = param(
        0.554,
        ge=0,
        le=1,
        unit="share/month",
        label="Largest monthly batch",
        help="Share of a tier's petitioners the regime pardons in a month when every "
        "driver pushes it fully towards release.",
        source="calibrated",
    )
    deal_persons_per_relief: float = param(
        800.0,
        ge=0,
        le=2000,
        unit="persons per unit of relief",
        label="Prisoners a deal buys per unit of relief",
        help="How many ordinary prisoners the regime hands over in a deal per unit of relief it trusts it "
        "will get (relief on offer times its belief that the sender delivers); a prominent prisoner "
        "counts as `prominent_cost_multiplier` ordinary ones, a leader as `leader_cost_multiplier`.",
        source="judgement: sized so that the first 2025 US deal (52 people for the airline's relief) is "
        "reproduced in the us_second_sender preset; not pinned by the 2024 data",
    )
    deal_leader_ask: float = param(
        0.3,
        ge=0,
        le=1,
        unit="share of the deal",
        label="Leaders asked for in a deal",
        help="Share of a deal's value a sender spends on leaders, the names it asks for first; what "
        "cannot buy leaders goes to prominent prisoners, then to ordinary ones.",
        source="judgement: 2025 deals freed the best-known prisoners first",
    )
    deal_prominent_ask: float = param(
        0.3,
        ge=0,
        le=1,
        unit="share of the deal",
        label="Prominent prisoners asked for in a deal",
        help="Share of a deal's value a sender spends on prominent prisoners.",
        advanced=True,
    )
    deal_lumpiness: float = param(
        0.35,
        ge=0,
        le=2,
        unit="log sd",
        label="Spread of deal sizes",
        help="How much a negotiated batch differs from what the offer's value alone implies (spread on the "
        "log scale): talks are lumpy.",
        advanced=True,
    )
    deal_price_growth: float = param(
        0.1,
        ge=0,
        le=2,
        unit="per deal",
        label="Price rise per deal",
        help="How much each completed deal raises the regime's price per prisoner: paid releases raise "
        "the value of holding prisoners.",
        source="judgement, after Brandt, George and Sandler (2016) on concessions",
    )
    release_cost: float = param(
        0.387,
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
    occasion_new_year: float = param(
        0.8,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: New Year (January)",
        help="Chance that the regime holds a pardon in January, around the New Year.",
        source="judgement: pardons around New Year in past years",
    )
    occasion_victory_day: float = param(
        0.5,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: Victory Day (May)",
        help="Chance of a pardon in May, around 9 May.",
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
        0.6,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: 7 November",
        help="Chance of a pardon in November, around October Revolution Day.",
    )
    occasion_other_months: float = param(
        0.3,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon in an ordinary month",
        help="Chance of a pardon in a month without an occasion.",
        source="data: pardon of 16 August 2024",
    )
    occasion_election_eve: float = param(
        1.0,
        ge=0,
        le=1,
        unit="probability",
        label="Pardon occasion: the election",
        help="Extra chance of a pardon as the election nears (rising over the campaign to this at the vote).",
    )
    prominent_cost_multiplier: float = param(
        2.0,
        ge=1,
        le=20,
        unit="x",
        label="Prominent cost multiplier",
        help="How much dearer a prominent prisoner is than an ordinary one.",
        advanced=True,
    )
    leader_cost_multiplier: float = param(
        4.0,
        ge=1,
        le=50,
        unit="x",
        label="Leader cost multiplier",
        help="How much dearer a leader is than an ordinary prisoner.",
        advanced=True,
    )
    relief_sensitivity: float = param(
        1.0,
        ge=0,
        le=5,
        unit="propensity per relief",
        label="Appetite for relief",
        help="How strongly expected sanctions relief pushes the regime to release.",
    )
    election_weight: float = param(
        1.97,
        ge=0,
        le=3,
        unit="propensity",
        label="Election legitimacy value",
        help="Push to release that the coming election gives at its peak (the month of the vote).",
        source="calibrated",
    )
    campaign_months: int = param(
        6,
        ge=1,
        le=24,
        unit="months",
        label="Campaign length",
        help="How many months before the election legitimacy signals start to matter.",
    )
    post_election_months: int = param(
        6,
        ge=0,
        le=24,
        unit="months",
        label="Post-election fade",
        help="Months over which the value of legitimacy signals fades after the election (seeking recognition "
        "of the result); 0 ends it at once.",
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
    base_arrests: float = param(
        36.6,
        ge=0,
        le=2000,
        unit="persons/month",
        label="New arrests at 2024 repression",
        help="Politically motivated arrests per month at the 2024 level of repression.",
        source="calibrated to Viasna's newly recognised prisoners",
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
        5.0,
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
        help="Rise in arrests after the regime is paid for releases (a deal, or relief answering a "
        "release): 0.45 means 45% more arrests while the payment is remembered.",
        source="literature: Brandt, George and Sandler (2016), 26-87% more kidnappings after concessions; "
        "default near the middle of that range",
    )
    hostage_memory: float = param(
        0.9,
        ge=0,
        le=1,
        unit="per month",
        label="Memory of payments",
        help="Share of a payment's effect on arrests that remains a month later.",
        advanced=True,
    )
    election_repression: float = param(
        0.2,
        ge=0,
        le=3,
        unit="repression",
        label="Pre-election crackdown",
        help="Rise in repression at the election month (ramping up over the campaign).",
    )
    early_cohort_share: float = param(
        0.6,
        ge=0,
        le=1,
        unit="share",
        label="Ordinary prisoners from the 2020-22 wave",
        help="Share of ordinary prisoners at the start convicted after the 2020 protests, whose terms "
        "(mostly two to five years) run out over the next years.",
        source="judgement from Viasna: most political prisoners held in 2024 were convicted in 2021-22",
    )
    early_cohort_completion_rate: float = param(
        0.054,
        ge=0,
        le=0.5,
        unit="per month",
        label="Sentences ending (2020-22 wave)",
        help="Monthly share of the 2020-22 wave still in prison whose sentence ends.",
        source="calibrated to Viasna's stocks",
    )
    completion_rate_ordinary: float = param(
        0.012,
        ge=0,
        le=0.5,
        unit="per month",
        label="Sentences ending (other ordinary)",
        help="Monthly share of the other ordinary prisoners (longer terms, or arrested since 2023) whose "
        "sentence ends.",
        source="judgement: typical terms of three to six years",
    )
    completion_rate_prominent: float = param(
        0.01,
        ge=0,
        le=0.5,
        unit="per month",
        label="Sentences ending (prominent)",
        help="Monthly share of prominent prisoners whose sentence ends.",
        advanced=True,
    )
    completion_rate_leaders: float = param(
        0.002,
        ge=0,
        le=0.5,
        unit="per month",
        label="Sentences ending (leaders)",
        help="Monthly share of leaders whose sentence ends.",
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
    deal_deportation_share: float = param(
        0.8,
        ge=0,
        le=1,
        unit="share",
        label="Deported (deals)",
        help="Share of people released in exchange for relief who are deported.",
        source="judgement: 2025 US-brokered releases",
    )
    narrative_noise: float = param(
        0.3,
        ge=0,
        le=3,
        unit="score",
        label="Narrative unpredictability",
        help="Random spread in which story state media pick.",
        advanced=True,
    )
    initial_dependence: float = param(
        0.6,
        ge=0,
        le=1,
        unit="index 0-1",
        label="Dependence on Russia/China",
        help="Economic and security dependence on Russia and China at the start.",
    )
    pivot_rate: float = param(
        0.05,
        ge=0,
        le=1,
        unit="per pressure-month",
        label="Pivot east",
        help="How fast sanctions pressure drives dependence on Russia/China up.",
    )
    decoupling_rate: float = param(
        0.5,
        ge=0,
        le=5,
        unit="per relief",
        label="Decoupling with relief",
        help="How fast sanctions relief lowers dependence.",
        advanced=True,
    )
    initial_stability: float = param(
        0.5,
        ge=0,
        le=1,
        unit="index 0-1",
        label="Regime stability at start",
        help="Regime stability index at the start.",
    )
    stability_adjustment: float = param(
        0.2,
        ge=0,
        le=1,
        unit="per month",
        label="Stability adjustment",
        help="How fast stability moves towards what acceptance, protest, pressure and dependence imply.",
        advanced=True,
    )
    stability_from_acceptance: float = param(
        0.6,
        ge=0,
        le=3,
        unit="index",
        label="Stability from acceptance",
        help="Weight of narrative acceptance in stability.",
        advanced=True,
    )
    stability_from_mobilisation: float = param(
        3.0,
        ge=0,
        le=20,
        unit="index per share",
        label="Instability from protest",
        help="Weight of mobilised share in lowering stability.",
        advanced=True,
    )
    stability_from_pressure: float = param(
        0.3,
        ge=0,
        le=3,
        unit="index per pressure",
        label="Instability from sanctions",
        help="Weight of sanctions pressure in lowering stability.",
        advanced=True,
    )
    stability_from_dependence: float = param(
        0.2,
        ge=0,
        le=3,
        unit="index",
        label="Stability from patrons",
        help="Support that dependence on Russia/China lends to stability.",
        advanced=True,
    )

    @model_validator(mode="after")
    def _tiers_fit(self):
        if self.prominent_share + self.leader_share > 1:
            raise ValueError("prominent_share + leader_share must not exceed 1")
        return self


class PolicyParams(Group):
    """How a sender chooses its action each month; fields not used by the chosen kind are ignored."""

    kind: PolicyKind = param(
        "schedule",
        unit="",
        label="Policy kind",
        help="fixed: one action always; schedule: actions by month; reciprocal: engage after big "
        "releases, tighten after many arrests; maximalist: no relief until (almost) all are "
        "free; graduated: answer the net balance of releases and arrests over a window; "
        "interactive: a person chooses each month.",
    )
    action: Action = param("hold", unit="", label="Fixed action", help="The action of a fixed policy.")
    schedule: dict[Month, Action] = Field(
        default_factory=lambda: {"2024-07": "hold", "2024-09": "tighten"},
        title="Schedule",
        description="From each listed month on, this action (until the next listed month).",
        json_schema_extra={
            "unit": "month -> action",
            "advanced": False,
            "source": "data: EEAS statement July 2024; European Parliament resolution September 2024",
        },
    )
    default_action: Action = param(
        "hold",
        unit="",
        label="Before the schedule",
        help="Action in months before the first scheduled month.",
        advanced=True,
    )
    engage_threshold: float = param(
        20,
        ge=0,
        le=2000,
        unit="persons/month",
        label="Releases that earn engagement",
        help="Reciprocal: engage after a month releasing at least this many.",
    )
    tighten_threshold: float = param(
        80,
        ge=0,
        le=2000,
        unit="persons/month",
        label="Arrests that trigger tightening",
        help="Reciprocal and maximalist: tighten after a month with at least this many new arrests.",
    )
    all_free_threshold: int = param(
        50,
        ge=0,
        le=20_000,
        unit="persons",
        label="'All freed' means at most",
        help="Maximalist: engage only once the regime holds no more than this many.",
    )
    window_months: int = param(
        3,
        ge=1,
        le=24,
        unit="months",
        label="Graduated window",
        help="Graduated: months over which releases and arrests are balanced.",
    )
    net_release_step: float = param(
        30,
        ge=1,
        le=2000,
        unit="persons",
        label="Graduated step",
        help="Graduated: engage when releases exceed arrests by this many over the window; "
        "tighten when arrests exceed releases by it.",
    )


class SenderParams(Group):
    """A sender of sanctions (the EU, optionally a second one): its policy, its weight and its frictions."""

    enabled: bool = param(True, unit="", label="Active", help="Whether this sender takes part.")
    name: str = param("European Union", unit="", label="Name", help="Name shown in charts and stories.", advanced=True)
    key: str = param("eu", unit="", label="Short key", help="Short lowercase key used in column names.", advanced=True)
    policy: PolicyParams = Field(default_factory=PolicyParams)
    friction: float = param(
        0.2,
        ge=0,
        le=1,
        unit="probability",
        label="Member-state friction",
        help="Chance that a decision to engage or tighten is blocked this month (it becomes hold).",
    )
    lag_months: int = param(
        1,
        ge=0,
        le=12,
        unit="months",
        label="Implementation lag",
        help="Months between a decision and its effect on sanctions.",
    )
    sanctions_weight: float = param(
        1.0,
        ge=0,
        le=3,
        unit="x",
        label="Sanctions weight",
        help="How much this sender's sanctions weigh on the regime compared with the EU's.",
    )
    initial_pressure: float = param(
        0.6,
        ge=0,
        le=1,
        unit="index 0-1",
        label="Sanctions pressure at start",
        help="How much of this sender's possible pressure is in force at the start.",
    )
    tighten_step: float = param(
        0.15,
        ge=0,
        le=1,
        unit="share of headroom",
        label="Tightening step",
        help="Share of the remaining headroom that one month of tightening adds.",
    )
    relief_step: float = param(
        0.1,
        ge=0,
        le=1,
        unit="share of pressure",
        label="Relief step",
        help="Share of current pressure that one month of engagement lifts.",
    )
    engagement_value: float = param(
        0.15,
        ge=0,
        le=2,
        unit="relief",
        label="Value of engagement itself",
        help="What talks and recognition from this sender are worth to the regime on top "
        "of sanctions relief (legitimacy).",
    )
    erosion: float = param(
        0.01,
        ge=0,
        le=0.5,
        unit="per month",
        label="Sanctions erosion",
        help="Monthly share of pressure lost to evasion while the sender holds.",
        advanced=True,
    )
    prior_belief: float = param(
        0.45,
        ge=0.01,
        le=0.99,
        unit="probability",
        label="Regime's prior hope of a deal",
        help="The regime's initial belief that this sender rewards releases.",
    )
    prior_strength: float = param(
        5.0,
        ge=0.5,
        le=100,
        unit="pseudo-observations",
        label="Confidence of that prior",
        help="How many answers the regime's prior is worth; lower learns faster.",
        advanced=True,
    )
    initial_credibility: float = param(
        0.7,
        ge=0,
        le=1,
        unit="index 0-1",
        label="Credibility at start",
        help="Credibility with pro-democracy forces at the start.",
    )
    engage_credibility_cost: float = param(
        0.15,
        ge=0,
        le=1,
        unit="per month",
        label="Credibility cost of engaging",
        help="Credibility lost per month of engagement while arrests outnumber releases.",
        advanced=True,
    )
    firm_credibility_gain: float = param(
        0.03,
        ge=0,
        le=1,
        unit="per month",
        label="Credibility from firmness",
        help="Credibility regained per month of holding or tightening.",
        advanced=True,
    )
    entry_month: Month = param(
        "2000-01",
        unit="month",
        label="Takes part from",
        help="First month in which this sender acts and the regime counts on it; before it the sender "
        "leaves the model untouched.",
    )
    envoy_visit_rate: float = param(
        0.25,
        ge=0,
        le=1,
        unit="probability",
        label="Deal in a month of engagement",
        help="Chance that a month in which this sender engages brings an envoy who closes a deal "
        "(prisoners exchanged for the relief on offer).",
        source="judgement: the EU has not negotiated releases directly",
    )


def _second_sender_defaults() -> SenderParams:
    # The United States before 2025: modest sanctions, no record of paying for releases.
    return SenderParams(
        enabled=False,
        name="United States",
        key="us",
        sanctions_weight=0.5,
        initial_pressure=0.5,
        friction=0.05,
        lag_months=0,
        prior_belief=0.1,
        engagement_value=0.1,
        entry_month="2025-01",
        envoy_visit_rate=1.0,
        policy=PolicyParams(kind="fixed", action="engage"),
    )


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


class ScenarioMeta(Group):
    """A scenario's name and the question it asks; not used by the model."""

    name: str = param("baseline_2024", unit="", label="Name", help="Short name of the scenario.")
    description: str = param(
        "Belarus 2024 as observed: the EU holds in July-August, pushes to tighten from "
        "mid-September; election in January 2025.",
        unit="",
        label="Description",
        help="What the scenario represents and the question it asks.",
    )

    @field_validator("name", "description")
    @classmethod
    def _short_enough_to_save(cls, value: str, info) -> str:
        # A scenario must fit in a scenario file once saved, so it can be shared and read back.
        longest = MAX_NAME_CHARS if info.field_name == "name" else MAX_DESCRIPTION_CHARS
        if len(value) > longest:
            raise ValueError(f"{len(value):,} characters is above the maximum {longest:,}")
        return value


class Scenario(Group):
    """A complete, validated scenario: parameters for the simulation and each actor."""

    meta: ScenarioMeta = Field(default_factory=ScenarioMeta)
    simulation: SimulationParams = Field(default_factory=SimulationParams)
    regime: RegimeParams = Field(default_factory=RegimeParams)
    eu: SenderParams = Field(default_factory=SenderParams)
    second_sender: SenderParams = Field(default_factory=_second_sender_defaults)
    audience: AudienceParams = Field(default_factory=AudienceParams)

    @field_validator("second_sender", mode="before")
    @classmethod
    def _second_sender_over_its_defaults(cls, value):
        # A partial second_sender (e.g. just `enabled: true`) keeps the second sender's own defaults,
        # not the EU's.
        if isinstance(value, dict):
            return {**_second_sender_defaults().model_dump(), **value}
        return value

    @model_validator(mode="after")
    def _distinct_keys(self):
        if self.second_sender.enabled and self.second_sender.key == self.eu.key:
            raise ValueError("second_sender.key must differ from eu.key")
        return self

    @model_validator(mode="after")
    def _fits_run_limits(self):
        sim = self.simulation
        problems = run_size_problems(sim.replications, self.audience.size, sim.months)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _fits_in_a_file(self):
        size = len(self.model_dump_json().encode())
        if size > MAX_SCENARIO_JSON_BYTES:
            raise ValueError(
                f"{size:,} bytes once saved is above the maximum {MAX_SCENARIO_JSON_BYTES:,} "
                "(shorten its names and descriptions)"
            )
        return self

    def senders(self) -> list[SenderParams]:
        """The active senders, EU first: the model treats them as a list."""
        return [s for s in (self.eu, self.second_sender) if s.enabled]

    def model_json(self) -> str:
        """Canonical JSON of the model parameters (without meta), used for hashing and caching."""
        return json.dumps(self.model_dump(mode="json", exclude={"meta"}), sort_keys=True)

    def digest(self) -> str:
        """Short hash identifying the model parameters."""
        return hashlib.sha256(self.model_json().encode()).hexdigest()[:16]
