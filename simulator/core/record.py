"""The observed record, January 2024 to September 2025, and the targets a run of it is compared with.

`data/belarus_monthly_2024_2025.csv` holds Viasna's monthly figures (stock at month end where
published, newly recognised political prisoners, the regime's own pardons, releases in deals and
their sender); `data/belarus_events_2024_2025.csv` dates each release and sender action, with a
source. Each target says which months it covers, the model column it reads, and its tolerance:
how far the mean over runs may be from the observed figure, and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import Scenario, month_index, month_label
from .shipped import DATA, shipped

RECORD_FILE = "belarus_monthly_2024_2025.csv"
EVENTS_FILE = "belarus_events_2024_2025.csv"
RECORD_END = "2025-09"
# The preset that sets the senders to what they did: the scenario the record is compared with.
RECORD_PRESET = "as_it_happened"


def observed_record() -> pd.DataFrame:
    """The monthly record, one row per month from 2024-01 to 2025-09 (blank where nothing was published)."""
    with shipped(DATA, RECORD_FILE).open() as handle:
        return pd.read_csv(handle, dtype={"month": str})


def observed_events() -> pd.DataFrame:
    """Each dated release, sender action and published count of the record, with its source."""
    with shipped(DATA, EVENTS_FILE).open() as handle:
        return pd.read_csv(handle, dtype=str)


@dataclass(frozen=True)
class Target:
    """One observed figure the model should reproduce on average: a sum or end-of-period value over months."""

    name: str
    months: tuple[str, ...]
    column: str
    observed: float
    tolerance: float
    why: str
    stock: bool = False

    def simulated(self, means: pd.DataFrame) -> float:
        """The model's figure from monthly means indexed by 'YYYY-MM' (the last month's value for a stock)."""
        values = means.loc[list(self.months), self.column]
        return float(values.iloc[-1] if self.stock else values.sum())


def _months(first: str, last: str) -> tuple[str, ...]:
    return tuple(str(p) for p in pd.period_range(first, last, freq="M"))


_PARDON_WHY = "pardons are lumpy (one occasion more or less is 20-40 people): 30% or 8 people"
_DEAL_WHY = "a deal's size is a negotiation: 30% or 2 people"
_STOCK_WHY = "Viasna's counts are revised by a few dozen as cases are recognised late: 3%"
_RECOGNISED_WHY = "recognitions lag arrests by weeks to months: 20%"
STOCK_MONTHS = (*_months("2024-07", "2025-02"), "2025-06", "2025-09")


def record_targets() -> list[Target]:
    """The calibration targets from July 2024 to September 2025, each with its tolerance and the reason for it."""
    record = observed_record().set_index("month")
    targets = []
    for name, months in (
        ("pardons July 2024", ("2024-07",)),
        ("pardons August 2024", ("2024-08",)),
        ("pardons September 2024", ("2024-09",)),
        ("pardons 2024 Q4", _months("2024-10", "2024-12")),
        ("pardons 2025 Q1", _months("2025-01", "2025-03")),
        ("pardons 2025 Q2", _months("2025-04", "2025-06")),
        ("pardons 2025 Q3", _months("2025-07", "2025-09")),
    ):
        observed = float(record.loc[list(months), "pardoned_unilateral"].sum())
        targets.append(Target(name, months, "pardoned", observed, max(0.3 * observed, 8.0), _PARDON_WHY))
    for quarter, months in (
        ("2025 Q1", _months("2025-01", "2025-03")),
        ("2025 Q2", _months("2025-04", "2025-06")),
        ("2025 Q3", _months("2025-07", "2025-09")),
    ):
        observed = float(record.loc[list(months), "released_in_deals"].sum())
        targets.append(
            Target(f"US deals {quarter}", months, "freed_in_deals_us", observed, max(0.3 * observed, 2.0), _DEAL_WHY)
        )
    published = {"2025-06": 1174.0, "2025-09": 1168.0}  # counts of 1 July and 16 September 2025 (events file)
    for month in STOCK_MONTHS:
        observed = published.get(month, record.loc[month, "stock_end_of_month"])
        targets.append(
            Target(
                f"stock {month}", (month,), "prisoners", float(observed), 0.03 * float(observed), _STOCK_WHY, stock=True
            )
        )
    for name, months, observed in (
        ("recognised 2024 Q3", _months("2024-07", "2024-09"), 161.0),
        ("recognised 2024 Q4", _months("2024-10", "2024-12"), 155.0),
        # 283 between 18 January and 17 September 2025, plus about 10 of January's 18 before the 18th.
        ("recognised Jan-Sep 2025", _months("2025-01", "2025-09"), 293.0),
    ):
        targets.append(Target(name, months, "newly_imprisoned", observed, 0.2 * observed, _RECOGNISED_WHY))
    return targets


def observed_for_charts() -> pd.DataFrame:
    """The record as monthly points to draw beside the model: stock, own pardons, deals, recognitions.

    Columns: month ('YYYY-MM'), political_prisoners_end_of_month (with the counts of 1 July and
    16 September 2025 where no month-end figure was published), pardoned, released_in_deals,
    newly_recognised (blank where only a total for several months was published).
    """
    record = observed_record()
    stock = record["stock_end_of_month"].copy()
    for month, count in (("2025-06", 1174.0), ("2025-09", 1168.0)):
        stock[record["month"] == month] = count
    return pd.DataFrame(
        {
            "month": record["month"],
            "political_prisoners_end_of_month": stock,
            "pardoned": record["pardoned_unilateral"],
            "released_in_deals": record["released_in_deals"],
            "newly_recognised": record["newly_recognised"],
        }
    )


def _monthly_figures(history, scenario: Scenario) -> dict[str, np.ndarray]:
    """The model columns the targets read, each (replications, months), straight from the step records."""
    keys = [s.key for s in scenario.senders()]
    figures = {
        "pardoned": np.stack([h["pardoned"].sum(axis=1) for h in history], axis=1),
        "prisoners": np.stack([h["prisoners"].sum(axis=1) for h in history], axis=1),
        "newly_imprisoned": np.stack([h["new_arrests"] + h["rearrests"] for h in history], axis=1),
    }
    for i, key in enumerate(keys):
        freed = [h["released_in_deals_by_sender"][:, i] + h["others_freed_by_sender"][:, i] for h in history]
        figures[f"freed_in_deals_{key}"] = np.stack(freed, axis=1)
    return figures


def target_values(history, scenario: Scenario, targets: list[Target]) -> np.ndarray:
    """Each replication's value of each target, shape (replications, targets)."""
    figures = _monthly_figures(history, scenario)
    first = month_index(scenario.simulation.start)
    labels = [month_label(first + m) for m in range(len(history))]
    columns = []
    for target in targets:
        index = [labels.index(m) for m in target.months]
        values = figures[target.column][:, index]
        columns.append(values[:, -1] if target.stock else values.sum(axis=1))
    return np.column_stack(columns).astype(float)
