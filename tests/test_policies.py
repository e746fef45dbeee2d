"""Sender policies decide from what they observed; friction blocks moves."""

import numpy as np

from simulator.core.policies import ENGAGE, HOLD, TIGHTEN, Observations, apply_friction, decide
from simulator.core.schema import PolicyParams, month_index


def seen(releases, arrests, prisoners=None):
    releases, arrests = np.array(releases, float), np.array(arrests, float)
    prisoners = np.full(releases.shape[0], 1000) if prisoners is None else np.array(prisoners)
    return Observations(releases, arrests, prisoners)


def test_fixed_policy_always_returns_its_action():
    policy = PolicyParams(kind="fixed", action="tighten")
    assert (decide(policy, 0, seen([[0], [50]], [[0], [0]])) == TIGHTEN).all()


def test_schedule_applies_from_each_listed_month_on():
    policy = PolicyParams(kind="schedule", schedule={"2024-07": "hold", "2024-09": "tighten"}, default_action="engage")
    observed = seen([[0]], [[0]])
    actions = [
        decide(policy, month_index(m), observed)[0] for m in ("2024-06", "2024-07", "2024-08", "2024-09", "2025-05")
    ]
    assert actions == [ENGAGE, HOLD, HOLD, TIGHTEN, TIGHTEN]


def test_reciprocal_engages_after_releases_and_tightens_after_arrests():
    policy = PolicyParams(kind="reciprocal", engage_threshold=20, tighten_threshold=80)
    observed = seen([[0, 25], [0, 5], [0, 30]], [[0, 10], [0, 10], [0, 90]])
    assert list(decide(policy, 0, observed)) == [ENGAGE, HOLD, TIGHTEN]


def test_reciprocal_holds_before_anything_is_observed():
    policy = PolicyParams(kind="reciprocal")
    assert (decide(policy, 0, seen(np.zeros((3, 0)), np.zeros((3, 0)))) == HOLD).all()


def test_maximalist_engages_only_when_nearly_all_are_free():
    policy = PolicyParams(kind="maximalist", all_free_threshold=50, tighten_threshold=80)
    observed = seen([[100], [0], [0]], [[10], [100], [0]], prisoners=[900, 900, 40])
    assert list(decide(policy, 0, observed)) == [HOLD, TIGHTEN, ENGAGE]


def test_graduated_balances_releases_and_arrests_over_its_window():
    policy = PolicyParams(kind="graduated", window_months=2, net_release_step=30)
    releases = [[500, 40, 40], [0, 10, 10], [0, 40, 40]]
    arrests = [[0, 20, 20], [0, 40, 40], [0, 30, 30]]
    assert list(decide(policy, 0, seen(releases, arrests))) == [ENGAGE, TIGHTEN, HOLD]


def test_friction_only_blocks_engage_and_tighten():
    intended = np.array([ENGAGE, HOLD, TIGHTEN, TIGHTEN], dtype=np.int8)
    blocked = apply_friction(intended, 0.5, np.array([0.1, 0.1, 0.1, 0.9]))
    assert list(blocked) == [HOLD, HOLD, HOLD, TIGHTEN]


def test_every_policy_kind_lists_the_fields_it_reads():
    from simulator.core.policies import POLICY_FIELDS
    from simulator.core.schema import POLICY_KINDS

    assert set(POLICY_FIELDS) == set(POLICY_KINDS)
    for fields in POLICY_FIELDS.values():
        assert set(fields) <= set(PolicyParams.model_fields)
