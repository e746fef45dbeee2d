"""Options several commands share: output formats, sweep execution, JSON output, and help examples."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    """File format of written tables."""

    parquet = "parquet"
    csv = "csv"


class RunFormat(StrEnum):
    """File format of a run's tables: Parquet or CSV tables, or one NetCDF cube."""

    parquet = "parquet"
    csv = "csv"
    netcdf = "netcdf"


class Method(StrEnum):
    """Scenario-discovery method."""

    tree = "tree"
    prim = "prim"


Scheduler = Annotated[
    str,
    typer.Option(
        help="'local' (processes here), 'dask-local' (a Dask LocalCluster) or a scheduler address tcp://host:8786."
    ),
]
Workers = Annotated[
    int | None,
    typer.Option(min=1, help="Worker processes (default: one per core for a large sweep, none for a small one)."),
]
ChunkPoints = Annotated[int | None, typer.Option(min=1, help="Design points per task (default: automatic).")]
OutFolder = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Folder for results; a sweep resumes there (default: sweeps_out/SPEC)."),
]
Formats = Annotated[Format, typer.Option("--format", "-f", help="Format of the tables written.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout instead of tables.")]
# No range here: the runner's check refuses a seed out of range in one line, as the library does.
Seed = Annotated[int | None, typer.Option(help="Root seed, 0 to 4,294,967,295 (default: the scenario's).")]


def examples(*commands: str) -> str:
    """Help epilog listing example commands, one per line."""
    return "Examples:\n\n" + "\n\n".join(f"  {c}" for c in commands)
