"""The pardon mechanism's pure functions: the holiday calendar, the campaign that ends with the vote, the motives."""

import numpy as np
import pytest

from simulator import Scenario, with_overrides
from simulator.core.pardons import campaign_proximity, motive_drivers, occasion_chances, pardon_shares, willingness
from simulator.core.regime import tier_prices

REGIME = Scenario().regime
PARDONS = REGIME.pardons


def test_pardons_concentrate_on_the_regimes_holidays():
    assert occasion_chances(7, 0.0, PARDONS)[0] == PARDONS.occasion_independence_day
    assert occasion_chances(9, 0.0, PARDONS)[0] == PARDONS.occasion_unity_day
    assert occasion_chances(5, 0.0, PARDONS)[0] == PARDONS.occasion_victory_day
    for quiet_month in (2, 3, 4, 6, 8, 10):
        holiday, any_occasion = occasion_chances(quiet_month, 0.0, PARDONS)
        assert holiday == 0.0 and any_occasion == PARDONS.occasion_other_months


def test_the_campaign_is_an_occasion_that_ends_with_the_vote():
    assert campaign_proximity(6, 6) == 0.0
    assert campaign_proximity(3, 6) == pytest.approx(0.5)
    assert campaign_proximity(0, 6) == 1.0
    for after in (-1, -2, -6):
        assert campaign_proximity(after, 6) == 0.0
    holiday, chance = occasion_chances(10, 0.5, PARDONS)
    assert holiday == 0.0 and chance == pytest.approx(PARDONS.occasion_election_eve)
    assert occasion_chances(10, 0.0, PARDONS)[1] == PARDONS.occasion_other_months


def test_the_holiday_routine_does_not_depend_on_expected_relief():
    petitioners = np.array([[200, 20, 4], [200, 20, 4]])
    drivers_low = motive_drivers(np.zeros((2, 1)), 0.0, np.zeros(2), np.zeros(2), PARDONS)
    drivers_high = motive_drivers(np.full((2, 1), 1.0), 0.0, np.zeros(2), np.zeros(2), PARDONS)
    prices = tier_prices(REGIME)
    held = np.array([True, True])
    low, routine_low = pardon_shares(petitioners, held, held, willingness(drivers_low, prices, PARDONS), PARDONS)
    high, routine_high = pardon_shares(petitioners, held, held, willingness(drivers_high, prices, PARDONS), PARDONS)
    assert (routine_low == routine_high).all()
    assert routine_low[0, 0] == pytest.approx(PARDONS.holiday_share)
    assert (high >= low).all() and high[0, 0] > low[0, 0]


def test_signal_pardons_follow_expected_relief_and_need_an_occasion():
    petitioners = np.array([[200, 20, 4]])
    prices = tier_prices(REGIME)
    strong = willingness(motive_drivers(np.full((1, 1), 2.0), 0.0, np.zeros(1), np.zeros(1), PARDONS), prices, PARDONS)
    none = np.zeros(1, bool)
    share, _ = pardon_shares(petitioners, none, none, strong, PARDONS)
    assert (share == 0).all()
    share, routine = pardon_shares(petitioners, none, np.ones(1, bool), strong, PARDONS)
    assert (routine == 0).all() and share[0, 0] > 0.5 * PARDONS.max_release_share


def test_dearer_tiers_need_a_stronger_push():
    drivers = motive_drivers(np.full((1, 1), 0.4), 0.0, np.zeros(1), np.zeros(1), PARDONS)
    keen = willingness(drivers, tier_prices(REGIME), PARDONS)[0]
    assert keen[0] > keen[1] > keen[2]


def test_a_quiet_calendar_can_be_set_by_the_user():
    quiet = with_overrides(Scenario(), {"regime.pardons.occasion_independence_day": 0.0}).regime.pardons
    assert occasion_chances(7, 0.0, quiet)[0] == 0.0
