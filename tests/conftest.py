"""Shared test helpers (small, fast versions of scenarios) and a session that writes nothing into the checkout."""

import os
import shutil
import tempfile

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from simulator import Scenario, simulate, with_overrides

# Files the library or the app would write into the working folder by default, redirected for the whole session
# (and inherited by worker processes the tests start), so the suite leaves the checkout as it found it.
OUTPUT_ENV = {"SIMULATOR_WORKSHOP_DB": "workshops.sqlite3", "HYPOTHESIS_STORAGE_DIRECTORY": "hypothesis"}


def pytest_configure(config):
    """Point every default output path at a temporary folder before any test (or worker process) starts."""
    folder = tempfile.mkdtemp(prefix="simulator-tests-")
    config.simulator_output_folder = folder
    for variable, name in OUTPUT_ENV.items():
        os.environ[variable] = os.path.join(folder, name)
    # Hypothesis may already have settled on ./.hypothesis while its plugin loaded; point it at the folder too.
    set_hypothesis_home_dir(os.environ["HYPOTHESIS_STORAGE_DIRECTORY"])


def pytest_unconfigure(config):
    """Remove the session's temporary output folder."""
    folder = getattr(config, "simulator_output_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


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
