"""Deals as a ladder: the next item on the table, its value bought by tier, and who is freed for it."""

import numpy as np
import pytest

from simulator import Scenario
from simulator.core.deals import ReliefItem, deal_batch, item_on_table, ladder_arrays, others_freed
from simulator.core.regime import relief_on_offer, tier_prices

REGIME = Scenario().regime
US = Scenario().second_sender


def test_each_deal_takes_the_next_item_and_the_top_one_again_at_the_end():
    ladder = ladder_arrays([Scenario().eu.relief_items, US.relief_items])
    done = np.array([[0, 0], [1, 2], [40, 40]])
    item = item_on_table(ladder, done)
    assert item["value"][0, 1] == US.relief_items[0].value
    assert item["value"][1, 1] == US.relief_items[2].value
    assert item["value"][2, 1] == US.relief_items[-1].value
    assert item["value"][2, 0] == Scenario().eu.relief_items[-1].value


def test_the_ladder_climbs_in_value():
    values = [item.value for item in US.relief_items]
    assert values == sorted(values) and values[0] < values[-1]


def test_a_deal_buys_leaders_first_and_follows_the_value():
    available = np.array([[1000, 100, 20], [1000, 100, 20]])
    batch = deal_batch(np.array([0.02, 0.04]), np.ones(2), available, tier_prices(REGIME), REGIME.deals)
    assert batch[1].sum() > batch[0].sum() > 0
    assert (batch[:, 2] > 0).all()
    value = 0.04 * REGIME.deals.persons_per_relief
    spent = batch[1] @ np.array([1.0, REGIME.prominent_cost_multiplier, REGIME.leader_cost_multiplier])
    assert value - 1 < spent <= value + 1e-9


def test_a_deal_never_takes_more_than_are_held_and_passes_on_unspent_value():
    prices = tier_prices(REGIME)
    batch = deal_batch(np.array([0.04]), np.ones(1), np.array([[1000, 100, 0]]), prices, REGIME.deals)
    with_leaders = deal_batch(np.array([0.04]), np.ones(1), np.array([[1000, 100, 20]]), prices, REGIME.deals)
    assert batch[0, 2] == 0
    assert batch[0, :2].sum() > with_leaders[0, :2].sum()
    scarce = deal_batch(np.array([5.0]), np.ones(1), np.array([[3, 2, 1]]), prices, REGIME.deals)
    assert (scarce <= np.array([[3, 2, 1]])).all()


def test_people_who_are_not_political_prisoners_come_on_top():
    assert others_freed(np.array([40]), np.array([0.23]))[0] == 12
    assert others_freed(np.array([40]), np.array([0.0]))[0] == 0


def test_relief_on_offer_is_sanctions_plus_recognition():
    senders = Scenario().senders()
    offer = relief_on_offer(np.array([[0.5]]), senders)
    assert offer[0, 0] == pytest.approx(senders[0].sanctions_weight * 0.5 + senders[0].engagement_value)


def test_an_item_names_what_is_allowed():
    with pytest.raises(ValueError, match="non_political_share"):
        ReliefItem(name="x", value=0.1, non_political_share=1.0)
