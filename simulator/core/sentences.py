"""Sentences running out: the 2020-22 wave at its own rate (so the flow falls as those terms end), others by tier."""

from __future__ import annotations

from .parameters import Group, param


class SentenceParams(Group):
    """Sentences running out: the 2020-22 wave at its own rate, everyone else by tier."""

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
        0.0655,
        ge=0,
        le=0.5,
        unit="per month",
        label="Sentences ending (2020-22 wave)",
        help="Monthly share of the 2020-22 wave still in prison whose sentence ends.",
        source="calibrated to Viasna's stocks",
    )
    completion_rate_ordinary: float = param(
        0.007353,
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
