"""A sweep's folder on disk: Parquet chunks written as they complete, and a manifest of what is done.

The manifest holds the spec, its hash, the package version and the point ranges already written, so an
interrupted sweep resumes without recomputing anything, and a folder is never mixed with another spec.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .designs import SpecError

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass
class ChunkStore:
    """Where a sweep keeps its finished chunks: a folder (resumable) or, without one, memory."""

    folder: Path | None
    manifest: dict
    _memory: dict[str, list[pd.DataFrame]] = field(default_factory=dict)

    def done_ranges(self) -> list[tuple[int, int]]:
        """Point ranges [start, stop) already written."""
        return [(c["start"], c["stop"]) for c in self.manifest["chunks"]]

    def write(self, start: int, stop: int, frames: dict[str, pd.DataFrame]) -> None:
        """Keep one finished chunk; on disk each table goes to its own Parquet file before the manifest lists it."""
        files = {}
        for name, frame in frames.items():
            if self.folder is None:
                self._memory.setdefault(name, []).append(frame)
                continue
            relative = f"chunks/{name}-{start:07d}-{stop:07d}.parquet"
            _write_atomically(self.folder / relative, lambda tmp, frame=frame: frame.to_parquet(tmp, index=False))
            files[name] = relative
        self.manifest["chunks"].append({"start": start, "stop": stop, "files": files})
        if self.folder is not None:
            self.manifest["updated"] = _now()
            self._save_manifest()

    def read(self, name: str) -> pd.DataFrame | None:
        """All chunks of one table (e.g. 'replications'), in point order, or None if no chunk has it."""
        if self.folder is None:
            frames = self._memory.get(name, [])
        else:
            paths = [self.folder / c["files"][name] for c in self.manifest["chunks"] if name in c["files"]]
            frames = [pd.read_parquet(p) for p in paths]
        if not frames:
            return None
        frame = pd.concat(frames, ignore_index=True)
        order = ["point", "replication", "month"]
        return frame.sort_values([c for c in order if c in frame.columns], kind="stable").reset_index(drop=True)

    def save_table(self, name: str, frame: pd.DataFrame) -> Path | None:
        """Write a finished table (e.g. the design points or the statistics) beside the chunks."""
        if self.folder is None:
            return None
        path = self.folder / f"{name}.parquet"
        _write_atomically(path, lambda tmp: frame.to_parquet(tmp, index=False))
        return path

    def _save_manifest(self) -> None:
        text = json.dumps(self.manifest, indent=1)
        _write_atomically(self.folder / MANIFEST, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def open_store(folder: str | Path | None, spec: dict, digest: str, version: str) -> ChunkStore:
    """Open a sweep's folder: create it with a new manifest, or resume it if it holds this very spec and version."""
    manifest = {
        "format": FORMAT,
        "package_version": version,
        "spec_hash": digest,
        "spec": spec,
        "created": _now(),
        "updated": _now(),
        "chunks": [],
    }
    if folder is None:
        return ChunkStore(None, manifest)
    folder = Path(folder)
    path = folder / MANIFEST
    if path.is_file():
        existing = json.loads(path.read_text(encoding="utf-8"))
        _check_same_sweep(folder, existing, digest, version)
        return ChunkStore(folder, existing)
    if folder.exists() and any(folder.iterdir()):
        raise SpecError([f"out: {str(folder)!r} is not empty and holds no sweep manifest; choose a new folder"])
    (folder / "chunks").mkdir(parents=True, exist_ok=True)
    store = ChunkStore(folder, manifest)
    store._save_manifest()
    return store


def _check_same_sweep(folder: Path, existing: dict, digest: str, version: str) -> None:
    if existing.get("spec_hash") != digest:
        raise SpecError(
            [
                f"out: {str(folder)!r} holds a different sweep (spec hash {existing.get('spec_hash')}, "
                f"this spec {digest}); write to a new folder, or delete that one to start again"
            ]
        )
    if existing.get("package_version") != version:
        raise SpecError(
            [
                f"out: {str(folder)!r} holds results of simulator {existing.get('package_version')}, "
                f"this is {version}; results of two versions are not mixed: use a new folder"
            ]
        )


def _write_atomically(path: Path, write) -> None:
    """Write through a temporary file and rename it, so a crash never leaves a half-written file in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
