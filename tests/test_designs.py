"""Designs: how many points each kind expands to, that they stay in bounds, and how bad factors are reported."""

import re

import numpy as np
import pytest

from simulator import Scenario, parameter_table
from simulator.exploration.designs import Design, SpecError, applied_value, expand, resolve_factors, validate_design

PARAMETERS = {info.path: info for info in parameter_table(Scenario)}
POLICIES = ["schedule", "reciprocal", "maximalist"]


def _design(kind="latin_hypercube", **kwargs):
    factors = kwargs.pop(
        "factors", {"regime.pardons.release_cost": {"low": 0.1, "high": 1.0}, "regime.pardons.election_weight": {}}
    )
    return Design(kind=kind, factors=factors, **kwargs)


def test_grid_crosses_every_factor_and_hits_both_ends():
    design = _design(
        "grid",
        steps=3,
        factors={
            "regime.pardons.release_cost": {"low": 0.1, "high": 1.0},
            "regime.pardons.election_weight": {"steps": 4},
            "eu.policy.kind": {"levels": POLICIES},
        },
    )
    points = expand(design, PARAMETERS, seed=1)
    assert len(points) == 3 * 4 * 3
    assert sorted(points["regime.pardons.release_cost"].unique()) == pytest.approx([0.1, 0.55, 1.0])
    assert sorted(points["regime.pardons.election_weight"].unique()) == pytest.approx([0, 1, 2, 3])  # schema range 0-3
    assert points.groupby("eu.policy.kind").size().to_dict() == {p: 12 for p in POLICIES}


def test_grid_of_a_whole_number_parameter_has_whole_distinct_values():
    points = expand(
        _design("grid", steps=50, factors={"regime.pardons.campaign_months": {"low": 1, "high": 6}}), PARAMETERS, 1
    )
    assert points["regime.pardons.campaign_months"].tolist() == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("kind", ["latin_hypercube", "sobol_sequence"])
def test_space_filling_designs_have_the_asked_points_within_bounds(kind):
    points = expand(_design(kind, points=32), PARAMETERS, seed=5)
    assert len(points) == 32
    assert points["regime.pardons.release_cost"].between(0.1, 1.0).all()
    assert points["regime.pardons.election_weight"].between(0.0, 3.0).all()  # schema bounds when none are given


def test_latin_hypercube_puts_one_point_in_every_stratum():
    points = expand(_design(points=20), PARAMETERS, seed=2)
    strata = np.floor((points["regime.pardons.release_cost"] - 0.1) / 0.9 * 20).astype(int)
    assert sorted(strata) == list(range(20))


def test_salib_designs_have_their_documented_sizes():
    two = {
        "regime.pardons.release_cost": {},
        "regime.pardons.election_weight": {},
        "eu.policy.kind": {"levels": POLICIES[:2]},
    }
    assert len(expand(_design("sobol_sensitivity", points=16, factors=two), PARAMETERS, 1)) == 2 * 16 * (2 + 2)
    second = _design("sobol_sensitivity", points=16, second_order=True, factors=two)
    assert len(expand(second, PARAMETERS, 1)) == 2 * 16 * (2 * 2 + 2)
    morris = expand(_design("morris", points=10, factors=two), PARAMETERS, 1)
    assert len(morris) == 2 * 10 * (2 + 1)
    assert morris["regime.pardons.release_cost"].between(0, 3).all()


def test_every_policy_sees_the_same_continuous_sample():
    design = _design(points=8, factors={"regime.pardons.release_cost": {}, "eu.policy.kind": {"levels": POLICIES}})
    points = expand(design, PARAMETERS, seed=3)
    by_policy = points.pivot(index="sample", columns="eu.policy.kind", values="regime.pardons.release_cost")
    assert (by_policy.nunique(axis=1) == 1).all()
    assert points["point"].tolist() == list(range(24))


def test_choices_default_to_every_runnable_level():
    factors = resolve_factors(_design("grid", factors={"eu.policy.kind": {}, "second_sender.enabled": {}}), PARAMETERS)
    assert "interactive" not in factors[0].levels
    assert set(factors[0].levels) == {"fixed", "schedule", "reciprocal", "maximalist", "graduated"}
    assert factors[1].levels == (False, True)


def test_same_seed_same_design_and_another_seed_another():
    design = _design(points=10)
    assert expand(design, PARAMETERS, 4).equals(expand(design, PARAMETERS, 4))
    assert not expand(design, PARAMETERS, 4).equals(expand(design, PARAMETERS, 5))


