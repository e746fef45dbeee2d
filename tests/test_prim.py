"""PRIM: a known box is recovered within tolerance, the trajectory behaves, and it runs on the project's sweep."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from simulator import Scenario, with_overrides
from simulator.exploration.execution import Execution
from simulator.exploration.prim import full_box, paste, read_inputs
from simulator.exploration.prim_discovery import PrimSettings, prim, prim_table
from simulator.exploration.sweeps import sweep


def _known_world(points=3000, noise=0.0, seed=1):
    """Cases inside 0.3 <= a <= 0.7, b <= 0.5 and kind in {x, y}; c is irrelevant; `noise` flips labels."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(
        {
            "a": rng.uniform(0, 1, points),
            "b": rng.uniform(0, 1, points),
            "c": rng.uniform(0, 1, points),
            "kind": rng.choice(["x", "y", "z"], points),
        }
    )
    inside = table["a"].between(0.3, 0.7) & (table["b"] <= 0.5) & table["kind"].isin(["x", "y"])
    flipped = rng.uniform(size=points) < noise
    return table, (inside ^ flipped).to_numpy()


def test_prim_recovers_a_known_box_with_a_categorical_lever():
    table, cases = _known_world()
    found = prim_table(
        table,
        cases,
        ["kind"],
        ranges={"a": (0, 1), "b": (0, 1), "c": (0, 1)},
        settings=PrimSettings(target_density=0.95),
    )
    limits = found.inspect().set_index("factor")
    assert set(limits.index) == {"a", "b", "kind"}  # the irrelevant input c is never limited
    assert limits.loc["a", "low"] == pytest.approx(0.3, abs=0.03)
    assert limits.loc["a", "high"] == pytest.approx(0.7, abs=0.03)
    assert limits.loc["b", "high"] == pytest.approx(0.5, abs=0.03)
    assert set(limits.loc["kind", "levels"].split(", ")) == {"x", "y"}
    stats = found.statistics()
    assert stats["density"] >= 0.95 and stats["coverage"] >= 0.9
    assert (limits["qp"] < 1e-6).all()


def test_prim_recovers_the_box_through_label_noise():
    table, cases = _known_world(noise=0.05, seed=2)
    found = prim_table(table, cases, ["kind"], ranges={"a": (0, 1), "b": (0, 1), "c": (0, 1)})
    limits = found.inspect().set_index("factor")
    assert limits.loc["a", "low"] == pytest.approx(0.3, abs=0.06)
    assert limits.loc["a", "high"] == pytest.approx(0.7, abs=0.06)
    assert limits.loc["b", "high"] == pytest.approx(0.5, abs=0.06)
    assert found.statistics()["coverage"] >= 0.7


def test_the_trajectory_starts_from_the_full_box_and_peels_towards_density():
    table, cases = _known_world(noise=0.05, seed=3)
    settings = PrimSettings(min_mass=0.1)
    found = prim_table(table, cases, ["kind"], settings=settings)
    trajectory = found.trajectory
    first = trajectory.iloc[0]
    assert first["stage"] == "start" and first["coverage"] == 1.0 and first["mass"] == 1.0
    assert first["density"] == pytest.approx(cases.mean()) == pytest.approx(found.base_rate)
    peeled = trajectory[trajectory["stage"] != "paste"]
    assert (np.diff(peeled["points"]) < 0).all()  # every peel removes points
    assert (np.diff(peeled["coverage"]) <= 0).all()  # and can only lose cases
    assert (trajectory["mass"] >= settings.min_mass - 1e-12).all()
    assert peeled["density"].iloc[-1] > 2 * first["density"]


def test_the_chosen_box_is_the_widest_dense_enough_one():
    table, cases = _known_world(noise=0.05, seed=4)
    found = prim_table(table, cases, ["kind"], settings=PrimSettings(target_density=0.85))
    trajectory = found.trajectory
    dense = trajectory[trajectory["density"] >= 0.85]
    assert found.chosen == dense["coverage"].idxmax()
    assert found.inspect(0).empty and found.rule(0) == "anywhere in the design"
    assert found.contains().sum() == trajectory.loc[found.chosen, "points"]


