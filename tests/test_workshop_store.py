"""The SQLite workshop store: rules enforced in transactions, isolation, exact counts under concurrency, restarts."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading

import pytest

from simulator.core.runner import results_from_state
from simulator.workshop.rules import WorkshopError, make_spec, replay
from simulator.workshop.store import DB_ENV_VAR, WorkshopStore, default_db_path

VOTERS = 72
ACTIONS = ("engage", "hold", "tighten")


@pytest.fixture
def store(tmp_path):
    return WorkshopStore(tmp_path / "workshops.sqlite3")


@pytest.fixture
def room(store):
    """A three-month workshop with its credentials."""
    return store.create(make_spec("baseline_2024", rounds=3, replications=8, seed=5, title="Seminar"))


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "x.sqlite3"))
    assert default_db_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv(DB_ENV_VAR)
    assert default_db_path().name == "workshops.sqlite3"


def test_new_workshop_is_ready_with_no_participants(store, room):
    workshop = store.workshop(room.code.lower())
    assert workshop.code == room.code
    assert workshop.spec.title == "Seminar" and workshop.spec.rounds == 3
    assert workshop.progress.phase == "ready" and workshop.participants == 0 and workshop.decisions == ()


def test_the_key_is_not_stored_in_clear(store, room):
    with sqlite3.connect(store.path) as db:
        dump = "\n".join(db.iterdump())
    assert room.key not in dump


def test_unknown_code_is_named(store):
    with pytest.raises(WorkshopError, match="no workshop has the code K7PQ2M"):
        store.workshop("K7PQ2M")
    with pytest.raises(WorkshopError, match="^code: .* is not a join code"):
        store.workshop("'; DROP TABLE workshops; --")


def test_facilitator_controls_need_the_key(store, room):
    other = store.create(make_spec("baseline_2024", rounds=2, replications=4))
    for wrong in ("x" * 24, other.key):
        with pytest.raises(WorkshopError, match="^key: this link does not carry the facilitator key"):
            store.open_vote(room.code, wrong)
    with pytest.raises(WorkshopError, match="^key: the link's key is malformed"):
        store.decide(room.code, "short", "hold")
    assert store.workshop(room.code).progress.phase == "ready"


def test_participants_join_and_keep_their_identity(store, room):
    anna = store.join(room.code, "Anna  O'Neil", "Blue team")
    assert anna.name == "Anna O'Neil" and anna.team == "Blue team"
    assert store.participant(room.code, anna.token) == anna
    assert store.workshop(room.code).participants == 1
    assert [p.name for p in store.roster(room.code, room.key)] == ["Anna O'Neil"]


def test_bad_names_are_refused_and_nothing_is_stored(store, room):
    with pytest.raises(WorkshopError, match="^name: '<img src=x>' is not allowed"):
        store.join(room.code, "<img src=x>")
    assert store.workshop(room.code).participants == 0


def test_workshops_are_isolated(store, room):
    other = store.create(make_spec("baseline_2024", rounds=2, replications=4))
    anna = store.join(room.code, "Anna")
    with pytest.raises(WorkshopError, match="^pid: this link's participant id is not part of workshop"):
        store.participant(other.code, anna.token)
    store.open_vote(other.code, other.key)
    with pytest.raises(WorkshopError, match="^pid:"):
        store.vote(other.code, anna.token, 1, "hold")
    assert store.tally(other.code, 1).total == 0
    assert store.workshop(room.code).progress.phase == "ready"


def test_a_round_of_votes(store, room):
    voters = [store.join(room.code) for _ in range(5)]
    with pytest.raises(WorkshopError, match="voting for month 1 is closed; your vote was not counted"):
        store.vote(room.code, voters[0].token, 1, "hold")
    assert store.open_vote(room.code, room.key) == 1
    for voter, action in zip(voters, ["tighten", "tighten", "hold", "engage", "tighten"], strict=True):
        assert store.vote(room.code, voter.token, 1, action).previous is None
    assert store.tally(room.code, 1).counts() == {"engage": 1, "hold": 1, "tighten": 3}
    decision = store.close_vote(room.code, room.key)
    assert decision.action == "tighten" and decision.decided_by == "room" and decision.tally.total == 5
    workshop = store.workshop(room.code)
    assert workshop.actions == ("tighten",) and workshop.progress.phase == "ready"
    with pytest.raises(WorkshopError, match="voting for month 1 is closed"):
        store.vote(room.code, voters[0].token, 1, "engage")


def test_repeated_votes_count_once_and_the_last_one_counts(store, room):
    anna = store.join(room.code, "Anna")
    store.open_vote(room.code, room.key)
    store.vote(room.code, anna.token, 1, "engage")
    ballot = store.vote(room.code, anna.token, 1, "hold")
    assert ballot.previous == "engage" and "changed from engage to hold" in ballot.message
    again = store.vote(room.code, anna.token, 1, "hold")
    assert "counted once" in again.message
    assert store.tally(room.code, 1).counts() == {"engage": 0, "hold": 1, "tighten": 0}
    assert store.my_vote(room.code, anna.token, 1) == "hold"


def test_a_stale_ballot_for_another_month_is_refused(store, room):
    anna = store.join(room.code)
    store.decide(room.code, room.key, "hold")
    store.open_vote(room.code, room.key)
    with pytest.raises(WorkshopError, match="this ballot is for month 1 but the room is voting on month 2"):
        store.vote(room.code, anna.token, 1, "engage")
    with pytest.raises(WorkshopError, match="^action: 'surrender' is not one of"):
        store.vote(room.code, anna.token, 2, "surrender")


def test_ties_mean_hold_and_an_empty_vote_cannot_close(store, room):
    a, b = store.join(room.code), store.join(room.code)
    store.open_vote(room.code, room.key)
    with pytest.raises(WorkshopError, match="nobody has voted for month 1 yet"):
        store.close_vote(room.code, room.key)
    store.vote(room.code, a.token, 1, "engage")
    store.vote(room.code, b.token, 1, "tighten")
    assert store.close_vote(room.code, room.key).action == "hold"


def test_deciding_alone_and_the_end_of_the_game(store, room):
    for action in ("engage", "hold", "tighten"):
        decision = store.decide(room.code, room.key, action)
        assert decision.decided_by == "facilitator"
    assert store.workshop(room.code).progress.phase == "finished"
    with pytest.raises(WorkshopError, match="all 3 months are played"):
        store.open_vote(room.code, room.key)


def test_undo_cancels_an_open_vote_then_takes_back_months(store, room):
    anna = store.join(room.code)
    store.decide(room.code, room.key, "engage")
    store.open_vote(room.code, room.key)
    store.vote(room.code, anna.token, 2, "tighten")
    assert "vote on month 2 was cancelled" in store.undo(room.code, room.key)
    assert store.workshop(room.code).actions == ("engage",)
    assert "Month 1 was taken back" in store.undo(room.code, room.key)
    assert store.workshop(room.code).actions == ()
    with pytest.raises(WorkshopError, match="no month has been decided yet"):
        store.undo(room.code, room.key)


def test_a_month_decided_again_after_undo_starts_with_fresh_votes(store, room):
    anna, ben = store.join(room.code), store.join(room.code)
    store.open_vote(room.code, room.key)
    store.vote(room.code, anna.token, 1, "engage")
    store.vote(room.code, ben.token, 1, "engage")
    store.close_vote(room.code, room.key)
    store.undo(room.code, room.key)
    store.open_vote(room.code, room.key)
    assert store.tally(room.code, 1).total == 0
    store.vote(room.code, anna.token, 1, "tighten")
    assert store.close_vote(room.code, room.key).tally.counts() == {"engage": 0, "hold": 0, "tighten": 1}


def test_pause_freezes_votes_and_controls_until_resumed(store, room):
    anna = store.join(room.code)
    store.open_vote(room.code, room.key)
    store.set_paused(room.code, room.key, True)
    assert store.workshop(room.code).progress.phase == "paused"
    with pytest.raises(WorkshopError, match="paused; your vote for month 1 was not counted"):
        store.vote(room.code, anna.token, 1, "hold")
    with pytest.raises(WorkshopError, match="resume it first"):
        store.close_vote(room.code, room.key)
    store.set_paused(room.code, room.key, False)
    assert store.workshop(room.code).progress.phase == "voting"
    store.vote(room.code, anna.token, 1, "hold")
    assert store.close_vote(room.code, room.key).action == "hold"


def _vote_twice(store: WorkshopStore, code: str, token: str, index: int, barrier) -> None:
    """One participant: a first vote, then a change of mind; both at the same moment as everyone else."""
    barrier.wait()
    store.vote(code, token, 1, ACTIONS[(index + 1) % 3])
    store.vote(code, token, 1, ACTIONS[index % 3])


def _expected(voters: int) -> dict[str, int]:
    return {a: sum(1 for i in range(voters) if i % 3 == k) for k, a in enumerate(ACTIONS)}


def test_many_concurrent_voters_are_counted_exactly(store, room):
    """72 participants in 72 threads, each with its own connection, vote and change their vote at once."""
    tokens = [store.join(room.code, f"Voter {i}").token for i in range(VOTERS)]
    store.open_vote(room.code, room.key)
    barrier = threading.Barrier(VOTERS)
    errors = []

    def run(i: int) -> None:
        try:
            _vote_twice(store, room.code, tokens[i], i, barrier)
        except Exception as exc:  # collected so that a failure names its cause
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(VOTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.tally(room.code, 1).counts() == _expected(VOTERS)
    with sqlite3.connect(store.path) as db:
        rows, changes = db.execute("SELECT COUNT(*), SUM(changes) FROM votes").fetchone()
    assert rows == VOTERS and changes == VOTERS
    assert store.close_vote(room.code, room.key).tally.total == VOTERS


def _process_voters(path: str, code: str, tokens: list[str], first: int, barrier) -> None:
    store = WorkshopStore(path)
    for offset, token in enumerate(tokens):
        _vote_twice(store, code, token, first + offset, barrier)


def test_voters_in_separate_processes_are_counted_exactly(store, room):
    """Four server processes sharing one database file, 16 voters each."""
    processes, per_process = 4, 16
    tokens = [store.join(room.code).token for _ in range(processes * per_process)]
    store.open_vote(room.code, room.key)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    workers = [
        context.Process(
            target=_process_voters,
            args=(
                str(store.path),
                room.code,
                tokens[k * per_process : (k + 1) * per_process],
                k * per_process,
                _OncePerProcess(barrier),
            ),
        )
        for k in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * processes
    assert store.tally(room.code, 1).counts() == _expected(processes * per_process)


class _OncePerProcess:
    """A barrier that each process waits at only before its first vote."""

    def __init__(self, barrier):
        self.barrier, self.passed = barrier, False

    def wait(self) -> None:
        if not self.passed:
            self.passed = True
            self.barrier.wait()


def test_a_restart_loses_nothing(tmp_path):
    """Close every connection, open the file again: workshop, votes, decisions and the replayed state are intact."""
    path = tmp_path / "restart.sqlite3"
    before = WorkshopStore(path)
    room = before.create(make_spec("baseline_2024", rounds=4, replications=8, seed=9))
    anna, ben = before.join(room.code, "Anna"), before.join(room.code, "Ben")
    before.open_vote(room.code, room.key)
    before.vote(room.code, anna.token, 1, "engage")
    before.vote(room.code, ben.token, 1, "engage")
    before.close_vote(room.code, room.key)
    before.decide(room.code, room.key, "tighten")
    before.open_vote(room.code, room.key)
    before.vote(room.code, anna.token, 3, "hold")
    before.set_paused(room.code, room.key, True)
    snapshot = before.workshop(room.code)
    results_before = results_from_state(replay(snapshot.spec.scenario, snapshot.actions)).monthly
    del before

    after = WorkshopStore(path)
    workshop = after.workshop(room.code)
    assert workshop == snapshot
    assert workshop.actions == ("engage", "tighten")
    assert workshop.progress.phase == "paused" and workshop.progress.voting_month == 3
    assert after.participant(room.code, anna.token).name == "Anna"
    assert after.my_vote(room.code, anna.token, 3) == "hold"
    after.check_key(room.code, room.key)
    assert results_from_state(replay(workshop.spec.scenario, workshop.actions)).monthly.equals(results_before)
    after.set_paused(room.code, room.key, False)
    assert after.close_vote(room.code, room.key).action == "hold"
