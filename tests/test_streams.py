"""Count draws by inverse CDF: exact where it matters, monotone, never outside [0, n]."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator.core.streams import binomial, poisson


def test_binomial_matches_scipy_for_small_means():
    rng = np.random.default_rng(0)
    u, n, p = rng.random(2000), rng.integers(0, 300, 2000), rng.random(2000) * 0.1
    assert (binomial(u, n, p) == stats.binom.ppf(u, n, p)).all()


def test_binomial_with_large_probability_matches_scipy():
    rng = np.random.default_rng(1)
    u, n, p = rng.random(2000), rng.integers(0, 60, 2000), 0.6 + rng.random(2000) * 0.4
    assert np.abs(binomial(u, n, p) - stats.binom.ppf(u, n, p)).max() <= 1


def test_binomial_normal_regime_is_close_to_exact():
    rng = np.random.default_rng(2)
    u, n, p = rng.uniform(0.001, 0.999, 2000), rng.integers(1000, 20000, 2000), rng.uniform(0.05, 0.5, 2000)
    exact = stats.binom.ppf(u, n, p)
    assert np.abs(binomial(u, n, p) - exact).max() <= 0.02 * exact.max()
    assert np.abs(binomial(u, n, p) - exact).mean() < 2


def test_poisson_matches_scipy():
    rng = np.random.default_rng(3)
    u, mean = rng.random(2000), rng.random(2000) * 39
    assert (poisson(u, mean) == stats.poisson.ppf(u, mean)).all()
    big = rng.uniform(41, 500, 2000)
    assert np.abs(poisson(u, big) - stats.poisson.ppf(u, big)).max() <= 3


@settings(max_examples=200, deadline=None)
@given(u=st.floats(0, 1), n=st.integers(0, 50_000), p=st.floats(0, 1), q=st.floats(0, 1))
def test_binomial_is_bounded_and_monotone_in_probability(u, n, p, q):
    low, high = sorted((p, q))
    a, b = (
        binomial(np.array([u]), np.array([n]), np.array([low]))[0],
        binomial(np.array([u]), np.array([n]), np.array([high]))[0],
    )
    assert 0 <= a <= n and 0 <= b <= n
    assert a <= b + 1  # exact below the switch to the normal approximation; off by one at most across it


def test_parameter_uniforms_depend_only_on_seed_and_replication():
    from simulator.core.streams import parameter_uniforms

    whole = parameter_uniforms(2024, 0, 1000)
    assert np.array_equal(whole[400:], parameter_uniforms(2024, 400, 600))
    assert not np.array_equal(whole, parameter_uniforms(2025, 0, 1000))
    assert 0 <= whole.min() and whole.max() < 1
    counts, _ = np.histogram(whole, bins=5, range=(0, 1))
    assert counts.min() > 150


def test_monthly_uniforms_depend_only_on_seed_and_replication_and_fill_the_unit_interval():
    from simulator.core.streams import monthly_uniforms

    whole = monthly_uniforms(2024, 0, 200, 12)
    assert np.array_equal(whole[50:], monthly_uniforms(2024, 50, 150, 12))
    assert np.array_equal(whole[:, :6], monthly_uniforms(2024, 0, 200, 6))  # a longer horizon adds months
    assert 0 < whole.min() and whole.max() < 1
    flat = whole.reshape(-1)
    assert abs(flat.mean() - 0.5) < 0.005 and abs(np.corrcoef(flat[:-1], flat[1:])[0, 1]) < 0.01
    counts, _ = np.histogram(flat, bins=20, range=(0, 1))
    assert stats.chisquare(counts).pvalue > 1e-4


def test_normal_quantile_of_the_agent_draws_is_exact_and_monotone():
    from simulator.core.kernels import _normal_centre, _normal_tails

    u = np.concatenate(
        [np.geomspace(1e-15, 0.05, 5000), np.linspace(0.05, 0.95, 5000), 1 - np.geomspace(0.05, 1e-15, 5000)]
    )
    normals = np.empty_like(u)
    _normal_centre(u, normals)
    _normal_tails(u, normals)
    assert np.abs(normals - stats.norm.ppf(u)).max() < 1e-8
    assert (np.diff(normals) >= 0).all()
