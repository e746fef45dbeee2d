"""Workshops in SQLite: every workshop, participant, vote and decision survives a server restart.

Each call opens its own connection and runs in one transaction (writers take the lock at BEGIN
IMMEDIATE), so concurrent voters from many server threads or processes are counted exactly. The
model state is never stored: it is rebuilt by replaying the decisions (see `workshop.ReplayCache`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..core.schema import ACTIONS, Scenario
from .rules import (
    Decision,
    Progress,
    Tally,
    WorkshopError,
    WorkshopSpec,
    check_action,
    check_token,
    clean_text,
    new_code,
    new_token,
    normalise_code,
)

DB_ENV_VAR = "SIMULATOR_WORKSHOP_DB"
DEFAULT_DB_NAME = "workshops.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workshops (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    preset TEXT NOT NULL,
    scenario_json TEXT NOT NULL,
    voting_month INTEGER,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS participants (
    id INTEGER PRIMARY KEY,
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    token TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    team TEXT NOT NULL,
    joined_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    month INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('engage', 'hold', 'tighten')),
    decided_by TEXT NOT NULL CHECK (decided_by IN ('room', 'facilitator')),
    engage INTEGER NOT NULL,
    hold INTEGER NOT NULL,
    tighten INTEGER NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (workshop_id, month)
);
CREATE TABLE IF NOT EXISTS votes (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    month INTEGER NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    action TEXT NOT NULL CHECK (action IN ('engage', 'hold', 'tighten')),
    changes INTEGER NOT NULL DEFAULT 0,
    cast_at TEXT NOT NULL,
    PRIMARY KEY (workshop_id, month, participant_id)
);
"""


def default_db_path() -> Path:
    """The database file: $SIMULATOR_WORKSHOP_DB, else workshops.sqlite3 in the working directory (git-ignored)."""
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_NAME)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _scenario(row: sqlite3.Row) -> Scenario:
    try:
        return Scenario.model_validate_json(row["scenario_json"])
    except ValueError as exc:
        raise WorkshopError(
            f"scenario: workshop {row['code']} was saved by a version of the model whose parameters "
            f"no longer validate ({str(exc).splitlines()[0]})"
        ) from None


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Credentials:
    """A new workshop's join code (for the room) and facilitator key (for the facilitator's link only)."""

    code: str
    key: str


@dataclass(frozen=True)
class Participant:
    """Someone who joined a workshop; `token` is their private id carried in their link."""

    token: str
    name: str
    team: str


@dataclass(frozen=True)
class Workshop:
    """A workshop as anyone with its join code may see it: no keys, no participant ids."""

    code: str
    spec: WorkshopSpec
    decisions: tuple[Decision, ...]
    progress: Progress
    participants: int

    @property
    def actions(self) -> tuple[str, ...]:
        """The EU's action in each decided month, in order."""
        return tuple(d.action for d in self.decisions)


@dataclass(frozen=True)
class Ballot:
    """The answer to a vote: what was recorded and what it replaced (None for a first vote)."""

    month: int
    action: str
    previous: str | None

    @property
    def message(self) -> str:
        """A sentence telling the participant what happened to their vote."""
        if self.previous is None:
            return f"Your vote for month {self.month} is counted: {self.action}."
        if self.previous == self.action:
            return f"You had already voted {self.action} for month {self.month}; it is counted once."
        return f"Your vote for month {self.month} changed from {self.previous} to {self.action}; only the last counts."


