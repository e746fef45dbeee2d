"""Result tables: tidy monthly and summary frames, bands, stories, exports."""

import pandas as pd
from conftest import run_small


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
