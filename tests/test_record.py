"""The record to September 2025 in the package, and the point calibration of as_it_happened against it."""

import warnings

import pytest

from simulator import load_preset, simulate
from simulator.core.calibration import fit_to_record
from simulator.core.record import RECORD_END, observed_events, observed_for_charts, observed_record, record_targets


@pytest.fixture(scope="module")
def as_it_happened():
    monthly = simulate(load_preset("as_it_happened"), replications=200, seed=11).monthly
    return monthly.assign(label=monthly["date"].dt.strftime("%Y-%m"))


def test_the_record_ships_with_its_sources():
    record = observed_record()
    assert record["month"].iloc[0] == "2024-01" and record["month"].iloc[-1] == RECORD_END
    assert record["pardoned_unilateral"].sum() == 0 + 18 + 30 + 67 + 63 + 49 + 23 + 42 + 16 + 25
    events = observed_events()
    assert events["source"].str.startswith("http").all()
    assert set(observed_for_charts()["political_prisoners_end_of_month"].dropna()) >= {1174.0, 1168.0}


def test_every_target_says_its_tolerance_and_why():
    targets = record_targets()
    assert len(targets) >= 20
    assert all(t.tolerance > 0 and t.why for t in targets)
    assert {t.name.split()[0] for t in targets} == {"pardons", "US", "stock", "recognised"}


def test_as_it_happened_reproduces_the_record_within_tolerance():
    fit = fit_to_record(replications=300, seed=7)
    misses = fit.table[(fit.table["simulated"] - fit.table["observed"]).abs() > fit.table["tolerance_persons"]]
    assert misses.empty, misses[["figure", "observed", "simulated", "tolerance_persons"]].to_string()


def test_us_deals_grow_over_2025_without_a_parameter_that_names_a_month(as_it_happened):
    deals = as_it_happened.groupby("label")["freed_in_deals_us"].mean()
    assert 0 < deals["2025-02"] < deals["2025-06"] < deals["2025-09"]


def test_no_pardon_in_a_month_without_an_occasion(as_it_happened):
    # February-April, June and August 2025: no holiday, and the campaign ended with the vote.
    quiet = as_it_happened["label"].isin(["2025-02", "2025-03", "2025-04", "2025-06", "2025-08"])
    assert (as_it_happened.loc[quiet, "pardoned"] == 0).all()
    assert (as_it_happened.loc[quiet, "pardon_occasion"] == 0).all()


def test_recognitions_fall_in_2025_below_their_2024_level(as_it_happened):
    by_month = as_it_happened.groupby("label")["newly_imprisoned"].mean()
    late_2024 = by_month[[m for m in by_month.index if "2024-07" <= m <= "2024-12"]].mean()
    in_2025 = by_month[[m for m in by_month.index if "2025-02" <= m <= RECORD_END]].mean()
    assert in_2025 < late_2024


def test_the_victory_story_credits_the_sender_that_paid(as_it_happened):
    victory = as_it_happened[as_it_happened["narrative"].isin(["victory", "divide"])]
    assert len(victory) > 0
    assert (victory["credited_sender"] == "us").all()
    assert victory["headline"].str.contains("United States").all()


def test_version_1_files_load_with_a_notice_of_what_moved():
    from simulator import parse_scenario_yaml

    text = "schema_version: 1\nregime:\n  release_cost: 0.5\n  deal_price_growth: 0.2\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = parse_scenario_yaml(text)
    assert scenario.regime.pardons.release_cost == 0.5
    notices = [str(w.message) for w in caught]
    assert any("regime.release_cost -> regime.pardons.release_cost" in n for n in notices)
    assert any("regime.deal_price_growth dropped" in n for n in notices)


def test_version_1_dotted_paths_still_override():
    from simulator import Scenario, with_overrides

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = with_overrides(Scenario(), {"regime.base_arrests": 40.0})
    assert scenario.regime.repression.base_arrests == 40.0
