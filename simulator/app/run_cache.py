"""The app's cache of finished runs, bounded by the bytes it holds rather than by a count of runs.

One run at the app's limits holds about 320 MiB, so a cache of 32 entries could grow past the
server's memory from three links that differ only in their seed. Runs are kept pickled (each caller
gets its own copy, as Streamlit's data cache gives); the least recently used go first once the total
passes the budget, and a run larger than the whole budget is returned without being kept.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

BUDGET_ENV_VAR = "SIMULATOR_RUN_CACHE_MIB"
DEFAULT_BUDGET_MIB = 512


def budget_bytes() -> int:
    """The cache's budget: $SIMULATOR_RUN_CACHE_MIB mebibytes, else 512 MiB (a few default runs need about 5 each)."""
    text = os.environ.get(BUDGET_ENV_VAR, "").strip()
    if not text:
        return DEFAULT_BUDGET_MIB * 2**20
    try:
        mib = int(text)
    except ValueError:
        mib = -1
    if mib < 0:
        raise ValueError(f"{BUDGET_ENV_VAR}: {text!r} is not allowed; give a whole number of mebibytes, 0 or more")
    return mib * 2**20


class RunCache:
    """Pickled values by key, least recently used dropped first, at most `max_bytes` in all; thread-safe."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[str, threading.Lock] = {}

    @property
    def bytes_held(self) -> int:
        """The pickled size of every value kept."""
        return self._bytes

    def keys(self) -> list[str]:
        """The keys kept, least recently used first."""
        with self._lock:
            return list(self._entries)

    def get(self, key: str, compute: Callable[[], Any], on_miss: Callable[[], Any] | None = None) -> Any:
        """A copy of the value for `key`, computing it once (other callers for the same key wait for it)."""
        found = self._lookup(key)
        if found is not None:
            return pickle.loads(found)
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            found = self._lookup(key)
            if found is not None:
                return pickle.loads(found)
            try:
                if on_miss is None:
                    value = compute()
                else:
                    with on_miss():
                        value = compute()
                self._keep(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _lookup(self, key: str) -> bytes | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def _keep(self, key: str, blob: bytes) -> None:
        if len(blob) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            while self._entries and self._bytes + len(blob) > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped)
            self._entries[key] = blob
            self._bytes += len(blob)
