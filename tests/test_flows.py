"""Invariants of the release channels and sentence cohorts over the whole parameter space (Hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import scenarios

from simulator import simulate


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_pardons_deals_and_cohorts_stay_consistent(scenario, seed):
    monthly = simulate(scenario, seed=seed).monthly
    assert (monthly["pardoned"] + monthly["released_in_deals"] == monthly["released"]).all()
    deals_by_sender = sum(monthly[f"released_in_deals_{s.key}"] for s in scenario.senders())
    assert (deals_by_sender == monthly["released_in_deals"]).all()
    assert (monthly.loc[~monthly["pardon_held"], "pardoned"] == 0).all()
    assert (
        (monthly["prisoners_2020_22_wave"] >= 0) & (monthly["prisoners_2020_22_wave"] <= monthly["prisoners_ordinary"])
    ).all()
    assert (monthly["freed_not_political"] >= 0).all()
    assert (monthly["at_risk"] >= 0).all()
    assert (monthly.loc[~monthly["holiday_pardon_held"], "holiday_pardon_expected"] == 0).all()
    assert ((monthly["pardon_occasion"] >= 0) & (monthly["pardon_occasion"] <= 1)).all()
    credibility = [c for c in monthly if c.startswith("story_credibility")]
    assert ((monthly[credibility] >= 0) & (monthly[credibility] <= 1)).all().all()
    assert np.isfinite(monthly.select_dtypes("number").to_numpy()).all()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_a_sender_takes_no_part_before_its_entry(scenario, seed):
    monthly = simulate(scenario, seed=seed).monthly
    for sender in scenario.senders():
        before = monthly["date"] < sender.entry_month + "-01"
        assert (monthly.loc[before, f"released_in_deals_{sender.key}"] == 0).all()
        assert (monthly.loc[before, f"relief_{sender.key}"] == 0).all()
