"""The SQLite workshop store: rules enforced in transactions, isolation, exact counts under concurrency, restarts."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading

import pytest

from simulator.core.runner import results_from_state
from simulator.workshop.database import SCHEMA
from simulator.workshop.rules import WorkshopError, make_spec, replay
from simulator.workshop.store import DB_ENV_VAR, DatabaseProblem, WorkshopStore, default_db_path

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
            store.open_vote(room.code, wrong, 1)
    with pytest.raises(WorkshopError, match="^key: the link's key is malformed"):
        store.decide(room.code, "short", 1, "hold")
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
    store.open_vote(other.code, other.key, 1)
    with pytest.raises(WorkshopError, match="^pid:"):
        store.vote(other.code, anna.token, 1, "hold")
    assert store.tally(other.code, 1).total == 0
    assert store.workshop(room.code).progress.phase == "ready"


def test_a_round_of_votes(store, room):
    voters = [store.join(room.code) for _ in range(5)]
    with pytest.raises(WorkshopError, match="the vote on month 1 closed before your tap; your vote was not counted"):
        store.vote(room.code, voters[0].token, 1, "hold")
    assert store.open_vote(room.code, room.key, 1) == 1
    for voter, action in zip(voters, ["tighten", "tighten", "hold", "engage", "tighten"], strict=True):
        assert store.vote(room.code, voter.token, 1, action).previous is None
    assert store.tally(room.code, 1).counts() == {"engage": 1, "hold": 1, "tighten": 3}
    decision = store.close_vote(room.code, room.key, 1)
    assert decision.action == "tighten" and decision.decided_by == "room" and decision.tally.total == 5
    workshop = store.workshop(room.code)
    assert workshop.actions == ("tighten",) and workshop.progress.phase == "ready"
    with pytest.raises(WorkshopError, match="the vote on month 1 closed before your tap"):
        store.vote(room.code, voters[0].token, 1, "engage")


def test_repeated_votes_count_once_and_the_last_one_counts(store, room):
    anna = store.join(room.code, "Anna")
    store.open_vote(room.code, room.key, 1)
    store.vote(room.code, anna.token, 1, "engage")
    ballot = store.vote(room.code, anna.token, 1, "hold")
    assert ballot.previous == "engage" and "changed from engage to hold" in ballot.message
    again = store.vote(room.code, anna.token, 1, "hold")
    assert "counted once" in again.message
    assert store.tally(room.code, 1).counts() == {"engage": 0, "hold": 1, "tighten": 0}
    assert store.my_vote(room.code, anna.token, 1) == "hold"


def test_a_stale_ballot_for_another_month_is_refused(store, room):
    anna = store.join(room.code)
    store.decide(room.code, room.key, 1, "hold")
    store.open_vote(room.code, room.key, 2)
    with pytest.raises(WorkshopError, match="this ballot is for month 1 but the room is voting on month 2"):
        store.vote(room.code, anna.token, 1, "engage")
    with pytest.raises(WorkshopError, match="^action: 'surrender' is not one of"):
        store.vote(room.code, anna.token, 2, "surrender")


def test_ties_mean_hold_and_an_empty_vote_cannot_close(store, room):
    a, b = store.join(room.code), store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    with pytest.raises(WorkshopError, match="nobody has voted for month 1 yet"):
        store.close_vote(room.code, room.key, 1)
    store.vote(room.code, a.token, 1, "engage")
    store.vote(room.code, b.token, 1, "tighten")
    assert store.close_vote(room.code, room.key, 1).action == "hold"


def test_deciding_alone_and_the_end_of_the_game(store, room):
    for month, action in enumerate(("engage", "hold", "tighten"), start=1):
        decision = store.decide(room.code, room.key, month, action)
        assert decision.decided_by == "facilitator"
    assert store.workshop(room.code).progress.phase == "finished"
    with pytest.raises(WorkshopError, match="all 3 months are played"):
        store.open_vote(room.code, room.key, 4)


def test_undo_cancels_an_open_vote_then_takes_back_months(store, room):
    anna = store.join(room.code)
    store.decide(room.code, room.key, 1, "engage")
    store.open_vote(room.code, room.key, 2)
    store.vote(room.code, anna.token, 2, "tighten")
    assert "vote on month 2 was cancelled" in store.undo(room.code, room.key, 2)
    assert store.workshop(room.code).actions == ("engage",)
    assert "Month 1 was taken back" in store.undo(room.code, room.key, 1)
    assert store.workshop(room.code).actions == ()
    with pytest.raises(WorkshopError, match="no month has been decided yet"):
        store.undo(room.code, room.key, 0)


def test_a_month_decided_again_after_undo_starts_with_fresh_votes(store, room):
    anna, ben = store.join(room.code), store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    store.vote(room.code, anna.token, 1, "engage")
    store.vote(room.code, ben.token, 1, "engage")
    store.close_vote(room.code, room.key, 1)
    store.undo(room.code, room.key, 1)
    store.open_vote(room.code, room.key, 1)
    assert store.tally(room.code, 1).total == 0
    store.vote(room.code, anna.token, 1, "tighten")
    assert store.close_vote(room.code, room.key, 1).tally.counts() == {"engage": 0, "hold": 0, "tighten": 1}


def test_pause_freezes_votes_and_controls_until_resumed(store, room):
    anna = store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    store.set_paused(room.code, room.key, True)
    assert store.workshop(room.code).progress.phase == "paused"
    with pytest.raises(WorkshopError, match="paused; your vote for month 1 was not counted"):
        store.vote(room.code, anna.token, 1, "hold")
    with pytest.raises(WorkshopError, match="resume it first"):
        store.close_vote(room.code, room.key, 1)
    store.set_paused(room.code, room.key, False)
    assert store.workshop(room.code).progress.phase == "voting"
    store.vote(room.code, anna.token, 1, "hold")
    assert store.close_vote(room.code, room.key, 1).action == "hold"


def test_the_polling_read_sees_changes_made_elsewhere_at_once(store, room):
    """version() keeps one connection open; every read still sees what other connections committed."""
    assert store.version(room.code) == 0
    elsewhere = WorkshopStore(store.path)  # another server process, as far as the file is concerned
    elsewhere.open_vote(room.code, room.key, 1)
    assert store.version(room.code) == 1
    elsewhere.set_paused(room.code, room.key, True)
    assert store.version(room.code) == 2


def _version_in_child(store: WorkshopStore, code: str, found) -> None:
    found.put(store.version(code))


def test_the_polling_connection_is_not_shared_with_a_forked_process(store, room):
    """A process forked after a read opens its own connection (SQLite connections must not cross a fork)."""
    assert store.version(room.code) == 0
    store.open_vote(room.code, room.key, 1)
    context = multiprocessing.get_context("fork")
    found = context.Queue()
    child = context.Process(target=_version_in_child, args=(store, room.code, found))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0 and found.get(timeout=5) == 1
    assert store.version(room.code) == 1


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
    store.open_vote(room.code, room.key, 1)
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
    assert store.close_vote(room.code, room.key, 1).tally.total == VOTERS


def _process_voters(path: str, code: str, tokens: list[str], first: int, barrier) -> None:
    store = WorkshopStore(path)
    for offset, token in enumerate(tokens):
        _vote_twice(store, code, token, first + offset, barrier)


def test_voters_in_separate_processes_are_counted_exactly(store, room):
    """Four server processes sharing one database file, 16 voters each."""
    processes, per_process = 4, 16
    tokens = [store.join(room.code).token for _ in range(processes * per_process)]
    store.open_vote(room.code, room.key, 1)
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
    before.open_vote(room.code, room.key, 1)
    before.vote(room.code, anna.token, 1, "engage")
    before.vote(room.code, ben.token, 1, "engage")
    before.close_vote(room.code, room.key, 1)
    before.decide(room.code, room.key, 2, "tighten")
    before.open_vote(room.code, room.key, 3)
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
    assert after.close_vote(room.code, room.key, 3).action == "hold"


# Controls bound to the month they were drawn for (issue 13.2)


def test_a_stale_tab_cannot_undo_another_month(store, room):
    """Two tabs drawn at month 2: undo in the first, then the same button in the stale second tab."""
    store.decide(room.code, room.key, 1, "engage")
    store.decide(room.code, room.key, 2, "hold")
    assert "Month 2 was taken back" in store.undo(room.code, room.key, 2)
    assert "already taken back" in store.undo(room.code, room.key, 2)
    assert store.workshop(room.code).actions == ("engage",)


def test_a_stale_control_for_another_month_changes_nothing(store, room):
    store.decide(room.code, room.key, 1, "engage")
    store.open_vote(room.code, room.key, 2)
    stale = "^month: 'Undo month 1' was drawn for month 1 but the workshop is now at month 2"
    with pytest.raises(WorkshopError, match=stale):
        store.undo(room.code, room.key, 1)
    store.cancel_vote(room.code, room.key, 2)
    with pytest.raises(WorkshopError, match="^month: 'Open the vote' was drawn for month 3 but"):
        store.open_vote(room.code, room.key, 3)
    with pytest.raises(WorkshopError, match="^month: 'Decide tighten' was drawn for month 1"):
        store.decide(room.code, room.key, 1, "tighten")
    assert store.workshop(room.code).actions == ("engage",)


def test_repeated_controls_are_idempotent(store, room):
    anna = store.join(room.code)
    assert store.open_vote(room.code, room.key, 1) == store.open_vote(room.code, room.key, 1) == 1
    store.vote(room.code, anna.token, 1, "tighten")
    first = store.close_vote(room.code, room.key, 1)
    assert store.close_vote(room.code, room.key, 1) == first
    assert store.decide(room.code, room.key, 2, "hold") == store.decide(room.code, room.key, 2, "hold")
    assert store.workshop(room.code).actions == ("tighten", "hold")
    store.cancel_vote(room.code, room.key, 3)  # nothing open: nothing to do
    assert store.workshop(room.code).progress.phase == "ready"


def test_the_version_moves_with_every_change_phones_follow(store, room):
    anna = store.join(room.code)
    seen = [store.version(room.code)]
    store.open_vote(room.code, room.key, 1)
    seen.append(store.version(room.code))
    store.vote(room.code, anna.token, 1, "hold")  # a vote is not a change phones must redraw for
    seen.append(store.version(room.code))
    store.close_vote(room.code, room.key, 1)
    seen.append(store.version(room.code))
    store.set_paused(room.code, room.key, True)
    seen.append(store.version(room.code))
    assert seen[0] < seen[1] == seen[2] < seen[3] < seen[4]
    assert store.live(room.code)[1:] == (1, 0)
    assert store.version("K7PQ2M") == -1


def test_live_counts_votes_on_the_open_month(store, room):
    a, b = store.join(room.code), store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    store.vote(room.code, a.token, 1, "hold")
    store.vote(room.code, b.token, 1, "engage")
    version, joined, voted = store.live(room.code)
    assert (joined, voted) == (2, 2) and version == store.version(room.code)


# Roles: teams and Council rules (issue 11.5)


@pytest.fixture
def teams(store):
    return store.create(make_spec("baseline_2024", rounds=3, replications=8, seed=5, teams=True))


def test_teams_are_balanced_and_each_decides_its_sender(store, teams):
    people = [store.join(teams.code) for _ in range(5)]
    assert [p.role for p in people] == ["eu", "second", "eu", "second", "eu"]
    store.open_vote(teams.code, teams.key, 1)
    for person, action in zip(people, ["tighten", "engage", "tighten", "engage", "hold"], strict=True):
        store.vote(teams.code, person.token, 1, action)
    assert store.tally(teams.code, 1, "eu").counts() == {"engage": 0, "hold": 1, "tighten": 2}
    decision = store.close_vote(teams.code, teams.key, 1)
    assert decision.move == ("tighten", "engage")
    assert decision.second_tally.engage == 2
    assert store.workshop(teams.code).moves == (("tighten", "engage"),)


def test_a_team_that_does_not_vote_holds(store, teams):
    eu_member = store.join(teams.code)
    store.open_vote(teams.code, teams.key, 1)
    store.vote(teams.code, eu_member.token, 1, "engage")
    assert store.close_vote(teams.code, teams.key, 1).move == ("engage", "hold")


def test_deciding_alone_with_teams_sets_both_moves(store, teams, room):
    assert store.decide(teams.code, teams.key, 1, "hold", "tighten").move == ("hold", "tighten")
    with pytest.raises(WorkshopError, match="^second_action: 'tighten' needs a workshop played in teams"):
        store.decide(room.code, room.key, 1, "hold", "tighten")


def test_council_rules_need_unanimity_to_move(store):
    council = store.create(make_spec("baseline_2024", rounds=3, replications=8, council=True))
    states = [store.join(council.code) for _ in range(4)]
    store.open_vote(council.code, council.key, 1)
    for member in states:
        store.vote(council.code, member.token, 1, "tighten")
    assert store.close_vote(council.code, council.key, 1).action == "tighten"
    store.open_vote(council.code, council.key, 2)
    for member, action in zip(states, ["engage", "engage", "engage", "tighten"], strict=True):
        store.vote(council.code, member.token, 2, action)
    decision = store.close_vote(council.code, council.key, 2)
    assert decision.action == "hold" and decision.tally.engage == 3  # one veto keeps hold


# Who may join (issue 13.5)


def test_required_names_are_checked_and_unique(store):
    named = store.create(make_spec("baseline_2024", rounds=2, replications=4, require_names=True))
    with pytest.raises(WorkshopError, match="^name: this workshop asks everyone for a name"):
        store.join(named.code, "")
    store.join(named.code, "Anna")
    with pytest.raises(WorkshopError, match="^name: 'ANNA' has already joined"):
        store.join(named.code, "ANNA")
    # A Cyrillic "А" beside a Latin "a", full-width letters, doubled spaces: all read as "Anna" on a screen.
    for lookalike in ("\u0410nna", "Ａｎｎａ", "\u0410nn\u0430", " Anna "):
        with pytest.raises(WorkshopError, match="has already joined"):
            store.join(named.code, lookalike)
    store.join(named.code, "Anna B.")
    assert store.workshop(named.code).participants == 2


def test_a_workshop_has_a_participant_cap(store, room, monkeypatch):
    monkeypatch.setattr("simulator.workshop.store.MAX_PARTICIPANTS", 2)
    store.join(room.code), store.join(room.code)
    with pytest.raises(WorkshopError, match="^participants: workshop .* already has 2, the most allowed"):
        store.join(room.code)


def test_a_title_with_markup_is_refused_by_the_store(store, room):
    from simulator.workshop.rules import WorkshopSpec

    spec = store.workshop(room.code).spec
    with pytest.raises(WorkshopError, match="^title:"):
        store.create(WorkshopSpec("![x](http://example.org/p.png)", spec.preset, spec.scenario))


# Databases that cannot be used (issue 13.10)


def test_a_file_that_is_not_a_database_is_explained(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(DatabaseProblem, match=r"^database: .*notes.sqlite3 cannot be used: it is not a workshop"):
        WorkshopStore(path)


def test_a_foreign_database_is_explained(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE workshops (id INTEGER PRIMARY KEY, room TEXT)")
    with pytest.raises(DatabaseProblem, match="table 'workshops' without the columns code, .*another program"):
        WorkshopStore(path)


def _read_only(connect):
    """sqlite3.connect opening every file read-only, as a file on a read-only disk or owned by another user."""

    def open_read_only(path, *args, **kwargs):
        return connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    return open_read_only


def test_a_read_only_database_is_explained_before_any_vote(tmp_path, monkeypatch):
    path = tmp_path / "workshops.sqlite3"
    room = WorkshopStore(path).create(make_spec("baseline_2024", rounds=2, replications=4))
    monkeypatch.setattr(sqlite3, "connect", _read_only(sqlite3.connect))
    with pytest.raises(DatabaseProblem, match="cannot be used: it is read-only here, so no vote could be saved"):
        WorkshopStore(path)
    assert room.code


def test_an_old_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        scenario = make_spec("baseline_2024", rounds=2).scenario.model_dump_json()
        db.execute(
            "INSERT INTO workshops (code, key_hash, title, preset, scenario_json, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ("K7PQ2M", "x", "Old", "baseline_2024", scenario, "t"),
        )
    workshop = WorkshopStore(path).workshop("K7PQ2M")
    assert workshop.version == 0 and not workshop.spec.teams and workshop.progress.phase == "ready"


def _damage_schema_text(path) -> None:
    """One byte of the schema's SQL text replaced by one that is not UTF-8, as a bad disk sector might."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[data.index(b"REFERENCES participants") + 6] = 0xB4  # "REFERE\xb4CES": SQLite quotes it in its error
    path.write_bytes(bytes(data))


def test_a_database_with_damaged_text_is_explained_when_opened(tmp_path):
    path = tmp_path / "workshops.sqlite3"
    WorkshopStore(path).create(make_spec("baseline_2024", rounds=2, replications=12))
    _damage_schema_text(path)
    with pytest.raises(DatabaseProblem, match=r"^database: .*workshops.sqlite3 cannot be used: it is damaged \(text"):
        WorkshopStore(path)


def test_a_database_damaged_while_open_is_explained_on_every_read(tmp_path):
    path = tmp_path / "workshops.sqlite3"
    store = WorkshopStore(path)
    room = store.create(make_spec("baseline_2024", rounds=2, replications=12))
    store._db._close_reader()  # the polling connection reads the schema again, as after a restart
    _damage_schema_text(path)
    for read in (store.workshop, store.version, store.live):
        with pytest.raises(DatabaseProblem, match="it is damaged"):
            read(room.code)
