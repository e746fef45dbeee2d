"""The regime as a whole: its tiers of prisoners, the sanctions it feels, its stability and its patrons.

Its decisions are each in a module of their own: pardons.py, deals.py, repression.py,
sentences.py and learning.py.
"""

from __future__ import annotations

import numpy as np

from .actions import ENGAGE, HOLD, TIGHTEN
from .parameters import per_sender

TIERS: tuple[str, ...] = ("ordinary", "prominent", "leaders")


def by_tier(ordinary, prominent, leaders) -> np.ndarray:
    """One value per tier, shape (3,), or (replications, 3) when any of them is a per-replication parameter."""
    return np.stack(np.broadcast_arrays(ordinary, prominent, leaders), axis=-1).astype(float)


def tier_prices(params) -> np.ndarray:
    """What releasing one prisoner of each tier costs in ordinary prisoners, (3,) or (replications, 3)."""
    return by_tier(1.0, params.prominent_cost_multiplier, params.leader_cost_multiplier)


def relief_on_offer(pressure: np.ndarray, senders) -> np.ndarray:
    """Relief each sender could give, (replications, senders): the sanctions it could lift plus recognition."""
    weight = per_sender(senders, "sanctions_weight")
    recognition = per_sender(senders, "engagement_value")
    return weight * pressure + recognition


def update_pressure(pressure: np.ndarray, in_effect: np.ndarray, senders) -> tuple[np.ndarray, np.ndarray]:
    """Sanctions pressure after this month's actions in effect, and the relief each sender gave.

    pressure, in_effect: (replications, senders). Tightening adds a share of the headroom; engaging
    lifts a share of the pressure (that lift is the relief); holding lets evasion erode it slowly.
    """
    tighten_step = per_sender(senders, "tighten_step")
    relief_step = per_sender(senders, "relief_step")
    erosion = per_sender(senders, "erosion")
    relief = (in_effect == ENGAGE) * relief_step * pressure
    tightening = (in_effect == TIGHTEN) * tighten_step * (1 - pressure)
    erosion_loss = (in_effect == HOLD) * erosion * pressure
    return np.clip(pressure - relief + tightening - erosion_loss, 0.0, 1.0), relief


def update_dependence(
    dependence: np.ndarray, total_pressure: np.ndarray, total_relief: np.ndarray, params
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
    params,
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
