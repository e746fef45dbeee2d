"""Provenance: what made an output (package version, scenario hash, seed, numeric library versions)."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from .. import __version__
from .scenarios import SCHEMA_VERSION
from .schema import Scenario

# The libraries whose versions can change the numbers a run produces.
NUMERIC_LIBRARIES = ("numpy", "numba", "pandas")
# The key under which Parquet files carry the provenance record (JSON) in their schema metadata.
PARQUET_KEY = "simulator"  # the same key as the sweep files (simulator/exploration/parquet_files.py)


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


def write_parquet(frame: pd.DataFrame, path: str | Path, record: dict) -> None:
    """Write a table to Parquet with a provenance record (JSON) in the file's metadata, under PARQUET_KEY."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), PARQUET_KEY.encode(): json.dumps(record, default=str).encode()}
    pq.write_table(table.replace_schema_metadata(metadata), path)


def read_parquet_provenance(path: str | Path) -> dict:
    """The provenance record stored in a Parquet file written by write_parquet (empty if it has none)."""
    import pyarrow.parquet as pq

    stored = (pq.read_schema(path).metadata or {}).get(PARQUET_KEY.encode())
    return json.loads(stored) if stored else {}
