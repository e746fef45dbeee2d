"""Result tables: tidy monthly and summary frames, bands, stories, exports."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_small
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import Scenario
from simulator.core.results import DEFAULT_QUANTILES, _grouped_bands, quantile_bands


def test_monthly_has_one_row_per_replication_and_month_with_dates():
    results = run_small(simulation__months=6)
    monthly = results.monthly
    assert len(monthly) == 64 * 6
    assert monthly["date"].min() == pd.Timestamp("2024-07-01")
    assert monthly["date"].max() == pd.Timestamp("2024-12-01")
    assert monthly.groupby("replication").size().eq(6).all()


def test_summary_has_one_row_per_replication_and_consistent_totals():
    results = run_small()
    summary, monthly = results.summary, results.monthly
    assert len(summary) == 64
    totals = monthly.groupby("replication")["released"].sum().to_numpy()
    assert (summary["total_released"].to_numpy() == totals).all()
    assert (summary["net_change_in_prisoners"] == summary["final_prisoners"] - 1413).all()


def test_bands_are_ordered_quantiles():
    bands = run_small().bands("prisoners")
    assert list(bands.columns[:2]) == ["month", "date"]
    assert (bands["q05"] <= bands["q25"]).all() and (bands["q25"] <= bands["q50"]).all()
    assert (bands["q50"] <= bands["q75"]).all() and (bands["q75"] <= bands["q95"]).all()


def _table(values: list[float], months: int) -> pd.DataFrame:
    """A monthly table laid out as a run writes it: each replication's months 1..M in order."""
    replications = len(values) // months
    dates = pd.date_range("2024-07-01", periods=months, freq="MS")
    return pd.DataFrame(
        {
            "replication": np.repeat(np.arange(replications), months),
            "month": np.tile(np.arange(1, months + 1), replications),
            "date": np.tile(dates, replications),
            "value": values[: replications * months],
        }
    )


@settings(max_examples=60, deadline=None)
@given(
    months=st.integers(1, 6),
    values=st.lists(st.integers(-3, 3) | st.floats(-1e6, 1e6, allow_nan=False), min_size=6, max_size=90),
    percents=st.lists(st.integers(0, 100), min_size=1, max_size=6, unique=True),
)
def test_bands_of_a_run_table_match_pandas_grouped_quantiles_bit_for_bit(months, values, percents):
    quantiles = [p / 100 for p in percents]  # whole percents: each band's column is named by one (q05, q95)
    table = _table([float(v) for v in values], months)
    fast = quantile_bands(table, "value", quantiles)
    pd.testing.assert_frame_equal(fast, _grouped_bands(table, "value", quantiles), check_exact=True)


def test_bands_of_a_table_in_another_order_or_with_gaps_are_the_grouped_ones():
    table = _table([float(v % 7) for v in range(60)], 6)
    others = {
        "shuffled": table.sample(frac=1, random_state=3),
        "a missing value": table.assign(value=table["value"].where(table.index != 5)),
        "a missing month": table[table.index != 7],
    }
    for name, other in others.items():
        expected = _grouped_bands(other, "value", DEFAULT_QUANTILES)
        pd.testing.assert_frame_equal(quantile_bands(other, "value"), expected, check_exact=True, obj=name)


def test_story_of_the_typical_replication_has_headlines_and_drivers():
    results = run_small()
    story = results.story()
    assert story["replication"].nunique() == 1
    assert story["headline"].str.len().gt(10).all()
    assert {"driver_relief_eu", "driver_election"} <= set(story.columns)


def test_metadata_carries_seed_hash_and_version():
    results = run_small(seed=13)
    assert results.metadata["seed"] == 13
    assert results.metadata["scenario_hash"] == results.scenario.digest()
    assert results.metadata["version"]


def test_save_writes_parquet_csv_and_metadata_that_read_back(tmp_path):
    results = run_small(simulation__months=3)
    paths = results.save(tmp_path)
    assert {p.name for p in paths} == {
        "monthly.parquet",
        "monthly.csv",
        "summary.parquet",
        "summary.csv",
        "metadata.json",
    }
    back = pd.read_parquet(tmp_path / "summary.parquet")
    pd.testing.assert_frame_equal(back, results.summary)
    assert len(pd.read_csv(tmp_path / "monthly.csv")) == len(results.monthly)


def _full_disk_after(monkeypatch, calls: int):
    """Let `calls` CSV writes succeed, then fail the next one half-way, as a full disk does."""
    import errno

    written, to_csv = [], pd.DataFrame.to_csv

    def write_csv(frame, path=None, **options):
        if path is None:
            return to_csv(frame, **options)
        if len(written) == calls:
            Path(path).write_text(to_csv(frame, **options)[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        return to_csv(frame, path, **options)

    monkeypatch.setattr(pd.DataFrame, "to_csv", write_csv)


def test_a_save_that_fails_half_way_leaves_the_earlier_files_whole_and_names_the_file(tmp_path, monkeypatch):
    """Issue 20, item 10: a full disk left truncated tables and a message without the path."""
    from simulator import simulate

    first = simulate(Scenario(simulation={"months": 3, "replications": 3}, audience={"size": 40}))
    first.save(tmp_path, formats=("csv",))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    second = simulate(Scenario(simulation={"months": 4, "replications": 3}, audience={"size": 40}))
    _full_disk_after(monkeypatch, calls=1)
    with pytest.raises(OSError, match=r"^\[Errno 28\] results: .*summary.csv could not be written \(No space left"):
        second.save(tmp_path, formats=("csv",))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing replaced, no temporary left


def test_a_save_replaces_every_file(tmp_path):
    from simulator import simulate

    simulate(Scenario(simulation={"months": 3, "replications": 3}, audience={"size": 40})).save(tmp_path)
    paths = simulate(Scenario(simulation={"months": 4, "replications": 3}, audience={"size": 40})).save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    assert pd.read_csv(tmp_path / "monthly.csv")["month"].nunique() == 4
    assert pd.read_parquet(tmp_path / "summary.parquet").shape[0] == 3
