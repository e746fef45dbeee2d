"""Provenance: what made an output (package and model version, git commit, scenario hash, seed, library versions)."""

from __future__ import annotations

import functools
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from .scenarios import SCHEMA_VERSION
from .schema import Scenario
from .version import MODEL_VERSION, RANDOM_STREAMS, __version__

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


@functools.cache  # one look per process: the checkout does not change under a running simulator
def checkout_state() -> dict:
    """The git commit and a dirty flag when the package runs from a git checkout; empty when it is installed."""
    package = Path(__file__).resolve().parents[1]
    if not (package.parent / ".git").exists():  # a folder in a clone, a file in a worktree
        return {}
    try:
        commit = _git(package, "rev-parse", "HEAD")
        changes = _git(package, "status", "--porcelain", "--untracked-files=no", "--", str(package))
    except (OSError, subprocess.SubprocessError):
        return {}  # no git on this machine: the version alone has to do
    return {"git_commit": commit, "git_dirty": bool(changes)}


def _git(folder: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *arguments], capture_output=True, text=True, timeout=10, check=True
    )
    return done.stdout.strip()


def provenance(scenario: Scenario | None = None, seed: int | None = None) -> dict:
    """A flat, JSON-ready record of what made an output: write it beside every table, file and download.

    Keys: simulator_version, model_version, random_streams, schema_version, scenario_hash and scenario_name
    (None without a scenario), seed (the scenario's own seed when not given; None without either), python,
    numpy, numba, pandas, and
    git_commit and git_dirty (uncommitted changes to the package) when run from a git checkout.
    """
    if seed is None and scenario is not None:
        seed = scenario.simulation.seed
    return {
        "simulator_version": __version__,
        "model_version": MODEL_VERSION,
        "random_streams": RANDOM_STREAMS,
        "schema_version": SCHEMA_VERSION,
        "scenario_hash": None if scenario is None else scenario.digest(),
        "scenario_name": None if scenario is None else scenario.meta.name,
        "seed": None if seed is None else int(seed),
        "python": platform.python_version(),
        **{name: library_version(name) for name in NUMERIC_LIBRARIES},
        **checkout_state(),
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
