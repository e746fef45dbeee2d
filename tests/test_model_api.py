"""The step API used by the workshop mode: clear errors, interactive actions per replication."""

import numpy as np
import pytest
from conftest import small

from simulator import simulate, start, step


def test_interactive_policy_needs_an_action():
    state = start(small(eu__policy__kind="interactive"), seed=1)
    with pytest.raises(ValueError, match=r"interactive needs an action each month"):
        step(state)


def test_unknown_action_is_named():
    state = start(small(eu__policy__kind="interactive"), seed=1)
    with pytest.raises(ValueError, match=r"eu_action: 'appease' is not one of"):
        step(state, eu_action="appease")


def test_actions_can_differ_per_replication():
    state = start(small(eu__policy__kind="interactive", eu__friction=0.0), seed=1)
    codes = np.arange(state.replications) % 3
    after = step(state, eu_action=codes)
    assert (after.history[0]["decided"][:, 0] == codes).all()


def test_stepping_past_the_horizon_is_refused():
    state = start(small(simulation__months=1), seed=1)
    state = step(state)
    assert state.finished
    with pytest.raises(ValueError, match=r"horizon of 1 months is reached"):
        step(state)


@pytest.mark.parametrize(
    "seed", [2**32, 2**64, 10**5000, -1, True, 1.5], ids=["2^32", "2^64", "5001 digits", "-1", "True", "1.5"]
)
def test_simulate_refuses_a_seed_out_of_range_in_one_line(seed):
    from simulator import ScenarioError

    with pytest.raises(ScenarioError) as refused:
        simulate(small(), replications=2, seed=seed)
    (problem,) = refused.value.problems
    assert problem.startswith("seed: ") and problem.endswith("a seed is a whole number from 0 to 4,294,967,295")
    assert len(problem) < 120
