"""Sensitivity analysis: Sobol indices of the Ishigami function through the sweep code path, Morris, per-level runs."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from simulator import Scenario, with_overrides
from simulator.core.parameters import ParameterInfo
from simulator.exploration.designs import Design
from simulator.exploration.execution import Execution
from simulator.exploration.sensitivity import sensitivity
from simulator.exploration.sweep_specs import SweepSpec
from simulator.exploration.sweeps import run_sweep, sweep

A, B = 7.0, 0.1
# Analytic Sobol indices of Ishigami-Homma with a=7, b=0.1 (Saltelli et al. 2008).
_V1 = 0.5 * (1 + B * np.pi**4 / 5) ** 2
_V2 = A**2 / 8
_V13 = B**2 * np.pi**8 * (1 / 18 - 1 / 50)
_V = _V1 + _V2 + _V13
ANALYTIC_S1 = {"x1": _V1 / _V, "x2": _V2 / _V, "x3": 0.0}
ANALYTIC_ST = {"x1": (_V1 + _V13) / _V, "x2": _V2 / _V, "x3": _V13 / _V}


def ishigami(x1, x2, x3):
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)


def linear(x1, x2, x3):
    return 3 * x1 - 1 * x2


@dataclass(frozen=True)
class KnownFunction:
    """A known test function of x1, x2, x3 in [-pi, pi] as a sweep model: deterministic, one replication."""

    function: object = ishigami
    name: str = "test function"

    def parameters(self):
        return {x: ParameterInfo(x, x, "", 0.0, -np.pi, np.pi, "", False, "test", "float") for x in ("x1", "x2", "x3")}

    def check(self, values):
        return None

    def run(self, values, replications, seed, monthly):
        y = self.function(values["x1"], values["x2"], values["x3"])
        return pd.DataFrame({"replication": [0], "y": [y]}), None


def _function_sweep(kind: str, points: int, function=ishigami):
    design = Design(kind=kind, points=points, factors={"x1": {}, "x2": {}, "x3": {}})
    spec = SweepSpec(design=design, replications=1, seed=7)
    return run_sweep(
        spec, execution=Execution(workers=1, chunk_points=512), progress=False, model=KnownFunction(function)
    )


def test_sobol_indices_of_ishigami_match_analytic_values():
    result = sensitivity(_function_sweep("sobol_sensitivity", 1024), "y")
    table = result.table.set_index("factor")
    for x in ("x1", "x2", "x3"):
        assert table.loc[x, "S1"] == pytest.approx(ANALYTIC_S1[x], abs=0.05)
        assert table.loc[x, "ST"] == pytest.approx(ANALYTIC_ST[x], abs=0.05)
        assert 0 < table.loc[x, "ST_conf"] < 0.1
    assert result.method == "sobol"


def test_morris_effects_of_a_linear_function_are_its_slopes():
    table = sensitivity(_function_sweep("morris", 20, linear), "y").table.set_index("factor")
    # SALib measures elementary effects per unit of the scaled [0, 1] range, here 2 pi wide.
    assert table["mu"].to_dict() == pytest.approx({"x1": 3 * 2 * np.pi, "x2": -2 * np.pi, "x3": 0.0})
    assert table["mu_star"].to_dict() == pytest.approx({"x1": 3 * 2 * np.pi, "x2": 2 * np.pi, "x3": 0.0})
    assert table["sigma"].to_numpy() == pytest.approx(np.zeros(3), abs=1e-9)


def test_morris_sees_the_interaction_of_x3_in_ishigami():
    table = sensitivity(_function_sweep("morris", 64), "y").table.set_index("factor")
    # x3 acts only through its interaction with x1, so its effects spread widely around their mean.
    assert table.loc["x3", "sigma"] > table.loc["x3", "mu_star"] * 0.5
    assert (table["mu_star_conf"] >= 0).all()


@pytest.fixture(scope="module")
def policy_sobol():
    base = with_overrides(Scenario(), {"audience.size": 40, "simulation.months": 6})
    design = {
        "kind": "sobol_sensitivity",
        "points": 4,
        "factors": {
            "regime.pardons.release_cost": {"low": 0.1, "high": 1.5},
            "regime.pardons.relief_sensitivity": {},
            "eu.policy.kind": {"levels": ["fixed", "reciprocal"]},
        },
    }
    return sweep(base, design, replications=2, seed=3, progress=False, execution=Execution(workers=1))


def test_one_analysis_per_policy_kind(policy_sobol):
    result = sensitivity(policy_sobol, "total_released")
    assert result.by == ("eu.policy.kind",)
    assert sorted(result.table["eu.policy.kind"].unique()) == ["fixed", "reciprocal"]
    assert len(result.table) == 2 * 2
    assert np.isfinite(result.table[["S1", "ST"]].to_numpy()).all()
    figure = result.figure()
    assert len(figure.data) >= 2


def test_sensitivity_rejects_a_space_filling_design():
    base = with_overrides(Scenario(), {"audience.size": 40, "simulation.months": 3})
    results = sweep(
        base,
        {"kind": "grid", "steps": 2, "factors": {"regime.pardons.release_cost": {}}},
        replications=1,
        progress=False,
        execution=Execution(workers=1),
    )
    with pytest.raises(ValueError, match="cannot be analysed"):
        sensitivity(results, "total_released")
    with pytest.raises(ValueError, match="indicator"):
        sensitivity(policy_sobol_like(), "no_such_indicator")


def policy_sobol_like():
    base = with_overrides(Scenario(), {"audience.size": 40, "simulation.months": 3})
    design = {"kind": "sobol_sensitivity", "points": 2, "factors": {"regime.pardons.release_cost": {}}}
    return sweep(base, design, replications=1, progress=False, execution=Execution(workers=1))
