"""Shared test helpers: small, fast versions of scenarios."""

import pytest

from simulator import Scenario, simulate, with_overrides


def small(scenario: Scenario | None = None, **overrides) -> Scenario:
    """A scenario shrunk for tests (few replications and agents), with dotted-path overrides given as a__b=value."""
    base = {"simulation.replications": 64, "audience.size": 300}
    base.update({key.replace("__", "."): value for key, value in overrides.items()})
    return with_overrides(scenario or Scenario(), base)


def run_small(scenario: Scenario | None = None, seed: int = 11, **overrides):
    """Simulate a small scenario and return its Results."""
    return simulate(small(scenario, **overrides), seed=seed)


@pytest.fixture
def baseline_small():
    """The baseline scenario shrunk for tests."""
    return small()
