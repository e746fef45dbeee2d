"""The scenario schema: every parameter of the model, grouped by actor, with units, ranges and help."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .limits import FIRST_MONTH, LAST_MONTH, run_size_problems
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
        0.0276,
        ge=0,
        le=1,
        unit="per month",
        label="Petitions per month",
        help="Monthly share of prisoners not yet petitioning who file a pardon petition.",
        source="calibrated",
    )
    max_release_share: float = param(
        0.65,
        ge=0,
        le=1,
        unit="share/month",
        label="Largest monthly batch",
        help="Share of a tier's petitioners the regime pardons in a month when every "
        "driver pushes it fully towards release.",
        source="calibrated",
    )
    max_deal_share: float = param(
        0.06,
        ge=0,
        le=1,
        unit="share/month",
        label="Largest monthly deal",
        help="Share of a tier's prisoners who never petitioned that the regime trades in a month when a sender "
        "engages and every driver pushes fully towards release.",
        source="judgement: 2025 US-brokered batches of 52 and 123 out of about 1,100",
    )
    release_cost: float = param(
        0.42,
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
        0.63,
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
        label="Memory of past answers",
        help="Share of its learned evidence the regime keeps each month; lower forgets faster.",
        advanced=True,
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
        33.4,
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
        0.5,
        ge=0,
        le=5,
        unit="repression per relief",
        label="Hostage-taking incentive",
        help="Rise in arrests per unit of relief the regime expects for releases: when "
        "releases pay, new prisoners become chips.",
    )
    election_repression: float = param(
        0.2,
        ge=0,
        le=3,
        unit="repression",
        label="Pre-election crackdown",
        help="Rise in repression at the election month (ramping up over the campaign).",
    )
    completion_rate_ordinary: float = param(
        0.043,
        ge=0,
        le=0.5,
        unit="per month",
        label="Sentences ending (ordinary)",
        help="Monthly share of ordinary prisoners whose sentence ends.",
        source="calibrated to Viasna's stocks",
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

    def senders(self) -> list[SenderParams]:
        """The active senders, EU first: the model treats them as a list."""
        return [s for s in (self.eu, self.second_sender) if s.enabled]

    def model_json(self) -> str:
        """Canonical JSON of the model parameters (without meta), used for hashing and caching."""
        return json.dumps(self.model_dump(mode="json", exclude={"meta"}), sort_keys=True)

    def digest(self) -> str:
        """Short hash identifying the model parameters."""
        return hashlib.sha256(self.model_json().encode()).hexdigest()[:16]
