"""Learning whether a sender pays: delivered relief builds trust, refusals persist, promises count for nothing."""

import numpy as np
import pytest

from simulator import Scenario
from simulator.core.actions import ENGAGE, HOLD
from simulator.core.learning import learn_reciprocity, prior_evidence

LEARNING = Scenario().regime.learning
SENDERS = Scenario().senders()


def _learn(months, answered, answers, delivered, params=LEARNING, extra_failures=0.0):
    prior = prior_evidence(SENDERS)
    successes, failures = np.tile(prior[0], (1, 1)), np.tile(prior[1] + extra_failures, (1, 1))
    for _ in range(months):
        successes, failures = learn_reciprocity(successes, failures, prior, answered, answers, delivered, params)
    return successes, failures, prior


def test_delivered_relief_builds_trust_and_a_promise_does_not():
    engage = np.full((1, 1), ENGAGE)
    s, f, _ = _learn(1, np.ones(1, bool), engage, np.zeros((1, 1)))
    promised = s / (s + f)
    s, f, _ = _learn(1, np.ones(1, bool), engage, np.full((1, 1), 0.1))
    delivered = s / (s + f)
    assert delivered[0, 0] > promised[0, 0]
    assert s[0, 0] == pytest.approx(prior_evidence(SENDERS)[0][0] + 0.1 / LEARNING.relief_per_success)


def test_holding_in_answer_to_a_release_counts_as_a_refusal():
    s, f, prior = _learn(1, np.ones(1, bool), np.full((1, 1), HOLD), np.zeros((1, 1)))
    assert f[0, 0] == pytest.approx(prior[1][0] + LEARNING.hold_as_refusal)
    s, f, prior = _learn(1, np.zeros(1, bool), np.full((1, 1), HOLD), np.zeros((1, 1)))
    assert f[0, 0] == pytest.approx(prior[1][0])


def test_evidence_that_a_sender_never_pays_persists():
    silent = np.full((1, 1), -1)
    _, f, prior = _learn(24, np.zeros(1, bool), silent, np.zeros((1, 1)), extra_failures=5)
    assert f[0, 0] == pytest.approx(prior[1][0] + 5)
    forgetful = LEARNING.model_copy(update={"refusal_memory": 0.8})
    _, f, prior = _learn(24, np.zeros(1, bool), silent, np.zeros((1, 1)), forgetful, extra_failures=5)
    assert f[0, 0] < prior[1][0] + 0.1
