"""Limits on how often one device may join a workshop or try a join code, that no one can use to lock others out.

A `Throttle` counts attempts per client in a sliding window. A browser session above its own limit is
refused, saying how long to wait: that only ever stops the browser that made the attempts. A network
address is never refused for what others did at it: a whole room may share one address (a router, a
proxy, or a server that sees no address at all), so above its free allowance an address is only
slowed, one attempt at a time at a fixed spacing, in the order they came. Guessing codes from one
address then costs at least `spacing` seconds a guess, however many browsers it opens, while a
newcomer with the right code waits at most for the attempts queued before it. Only a flood that
queues more than `longest_wait` seconds of attempts at one address gets its newest ones refused
(the network's job to stop: see docs/robustness.md).
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
    """At most `attempts` in any `window` seconds; the next one is refused (for one browser)."""

    attempts: int
    window: float


@dataclass(frozen=True)
class Pace:
    """Up to `attempts` in any `window` seconds pass at once; above that, one every `spacing` seconds.

    An attempt whose turn is more than `longest_wait` seconds away is refused.
    """

    attempts: int
    window: float
    spacing: float
    longest_wait: float = 20.0


# Joining: one browser keeps one identity (see the join page), so a session needs few joins; a room of
# 60 behind one router joins at once without waiting, a room of 150 within 20 s.
JOIN_LIMITS: dict[str, Limit | Pace] = {"session": Limit(3, 600.0), "address": Pace(90, 300.0, spacing=0.2)}
# Codes: only wrong codes count. Above 30 a minute from one address, one guess a second: the 31^6
# codes would take an address about 28 years to try.
CODE_LIMITS: dict[str, Limit | Pace] = {"session": Limit(6, 60.0), "address": Pace(30, 60.0, spacing=1.0)}
# Creating workshops (the console's start form): a facilitator starts a few a day.
CREATE_LIMITS: dict[str, Limit | Pace] = {"session": Limit(5, 600.0), "address": Pace(20, 600.0, spacing=5.0)}


class Throttle:
    """Sliding-window counts of attempts per client; thread-safe, one per server process."""

    def __init__(
        self,
        field: str,
        limits: dict[str, Limit | Pace],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.field = field
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._turn: dict[tuple[str, str], float] = {}
        self._swept_at = clock()
        self._lock = threading.Lock()

    def admit(self, clients: dict[str, str]) -> float:
        """Let one attempt by these clients (kind -> id) proceed, after its turn; returns the seconds waited.

        Raises a WorkshopError for a browser at its own limit, or when this attempt's turn is too far away.
        """
        now = self._clock()
        wait = 0.0
        with self._lock:
            self._forget_idle(now)
            turns = {}
            for kind, client in clients.items():
                limit, key = self._limits[kind], (kind, client)
                seen = self._recent(key, now, limit.window)
                if len(seen) < limit.attempts:
                    continue
                if isinstance(limit, Limit):
                    raise WorkshopError(
                        f"{self.field}: too many attempts from this browser ({limit.attempts} in "
                        f"{limit.window:.0f} s are allowed); wait {math.ceil(seen[0] + limit.window - now)} s "
                        "and try again"
                    )
                turn = max(now, self._turn.get(key, now))
                if turn - now > limit.longest_wait:
                    raise WorkshopError(
                        f"{self.field}: this network is sending more attempts than can be answered (one every "
                        f"{limit.spacing:g} s, at most {limit.longest_wait:.0f} s of waiting); try again in a minute"
                    )
                turns[key] = turn + limit.spacing
                wait = max(wait, turn - now)
            self._turn.update(turns)
        if wait > 0:
            self._sleep(wait)
        return wait

    def record(self, clients: dict[str, str]) -> None:
        """Count one attempt for each client."""
        now = self._clock()
        with self._lock:
            self._forget_idle(now)
            for kind, client in clients.items():
                self._recent((kind, client), now, self._limits[kind].window).append(now)

    def _recent(self, key: tuple[str, str], now: float, window: float) -> deque[float]:
        seen = self._seen[key]
        while seen and seen[0] <= now - window:
            seen.popleft()
        if not seen:
            # Forget idle clients, so the tables stay as small as the set of recent visitors.
            del self._seen[key]
            if self._turn.get(key, now) <= now:
                self._turn.pop(key, None)
            seen = self._seen[key]
        return seen

    def _forget_idle(self, now: float) -> None:
        # Once a window, drop every client with nothing recent, so many addresses cannot grow the tables.
        if now - self._swept_at < min(limit.window for limit in self._limits.values()):
            return
        self._swept_at = now
        for key in list(self._seen):
            window = self._limits[key[0]].window
            if not self._seen[key] or self._seen[key][-1] <= now - window:
                del self._seen[key]
        for key in [key for key, turn in self._turn.items() if turn <= now]:
            del self._turn[key]
