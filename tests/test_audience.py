"""The audience: group sizes, media pull, bounded-confidence influence and mobilisation."""

import numpy as np

from simulator.core.audience import Audience, audience_month, create_audience, group_sizes, mobilised_by_group
from simulator.core.schema import AudienceParams
from simulator.core.streams import agent_generators


def make(count=4, **overrides):
    params = AudienceParams(**{"size": 200, **overrides})
    audience, beliefs = create_audience(params, agent_generators(1, 0, count))
    return params, audience, beliefs


def month(audience, beliefs, params, signal, offset=0, shift=0.0):
    count = beliefs.shape[0]
    return audience_month(
        audience,
        beliefs,
        np.full((count, 3), signal),
        np.full(count, signal),
        np.full(count, offset),
        np.full(count, shift),
        params,
    )


def test_group_sizes_add_up_to_the_audience():
    for size, supporters, opposition in ((200, 0.3, 0.2), (31, 0.5, 0.5), (100, 0.0, 1.0)):
        params = AudienceParams(size=size, supporter_share=supporters, opposition_share=opposition)
        assert sum(group_sizes(params)) == size


def test_initial_beliefs_follow_groups():
    params, audience, beliefs = make()
    _, by_group, _ = month(audience, beliefs, params.model_copy(update={"learning_rate": 0.0}), 0.5)
    means = by_group.mean(axis=0)
    assert means[0] > means[1] > means[2]


def test_media_pull_beliefs_towards_the_signal():
    params, audience, beliefs = make(confidence_bound=0.0)
    up, _, _ = month(audience, beliefs, params, 1.0)
    down, _, _ = month(audience, beliefs, params, 0.0)
    assert up.mean() > beliefs.mean() > down.mean()


def test_independent_media_reach_weakens_a_believable_story():
    params, audience, beliefs = make(confidence_bound=0.0, independent_media_reach=1.0)
    count = beliefs.shape[0]
    reached = audience_month(
        audience, beliefs, np.ones((count, 3)), np.zeros(count), np.zeros(count), np.zeros(count), params
    )[0]
    params_blocked, audience_blocked, _ = make(confidence_bound=0.0, independent_media_reach=0.0)
    blocked = audience_month(
        audience_blocked,
        beliefs,
        np.ones((count, 3)),
        np.zeros(count),
        np.zeros(count),
        np.zeros(count),
        params_blocked,
    )[0]
    assert reached.mean() < blocked.mean()


def test_bounded_confidence_ignores_distant_contacts():
    params = AudienceParams(learning_rate=0.0, stubbornness=0.0, confidence_bound=0.3, influence_strength=0.5)
    ones, zeros = np.ones((1, 4), np.float32), np.zeros((1, 4), np.float32)
    audience = Audience(((0, 2), (2, 3), (3, 4)), ones, zeros, zeros, zeros, zeros, zeros)
    beliefs = np.array([[0.1, 0.2, 0.9, 0.95]], dtype=np.float32)
    after, by_group, _ = month(audience, beliefs, params, 0.0, offset=1)
    # Each agent meets the next one: 0 and 2 meet close contacts and move halfway; 1 and 3 meet distant ones.
    assert np.allclose(after[0], [0.15, 0.2, 0.925, 0.95], atol=1e-6)
    assert np.allclose(by_group[0], [0.175, 0.925, 0.95], atol=1e-6)


def test_mobilisation_rises_with_disbelief_and_falls_with_threshold_shift():
    params, audience, beliefs = make(threshold_mean=0.3)
    count = beliefs.shape[0]
    believers = mobilised_by_group(audience, np.ones_like(beliefs), np.zeros(count)).mean()
    doubters = mobilised_by_group(audience, np.zeros_like(beliefs), np.zeros(count)).mean()
    deterred = mobilised_by_group(audience, np.zeros_like(beliefs), np.ones(count)).mean()
    assert believers < doubters and deterred < doubters


def test_month_tallies_match_the_beliefs_it_returns():
    params, audience, beliefs = make()
    after, by_group, mobilised = month(audience, beliefs, params, 0.7, offset=17, shift=0.1)
    for g, (lo, hi) in enumerate(audience.group_bounds):
        assert np.allclose(by_group[:, g], after[:, lo:hi].mean(axis=1), atol=1e-5)
    assert np.allclose(mobilised, mobilised_by_group(audience, after, np.full(4, 0.1)))


def test_each_group_hears_the_story_as_it_receives_it():
    params, audience, beliefs = make(confidence_bound=0.0)
    count = beliefs.shape[0]
    signal = np.tile([1.0, 0.0, 0.5], (count, 1))
    after, by_group, _ = audience_month(
        audience, beliefs, signal, np.zeros(count), np.zeros(count), np.zeros(count), params
    )
    before = [beliefs[:, lo:hi].mean() for lo, hi in audience.group_bounds]
    assert by_group[:, 0].mean() > before[0] - 0.01
    assert by_group[:, 1].mean() < before[1]


def test_contacts_wrap_round_the_population():
    params = AudienceParams(learning_rate=0.0, stubbornness=0.0, confidence_bound=1.0, influence_strength=0.5)
    ones, zeros = np.ones((1, 4), np.float32), np.zeros((1, 4), np.float32)
    audience = Audience(((0, 2), (2, 3), (3, 4)), ones, zeros, zeros, zeros, zeros, zeros)
    beliefs = np.array([[0.0, 0.2, 0.4, 0.8]], dtype=np.float32)
    after, _, _ = month(audience, beliefs, params, 0.0, offset=3)
    # Agent i meets agent i + 3 (mod 4): 0 meets 3, 1 meets 0, 2 meets 1, 3 meets 2.
    assert np.allclose(after[0], [0.4, 0.1, 0.3, 0.6], atol=1e-6)
