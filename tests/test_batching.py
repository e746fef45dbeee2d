"""Batched runs: design points stepped together give exactly what separate runs give."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import Scenario, ScenarioError, load_preset, simulate
from simulator.core import batching
from simulator.core.batching import PER_REPLICATION, batchable, simulate_batch, start_batch
from simulator.core.parameters import parameter_table
from simulator.core.policies import POLICY_FIELDS
from simulator.core.scenarios import with_overrides
from simulator.exploration.sweeps import ScenarioModel

INFO = {info.path: info for info in parameter_table(Scenario)}
# Parameters that happen not to move this small scenario's results (no opposition in the audience's
# grievance paths; with a US that pays, every occasion pardons the whole queue, so the holiday share and the
# street-pressure penalty change nothing; the 9 May chance is already 1); every other one must, or the
# comparison proves nothing.
NO_EFFECT_HERE = {
    "audience.grievance_apolitical",
    "audience.grievance_supporter",
    "regime.pardons.occasion_victory_day",
    "regime.pardons.holiday_share",
    "regime.pardons.mobilisation_penalty",
}
# Both senders follow schedules here, so no rule threshold is read; the EU never engages and the US never
# tightens. These are checked under rules that read them in the senders' test below.
NO_EFFECT_HERE |= {path for path in PER_REPLICATION if ".policy." in path} | {
    "eu.engage_credibility_cost",
    "eu.envoy_visit_rate",
    "eu.relief_step",
    "second_sender.tighten_step",
}
SENDER_PATHS = sorted(path for path in PER_REPLICATION if path.startswith(("eu.", "second_sender.")))
# Thresholds this small scenario crosses (the range's 37% point, 740 persons, it never does).
THRESHOLDS = {
    "policy.engage_threshold": 5.0,
    "policy.tighten_threshold": 25.0,
    "policy.all_free_threshold": 1300,
    "policy.window_months": 6,
    "policy.net_release_step": 8.0,
}


def _other_value(path: str):
    """A value inside the parameter's range that is not its default."""
    info = INFO[path]
    value = info.minimum + 0.37 * (info.maximum - info.minimum)
    if value == info.default:
        value = info.minimum + 0.61 * (info.maximum - info.minimum)
    return int(round(value)) if info.kind == "int" else value


