"""Provenance: what made an output (package version, scenario hash, seed, numeric library versions)."""

from __future__ import annotations

import platform
from importlib import metadata

from .. import __version__
from .scenarios import SCHEMA_VERSION
from .schema import Scenario

# The libraries whose versions can change the numbers a run produces.
NUMERIC_LIBRARIES = ("numpy", "numba", "pandas")


def library_version(distribution: str) -> str:
    """The installed version of a distribution (read from its metadata, without importing it)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance(scenario: Scenario | None = None, seed: int | None = None) -> dict:
    """A flat, JSON-ready record of what made an output: write it beside every table, file and download.

    Keys: simulator_version, schema_version, scenario_hash and scenario_name (None without a scenario),
    seed (the scenario's own seed when not given; None without either), python, numpy, numba, pandas.
    """
    if seed is None and scenario is not None:
        seed = scenario.simulation.seed
    return {
        "simulator_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "scenario_hash": None if scenario is None else scenario.digest(),
        "scenario_name": None if scenario is None else scenario.meta.name,
        "seed": None if seed is None else int(seed),
        "python": platform.python_version(),
        **{name: library_version(name) for name in NUMERIC_LIBRARIES},
    }
