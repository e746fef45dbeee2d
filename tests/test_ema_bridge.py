"""The EMA Workbench bridge: its structure without EMA, and one round trip with EMA itself where it installs."""

import inspect
import sys

import numpy as np
import pandas as pd
import pytest

from simulator import Scenario, simulate, with_overrides
from simulator.exploration.ema_bridge import ScenarioFunction, ema_model, ema_name, path_of, to_ema
from simulator.exploration.execution import Execution
from simulator.exploration.sweeps import sweep
from simulator.extras import MissingExtra

BASE = with_overrides(Scenario(), {"audience.size": 30, "simulation.months": 4})
FACTORS = {
    "regime.pardons.release_cost": {"low": 0.1, "high": 1.5},
    "regime.pardons.relief_sensitivity": {},
    "eu.policy.kind": {"levels": ["fixed", "reciprocal"]},
}


@pytest.fixture(scope="module")
def small_sweep():
    design = {"kind": "latin_hypercube", "points": 5, "factors": FACTORS}
    return sweep(BASE, design, replications=2, seed=3, execution=Execution(workers=1), progress=False)


def test_names_round_trip_between_dotted_paths_and_ema():
    assert ema_name("eu.policy.kind") == "eu__policy__kind" and ema_name("eu.policy.kind").isidentifier()
    assert path_of(ema_name("regime.pardons.release_cost")) == "regime.pardons.release_cost"


def test_the_function_returns_named_outcomes_from_the_simulation():
    function = ScenarioFunction(
        BASE.model_json(), replications=3, seed=9, outcomes=("total_released", "prisoner_months")
    )
    got = function(regime__pardons__release_cost=np.float64(0.4), eu__policy__kind="reciprocal")
    assert set(got) == {"total_released", "prisoner_months"} and all(isinstance(v, float) for v in got.values())
    scenario = with_overrides(BASE, {"regime.pardons.release_cost": 0.4, "eu.policy.kind": "reciprocal"})
    expected = simulate(scenario, 3, 9).summary
    assert got["total_released"] == pytest.approx(expected["total_released"].mean())
    assert got == function(regime__pardons__release_cost=0.4, eu__policy__kind="reciprocal")  # same seed, same answer
    median = ScenarioFunction(BASE.model_json(), 3, 9, ("prisoner_months",), statistic="median")
    assert median(regime__pardons__release_cost=0.4, eu__policy__kind="reciprocal")["prisoner_months"] == pytest.approx(
        expected["prisoner_months"].median()
    )


def test_the_function_names_bad_choices():
    with pytest.raises(ValueError, match="statistic: 'mode' is not one of"):
        ScenarioFunction(BASE.model_json(), statistic="mode")
    with pytest.raises(ValueError, match=r"outcomes: \['nope'\] are not indicators"):
        ScenarioFunction(BASE.model_json(), 2, outcomes=("nope",))()


def test_a_sweep_becomes_ema_experiments_and_outcomes(small_sweep):
    experiments, outcomes = to_ema(small_sweep)
    assert list(experiments.columns) == [
        "regime__pardons__release_cost",
        "regime__pardons__relief_sensitivity",
        "eu__policy__kind",
        "scenario",
        "policy",
        "model",
    ]
    assert isinstance(experiments["eu__policy__kind"].dtype, pd.CategoricalDtype)
    assert len(experiments) == len(small_sweep.points) == 10
    # Every world is run under every policy: each scenario id appears once per policy.
    per_world = experiments.groupby("scenario")["policy"].apply(sorted)
    assert all(tuple(policies) == ("fixed", "reciprocal") for policies in per_world) and len(per_world) == 5
    assert set(outcomes) == set(small_sweep.indicators)
    means = small_sweep.table("mean")
    np.testing.assert_array_equal(outcomes["total_released"], means["total_released"].to_numpy(dtype=float))
    np.testing.assert_array_equal(experiments["regime__pardons__release_cost"], means["regime.pardons.release_cost"])


def test_ema_model_names_the_extra_when_ema_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    with pytest.raises(MissingExtra, match="ema_workbench is not installed; it comes with the 'ema' extra"):
        ema_model(BASE, FACTORS)


def test_ema_workbench_runs_the_model_and_analyses_a_sweep(small_sweep, tmp_path):
    ema = pytest.importorskip("ema_workbench")
    from ema_workbench.analysis import prim as ema_prim

    model = ema_model(BASE, FACTORS, replications=2, seed=3, outcomes=("total_released",))
    assert [u.name for u in model.uncertainties] == [
        "regime__pardons__release_cost",
        "regime__pardons__relief_sensitivity",
    ]
    assert [lever.name for lever in model.levers] == ["eu__policy__kind"]
    with ema.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=3, policies=2)
    assert len(experiments) == 6 and outcomes["total_released"].shape == (6,)
    assert set(experiments["eu__policy__kind"]) <= {"fixed", "reciprocal"}
    # EMA's own PRIM reads our sweep as it reads its own experiments.
    experiments, outcomes = to_ema(small_sweep)
    released = outcomes["total_released"]
    inputs = experiments.drop(columns=["scenario", "policy", "model"])
    # EMA 2.5 needs PRIM's density threshold; EMA 3.0 removed it.
    threshold = {"threshold": 0.5} if "threshold" in inspect.signature(ema_prim.Prim).parameters else {}
    box = ema_prim.Prim(inputs, released >= np.median(released), **threshold).find_box()
    assert 0 < box.coverage <= 1 and 0 < box.density <= 1
    # EMA's own files take the pair as they take its own results.
    saved = tmp_path / "sweep.tar.gz"
    ema.save_results((experiments, outcomes), str(saved))
    back_experiments, back_outcomes = ema.load_results(str(saved))
    assert len(back_experiments) == len(experiments)
    np.testing.assert_allclose(back_outcomes["total_released"], released)
