"""Sender policies: how the EU (or a second sender) picks engage, hold or tighten each month.

A rule's thresholds, its window and the friction may be per-replication arrays (replications,)
when a batch of design points varies them (batching.py); the kind, action and schedule may not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .actions import ACTIONS, ENGAGE, HOLD, TIGHTEN
from .parameters import column
from .schema import PolicyParams, month_index

# The PolicyParams fields each kind of policy reads; the others are ignored for that kind.
POLICY_FIELDS: dict[str, tuple[str, ...]] = {
    "fixed": ("action",),
    "schedule": ("schedule", "default_action"),
    "reciprocal": ("engage_threshold", "tighten_threshold"),
    "maximalist": ("tighten_threshold", "all_free_threshold"),
    "graduated": ("window_months", "net_release_step"),
    "interactive": (),
}


@dataclass(frozen=True)
class Observations:
    """What a sender knows when it decides: the record of past months, arrays shaped (replications, months so far)."""

    releases: np.ndarray
    arrests: np.ndarray
    prisoners_now: np.ndarray


def action_code(action: str) -> int:
    """Numeric code of an action name."""
    return ACTIONS.index(action)


def scheduled_action(schedule: Mapping[str, str], default_action: str, calendar_month: int) -> str:
    """The action a schedule sets for a month: the latest listed month at or before it, else the default."""
    due = [m for m in schedule if month_index(m) <= calendar_month]
    return schedule[max(due, key=month_index)] if due else default_action


def _last(history: np.ndarray) -> np.ndarray:
    return history[:, -1] if history.shape[1] else np.zeros(history.shape[0])


def _reciprocal(policy: PolicyParams, seen: Observations) -> np.ndarray:
    action = np.full(seen.prisoners_now.shape, HOLD, dtype=np.int8)
    action[_last(seen.releases) >= policy.engage_threshold] = ENGAGE
    action[_last(seen.arrests) >= policy.tighten_threshold] = TIGHTEN
    return action


def _maximalist(policy: PolicyParams, seen: Observations) -> np.ndarray:
    action = np.full(seen.prisoners_now.shape, HOLD, dtype=np.int8)
    action[_last(seen.arrests) >= policy.tighten_threshold] = TIGHTEN
    action[seen.prisoners_now <= policy.all_free_threshold] = ENGAGE
    return action


def _graduated(policy: PolicyParams, seen: Observations) -> np.ndarray:
    net = _net_releases(seen, policy.window_months)
    action = np.full(seen.prisoners_now.shape, HOLD, dtype=np.int8)
    action[net >= policy.net_release_step] = ENGAGE
    action[net <= -policy.net_release_step] = TIGHTEN
    return action


def _net_releases(seen: Observations, window_months) -> np.ndarray:
    """Releases minus arrests over each replication's last `window_months` months, shape (replications,)."""
    if isinstance(window_months, np.ndarray):
        # Windows differ within a batch: mask the months instead of slicing; counts are whole numbers, so the
        # sums are exactly those over a slice.
        months = seen.releases.shape[1]
        recent = np.arange(months) >= months - column(window_months)
        return (seen.releases * recent).sum(axis=1) - (seen.arrests * recent).sum(axis=1)
    window = slice(-window_months, None)
    return seen.releases[:, window].sum(axis=1) - seen.arrests[:, window].sum(axis=1)


def decide(policy: PolicyParams, calendar_month: int, seen: Observations) -> np.ndarray:
    """Each replication's intended action this month, shape (replications,), codes 0 engage, 1 hold, 2 tighten."""
    count = seen.prisoners_now.shape[0]
    if policy.kind == "fixed":
        return np.full(count, action_code(policy.action), dtype=np.int8)
    if policy.kind == "schedule":
        action = scheduled_action(policy.schedule, policy.default_action, calendar_month)
        return np.full(count, action_code(action), dtype=np.int8)
    if policy.kind == "reciprocal":
        return _reciprocal(policy, seen)
    if policy.kind == "maximalist":
        return _maximalist(policy, seen)
    if policy.kind == "graduated":
        return _graduated(policy, seen)
    raise ValueError(f"policy.kind: {policy.kind!r} needs an action from the caller each month (use step())")


def apply_friction(intended: np.ndarray, friction: float | np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Member-state friction: a move to engage or tighten is blocked (becomes hold) with probability `friction`."""
    blocked = (intended != HOLD) & (uniform < friction)
    return np.where(blocked, HOLD, intended).astype(np.int8)
