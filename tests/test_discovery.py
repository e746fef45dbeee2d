"""Scenario discovery boxes and policy regret, on functions whose answer is known, then on the simulator."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from simulator import Scenario, with_overrides
from simulator.core.parameters import ParameterInfo
from simulator.exploration.comparison import compare_policies
from simulator.exploration.designs import Design
from simulator.exploration.discovery import discover, parse_condition
from simulator.exploration.execution import Execution
from simulator.exploration.sweep_specs import SweepSpec
from simulator.exploration.sweeps import run_sweep, sweep


@dataclass(frozen=True)
class TwoPolicies:
    """A known world: policy 'a' yields x, policy 'b' yields 1 - x, and 'noise' does nothing."""

    name: str = "two policies"

    def parameters(self):
        unit = {p: ParameterInfo(p, p, "", 0.5, 0.0, 1.0, "", False, "test", "float") for p in ("x", "noise")}
        return {
            **unit,
            "policy": ParameterInfo("policy", "policy", "", "a", None, None, "", False, "test", "choice", ("a", "b")),
        }

    def check(self, values):
        return None

    def run(self, values, replications, seed, monthly):
        y = values["x"] if values["policy"] == "a" else 1 - values["x"]
        return pd.DataFrame({"replication": [0], "y": [y]}), None


@pytest.fixture(scope="module")
def known():
    design = Design(kind="latin_hypercube", points=200, factors={"x": {}, "noise": {}, "policy": {}})
    return run_sweep(
        SweepSpec(design=design, replications=1, seed=1),
        execution=Execution(workers=1),
        progress=False,
        model=TwoPolicies(),
    )


def test_discovery_finds_the_box_where_the_outcome_holds(known):
    found = discover(known, "y > 0.7")
    assert found.base_rate == pytest.approx(0.3, abs=0.02)
    assert len(found.boxes) == 2
    by_policy = {row.levels: row for row in found.limits[found.limits["factor"] == "policy"].itertuples()}
    a_box = by_policy["a"].box
    a_limits = found.limits[(found.limits["box"] == a_box) & (found.limits["factor"] == "x")].iloc[0]
    assert a_limits["low"] == pytest.approx(0.7, abs=0.01) and a_limits["high"] == 1.0
    assert "noise" not in set(found.limits["factor"])
    box = found.boxes.set_index("box").loc[a_box]
    assert box["density"] == 1.0 and box["coverage"] == pytest.approx(0.5, abs=0.02)
    assert box["rule"] == f"x > {a_limits['low']:.3g} and policy in {{a}}"


def test_regret_is_the_shortfall_from_the_best_policy_in_each_world(known):
    comparison = compare_policies(known, "y", lever="policy")
    regret = comparison.regret
    x = regret.merge(known.points[["point", "sample", "x"]].drop_duplicates("sample"), on="sample")["x"]
    assert regret["regret"].to_numpy() == pytest.approx(np.abs(2 * x.to_numpy() - 1) * (regret["regret"] > 0))
    summary = comparison.summary.set_index("policy")
    assert summary.loc["a", "max_regret"] == pytest.approx(1, abs=0.02)
    assert summary.loc[["a", "b"], "share_best"].sum() == pytest.approx(1)
    lower = compare_policies(known, "y", lever="policy", better="lower").summary.set_index("policy")
    assert lower.loc["a", "share_best"] == pytest.approx(summary.loc["b", "share_best"])


def test_conditions_are_parsed_safely_with_readable_errors():
    clauses = parse_condition(
        "total_released > 300 and net_change_in_prisoners <= -1.5e1", ["total_released", "net_change_in_prisoners"]
    )
    assert [(c.indicator, c.op, c.value) for c in clauses] == [
        ("total_released", ">", 300),
        ("net_change_in_prisoners", "<=", -15),
    ]
    with pytest.raises(ValueError, match="'releases' is not an indicator; choose from"):
        parse_condition("releases > 3", ["total_released"])
    with pytest.raises(ValueError, match="is not 'indicator op number'"):
        parse_condition("__import__('os') > 1", ["total_released"])


def test_comparison_needs_the_lever_among_the_design_levels(known):
    with pytest.raises(ValueError, match="lever: \\['eu.policy.kind'\\] must be factors with levels"):
        compare_policies(known, "y")
    with pytest.raises(ValueError, match="better: 'more'"):
        compare_policies(known, "y", lever="policy", better="more")


def test_discovery_and_regret_on_a_small_policy_sweep():
    base = with_overrides(Scenario(), {"audience.size": 30, "simulation.months": 6})
    design = {
        "kind": "latin_hypercube",
        "points": 12,
        "factors": {
            "regime.pardons.relief_sensitivity": {},
            "eu.policy.kind": {"levels": ["fixed", "reciprocal"]},
            "eu.policy.action": {"levels": ["engage"]},
        },
    }
    results = sweep(base, design, replications=2, seed=4, progress=False, execution=Execution(workers=1))
    found = discover(results, "total_released >= 1")
    assert {"box", "rule", "coverage", "density", "points", "cases"} <= set(found.boxes.columns)
    assert found.boxes["coverage"].between(0, 1).all() and found.boxes["density"].between(0, 1).all()
    comparison = compare_policies(results, "prisoner_months", better="lower")
    assert set(comparison.summary["policy"]) == {"fixed", "reciprocal"}
    assert (comparison.regret["regret"] >= 0).all()


@dataclass(frozen=True)
class TiedPolicies:
    """A known world with ties: policies 'a' and 'b' always yield x, policy 'c' yields 1 - x."""

    name: str = "tied policies"

    def parameters(self):
        return {
            "x": ParameterInfo("x", "x", "", 0.5, 0.0, 1.0, "", False, "test", "float"),
            "policy": ParameterInfo(
                "policy", "policy", "", "a", None, None, "", False, "test", "choice", ("a", "b", "c")
            ),
        }

    def check(self, values):
        return None

    def run(self, values, replications, seed, monthly):
        y = 1 - values["x"] if values["policy"] == "c" else values["x"]
        return pd.DataFrame({"replication": [0], "y": [y]}), None


def test_ties_count_for_every_tied_policy_and_sole_best_does_not():
    design = Design(kind="latin_hypercube", points=100, factors={"x": {}, "policy": {}})
    results = run_sweep(
        SweepSpec(design=design, replications=1, seed=2),
        execution=Execution(workers=1),
        progress=False,
        model=TiedPolicies(),
    )
    found = compare_policies(results, "y", lever="policy").summary.set_index("policy")
    high_x = float(np.mean(results.table()[results.table()["policy"] == "a"]["x"] > 0.5))
    assert found.loc["a", "share_best"] == found.loc["b", "share_best"] == pytest.approx(high_x)
    assert found["share_best"].sum() > 1  # the tie is counted twice
    assert found.loc["a", "share_sole_best"] == found.loc["b", "share_sole_best"] == 0
    assert found.loc["c", "share_sole_best"] == pytest.approx(1 - high_x)
    assert found["share_sole_best"].sum() <= 1