def test_pasting_grows_a_box_that_was_peeled_too_far():
    table, cases = _known_world(seed=5)
    inputs = read_inputs(table, ["a", "b", "c"], ["kind"], ranges={c: (0, 1) for c in "abc"})
    start = full_box(inputs)
    too_small = start.with_interval(0, 0.4, 0.6).with_interval(1, 0.0, 0.3)
    too_small = too_small.with_levels(0, np.array(["x", "y", "z"]) == "x")
    grown = paste(inputs, cases, too_small, alpha=0.1)
    assert grown, "pasting added nothing"
    before, after = too_small.contains(inputs), grown[-1].contains(inputs)
    assert cases[after].sum() > 1.5 * cases[before].sum()
    assert cases[after].mean() == 1.0  # no noise: pasting never let a non-case in


def test_an_irrelevant_restriction_has_a_large_quasi_p_value():
    table, cases = _known_world(seed=6)
    inputs = read_inputs(table, ["a", "b", "c"], ["kind"], ranges={c: (0, 1) for c in "abc"})
    found = prim_table(table, cases, ["kind"], ranges={c: (0, 1) for c in "abc"})
    from simulator.exploration.prim import quasi_p_values

    box = found.boxes[found.chosen].with_interval(2, 0.0, 0.8)  # add a limit on c, which does not matter
    values = quasi_p_values(inputs, cases, box)
    assert values["c"] > 0.05 and values["a"] < 1e-6


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (PrimSettings(peel_alpha=0.7), "peel_alpha: 0.7 must be above 0 and below 0.5"),
        (PrimSettings(min_mass=0), "min_mass: 0 must be above 0 and below 1.0"),
        (PrimSettings(target_density=1.5), "target_density: 1.5 must be above 0 and at most 1"),
    ],
)
def test_settings_out_of_range_are_named(settings, message):
    table, cases = _known_world(points=100)
    with pytest.raises(ValueError, match=message):
        prim_table(table, cases, ["kind"], settings=settings)


def test_bad_inputs_are_refused_with_a_message():
    table, cases = _known_world(points=100)
    with pytest.raises(ValueError, match="holds at no design point"):
        prim_table(table, np.zeros(100, dtype=bool), ["kind"])
    with pytest.raises(ValueError, match="cases: 99 values for a table of 100 rows"):
        prim_table(table, cases[:99], ["kind"])
    with pytest.raises(ValueError, match="box: 999 is not on the trajectory"):
        prim_table(table, cases, ["kind"]).inspect(999)


@pytest.fixture(scope="module")
def policy_sweep():
    base = with_overrides(Scenario(), {"audience.size": 50, "simulation.months": 12})
    design = {
        "kind": "latin_hypercube",
        "points": 60,
        "factors": {
            "regime.pardons.release_cost": {"low": 0.1, "high": 1.5},
            "regime.pardons.relief_sensitivity": {"low": 0.0, "high": 3.0},
            "eu.policy.kind": {"levels": ["schedule", "reciprocal", "maximalist"]},
        },
    }
    return sweep(base, design, replications=3, seed=5, execution=Execution(workers=1), progress=False)


def test_prim_on_the_simulators_own_sweep(policy_sweep):
    released = policy_sweep.outcome("total_released")
    threshold = float(np.quantile(released, 0.7))  # the top 30% of points, whatever the model's numbers
    found = prim(policy_sweep, f"total_released > {threshold}")
    assert found.base_rate == pytest.approx(np.mean(released > threshold))
    chosen = found.statistics()
    assert chosen["density"] > found.base_rate
    inside = found.contains()
    assert np.all(released[inside] > threshold) or chosen["density"] < 1
    limits = found.inspect()
    assert set(limits["factor"]) <= {
        "regime.pardons.release_cost",
        "regime.pardons.relief_sensitivity",
        "eu.policy.kind",
    }
    assert not limits.empty and limits["qp"].between(0, 1).all()
    figure = found.figure()
    assert isinstance(figure, go.Figure) and len(figure.data) == 3
    assert list(figure.data[0].x) == list(found.trajectory["coverage"])
