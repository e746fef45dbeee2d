"""Reading schema_version 1: the regime's parameters were flat; version 2 groups them by mechanism.

A version-1 name (in a file, or a dotted path such as `regime.release_cost`) is moved to its new
place with a one-line notice of what moved; parameters version 2 no longer has are dropped with a
notice saying what replaced them.
"""

from __future__ import annotations

import warnings

_GROUPS: dict[str, tuple[str, ...]] = {
    "pardons": (
        "initial_petitioner_share",
        "petition_rate",
        "max_release_share",
        "release_cost",
        "decision_softness",
        "occasion_new_year",
        "occasion_victory_day",
        "occasion_independence_day",
        "occasion_unity_day",
        "occasion_october_revolution",
        "occasion_other_months",
        "occasion_election_eve",
        "election_weight",
        "campaign_months",
        "relief_sensitivity",
        "pressure_response",
        "mobilisation_penalty",
        "deportation_share",
    ),
    "repression": (
        "base_arrests",
        "new_arrest_prominent_share",
        "rearrest_rate",
        "mobilisation_response",
        "siege_repression",
        "hostage_incentive",
        "hostage_memory",
        "election_repression",
    ),
    "sentences": (
        "early_cohort_share",
        "early_cohort_completion_rate",
        "completion_rate_ordinary",
        "completion_rate_prominent",
        "completion_rate_leaders",
    ),
    "learning": ("hold_as_refusal", "belief_memory", "refusal_memory", "release_signal_threshold"),
    "narratives": ("narrative_noise",),
}
_RENAMED = {
    "deal_persons_per_relief": ("deals", "persons_per_relief"),
    "deal_leader_ask": ("deals", "leader_ask"),
    "deal_prominent_ask": ("deals", "prominent_ask"),
    "deal_lumpiness": ("deals", "lumpiness"),
}
MOVED: dict[str, tuple[str, str]] = {
    **{name: (group, name) for group, names in _GROUPS.items() for name in names},
    **_RENAMED,
}
DROPPED: dict[str, str] = {
    "post_election_months": "the campaign's push now ends with the vote",
    "deal_price_growth": "deals climb each sender's ladder of relief items instead",
    "deal_deportation_share": "each relief item has its own deported_share",
}


class SchemaNotice(UserWarning):
    """A version-1 parameter name was read and moved to its version-2 place (or dropped)."""


def _notice(moved: list[str], dropped: list[str]) -> None:
    parts = [f"regime.{old} -> regime.{'.'.join(MOVED[old])}" for old in moved]
    parts += [f"regime.{old} dropped ({DROPPED[old]})" for old in dropped]
    if parts:
        warnings.warn(f"schema_version 1 names read: {'; '.join(parts)}", SchemaNotice, stacklevel=4)


def move_version_1_regime(value):
    """The `regime` group's data with version-1 flat names moved into their mechanism's group."""
    if not isinstance(value, dict) or not any(key in MOVED or key in DROPPED for key in value):
        return value
    value = dict(value)
    moved, dropped = [], []
    for key in list(value):
        if key in DROPPED:
            value.pop(key)
            dropped.append(key)
        elif key in MOVED:
            group, name = MOVED[key]
            inner = value.get(group, {})
            if isinstance(inner, dict):
                value[group] = {**inner, name: value.pop(key)}
                moved.append(key)
    _notice(moved, dropped)
    return value


def migrate_path(path: str) -> str | None:
    """The version-2 dotted path of a version-1 one (the path itself if it is current; None if it was dropped)."""
    parts = path.split(".")
    if len(parts) == 2 and parts[0] == "regime":
        if parts[1] in DROPPED:
            _notice([], [parts[1]])
            return None
        if parts[1] in MOVED:
            _notice([parts[1]], [])
            return "regime." + ".".join(MOVED[parts[1]])
    return path