def _without_drawn(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.drop(columns=[c for c in summary if c.startswith(("regime.", "audience."))])


@pytest.mark.parametrize("uncertainty", ["none", "posterior"])
def test_every_per_replication_parameter_batches_exactly_like_separate_runs(uncertainty):
    base = with_overrides(load_preset("us_second_sender"), {"audience.size": 60, "simulation.uncertainty": uncertainty})
    paths = sorted(PER_REPLICATION)
    scenarios = [base] + [with_overrides(base, {path: _other_value(path)}) for path in paths]
    batched = simulate_batch(scenarios, 4, [11] * len(scenarios), monthly=True)
    separate = [simulate(scenario, 4, 11) for scenario in scenarios]
    for path, (summary, monthly), alone in zip(["base", *paths], batched, separate, strict=True):
        pd.testing.assert_frame_equal(summary, alone.summary, check_exact=True, obj=path)
        pd.testing.assert_frame_equal(monthly, alone.monthly, check_exact=True, obj=path)
    if uncertainty == "none":
        no_effect = {
            path
            for path, alone in zip(paths, separate[1:], strict=True)
            if _without_drawn(alone.summary).equals(_without_drawn(separate[0].summary))
        }
        assert no_effect <= NO_EFFECT_HERE


def _sender_value(path: str):
    """A value for a sender's setting that moves this small scenario's results."""
    return THRESHOLDS.get(path.split(".", 1)[1], _other_value(path))


def _reads(path: str, kinds: dict[str, str]) -> bool:
    """Whether the sender's policy kind reads this path (settings outside the policy are always read)."""
    group, name = path.split(".", 1)
    return not name.startswith("policy.") or name.split(".")[1] in POLICY_FIELDS[kinds[group]]


def test_sender_settings_and_rule_thresholds_batch_exactly_like_separate_runs():
    moved = set()
    for eu, us in (("reciprocal", "graduated"), ("graduated", "maximalist"), ("maximalist", "reciprocal")):
        base = with_overrides(
            load_preset("us_second_sender"),
            {"audience.size": 60, "eu.policy.kind": eu, "second_sender.policy.kind": us},
        )
        paths = [path for path in SENDER_PATHS if _reads(path, {"eu": eu, "second_sender": us})]
        points = [{}, *({path: _sender_value(path)} for path in paths), {p: _sender_value(p) for p in paths}]
        scenarios = [with_overrides(base, values) for values in points]
        batched = simulate_batch(scenarios, 4, [11] * len(scenarios), monthly=True)
        separate = [simulate(scenario, 4, 11) for scenario in scenarios]
        for values, (summary, monthly), alone in zip(points, batched, separate, strict=True):
            pd.testing.assert_frame_equal(summary, alone.summary, check_exact=True, obj=f"{eu}, {us}: {values}")
            pd.testing.assert_frame_equal(monthly, alone.monthly, check_exact=True, obj=f"{eu}, {us}: {values}")
        moved |= {
            path
            for path, alone in zip(paths, separate[1:], strict=False)
            if not alone.summary.equals(separate[0].summary)
        }
    # Every sender setting moves the results under one of the rules, or the comparison proves nothing.
    assert moved == set(SENDER_PATHS)


def test_every_per_replication_path_is_a_regime_audience_or_sender_parameter():
    assert PER_REPLICATION <= set(INFO)
    assert all(path.split(".")[0] in ("regime", "audience", "eu", "second_sender") for path in PER_REPLICATION)
    assert not batchable("audience.size") and not batchable("eu.policy.kind") and not batchable("eu.entry_month")
    assert batchable("regime.pardons.release_cost") and batchable("eu.tighten_step")
    assert batchable("second_sender.policy.engage_threshold") and not batchable("second_sender.relief_items")


def test_scenarios_that_differ_in_structure_are_refused_with_the_paths_named():
    base = Scenario()
    with pytest.raises(ValueError, match="audience.size, eu.policy.kind"):
        start_batch([base, with_overrides(base, {"audience.size": 100, "eu.policy.kind": "reciprocal"})], 2, [1, 1])


def test_each_point_keeps_its_own_seed_and_replication_numbers():
    base = with_overrides(Scenario(), {"audience.size": 50, "simulation.months": 6})
    batched = simulate_batch([base, base], 3, [1, 2])
    assert list(batched[1][0]["replication"]) == [0, 1, 2]
    pd.testing.assert_frame_equal(batched[1][0], simulate(base, 3, 2).summary)
    assert not batched[0][0].equals(batched[1][0])


def test_a_batch_larger_than_the_agent_budget_is_split_without_changing_results(monkeypatch):
    base = with_overrides(Scenario(), {"audience.size": 50, "simulation.months": 6})
    scenarios = [with_overrides(base, {"regime.pardons.release_cost": c}) for c in np.linspace(0.1, 1.0, 7)]
    whole = simulate_batch(scenarios, 3, [5] * 7)
    monkeypatch.setattr(batching, "BATCH_AGENTS", 2 * 3 * 50)
    assert [len(b) for b in batching._batches(scenarios, 3)] == [2, 2, 2, 1]
    for (a, _), (b, _) in zip(whole, simulate_batch(scenarios, 3, [5] * 7), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_the_sweep_model_batches_what_it_can_and_runs_the_rest_apart():
    model = ScenarioModel(with_overrides(Scenario(), {"audience.size": 50, "simulation.months": 6}).model_json())
    points = [
        {"regime.pardons.release_cost": cost, "eu.tighten_step": step, "eu.policy.kind": kind}
        for kind, step in (("schedule", 0.1), ("reciprocal", 0.3))
        for cost in (0.2, 0.5, 0.9)
    ]
    seeds = [3, 4, 5, 6, 7, 8]
    for (summary, monthly), values, seed in zip(model.run_batch(points, 4, seeds, True), points, seeds, strict=True):
        alone_summary, alone_monthly = model.run(values, 4, seed, True)
        pd.testing.assert_frame_equal(summary, alone_summary)
        pd.testing.assert_frame_equal(monthly, alone_monthly)


@st.composite
def _points(draw):
    """A few design points, each setting a random handful of per-replication parameters within their ranges."""
    paths = draw(st.lists(st.sampled_from(sorted(PER_REPLICATION)), min_size=1, max_size=6, unique=True))
    points = []
    for _ in range(draw(st.integers(2, 4))):
        values = {}
        for path in paths:
            info = INFO[path]
            if info.kind == "int":
                values[path] = draw(st.integers(int(info.minimum), int(info.maximum)))
            else:
                values[path] = draw(st.floats(info.minimum, info.maximum, allow_nan=False))
        points.append(values)
    return points


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=_points(), seed=st.integers(0, 2**32 - 1))
def test_any_mix_of_per_replication_parameters_batches_exactly(points, seed):
    model = ScenarioModel(with_overrides(load_preset("us_second_sender"), {"audience.size": 30}).model_json())
    for values in points:
        try:
            model.check(values)
        except ScenarioError:
            assume(False)  # e.g. tier shares summing above 1: refused before any run, batched or not
    seeds = [seed] * len(points)
    for (summary, _), values in zip(model.run_batch(points, 2, seeds, False), points, strict=True):
        alone, _ = model.run(values, 2, seed, False)
        pd.testing.assert_frame_equal(summary, alone, check_exact=True)