class WorkshopStore:
    """All workshops in one SQLite file; safe to use from many threads and processes at once."""

    def __init__(self, path: str | Path | None = None, timeout: float = 30.0):
        self.path = Path(path) if path is not None else default_db_path()
        self._timeout = timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            # WAL lets readers (participants polling) proceed while one writer holds the lock.
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA foreign_keys=ON")
            # In WAL mode NORMAL still survives a crash of the server; it only skips an fsync per vote.
            db.execute("PRAGMA synchronous=NORMAL")
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # Creating and reading workshops

    def create(self, spec: WorkshopSpec) -> Credentials:
        """Store a new workshop and return its join code and facilitator key."""
        key = new_token()
        with self._transaction() as db:
            for _ in range(20):
                code = new_code()
                if db.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)).fetchone() is None:
                    break
            else:
                raise WorkshopError("code: could not find a free join code; try again")
            db.execute(
                "INSERT INTO workshops (code, key_hash, title, preset, scenario_json, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (code, _hash_key(key), spec.title, spec.preset, spec.scenario.model_dump_json(), _now()),
            )
        return Credentials(code, key)

    def workshop(self, code: str) -> Workshop:
        """The workshop with this join code, or a WorkshopError saying none exists."""
        with self._transaction(write=False) as db:
            return self._read(db, self._row(db, code))

    def check_key(self, code: str, key: str) -> Workshop:
        """The workshop, if `key` is its facilitator key; otherwise a WorkshopError."""
        with self._transaction(write=False) as db:
            return self._read(db, self._facilitator_row(db, code, key))

    def _row(self, db: sqlite3.Connection, code: str) -> sqlite3.Row:
        code = normalise_code(code)
        row = db.execute("SELECT * FROM workshops WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise WorkshopError(f"code: no workshop has the code {code}; check it with the facilitator")
        return row

    def _facilitator_row(self, db: sqlite3.Connection, code: str, key: str) -> sqlite3.Row:
        row = self._row(db, code)
        if not hmac.compare_digest(row["key_hash"], _hash_key(check_token("key", key))):
            raise WorkshopError(f"key: this link does not carry the facilitator key of workshop {row['code']}")
        return row

    def _read(self, db: sqlite3.Connection, row: sqlite3.Row) -> Workshop:
        spec = WorkshopSpec(row["title"], row["preset"], _scenario(row))
        decisions = tuple(
            Decision(r["month"], r["action"], r["decided_by"], Tally(r["engage"], r["hold"], r["tighten"]))
            for r in db.execute("SELECT * FROM decisions WHERE workshop_id = ? ORDER BY month", (row["id"],))
        )
        joined = db.execute("SELECT COUNT(*) FROM participants WHERE workshop_id = ?", (row["id"],)).fetchone()[0]
        progress = Progress(len(decisions), spec.rounds, row["voting_month"], bool(row["paused"]))
        return Workshop(row["code"], spec, decisions, progress, joined)

    # Participants

    def join(self, code: str, name: str = "", team: str = "") -> Participant:
        """Add a participant (name and team optional, validated) and return them with their private id."""
        name, team = clean_text("name", name), clean_text("team", team)
        participant = Participant(new_token(), name, team)
        with self._transaction() as db:
            row = self._row(db, code)
            db.execute(
                "INSERT INTO participants (workshop_id, token, name, team, joined_at) VALUES (?, ?, ?, ?, ?)",
                (row["id"], participant.token, name, team, _now()),
            )
        return participant

    def participant(self, code: str, token: str) -> Participant:
        """The participant with this private id in this workshop (ids of other workshops are refused)."""
        with self._transaction(write=False) as db:
            found = self._participant_row(db, self._row(db, code), token)
            return Participant(found["token"], found["name"], found["team"])

    def _participant_row(self, db: sqlite3.Connection, workshop: sqlite3.Row, token: str) -> sqlite3.Row:
        found = db.execute(
            "SELECT * FROM participants WHERE workshop_id = ? AND token = ?",
            (workshop["id"], check_token("pid", token)),
        ).fetchone()
        if found is None:
            raise WorkshopError(
                f"pid: this link's participant id is not part of workshop {workshop['code']}; join again"
            )
        return found

    def roster(self, code: str, key: str) -> list[Participant]:
        """Everyone who joined, in joining order (facilitator only: the list carries private ids)."""
        with self._transaction(write=False) as db:
            row = self._facilitator_row(db, code, key)
            rows = db.execute("SELECT * FROM participants WHERE workshop_id = ? ORDER BY id", (row["id"],))
            return [Participant(r["token"], r["name"], r["team"]) for r in rows]

    # Votes

    def vote(self, code: str, token: str, month: int, action: str) -> Ballot:
        """Record a participant's vote for the month whose vote is open; a repeat replaces their earlier vote."""
        action = check_action(action)
        with self._transaction() as db:
            row = self._row(db, code)
            voter = self._participant_row(db, row, token)
            self._progress(db, row).check_ballot(month)
            earlier = db.execute(
                "SELECT action FROM votes WHERE workshop_id = ? AND month = ? AND participant_id = ?",
                (row["id"], month, voter["id"]),
            ).fetchone()
            # The primary key (workshop, month, participant) makes a second vote an update, never a second row.
            db.execute(
                "INSERT INTO votes (workshop_id, month, participant_id, action, cast_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (workshop_id, month, participant_id) DO UPDATE SET action = excluded.action, "
                "changes = changes + (action != excluded.action), cast_at = excluded.cast_at",
                (row["id"], month, voter["id"], action, _now()),
            )
        return Ballot(month, action, None if earlier is None else earlier["action"])

    def my_vote(self, code: str, token: str, month: int) -> str | None:
        """The action this participant voted for in a month, if any."""
        with self._transaction(write=False) as db:
            row = self._row(db, code)
            voter = self._participant_row(db, row, token)
            found = db.execute(
                "SELECT action FROM votes WHERE workshop_id = ? AND month = ? AND participant_id = ?",
                (row["id"], month, voter["id"]),
            ).fetchone()
            return None if found is None else found["action"]

    def tally(self, code: str, month: int) -> Tally:
        """Votes so far for a month by action."""
        with self._transaction(write=False) as db:
            return self._tally(db, self._row(db, code)["id"], month)

    def _tally(self, db: sqlite3.Connection, workshop_id: int, month: int) -> Tally:
        counts = dict(
            db.execute(
                "SELECT action, COUNT(*) FROM votes WHERE workshop_id = ? AND month = ? GROUP BY action",
                (workshop_id, month),
            ).fetchall()
        )
        return Tally(**{a: counts.get(a, 0) for a in ACTIONS})

    def _progress(self, db: sqlite3.Connection, row: sqlite3.Row) -> Progress:
        played = db.execute("SELECT COUNT(*) FROM decisions WHERE workshop_id = ?", (row["id"],)).fetchone()[0]
        rounds = _scenario(row).simulation.months
        return Progress(played, rounds, row["voting_month"], bool(row["paused"]))

    # Facilitator controls: each needs the facilitator key

    def open_vote(self, code: str, key: str) -> int:
        """Open the room's vote on the next month and return that month."""
        with self._transaction() as db:
            row = self._facilitator_row(db, code, key)
            progress = self._progress(db, row)
            progress.check_can_decide()
            # Votes left from an undone attempt at this month must not count in the new vote.
            db.execute("DELETE FROM votes WHERE workshop_id = ? AND month = ?", (row["id"], progress.next_month))
            db.execute("UPDATE workshops SET voting_month = ? WHERE id = ?", (progress.next_month, row["id"]))
            return progress.next_month

    def close_vote(self, code: str, key: str) -> Decision:
        """Close the open vote and decide the month by the room's majority (a tie means hold)."""
        with self._transaction() as db:
            row = self._facilitator_row(db, code, key)
            month = self._progress(db, row).check_voting()
            tally = self._tally(db, row["id"], month)
            if tally.winner() is None:
                raise WorkshopError(
                    f"vote: nobody has voted for month {month} yet; wait, cancel the vote, or decide alone"
                )
            decision = Decision(month, tally.winner(), "room", tally)
            self._record(db, row["id"], decision)
            return decision

    def cancel_vote(self, code: str, key: str) -> None:
        """Close the open vote without deciding; its votes are discarded."""
        with self._transaction() as db:
            row = self._facilitator_row(db, code, key)
            month = self._progress(db, row).check_voting()
            db.execute("DELETE FROM votes WHERE workshop_id = ? AND month = ?", (row["id"], month))
            db.execute("UPDATE workshops SET voting_month = NULL WHERE id = ?", (row["id"],))

    def decide(self, code: str, key: str, action: str) -> Decision:
        """The facilitator decides the next month alone (e.g. when nobody has joined)."""
        action = check_action(action)
        with self._transaction() as db:
            row = self._facilitator_row(db, code, key)
            progress = self._progress(db, row)
            progress.check_can_decide()
            decision = Decision(progress.next_month, action, "facilitator", Tally())
            self._record(db, row["id"], decision)
            return decision

    def _record(self, db: sqlite3.Connection, workshop_id: int, decision: Decision) -> None:
        t = decision.tally
        db.execute(
            "INSERT INTO decisions (workshop_id, month, action, decided_by, engage, hold, tighten, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (workshop_id, decision.month, decision.action, decision.decided_by, t.engage, t.hold, t.tighten, _now()),
        )
        db.execute("UPDATE workshops SET voting_month = NULL WHERE id = ?", (workshop_id,))

    def undo(self, code: str, key: str) -> str:
        """Cancel an open vote, or else take back the last decided month and its votes; say which."""
        with self._transaction() as db:
            row = self._facilitator_row(db, code, key)
            progress = self._progress(db, row)
            progress.check_can_undo()
            month = progress.voting_month or progress.months_played
            db.execute("DELETE FROM votes WHERE workshop_id = ? AND month = ?", (row["id"], month))
            db.execute("UPDATE workshops SET voting_month = NULL WHERE id = ?", (row["id"],))
            if progress.voting_month is not None:
                return f"The vote on month {month} was cancelled."
            db.execute("DELETE FROM decisions WHERE workshop_id = ? AND month = ?", (row["id"], month))
            return f"Month {month} was taken back; the room can decide it again."

    def set_paused(self, code: str, key: str, paused: bool) -> None:
        """Pause the workshop (votes are refused, controls wait) or resume it where it stood."""
        with self._transaction() as db:
            row = self._facilitator_row(db, code, key)
            db.execute("UPDATE workshops SET paused = ? WHERE id = ?", (int(paused), row["id"]))