def test_sampled_whole_numbers_are_rounded_when_applied():
    (factor,) = resolve_factors(_design(factors={"regime.pardons.campaign_months": {}}), PARAMETERS)
    assert applied_value(factor, 7.6) == 8 and isinstance(applied_value(factor, np.float64(7.6)), int)


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        (
            {"regime.relese_cost": {}},
            "design.factors.regime.relese_cost: unknown parameter; did you mean regime.pardons.release_cost?",
        ),
        (
            {"regime.pardons.release_cost": {"high": 9}},
            "design.factors.regime.pardons.release_cost.high: 9.0 is above the maximum 3",
        ),
        (
            {"regime.pardons.release_cost": {"low": -1}},
            "design.factors.regime.pardons.release_cost.low: -1.0 is below the minimum 0",
        ),
        ({"regime.pardons.release_cost": {"low": 1, "high": 0.5}}, "low 1.0 must be below high 0.5"),
        ({"eu.policy.kind": {"levels": ["fixed", "nope"]}}, "'nope' is not allowed; choose from"),
        ({"eu.policy.kind": {"levels": ["interactive"]}}, "'interactive' is not allowed"),
        ({"eu.policy.kind": {"low": 1}}, "a choice takes levels"),
        ({"eu.policy.schedule": {}}, "can only vary through explicit levels"),
        ({"eu.policy.kind": {"levels": POLICIES}}, "needs at least one factor with a range"),
    ],
)
def test_bad_factors_are_named_with_value_and_allowed_range(factors, message):
    with pytest.raises(SpecError) as caught:
        expand(_design(factors=factors), PARAMETERS, 1)
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_bad_design_fields_are_named():
    with pytest.raises(SpecError) as caught:
        validate_design(
            {"kind": "sobol_sequence", "points": 100, "factors": {"regime.pardons.release_cost": {}}, "foo": 1}
        )
    assert "design.points: 100 is not a power of 2, which Sobol' sequences need to stay balanced; use 64 or 128" in (
        caught.value.problems
    )
    assert any(p.startswith("design.foo: unknown field") for p in caught.value.problems)
    with pytest.raises(SpecError, match="levels or a range"):
        validate_design({"factors": {"eu.lag_months": {"levels": [0, 1], "low": 0}}})


# Sizes counted from the spec before anything is built (issue 20, item 3)

HUGE = [
    ("grid", {"steps": 1000}, 3, "1,000,000,000 points (1000 x 1000 x 1000)"),
    ("sobol_sensitivity", {"points": 2**18}, 7, "2,359,296 points (262144 x 9 (Saltelli))"),
    ("morris", {"points": 1_000_000}, 4, "5,000,000 points (1000000 x 5 (Morris))"),
    ("latin_hypercube", {"points": 500_000}, 1, "1,500,000 points (500000 samples x 3 level combinations)"),
]
CONTINUOUS = [
    "regime.pardons.release_cost",
    "regime.pardons.election_weight",
    "regime.pardons.petition_rate",
    "eu.friction",
]


@pytest.mark.parametrize(("kind", "options", "ranges", "said"), HUGE, ids=[h[0] for h in HUGE])
def test_an_oversized_design_is_refused_before_any_point_is_built(kind, options, ranges, said, monkeypatch):
    from simulator.exploration import designs

    def built(*args, **kwargs):
        raise AssertionError("the design was sampled before its size was checked")

    monkeypatch.setattr(designs, "continuous_sample", built)
    paths = [info.path for info in PARAMETERS.values() if info.kind == "float" and info.minimum is not None]
    factors = {path: {} for path in (CONTINUOUS + paths)[:ranges]}
    if kind == "latin_hypercube":
        factors["eu.policy.kind"] = {"levels": POLICIES}
    with pytest.raises(SpecError, match=rf"^design: {re.escape(said)} is above the maximum 1,000,000; lower"):
        expand(_design(kind, factors=factors, **options), PARAMETERS, 1)


def test_the_counted_size_is_the_built_size():
    from simulator.exploration.designs import design_size

    two = {
        "regime.pardons.release_cost": {},
        "regime.initial_prisoners": {"low": 0, "high": 5, "steps": 9},  # 6 whole values from 9 steps
        "eu.policy.kind": {"levels": POLICIES},
    }
    for kind, options in [("grid", {"steps": 4}), ("morris", {"points": 3}), ("sobol_sensitivity", {"points": 8})]:
        design = _design(kind, factors=two, **options)
        factors = resolve_factors(design, PARAMETERS)
        assert design_size(design, factors)[0] == len(expand(design, PARAMETERS, 1)), kind


def test_a_large_legal_design_checks_a_sample_of_its_points_against_the_model():
    from simulator.exploration.sweep_specs import SweepSpec
    from simulator.exploration.sweeps import ScenarioModel, design_points

    class Counting(ScenarioModel):
        def check(self, values):
            object.__setattr__(self, "checks", getattr(self, "checks", 0) + 1)
            if self.checks > 2_000:
                raise AssertionError("every point of the design was checked")
            super().check(values)

    grid = {
        "kind": "grid",
        "steps": 1000,
        "factors": {"regime.pardons.release_cost": {}, "regime.pardons.election_weight": {}},
    }
    spec = SweepSpec(design=grid)
    model = Counting(spec.scenario.model_json())
    factors, points = design_points(spec, model)
    assert len(points) == 1_000_000 and model.checks <= 300


def test_the_checked_sample_holds_each_factors_ends_and_every_level():
    from simulator.exploration.designs import checked_rows

    design = _design("latin_hypercube", points=2000, factors={"regime.pardons.release_cost": {}, "eu.policy.kind": {}})
    factors = resolve_factors(design, PARAMETERS)
    points = expand(design, PARAMETERS, 1)
    checked = points.iloc[checked_rows(points, factors, sample=10)]
    cost = points["regime.pardons.release_cost"]
    assert {cost.min(), cost.max()} <= set(checked["regime.pardons.release_cost"])
    assert set(checked["eu.policy.kind"]) == set(points["eu.policy.kind"])
    assert len(checked) < 30
