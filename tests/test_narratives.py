"""Narrative reception: each group receives the regime's story according to what it can verify and believes."""

import numpy as np

from simulator import Scenario
from simulator.core import narratives as nar

AUDIENCE = Scenario().audience


def events(**values):
    defaults = dict(
        released=0.0,
        released_before=0.0,
        arrests=40.0,
        relief_came=0.0,
        divided=0.0,
        tightened=0.0,
        all_held=0.0,
        dependence=0.6,
        election_proximity=0.0,
        pressure=0.6,
    )
    defaults.update(values)
    return nar.Events(**{k: np.array([v]) for k, v in defaults.items()})


def received(story, params=AUDIENCE, **values):
    seen = events(**values)
    fits = nar.fit_to_events(seen)
    by_group, _ = nar.reception(np.array([story]), fits, seen, params)
    return by_group[0]


def test_victory_after_relief_persuades_supporters_and_the_apolitical_but_not_the_opposition():
    victory = received(nar.VICTORY, relief_came=1.0)
    assert victory[1] > victory[2] and victory[0] >= victory[1]
    assert received(nar.VICTORY, relief_came=0.0)[1] < victory[1]


def test_the_west_only_talks_works_when_releases_went_unanswered():
    unanswered = received(nar.HYPOCRISY, all_held=1.0, released_before=60.0)
    nothing_to_answer = received(nar.HYPOCRISY, all_held=1.0, released_before=0.0)
    assert (unanswered > nothing_to_answer).all()


def test_relief_is_more_convincing_than_unanswered_releases():
    victory = received(nar.VICTORY, relief_came=1.0)
    talks = received(nar.HYPOCRISY, all_held=1.0, released_before=60.0)
    assert victory[1] > talks[1]


def test_siege_rallies_supporters_and_costs_among_the_apolitical_as_hardship_is_felt():
    mild = received(nar.SIEGE, tightened=1.0, pressure=0.1)
    harsh = received(nar.SIEGE, tightened=1.0, pressure=0.9)
    assert harsh[1] < mild[1]
    assert harsh[0] > harsh[1]


def test_rally_round_the_flag_or_erosion_is_a_parameter():
    rally = received(nar.SIEGE, tightened=1.0)
    erosion = received(nar.SIEGE, AUDIENCE.model_copy(update={"rally_effect": -0.5}), tightened=1.0)
    assert erosion[0] < rally[0]
