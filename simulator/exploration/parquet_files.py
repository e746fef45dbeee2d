"""Parquet files that say what made them: provenance in the schema's key-value metadata, under b"simulator"."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

METADATA_KEY = b"simulator"


def write_parquet(frame: pd.DataFrame, path: str | Path, metadata: dict) -> None:
    """Write `frame` without its index, with `metadata` (JSON-ready) in the file's schema metadata."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    existing = table.schema.metadata or {}
    table = table.replace_schema_metadata({**existing, METADATA_KEY: json.dumps(metadata, default=str).encode()})
    pq.write_table(table, path)


def read_parquet_metadata(path: str | Path) -> dict:
    """The simulator's metadata stored in a Parquet file (empty if the file carries none)."""
    stored = pq.read_schema(path).metadata or {}
    return json.loads(stored[METADATA_KEY]) if METADATA_KEY in stored else {}
