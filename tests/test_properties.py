"""Invariants over the whole allowed parameter space (Hypothesis)."""

import numpy as np
from conftest import small
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Scenario, ScenarioError, parameter_table, simulate, with_overrides

NUMERIC = [
    p
    for p in parameter_table(Scenario)
    if p.kind in ("int", "float") and not p.path.startswith("simulation.") and p.path != "audience.size"
]
CHOICES = [p for p in parameter_table(Scenario) if p.kind == "choice"]


@st.composite
def scenarios(draw):
    """A small scenario with a random subset of parameters set anywhere in their allowed ranges."""
    overrides = {}
    for info in draw(st.lists(st.sampled_from(NUMERIC), max_size=12, unique_by=lambda p: p.path)):
        if info.kind == "int":
            overrides[info.path] = draw(st.integers(int(info.minimum), int(min(info.maximum, 10_000))))
        else:
            overrides[info.path] = draw(st.floats(info.minimum, info.maximum, allow_nan=False))
    for info in draw(st.lists(st.sampled_from(CHOICES), max_size=3, unique_by=lambda p: p.path)):
        if info.path.endswith("policy.kind"):
            overrides[info.path] = draw(st.sampled_from([c for c in info.choices if c != "interactive"]))
        else:
            overrides[info.path] = draw(st.sampled_from(info.choices))
    overrides["second_sender.enabled"] = draw(st.booleans())
    overrides["simulation.months"] = draw(st.integers(1, 14))
    try:
        return small(with_overrides(Scenario(), overrides), simulation__replications=8, audience__size=60)
    except ScenarioError:
        # Cross-field rules (e.g. group shares summing above 1) reject some draws; use the defaults there.
        return small(simulation__replications=8, audience__size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_stocks_shares_and_flows_stay_consistent(scenario, seed):
    results = simulate(scenario, seed=seed)
    monthly, summary = results.monthly, results.summary
    numeric = monthly.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy()).all()
    assert np.isfinite(summary.select_dtypes("number").to_numpy()).all()
    counts = [
        "released",
        "new_arrests",
        "rearrests",
        "completed_sentences",
        "deported",
        "prisoners",
        "petitioners",
        "released_at_home",
        "exiled",
    ]
    assert (monthly[counts] >= 0).all().all()
    shares = [
        c
        for c in monthly
        if c.startswith(("acceptance", "mobilised", "pressure_", "reciprocity_belief_", "credibility_"))
    ]
    shares += ["stability", "dependence", "story_credibility", "election_proximity"]
    assert ((monthly[shares] >= 0) & (monthly[shares] <= 1)).all().all()
    # Sanctions pressure sums each active sender's pressure (a share) times its weight, so it can exceed 1.
    most_pressure = sum(sender.sanctions_weight for sender in scenario.senders())
    assert ((monthly["sanctions_pressure"] >= 0) & (monthly["sanctions_pressure"] <= most_pressure + 1e-9)).all()
    assert (monthly["petitioners"] <= monthly["prisoners"]).all()
    _flows_balance(monthly, scenario)


def _flows_balance(monthly, scenario):
    """Everyone is accounted for: in prison, at home or exiled, and each month's stock change equals its flows."""
    regime = scenario.regime
    start_people = regime.initial_prisoners + regime.initial_released_at_home
    people = monthly["prisoners"] + monthly["released_at_home"] + monthly["exiled"]
    arrived = monthly.groupby("replication")["new_arrests"].cumsum()
    assert (people == start_people + arrived).all()
    previous = monthly.groupby("replication")["prisoners"].shift(1, fill_value=regime.initial_prisoners)
    change = monthly["new_arrests"] + monthly["rearrests"] - monthly["released"] - monthly["completed_sentences"]
    assert (monthly["prisoners"] - previous == change).all()
    assert (monthly["released"] <= previous).all()
