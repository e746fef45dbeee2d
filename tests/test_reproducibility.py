"""Same scenario and seed give the same results, however replications are chunked."""

import pandas as pd
from conftest import small

from simulator import simulate, start, step, with_overrides
from simulator.core.runner import results_from_state


def test_same_seed_gives_identical_frames():
    scenario = small()
    first, second = simulate(scenario, seed=5), simulate(scenario, seed=5)
    pd.testing.assert_frame_equal(first.monthly, second.monthly)
    pd.testing.assert_frame_equal(first.summary, second.summary)


def test_different_seeds_differ():
    scenario = small()
    assert not simulate(scenario, seed=5).summary.equals(simulate(scenario, seed=6).summary)


def test_chunking_does_not_change_results():
    scenario = small(simulation__replications=30)
    whole = simulate(scenario, seed=9)
    chunked = simulate(scenario, seed=9, chunk_size=7)
    pd.testing.assert_frame_equal(whole.monthly, chunked.monthly)
    pd.testing.assert_frame_equal(whole.summary, chunked.summary)


def test_a_replication_depends_only_on_its_index():
    scenario = small(simulation__replications=10)
    all_ten = simulate(scenario, seed=3).monthly
    alone = results_from_state(_run(start(scenario, replications=3, seed=3, first=7))).monthly
    expected = all_ten[all_ten["replication"] >= 7].reset_index(drop=True)
    pd.testing.assert_frame_equal(expected, alone)


def test_policies_share_random_numbers():
    hold = small(eu__policy__kind="fixed", eu__policy__action="hold")
    engage = with_overrides(hold, {"eu.policy.action": "engage"})
    a, b = start(hold, seed=4), start(engage, seed=4)
    assert (a.beliefs == b.beliefs).all() and (a.uniforms == b.uniforms).all()


def test_stepping_by_hand_equals_simulate():
    scenario = small(eu__policy__kind="fixed", eu__policy__action="tighten")
    interactive = with_overrides(scenario, {"eu.policy.kind": "interactive"})
    state = start(interactive, seed=2)
    for _ in range(scenario.simulation.months):
        state = step(state, eu_action="tighten")
    by_hand = results_from_state(state).monthly
    pd.testing.assert_frame_equal(by_hand, simulate(scenario, seed=2).monthly)


def test_step_does_not_change_the_old_state():
    state = start(small(), seed=1)
    before = state.beliefs.copy()
    later = step(state)
    assert (state.beliefs == before).all() and state.month == 0 and later.month == 1


def _run(state):
    while not state.finished:
        state = step(state)
    return state
