"""Deals: priced exchanges with a sender that engages, climbing a ladder of relief items.

Each sender has a ladder of relief items (a gesture, an envoy's visit, the state airline, potash,
banks...), each with a value to the regime, the share of those freed who are deported and the
share who are not recognised political prisoners (foreigners and others, who leave no mark on the
stock). When a sender engages and its envoy comes, the next item is on the table. The regime
discounts it by its belief that the sender delivers, a belief that grows only with relief actually
delivered (`learning.py`), so a new sender gets small test releases and batches grow as items of
more value come to the table and trust builds. The value buys leaders first (what senders ask
for), then prominent prisoners, then ordinary ones.
"""

from __future__ import annotations

import numpy as np

from .parameters import Group, param


class ReliefItem(Group):
    """One rung of a sender's ladder: what it gives in a deal, and who is freed for it."""

    name: str = param("gesture", unit="", label="Item", help="What the sender gives, in a few words.")
    value: float = param(
        0.02,
        ge=0,
        le=3,
        unit="relief (sanctions index)",
        label="Value to the regime",
        help="What the item is worth to the regime, in the units of sanctions relief.",
    )
    eases_sanctions: bool = param(
        False,
        unit="",
        label="Eases sanctions",
        help="Whether the item lifts sanctions (visible relief: the 'victory' story); otherwise it is recognition.",
    )
    deported_share: float = param(
        0.8,
        ge=0,
        le=1,
        unit="share",
        label="Deported",
        help="Share of the political prisoners freed for this item who are taken abroad.",
    )
    non_political_share: float = param(
        0.0,
        ge=0,
        le=0.95,
        unit="share",
        label="Not political prisoners",
        help="Share of the people freed for this item who are not recognised political prisoners (foreigners, "
        "others); they leave no mark on the stock of political prisoners.",
    )


class DealParams(Group):
    """Priced exchanges with a sender: how many prisoners the relief on the table buys, and whom."""

    persons_per_relief: float = param(
        2318.0,
        ge=0,
        le=10_000,
        unit="persons per unit of relief",
        label="Prisoners a deal buys per unit of relief",
        help="How many ordinary prisoners the regime hands over per unit of relief on the table, once it fully "
        "trusts the sender; it discounts the item by its belief that the sender delivers. A prominent prisoner "
        "counts as `regime.prominent_cost_multiplier` ordinary ones, a leader as `regime.leader_cost_multiplier`.",
        source="calibrated to the 2025 US-brokered releases (3, 14 and 52 people)",
    )
    leader_ask: float = param(
        0.3,
        ge=0,
        le=1,
        unit="share of the deal",
        label="Leaders asked for in a deal",
        help="Share of a deal's value a sender spends on leaders, the names it asks for first; what "
        "cannot buy leaders goes to prominent prisoners, then to ordinary ones.",
        source="judgement: 2025 deals freed the best-known prisoners first",
    )
    prominent_ask: float = param(
        0.3,
        ge=0,
        le=1,
        unit="share of the deal",
        label="Prominent prisoners asked for in a deal",
        help="Share of a deal's value a sender spends on prominent prisoners.",
        advanced=True,
    )
    lumpiness: float = param(
        0.35,
        ge=0,
        le=2,
        unit="log sd",
        label="Spread of deal sizes",
        help="How much a negotiated batch differs from what the offer's value alone implies (spread on the "
        "log scale): talks are lumpy.",
        advanced=True,
    )


def ladder_arrays(ladders: list[tuple[ReliefItem, ...]]) -> dict[str, np.ndarray]:
    """The senders' ladders as arrays (senders, rungs), padded with each ladder's top item."""
    rungs = max([1, *(len(items) for items in ladders)])
    table = {}
    for name in ("value", "eases_sanctions", "deported_share", "non_political_share"):
        rows = []
        for items in ladders:
            values = [float(getattr(item, name)) for item in items] or [0.0]
            rows.append(values + [values[-1]] * (rungs - len(values)))
        table[name] = np.array(rows, dtype=float).reshape(len(ladders), rungs)
    return table


def item_on_table(ladder: dict[str, np.ndarray], deals_done: np.ndarray) -> dict[str, np.ndarray]:
    """Each sender's next item (its ladder's top once all are given), each field shaped (replications, senders)."""
    rung = np.minimum(deals_done, ladder["value"].shape[1] - 1)
    senders = np.arange(rung.shape[1])[None, :]
    return {name: values[senders, rung] for name, values in ladder.items()}


def deal_batch(
    value: np.ndarray, lumpiness: np.ndarray, available: np.ndarray, tier_prices: np.ndarray, params
) -> np.ndarray:
    """Political prisoners by tier that one deal frees, shape (replications, 3), never more than are available.

    value, lumpiness: (replications,): the item's value as the regime trusts it, and a log-normal
    factor for how the talks went. Value a tier cannot absorb (too few left) passes to the next.
    """
    budget_total = value * params.persons_per_relief * lumpiness
    prices = np.broadcast_to(tier_prices, available.shape)
    asks = {2: params.leader_ask, 1: params.prominent_ask}
    batch = np.zeros_like(available)
    carried = np.zeros_like(budget_total)
    for tier in (2, 1, 0):
        budget = budget_total * asks.get(tier, 1.0) + carried
        if tier == 0:
            budget = budget_total - (batch * prices).sum(axis=1)
        bought = np.minimum(available[:, tier], np.floor(np.maximum(budget, 0) / prices[:, tier])).astype(np.int64)
        batch[:, tier] = bought
        carried = budget - bought * prices[:, tier]
    return batch


def others_freed(political: np.ndarray, non_political_share: np.ndarray) -> np.ndarray:
    """People freed alongside the political prisoners who are not recognised ones, (replications,) counts."""
    return np.round(political * non_political_share / (1.0 - non_political_share)).astype(np.int64)
