"""Throttles on joining and guessing codes: a browser is refused for its own attempts only; a network is
slowed, never locked, so no one can lock a room out (issue 20, item 1)."""

import pytest

from simulator.workshop.rules import WorkshopError
from simulator.workshop.throttle import CODE_LIMITS, JOIN_LIMITS, Limit, Pace, Throttle

ROOM = "unknown"  # what Streamlit reports for every phone behind a proxy: one address for a whole room


class Clock:
    """A test clock; `sleep` moves it on, as a page run that waits its turn does."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_browser_is_refused_above_its_own_limit_and_recovers_after_the_window():
    clock = Clock()
    throttle = Throttle("code", {"session": Limit(2, 60.0), "address": Pace(3, 60.0, 1.0)}, clock, clock.sleep)
    for _ in range(2):
        throttle.admit({"session": "a", "address": ROOM})
        throttle.record({"session": "a", "address": ROOM})
    with pytest.raises(WorkshopError, match=r"^code: too many attempts from this browser \(2 in 60 s .*wait 60 s"):
        throttle.admit({"session": "a", "address": ROOM})
    assert throttle.admit({"session": "b", "address": ROOM}) == 0.0  # another phone on the same network
    clock.now = 61.0
    assert throttle.admit({"session": "a", "address": ROOM}) == 0.0


def test_wrong_codes_from_many_browsers_behind_one_address_never_lock_a_newcomer_out():
    """The attack of issue 20: 31 links with a wrong code in 46 s, then one every 2 s for ten minutes.

    Every link is a fresh browser session (as an attacker's script opens them), all behind one
    address; a newcomer with the right code arrives every 7 s. None is refused, none waits a second.
    """
    clock = Clock()
    codes = Throttle("code", CODE_LIMITS, clock, clock.sleep)
    attacks = [i * 46 / 31 for i in range(31)] + [46 + 2 * i for i in range(300)]
    arrivals = [3.5 + 7 * i for i in range(90)]
    waits = []
    for when, who in sorted([(t, "attacker") for t in attacks] + [(t, "newcomer") for t in arrivals]):
        clock.now = max(clock.now, when)
        session = {"session": f"{who}-{when}", "address": ROOM}
        wait = codes.admit(session)
        if who == "attacker":
            codes.record(session)  # only wrong codes count
        else:
            waits.append(wait)
    assert len(waits) == len(arrivals) and max(waits) <= CODE_LIMITS["address"].spacing


def test_one_address_cannot_guess_faster_than_the_spacing_however_many_browsers_it_opens():
    clock = Clock()
    codes = Throttle("code", CODE_LIMITS, clock, sleep=lambda seconds: None)  # 1,000 browsers wait in parallel
    pace = CODE_LIMITS["address"]
    answered, refused = 0, 0
    for i in range(60_000):  # 100 guesses a second for ten minutes
        clock.now = i / 100
        try:
            wait = codes.admit({"session": f"s{i}", "address": ROOM})
        except WorkshopError as exc:
            assert str(exc).startswith("code: this network is sending more attempts than can be answered")
            refused += 1
            continue
        codes.record({"session": f"s{i}", "address": ROOM})
        answered += clock.now + wait <= 600
    assert answered <= pace.attempts + 600 / pace.spacing + 1
    assert refused > 0  # a flood beyond the longest wait is turned away, newest first


def test_a_room_of_150_behind_one_router_joins_within_the_longest_wait():
    clock = Clock()
    joins = Throttle("join", JOIN_LIMITS, clock, clock.sleep)
    start = clock.now
    for i in range(150):
        joins.admit({"session": f"p{i}", "address": ROOM})
        joins.record({"session": f"p{i}", "address": ROOM})
    assert clock.now - start <= JOIN_LIMITS["address"].longest_wait


def test_idle_clients_are_forgotten():
    clock = Clock()
    throttle = Throttle("code", CODE_LIMITS, clock, clock.sleep)
    for i in range(100):
        throttle.admit({"session": f"s{i}", "address": f"10.0.{i}.1"})
        throttle.record({"session": f"s{i}", "address": f"10.0.{i}.1"})
    clock.now += 3600
    throttle.admit({"session": "late", "address": "10.9.9.9"})
    assert len(throttle._seen) <= 2 and not throttle._turn
