"""Results as tidy tables: one row per replication and month, one row per replication, plus metadata."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from .audience import GROUPS
from .narratives import NARRATIVES, headline
from .provenance import provenance, write_parquet
from .regime import TIERS
from .schema import ACTIONS, Scenario, month_index, month_label

DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Results:
    """The outcome of a run: `monthly` and `summary` DataFrames with the scenario and seed that made them."""

    scenario: Scenario
    seed: int
    monthly: pd.DataFrame
    summary: pd.DataFrame
    metadata: dict = field(default_factory=dict)

    def bands(self, column: str, quantiles=DEFAULT_QUANTILES) -> pd.DataFrame:
        """Quantiles of a monthly column over replications, one row per month (columns q05, q25, q50, ...)."""
        return quantile_bands(self.monthly, column, quantiles)

    def typical_replication(self, indicator: str = "total_released") -> int:
        """The replication whose indicator is closest to the median: a representative story to tell."""
        values = self.summary[indicator]
        return int(self.summary.loc[(values - values.median()).abs().idxmin(), "replication"])

    def story(self, replication: int | None = None) -> pd.DataFrame:
        """Month-by-month rows of one replication (the typical one by default)."""
        replication = self.typical_replication() if replication is None else replication
        return self.monthly[self.monthly["replication"] == replication].reset_index(drop=True)

    def to_xarray(self):
        """An xarray Dataset: monthly variables over (replication, month), summaries over replication, provenance."""
        from .cube import results_cube

        return results_cube(self)

    def save(self, folder: str | Path, formats=("parquet", "csv")) -> list[Path]:
        """Write monthly and summary tables (Parquet and/or CSV) and a metadata JSON, with provenance; return paths."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        record = {**provenance(self.scenario, self.seed), **self.metadata}
        writers: dict[Path, Callable[[Path], object]] = {}
        for name, frame in (("monthly", self.monthly), ("summary", self.summary)):
            for fmt in formats:
                writers[folder / f"{name}.{fmt}"] = (
                    partial(write_parquet, frame, record=record) if fmt == "parquet" else partial(_write_csv, frame)
                )
        meta = json.dumps({**record, "scenario": self.scenario.model_dump(mode="json")}, indent=2)
        writers[folder / "metadata.json"] = lambda path: Path(path).write_text(meta, encoding="utf-8")
        _write_all_or_none(writers)
        return list(writers)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False)


def _write_all_or_none(writers: dict[Path, Callable[[Path], object]]) -> None:
    """Write every file under a temporary name beside it, then rename them all into place.

    A failure (a full disk) leaves the files already there as they were and no partial file behind;
    the error names the file and the reason.
    """
    temporary = {path: path.with_name(f".{path.name}.tmp") for path in writers}
    try:
        for path, write in writers.items():
            try:
                write(temporary[path])
            except OSError as exc:
                raise OSError(
                    exc.errno, f"results: {path} could not be written ({exc.strerror or exc}); nothing was replaced"
                ) from None
        for path, tmp in temporary.items():
            os.replace(tmp, path)
    finally:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)


def quantile_bands(monthly: pd.DataFrame, column: str, quantiles=DEFAULT_QUANTILES) -> pd.DataFrame:
    """Quantiles of a monthly column over replications, one row per month and date."""
    grid = _replication_grid(monthly, column)
    if grid is None:
        return _grouped_bands(monthly, column, quantiles)
    values, months, dates = grid
    rows = _linear_quantiles(values, quantiles)
    bands = {f"q{round(q * 100):02d}": row for q, row in zip(quantiles, rows, strict=True)}
    # pandas' grouped mean (compensated summation), so that the means are those of the grouped path
    mean = monthly.groupby("month", sort=True)[column].mean().to_numpy()
    return pd.DataFrame({"month": months, "date": dates, **bands, "mean": mean})


def _grouped_bands(monthly: pd.DataFrame, column: str, quantiles) -> pd.DataFrame:
    grouped = monthly.groupby(["month", "date"], observed=True)[column]
    table = grouped.quantile(list(quantiles)).unstack()
    table.columns = [f"q{round(q * 100):02d}" for q in quantiles]
    table["mean"] = grouped.mean()
    return table.reset_index()


