"""What the CLI prints and writes: tables for a terminal, JSON documents, and table files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from .options import Format


def write(frame: pd.DataFrame, folder: Path, name: str, fmt: Format) -> Path:
    """Write one table as Parquet or CSV into `folder`; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{fmt.value}"
    if fmt is Format.parquet:
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def number(value: float) -> str:
    """Counts as whole numbers with thousands separators, small quantities with three significant digits."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def print_frame(frame: pd.DataFrame, title: str) -> None:
    """A table on the terminal, numbers right-aligned."""
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(str(column), justify="right" if pd.api.types.is_numeric_dtype(frame[column]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*[number(v) if isinstance(v, float) else str(v) for v in row])
    Console(highlight=False).print(table)


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (missing values as null)."""
    return json.loads(frame.to_json(orient="records", double_precision=15))


def print_json(document: dict) -> None:
    """One JSON document on stdout."""
    typer.echo(json.dumps(document, indent=1, default=str))
