"""The audience: group sizes, media pull, bounded-confidence influence and mobilisation."""

import numpy as np

from simulator.core.audience import Audience, audience_month, create_audience, group_sizes, mobilised_by_group
from simulator.core.kernels import TRAIT_STEPS
from simulator.core.schema import AudienceParams


def make(count=4, **overrides):
    params = AudienceParams(**{"size": 200, **overrides})
    audience, beliefs = create_audience(params, 1, 0, count)
    return params, audience, beliefs


def _plain_audience():
    """Four agents who keep their belief but for one conversation, and never mobilise."""
    zeros = np.zeros((1, 4), np.uint16)
    return Audience(((0, 2), (2, 3), (3, 4)), zeros, zeros, zeros, zeros, np.array([[1, 0, 0, 0, 0, 0]], np.float32))


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
    audience = _plain_audience()
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
    audience = _plain_audience()
    beliefs = np.array([[0.0, 0.2, 0.4, 0.8]], dtype=np.float32)
    after, _, _ = month(audience, beliefs, params, 0.0, offset=3)
    # Agent i meets agent i + 3 (mod 4): 0 meets 3, 1 meets 0, 2 meets 1, 3 meets 2.
    assert np.allclose(after[0], [0.4, 0.1, 0.3, 0.6], atol=1e-6)


def test_traits_are_drawn_as_the_parameters_say():
    params, audience, beliefs = make(count=50, size=2000, diet_spread=0.0, threshold_mean=0.4, threshold_spread=0.2)
    supporters = slice(*audience.group_bounds[0])
    diet = audience.state_diet[:, supporters] / TRAIT_STEPS
    assert np.allclose(diet, params.state_media_supporter, atol=1e-4)  # no spread: every diet at the mean
    belief = beliefs[:, supporters]
    assert abs(belief.mean() - params.initial_belief_supporter) < 0.005 and abs(belief.std() - 0.1) < 0.005
    assert np.array_equal(audience.initial_belief, np.round(beliefs * TRAIT_STEPS).astype(np.uint16))
    position = audience.threshold / TRAIT_STEPS  # uniform over the threshold's range
    assert abs(position.mean() - 0.5) < 0.005 and abs(position.std() - (1 / 12) ** 0.5) < 0.005


def test_agents_depend_only_on_the_seed_and_their_replication():
    params = AudienceParams(size=300)
    whole, beliefs = create_audience(params, 7, 0, 10)
    part, part_beliefs = create_audience(params, 7, 4, 6)
    assert np.array_equal(whole.state_diet[4:], part.state_diet) and np.array_equal(beliefs[4:], part_beliefs)
    other, _ = create_audience(params, 8, 0, 10)
    assert not np.array_equal(whole.grievance, other.grievance)