def _replication_grid(monthly: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray, pd.Series] | None:
    """A column as (replications, months) with each month's number and date, if the table is laid out as a run
    writes it (every replication's months 1..M in order, one date a month, no missing value); else None."""
    months = monthly["month"].to_numpy()
    if not np.issubdtype(months.dtype, np.integer):
        return None
    count = int(months.max()) if len(months) else 0
    if count == 0 or len(months) % count:
        return None
    first, replications = months[:count], len(months) // count
    if not np.array_equal(first, np.arange(1, count + 1)) or not np.array_equal(months, np.tile(first, replications)):
        return None
    dates = monthly["date"].iloc[:count].reset_index(drop=True)
    if not np.array_equal(monthly["date"].to_numpy(), np.tile(dates.to_numpy(), replications)):
        return None
    values = monthly[column].to_numpy(dtype=np.float64).reshape(-1, count)
    if np.isnan(values).any():
        return None
    return values, first, dates


def _linear_quantiles(values: np.ndarray, quantiles) -> list[np.ndarray]:
    """Each quantile over the first axis, interpolated as pandas' grouped quantile does (bit for bit)."""
    ordered = np.sort(values, axis=0)
    rows = []
    for q in quantiles:
        position = q * (len(ordered) - 1)
        low = int(position)  # truncated, as pandas does
        fraction = position % 1
        value = ordered[low]
        rows.append(value if fraction == 0.0 else value + (ordered[low + 1] - value) * fraction)
    return rows


def _month_major(values: np.ndarray) -> np.ndarray:
    """Reorder stacked (months, replications, ...) values to replication-major rows."""
    return np.swapaxes(values, 0, 1).reshape(values.shape[0] * values.shape[1], *values.shape[2:])


def monthly_frame(history, scenario: Scenario, first: int, headlines: bool = True) -> pd.DataFrame:
    """One row per replication and month from the step records (without the headline texts if not asked)."""
    months, count = len(history), history[0]["prisoners"].shape[0]
    stacked = {k: _month_major(np.stack([h[k] for h in history])) for k in history[0] if not k.endswith("drivers")}
    start = month_index(scenario.simulation.start)
    dates = pd.to_datetime([f"{month_label(start + m)}-01" for m in range(months)])
    columns = {
        "replication": np.repeat(np.arange(first, first + count), months),
        "month": np.tile(np.arange(1, months + 1), count),
        "date": np.tile(dates, count),
    }
    for i, sender in enumerate(scenario.senders()):
        k = sender.key
        columns[f"action_decided_{k}"] = pd.Categorical.from_codes(stacked["decided"][:, i], ACTIONS)
        columns[f"action_in_effect_{k}"] = pd.Categorical.from_codes(stacked["in_effect"][:, i], ACTIONS)
        columns[f"pressure_{k}"] = stacked["pressure"][:, i]
        columns[f"relief_{k}"] = stacked["relief"][:, i]
        columns[f"reciprocity_belief_{k}"] = stacked["belief"][:, i]
        columns[f"credibility_{k}"] = stacked["credibility"][:, i]
        columns[f"released_in_deals_{k}"] = stacked["released_in_deals_by_sender"][:, i]
        columns[f"freed_not_political_{k}"] = stacked["others_freed_by_sender"][:, i]
        columns[f"freed_in_deals_{k}"] = columns[f"released_in_deals_{k}"] + columns[f"freed_not_political_{k}"]
        columns[f"deal_offer_{k}"] = stacked["deal_offer"][:, i]
        columns[f"relief_item_value_{k}"] = stacked["item_value"][:, i]
    columns["sanctions_pressure"] = stacked["total_pressure"]
    for j, tier in enumerate(TIERS):
        columns[f"released_{tier}"] = stacked["released"][:, j]
    columns["released"] = stacked["released"].sum(axis=1)
    columns["released_in_deals"] = stacked["released_in_deals"]
    columns["pardoned"] = stacked["pardoned"].sum(axis=1)
    columns["pardon_held"] = stacked["pardon_held"].astype(bool)
    columns["pardon_occasion"] = stacked["occasion"]
    columns["holiday_pardon_held"] = stacked["holiday_held"].astype(bool)
    columns["holiday_pardon_expected"] = stacked["holiday_expected"]
    columns["freed_not_political"] = stacked["others_freed_by_sender"].sum(axis=1)
    columns["freed_in_deals"] = columns["released_in_deals"] + columns["freed_not_political"]
    for name in ("deported", "new_arrests", "rearrests"):
        columns[name] = stacked[name]
    columns["newly_imprisoned"] = stacked["new_arrests"] + stacked["rearrests"]
    columns["completed_sentences"] = stacked["completed"].sum(axis=1)
    for j, tier in enumerate(TIERS):
        columns[f"prisoners_{tier}"] = stacked["prisoners"][:, j]
    columns["prisoners"] = stacked["prisoners"].sum(axis=1)
    columns["petitioners"] = stacked["petitioners"].sum(axis=1)
    columns["prisoners_2020_22_wave"] = stacked["early_cohort"]
    columns["released_at_home"] = stacked["at_home"]
    columns["at_risk"] = stacked["at_risk"]
    columns["exiled"] = stacked["exiled"]
    columns["narrative"] = pd.Categorical.from_codes(stacked["narrative"], NARRATIVES)
    keys = [s.key for s in scenario.senders()]
    # "none" rather than a missing value: every reader (pandas, DuckDB, polars) reads it back alike.
    columns["credited_sender"] = pd.Categorical.from_codes(stacked["credited"] + 1, ["none", *keys])
    columns["left_out_sender"] = pd.Categorical.from_codes(stacked["holder"] + 1, ["none", *keys])
    columns["story_credibility"] = stacked["story_credibility"]
    for g, group in enumerate(GROUPS):
        columns[f"story_credibility_{group}"] = stacked["story_credibility_by_group"][:, g]
    columns["acceptance"] = stacked["acceptance"]
    for g, group in enumerate(GROUPS):
        columns[f"acceptance_{group}"] = stacked["acceptance_by_group"][:, g]
    columns["mobilised_share"] = stacked["mobilised_share"]
    for g, group in enumerate(GROUPS):
        columns[f"mobilised_{group}"] = stacked["mobilised_by_group"][:, g]
    for name in ("repression", "stability", "dependence", "election_proximity"):
        columns[name] = stacked[name]
    columns.update(_driver_columns(history, scenario))
    frame = pd.DataFrame(columns)
    if headlines:
        frame.insert(frame.columns.get_loc("narrative") + 1, "headline", _headlines(frame, scenario))
    return frame


