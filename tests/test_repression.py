"""Repression on a finite pool: arrests deplete it, newcomers replenish it, payments raise it after a delay."""

import numpy as np
import pytest

from simulator import Scenario
from simulator.core.repression import arrest_probability, pool_after, remember_payment, repression_drivers

REPRESSION = Scenario().regime.repression


def test_arrests_come_from_the_pool_at_the_2024_rate():
    rate = arrest_probability(np.ones(1), REPRESSION)[0]
    assert rate * REPRESSION.initial_at_risk == pytest.approx(REPRESSION.base_arrests)
    assert arrest_probability(np.full(1, 1e6), REPRESSION)[0] == 1.0


def test_the_pool_depletes_and_is_replenished():
    pool = pool_after(np.array([1000, 1000]), np.array([50, 0]), np.zeros(2), np.zeros(2), REPRESSION)
    assert pool[0] == 1000 - 50 + round(REPRESSION.pool_inflow)
    assert pool[1] > pool[0]
    protest = pool_after(np.array([1000]), np.array([50]), np.array([0.1]), np.zeros(1), REPRESSION)
    assert protest[0] > pool[0]
    freed = pool_after(np.array([1000]), np.array([50]), np.zeros(1), np.array([100]), REPRESSION)
    assert freed[0] > pool[0]
    assert pool_after(np.array([10]), np.array([10]), np.zeros(1), np.zeros(1), REPRESSION)[0] >= 0


def test_the_hostage_response_follows_the_value_paid_and_fades():
    reference = REPRESSION.hostage_reference
    memory = remember_payment(np.zeros(3), np.array([reference, 0.1 * reference, 0]), REPRESSION)
    drivers = repression_drivers(np.zeros(3), np.zeros(3), memory, 0.0, REPRESSION)
    assert drivers["hostage"][0] == pytest.approx(REPRESSION.hostage_incentive)
    assert 0 < drivers["hostage"][1] < drivers["hostage"][0]
    assert drivers["hostage"][2] == 0
    later = remember_payment(memory, np.zeros(3), REPRESSION)
    assert later[0] == pytest.approx(REPRESSION.hostage_memory * memory[0])


def test_the_election_can_raise_or_lower_repression():
    calmer = REPRESSION.model_copy(update={"election_repression": -0.5})
    assert repression_drivers(np.zeros(1), np.zeros(1), np.zeros(1), 1.0, calmer)["election"][0] == -0.5


def test_hostage_incentive_range_covers_the_literature():
    from simulator.core.parameters import parameter_table

    info = {row.path: row for row in parameter_table(Scenario)}["regime.repression.hostage_incentive"]
    assert info.minimum <= 0.26 and info.maximum >= 0.87
    assert 0.26 <= info.default <= 0.87
