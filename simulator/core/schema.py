"""The scenario schema: every parameter of the model, grouped by actor, with units, ranges and help."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from .actions import ACTIONS as ACTIONS
from .actions import Action
from .audience import AudienceParams
from .deals import DealParams, ReliefItem
from .learning import LearningParams
from .limits import (
    FIRST_MONTH,
    LAST_MONTH,
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
    MAX_SCENARIO_JSON_BYTES,
    run_size_problems,
)
from .migration import move_version_1_regime
from .narratives import NarrativeParams
from .parameters import Group, param
from .pardons import PardonParams
from .repression import RepressionParams
from .sentences import SentenceParams

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
        "the parameters the record cannot pin down from the calibrated posterior (parameters you changed "
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
    """The regime: its prisoners and their tiers, each mechanism's parameters, its stability and its patrons."""

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
    pardons: PardonParams = Field(default_factory=PardonParams)
    deals: DealParams = Field(default_factory=DealParams)
    repression: RepressionParams = Field(default_factory=RepressionParams)
    sentences: SentenceParams = Field(default_factory=SentenceParams)
    learning: LearningParams = Field(default_factory=LearningParams)
    narratives: NarrativeParams = Field(default_factory=NarrativeParams)

    @model_validator(mode="before")
    @classmethod
    def _version_1_names(cls, value):
        # Scenario files and overrides of schema_version 1 named these parameters flat under `regime`.
        return move_version_1_regime(value)

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
        default_factory=lambda: dict[str, Action]({"2024-07": "hold", "2024-09": "tighten"}),
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


EU_LADDER: tuple[ReliefItem, ...] = (
    ReliefItem(name="dialogue", value=0.02, eases_sanctions=False, deported_share=0.5),
    ReliefItem(name="visas and travel", value=0.05, eases_sanctions=True, deported_share=0.5),
    ReliefItem(name="potash transit", value=0.2, eases_sanctions=True, deported_share=0.6),
    ReliefItem(name="banks", value=0.4, eases_sanctions=True, deported_share=0.6),
)
# The US ladder of 2025: the first three rungs as observed (who was freed, and where to), later ones judgement.
US_LADDER: tuple[ReliefItem, ...] = (
    ReliefItem(name="first contact", value=0.01, eases_sanctions=False, deported_share=0.7, non_political_share=0.33),
    ReliefItem(name="envoy's visit", value=0.04, eases_sanctions=False, deported_share=1.0, non_political_share=0.5),
    ReliefItem(name="state airline", value=0.12, eases_sanctions=True, deported_share=0.95, non_political_share=0.23),
    ReliefItem(name="potash exports", value=0.3, eases_sanctions=True, deported_share=0.9, non_political_share=0.1),
    ReliefItem(name="banks", value=0.5, eases_sanctions=True, deported_share=0.9, non_political_share=0.05),
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
    relief_items: tuple[ReliefItem, ...] = Field(
        default_factory=lambda: EU_LADDER,
        max_length=12,
        title="Ladder of relief items",
        description="What this sender can give in deals, in the order it puts them on the table: each deal takes "
        "the next item (the top one again once all are given).",
        json_schema_extra={"unit": "", "advanced": True, "source": "judgement"},
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
        relief_items=US_LADDER,
        policy=PolicyParams(kind="fixed", action="engage"),
    )


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
