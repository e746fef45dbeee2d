"""A sweep's folder on disk: Parquet chunks written as they complete, and a manifest of what is done.

One folder per table, each a plain Parquet dataset of one schema (`replications/part-<first>-<end>.parquet`,
`monthly/...` when asked), so pyarrow.dataset, DuckDB and polars read a table by pointing at its folder.

The manifest holds the spec, its hash, the package version and, for every chunk written, the point range
it covers, its files and each file's SHA-256 and row count. An interrupted sweep resumes without
recomputing anything, and a folder is never mixed with another spec. On resume every chunk is checked
against the manifest: a chunk whose file is missing, changed (edited, truncated, bit-flipped, or copied
over from another range) or not listed is recomputed, and the sweep says which; a manifest that cannot
be read is refused with a message, never guessed at. Each chunk file also carries its own table, range and
the spec hash in its Parquet metadata, checked too: a chunk swapped in with its checksum edited to match is
caught by them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ..core.provenance import read_parquet_provenance, write_parquet
from .designs import SpecError

MANIFEST = "manifest.json"
FORMAT = 3  # 3: one folder per table; 2 kept every table's chunks in one folder
MAX_MANIFEST_DIGITS = 20  # point counts, row counts and the format are far shorter
_CHUNK_KEYS = {"start": int, "stop": int, "files": dict, "sha256": dict, "rows": dict}
TABLES = ("replications", "monthly")  # the chunked tables, each in a folder of its own


@dataclass
class ChunkStore:
    """Where a sweep keeps its finished chunks: a folder (resumable) or, without one, memory."""

    folder: Path | None
    manifest: dict
    provenance: dict = field(default_factory=dict)
    repairs: list[str] = field(default_factory=list)
    _memory: dict[str, list[pd.DataFrame]] = field(default_factory=dict)

    def done_ranges(self) -> list[tuple[int, int]]:
        """Point ranges [start, stop) already written."""
        return [(c["start"], c["stop"]) for c in self.manifest["chunks"]]

    def write(self, start: int, stop: int, frames: dict[str, pd.DataFrame]) -> None:
        """Keep one finished chunk; on disk each table goes to its own Parquet file before the manifest lists it."""
        if self.folder is None:
            for name, frame in frames.items():
                self._memory.setdefault(name, []).append(frame)
            self.manifest["chunks"].append({"start": start, "stop": stop})
            return
        files: dict[str, str] = {}
        sha256: dict[str, str] = {}
        rows: dict[str, int] = {}
        for name, frame in frames.items():
            relative = f"{name}/part-{start:07d}-{stop:07d}.parquet"
            about = {**self.provenance, "table": name, "points": [start, stop], "spec_hash": self.manifest["spec_hash"]}
            digest = _write_atomically(self.folder / relative, lambda tmp, f=frame, a=about: write_parquet(f, tmp, a))
            files[name], sha256[name], rows[name] = relative, digest, len(frame)
        self.manifest["chunks"].append({"start": start, "stop": stop, "files": files, "sha256": sha256, "rows": rows})
        self.manifest["updated"] = _now()
        self._save_manifest()

    def read(self, name: str) -> pd.DataFrame | None:
        """All chunks of one table (e.g. 'replications'), in point order, or None if no chunk has it."""
        if self.folder is None:
            frames = self._memory.get(name, [])
        else:
            frames = [self._read_chunk(c, name) for c in self.manifest["chunks"] if name in c["files"]]
        if not frames:
            return None
        frame = pd.concat(frames, ignore_index=True)
        order = ["point", "replication", "month"]
        return frame.sort_values([c for c in order if c in frame.columns], kind="stable").reset_index(drop=True)

    def _read_chunk(self, chunk: dict, name: str) -> pd.DataFrame:
        """One chunk's table, checked once more against its checksum (it may have changed since the sweep began)."""
        assert self.folder is not None, "chunks in memory are not read from files"
        problem = _chunk_problem(self.folder, chunk, self.manifest["spec_hash"])
        if problem:
            raise SpecError([f"out: {problem} while the sweep was reading it; rerun the same command to recompute it"])
        return pd.read_parquet(self.folder / chunk["files"][name])

    def save_table(self, name: str, frame: pd.DataFrame) -> Path | None:
        """Write a finished table (e.g. the design points or the statistics) beside the chunks, with provenance."""
        if self.folder is None:
            return None
        path = self.folder / f"{name}.parquet"
        about = {**self.provenance, "table": name, "spec_hash": self.manifest["spec_hash"]}
        _write_atomically(path, lambda tmp: write_parquet(frame, tmp, about))
        return path

    def _save_manifest(self) -> None:
        assert self.folder is not None, "a sweep in memory has no manifest file"
        text = json.dumps(self.manifest, indent=1)
        _write_atomically(self.folder / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def open_store(
    folder: str | Path | None, spec: dict, digest: str, version: str, points: int, provenance: dict | None = None
) -> ChunkStore:
    """Open a sweep's folder: create it with a new manifest, or resume it if it holds this very spec and version.

    On resume, chunks that fail their checks are dropped from the manifest (and so recomputed); `repairs`
    says which and why.
    """
    manifest = {
        "format": FORMAT,
        "package_version": version,
        "spec_hash": digest,
        "spec": spec,
        "points": points,
        "provenance": provenance or {},
        "created": _now(),
        "updated": _now(),
        "chunks": [],
    }
    if folder is None:
        return ChunkStore(None, manifest, provenance or {})
    folder = Path(folder)
    path = folder / MANIFEST
    if path.is_file():
        existing = _read_manifest(path)
        _check_same_sweep(folder, existing, digest, version)
        store = ChunkStore(folder, existing, provenance or {})
        _verify_chunks(store, points)
        return store
    if folder.exists() and not folder.is_dir():
        raise SpecError([f"out: {str(folder)!r} is a file, not a folder; choose a folder for the sweep"])
    if folder.exists() and any(folder.iterdir()):
        raise SpecError([f"out: {str(folder)!r} is not empty and holds no sweep manifest; choose a new folder"])
    folder.mkdir(parents=True, exist_ok=True)
    store = ChunkStore(folder, manifest, provenance or {})
    store._save_manifest()
    return store


def _read_manifest(path: Path) -> dict:
    """The manifest as written by a sweep, or SpecError saying why it cannot be trusted."""
    refuse = f"out: {str(path)!r} is damaged ({{}}); delete its folder (or choose a new one) to start the sweep again"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"), parse_int=_manifest_int)
    except _HugeNumber as exc:
        raise SpecError([refuse.format(str(exc))]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpecError([refuse.format(f"not valid JSON: {str(exc)[:80]}")]) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("chunks"), list):
        raise SpecError([refuse.format("no list of chunks")])
    if manifest.get("format") != FORMAT:
        raise SpecError(
            [
                f"out: {str(path)!r} has manifest format {str(manifest.get('format'))[:20]}, this version writes "
                f"{FORMAT}; use a new folder"
            ]
        )
    for i, chunk in enumerate(manifest["chunks"]):
        if not isinstance(chunk, dict) or any(not isinstance(chunk.get(k), t) for k, t in _CHUNK_KEYS.items()):
            raise SpecError([refuse.format(f"chunk entry {i} lacks {', '.join(_CHUNK_KEYS)}")])
    return manifest


class _HugeNumber(ValueError):
    """A manifest number longer than any count or format a sweep writes."""


def _manifest_int(text: str) -> int:
    """An integer of the manifest; one of thousands of digits is refused before Python's own digit limit trips."""
    digits = len(text.lstrip("-"))
    if digits > MAX_MANIFEST_DIGITS:
        raise _HugeNumber(f"a number of {digits:,} digits, above the {MAX_MANIFEST_DIGITS} a sweep writes")
    return int(text)


def _verify_chunks(store: ChunkStore, points: int) -> None:
    """Keep the chunks whose files match the manifest and whose ranges do not overlap; note the rest."""
    assert store.folder is not None, "only a sweep's folder is verified"
    kept, covered = [], set[int]()
    for chunk in store.manifest["chunks"]:
        start, stop = chunk["start"], chunk["stop"]
        problem = _chunk_problem(store.folder, chunk, store.manifest["spec_hash"])
        if not problem and not (0 <= start < stop <= points):
            problem = f"chunk {start}-{stop} lies outside the design's {points} points"
        if not problem and covered & set(range(start, stop)):
            problem = f"chunk {start}-{stop} overlaps another chunk"
        if problem:
            store.repairs.append(f"{problem}: its points will be recomputed")
            continue
        covered.update(range(start, stop))
        kept.append(chunk)
    if store.repairs:
        store.manifest["chunks"] = kept
        store._save_manifest()


def _chunk_problem(folder: Path, chunk: dict, spec_hash: str) -> str | None:
    """Why a chunk's files cannot be used as they are, or None if each matches its checksum."""
    label = f"chunk {chunk['start']}-{chunk['stop']}"
    if not chunk["files"]:
        return f"{label} lists no files"
    for name, relative in chunk["files"].items():
        path = (folder / str(relative)).resolve()
        if folder.resolve() not in path.parents:
            return f"{label} names a file outside the sweep folder ({str(relative)[:80]!r})"
        if not path.is_file():
            return f"{label}: {relative} is missing"
        if _sha256(path) != chunk["sha256"].get(name):
            return f"{label}: {relative} does not match its checksum (changed, truncated or copied over)"
        claimed = _own_metadata(path)
        expected = {"table": name, "points": [chunk["start"], chunk["stop"]], "spec_hash": spec_hash}
        if {key: claimed.get(key) for key in expected} != expected:
            return f"{label}: {relative} says it holds other points or another sweep (its own Parquet metadata)"
    return None


def _own_metadata(path: Path) -> dict:
    """The provenance a chunk file carries in its Parquet footer; empty if it has none or cannot be read."""
    try:
        record = read_parquet_provenance(path)
    except (OSError, ValueError):  # pyarrow's ArrowInvalid is a ValueError
        return {}
    return record if isinstance(record, dict) else {}


def _check_same_sweep(folder: Path, existing: dict, digest: str, version: str) -> None:
    if existing.get("spec_hash") != digest:
        raise SpecError(
            [
                f"out: {str(folder)!r} holds a different sweep (spec hash {str(existing.get('spec_hash'))[:20]}, "
                f"this spec {digest}); write to a new folder, or delete that one to start again"
            ]
        )
    if existing.get("package_version") != version:
        raise SpecError(
            [
                f"out: {str(folder)!r} holds results of simulator {str(existing.get('package_version'))[:20]}, "
                f"this is {version}; results of two versions are not mixed: use a new folder"
            ]
        )


def _write_atomically(path: Path, write) -> str:
    """Write through a temporary file and rename it, so a crash never leaves a half-written file; its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    digest = _sha256(tmp)
    os.replace(tmp, path)
    return digest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
