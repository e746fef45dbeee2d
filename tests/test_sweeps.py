"""Sweeps: tidy statistics, random streams, sweep specs in YAML and their errors."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator import Scenario, simulate, with_overrides
from simulator.exploration.designs import SpecError
from simulator.exploration.execution import Execution
from simulator.exploration.sweep_specs import SweepSpec, load_sweep_spec, parse_sweep_yaml
from simulator.exploration.sweeps import design_points, sweep

BASE = with_overrides(Scenario(), {"audience.size": 30, "simulation.months": 4})
IN_PROCESS = Execution(workers=1)
SPECS = sorted((Path(__file__).resolve().parent.parent / "sweeps").glob("*.yaml"))


def _run(design, **kwargs):
    kwargs = {"replications": 3, "seed": 11, "progress": False, "execution": IN_PROCESS, **kwargs}
    return sweep(BASE, design, **kwargs)


@pytest.fixture(scope="module")
def grid():
    design = {
        "kind": "grid",
        "steps": 2,
        "factors": {
            "regime.pardons.release_cost": {"low": 0.1, "high": 1.0},
            "eu.policy.kind": {"levels": ["fixed", "reciprocal"]},
        },
    }
    return _run(design, quantiles=(0.025, 0.9))


def test_statistics_have_one_row_per_point_indicator_and_statistic(grid):
    stats = grid.statistics
    assert len(grid.points) == 4
    assert set(stats["statistic"]) == {"mean", "std", "q2.5", "q90"}
    assert len(stats) == 4 * len(grid.indicators) * 4
    assert {"regime.pardons.release_cost", "eu.policy.kind", "sample"} <= set(stats.columns)
    means = grid.replications.groupby("point")["total_released"].mean().to_numpy()
    assert grid.outcome("total_released") == pytest.approx(means)


def test_each_point_is_the_scenario_with_its_values(grid):
    row = grid.points.iloc[3]
    scenario = with_overrides(
        BASE,
        {"regime.pardons.release_cost": row["regime.pardons.release_cost"], "eu.policy.kind": row["eu.policy.kind"]},
    )
    expected = simulate(scenario, 3, 11).summary
    got = grid.replications[grid.replications["point"] == 3].drop(columns="point").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)


def test_table_and_outcome_name_bad_choices(grid):
    with pytest.raises(ValueError, match="statistic: 'q50' is not one of"):
        grid.table("q50")
    with pytest.raises(ValueError, match="indicator: 'nothing'"):
        grid.outcome("nothing")


def test_common_random_numbers_make_equal_points_equal():
    design = {"kind": "grid", "factors": {"regime.leader_cost_multiplier": {"levels": [6.0, 6.0000001]}}}
    common = _run(design).replications.groupby("point")["total_released"].apply(list).tolist()
    independent = _run(design, random_streams="independent").replications
    assert common[0] == common[1]
    first, second = (independent[independent["point"] == p]["total_newly_imprisoned"].tolist() for p in (0, 1))
    assert first != second


def test_monthly_rows_are_kept_on_request():
    results = _run(
        {
            "kind": "grid",
            "factors": {"eu.policy.action": {"levels": ["engage", "tighten"]}, "eu.policy.kind": {"levels": ["fixed"]}},
        },
        monthly=True,
    )
    assert len(results.monthly) == 2 * 3 * 4
    assert results.monthly.columns[0] == "point"
    decided = set(results.monthly[results.monthly["point"] == 0]["action_decided_eu"])
    assert "engage" in decided and "tighten" not in decided  # friction may turn a move into hold


def test_points_the_model_cannot_run_are_rejected_before_any_work():
    design = {
        "kind": "grid",
        "steps": 2,
        "factors": {
            "audience.supporter_share": {"low": 0.5, "high": 0.9},
            "audience.opposition_share": {"low": 0.1, "high": 0.3},
        },
    }
    with pytest.raises(SpecError) as caught:
        _run(design)
    assert caught.value.problems[0].startswith(
        "design point 3 (audience.supporter_share=0.9, audience.opposition_share=0.3): "
    )
    assert "must not exceed 1" in caught.value.problems[0]


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_example_specs_are_valid(path):
    spec = load_sweep_spec(path)
    factors, points = design_points(spec)
    assert len(points) >= 10 and spec.scenario.audience.size <= 500


def test_spec_yaml_resolves_base_and_overrides(tmp_path):
    (tmp_path / "mine.yaml").write_text("regime:\n  release_cost: 0.9\n")
    text = (
        "base: mine.yaml\noverrides: {audience.size: 50}\nreplications: 2\nseed: 3\n"
        "design: {kind: grid, factors: {eu.friction: {steps: 2}}}\n"
    )
    spec = parse_sweep_yaml(text, tmp_path)
    assert spec.scenario.regime.pardons.release_cost == 0.9 and spec.scenario.audience.size == 50
    assert spec.replications == 2 and spec.design.kind == "grid"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("base: nowhere\ndesign: {factors: {eu.friction: {}}}", "base: preset: 'nowhere' is not one of"),
        (
            "overrides: {regime.pardons.release_cost: 7}\ndesign: {factors: {eu.friction: {}}}",
            "overrides: regime.pardons.release_cost: 7 is above the maximum 3",
        ),
        ("overrides: {regime.nope: 1}\ndesign: {factors: {eu.friction: {}}}", "overrides: regime.nope: unknown"),
        ("design: {factors: {eu.friction: {}}}\nreplications: 0", "replications: 0 is below the minimum 1"),
        ("design: {factors: {eu.friction: {}}}\nquantiles: [0.5, 2]", "2.0 is not a quantile"),
        ("design: {factors: {eu.friction: {}}}\nquantiles: [0.5, 0.5]", "[0.5, 0.5] repeats a quantile"),
        ("design: {factors: {eu.friction: {}}}\nrandom_streams: shared", "random_streams: 'shared' is not allowed"),
        ("design: {factors: {eu.friction: {}}}\nseeds: 1", "seeds: unknown field"),
        ("replications: 2", "design: "),
        ("design: [unclosed", "file: not valid YAML"),
        ("- just\n- a list", "spec: expected a mapping"),
    ],
)
def test_bad_specs_name_the_field_the_value_and_what_is_allowed(text, message):
    with pytest.raises(SpecError) as caught:
        parse_sweep_yaml(text)
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_missing_spec_file_is_reported(tmp_path):
    with pytest.raises(SpecError, match="does not exist"):
        load_sweep_spec(tmp_path / "none.yaml")


def test_spec_hash_follows_results_not_names():
    design = {"factors": {"eu.friction": {}}}
    spec = SweepSpec(scenario=BASE, design=design)
    renamed = SweepSpec(
        scenario=BASE.model_copy(update={"meta": BASE.meta.model_copy(update={"name": "x"})}), design=design
    )
    assert spec.digest() == renamed.digest()
    assert spec.digest() != SweepSpec(scenario=BASE, design=design, replications=21).digest()
    assert spec.digest() != spec.digest(model_name="another model")
    assert spec.point_seeds(np.arange(3)) == [spec.seed] * 3
    independent = SweepSpec(scenario=BASE, design=design, random_streams="independent").point_seeds(np.arange(3))
    assert len(set(independent)) == 3
