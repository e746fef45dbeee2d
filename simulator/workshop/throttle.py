"""Limits on how often one device may join a workshop or try a join code.

A `Throttle` counts attempts per client (a browser session or a network address) in a sliding
window and refuses the next one above its limit, saying how long to wait. Limits per address are
generous, because a whole room may share one address behind a router; limits per session are tight.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from .rules import WorkshopError


@dataclass(frozen=True)
class Limit:
    """At most `attempts` in any `window` seconds."""

    attempts: int
    window: float


# Joining: one browser keeps one identity (see the join page), so a session needs few joins; a room of
# 60 behind one router needs many per address. Codes: only wrong codes count.
JOIN_LIMITS = {"session": Limit(3, 600.0), "address": Limit(90, 300.0)}
CODE_LIMITS = {"session": Limit(6, 60.0), "address": Limit(30, 60.0)}


class Throttle:
    """Sliding-window counts of attempts per client; thread-safe, one per server process."""

    def __init__(self, field: str, limits: dict[str, Limit], clock: Callable[[], float] = time.monotonic):
        self.field = field
        self._limits = limits
        self._clock = clock
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, clients: dict[str, str]) -> None:
        """Refuse with a WorkshopError if any of the clients (kind -> id) is at its limit now."""
        now = self._clock()
        with self._lock:
            for kind, client in clients.items():
                limit = self._limits[kind]
                seen = self._recent((kind, client), now, limit)
                if len(seen) >= limit.attempts:
                    wait = math.ceil(seen[0] + limit.window - now)
                    raise WorkshopError(
                        f"{self.field}: too many attempts from this {'browser' if kind == 'session' else 'network'}"
                        f" ({limit.attempts} in {limit.window:.0f} s are allowed); wait {wait} s and try again"
                    )

    def record(self, clients: dict[str, str]) -> None:
        """Count one attempt for each client."""
        now = self._clock()
        with self._lock:
            for kind, client in clients.items():
                self._recent((kind, client), now, self._limits[kind]).append(now)

    def _recent(self, key: tuple[str, str], now: float, limit: Limit) -> deque[float]:
        seen = self._seen[key]
        while seen and seen[0] <= now - limit.window:
            seen.popleft()
        if not seen:
            # Forget idle clients, so the table stays as small as the set of recent visitors.
            del self._seen[key]
            seen = self._seen[key]
        return seen