def _driver_columns(history, scenario: Scenario) -> dict[str, np.ndarray]:
    keys = [s.key for s in scenario.senders()]
    columns = {}
    for family, prefix in (("release_drivers", "driver_"), ("repression_drivers", "repression_")):
        for name in history[0][family]:
            label = f"relief_{keys[int(name.split('_')[1])]}" if name.startswith("relief_") else name
            columns[f"{prefix}{label}"] = _month_major(np.stack([h[family][name] for h in history]))
    return columns


def _headlines(frame: pd.DataFrame, scenario: Scenario) -> list[str]:
    released_before = frame.groupby("replication")["released"].shift(1, fill_value=0)
    names = {s.key: s.name for s in scenario.senders()}
    payers = [names.get(k, "West") for k in frame["credited_sender"].astype(object)]
    holders = [names.get(k, "West") for k in frame["left_out_sender"].astype(object)]
    rows = zip(frame["narrative"], frame["released"], released_before, payers, holders, strict=True)
    return [headline(n, r, b, p, h) for n, r, b, p, h in rows]


def summary_frame(monthly: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One row per replication: the indicators that sum up a run."""
    by = monthly.groupby("replication")
    last = by.tail(1).set_index("replication")
    summary = pd.DataFrame(
        {
            "total_released": by["released"].sum(),
            "total_newly_imprisoned": by["newly_imprisoned"].sum(),
            "total_rearrested": by["rearrests"].sum(),
            "total_released_in_deals": by["released_in_deals"].sum(),
            "total_freed_not_political": by["freed_not_political"].sum(),
            "total_deported": by["deported"].sum(),
            "net_change_in_prisoners": last["prisoners"] - scenario.regime.initial_prisoners,
            "final_prisoners": last["prisoners"],
            "prisoner_months": by["prisoners"].sum(),
            "final_acceptance": last["acceptance"],
            **{f"final_acceptance_{g}": last[f"acceptance_{g}"] for g in GROUPS},
            "mean_mobilised_share": by["mobilised_share"].mean(),
            "final_stability": last["stability"],
            "final_dependence": last["dependence"],
        }
    )
    for sender in scenario.senders():
        k = sender.key
        summary[f"final_credibility_{k}"] = last[f"credibility_{k}"]
        summary[f"total_relief_{k}"] = by[f"relief_{k}"].sum()
    weights = {sender.key: sender.sanctions_weight for sender in scenario.senders()}
    summary["relief_per_person_released"] = relief_per_person_released(summary, weights)
    return summary.reset_index()


def relief_per_person_released(summary: pd.DataFrame, weights: dict) -> pd.Series:
    """Relief the senders gave, weighed by their sanctions weights {key: weight or one per row}, per person released."""
    relief_total = 0.0
    for key, weight in weights.items():
        relief_total = relief_total + summary[f"total_relief_{key}"] * weight
    return relief_total / np.maximum(summary["total_released"], 1)
