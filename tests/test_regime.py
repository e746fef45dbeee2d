"""The regime's decision rules as pure functions: pardon occasions, priced deals, learning, payments remembered."""

import numpy as np
import pytest

from simulator import Scenario, with_overrides
from simulator.core.regime import (
    deal_batch,
    deal_offer,
    learn_reciprocity,
    pardon_occasion,
    prior_evidence,
    remember_payment,
    repression_drivers,
)

REGIME = Scenario().regime


def test_pardons_concentrate_on_occasions():
    assert pardon_occasion(7, 0.0, REGIME) == REGIME.occasion_independence_day
    assert pardon_occasion(9, 0.0, REGIME) == REGIME.occasion_unity_day
    assert pardon_occasion(1, 0.0, REGIME) == REGIME.occasion_new_year
    assert pardon_occasion(8, 0.0, REGIME) == REGIME.occasion_other_months
    assert pardon_occasion(8, 0.0, REGIME) < pardon_occasion(7, 0.0, REGIME)


def test_the_election_eve_is_an_occasion():
    quiet = with_overrides(Scenario(), {"regime.occasion_other_months": 0.0}).regime
    assert pardon_occasion(12, 0.0, quiet) == 0.0
    assert pardon_occasion(12, 0.8, quiet) == pytest.approx(0.8 * quiet.occasion_election_eve)
    assert pardon_occasion(12, 1.0, REGIME) == 1.0


def test_a_deal_buys_leaders_first_and_follows_the_value_on_offer():
    available = np.array([[1000, 100, 20], [1000, 100, 20]])
    ones = np.ones(2)
    batch = deal_batch(np.array([0.2, 0.4]), ones, ones, available, REGIME)
    assert batch[1].sum() > batch[0].sum() > 0
    assert (batch[:, 2] > 0).all()
    value = 0.4 * REGIME.relief_sensitivity * REGIME.deal_persons_per_relief
    spent = batch[1] @ np.array([1.0, REGIME.prominent_cost_multiplier, REGIME.leader_cost_multiplier])
    assert value - 1 < spent <= value + 1e-9


def test_a_deal_never_takes_more_than_are_held_and_passes_on_unspent_value():
    available = np.array([[1000, 100, 0]])
    batch = deal_batch(np.array([0.4]), np.ones(1), np.ones(1), available, REGIME)
    with_leaders = deal_batch(np.array([0.4]), np.ones(1), np.ones(1), np.array([[1000, 100, 20]]), REGIME)
    assert batch[0, 2] == 0
    assert batch[0, :2].sum() > with_leaders[0, :2].sum()
    scarce = deal_batch(np.array([5.0]), np.ones(1), np.ones(1), np.array([[3, 2, 1]]), REGIME)
    assert (scarce <= np.array([[3, 2, 1]])).all()


def test_a_higher_price_buys_fewer_prisoners():
    available = np.array([[1000, 100, 20]])
    cheap = deal_batch(np.array([0.4]), np.ones(1), np.ones(1), available, REGIME)
    dear = deal_batch(np.array([0.4]), np.full(1, 2.0), np.ones(1), available, REGIME)
    assert dear.sum() < cheap.sum()


def test_offer_is_relief_on_the_table_plus_recognition():
    senders = Scenario().senders()
    offer = deal_offer(np.array([[0.5]]), senders)
    expected = senders[0].sanctions_weight * senders[0].relief_step * 0.5 + senders[0].engagement_value
    assert offer[0, 0] == pytest.approx(expected)


def test_evidence_that_a_sender_never_pays_persists():
    senders = Scenario().senders()
    prior = prior_evidence(senders)
    successes, failures = np.tile(prior[0], (1, 1)), np.tile(prior[1] + 5, (1, 1))
    silent = np.full((1, 1), -1)
    for _ in range(24):
        successes, failures = learn_reciprocity(successes, failures, prior, np.zeros(1, bool), silent, REGIME)
    assert failures[0, 0] == pytest.approx(prior[1][0] + 5)
    forgetful = REGIME.model_copy(update={"refusal_memory": 0.8})
    s, f = np.tile(prior[0], (1, 1)), np.tile(prior[1] + 5, (1, 1))
    for _ in range(24):
        s, f = learn_reciprocity(s, f, prior, np.zeros(1, bool), silent, forgetful)
    assert f[0, 0] < prior[1][0] + 0.1


def test_payments_raise_arrests_by_the_hostage_incentive_and_fade():
    memory = remember_payment(np.zeros(2), np.array([True, False]), REGIME)
    assert list(memory) == [1.0, 0.0]
    drivers = repression_drivers(np.zeros(2), np.zeros(2), memory, 0.0, REGIME)
    assert drivers["hostage"][0] == pytest.approx(REGIME.hostage_incentive)
    later = remember_payment(memory, np.zeros(2, bool), REGIME)
    assert later[0] == pytest.approx(REGIME.hostage_memory)


def test_hostage_incentive_range_covers_the_literature():
    from simulator.core.parameters import parameter_table

    info = {row.path: row for row in parameter_table(Scenario)}["regime.hostage_incentive"]
    assert info.minimum <= 0.26 and info.maximum >= 0.87
    assert 0.26 <= info.default <= 0.87
