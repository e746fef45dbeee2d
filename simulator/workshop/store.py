"""Workshops in SQLite: every workshop, participant, vote and decision survives a server restart.

The model state is never stored: it is rebuilt by replaying the decisions (see `rules.ReplayCache`).
Every facilitator control names the month it was drawn for and acts only on that month, so a stale
tab or a double click can never undo or decide another month. Each change that phones must follow
bumps the workshop's `version`, one integer that phones poll cheaply.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..core.schema import ACTIONS, Scenario
from .database import DB_ENV_VAR, DEFAULT_DB_NAME, Database, DatabaseProblem, default_db_path
from .names import name_skeleton
from .roles import MAJORITY, ROLES, next_role
from .rules import (
    NAME_MAX,
    TITLE_MAX,
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

__all__ = [
    "DB_ENV_VAR",
    "DEFAULT_DB_NAME",
    "MAX_PARTICIPANTS",
    "Ballot",
    "Credentials",
    "DatabaseProblem",
    "Participant",
    "Workshop",
    "WorkshopStore",
    "default_db_path",
]

# A room is at most a lecture hall; the cap stops a script from flooding a workshop with identities.
MAX_PARTICIPANTS = 250


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
    """A new workshop's join code (for the room) and facilitator key (for the facilitator's console only)."""

    code: str
    key: str


@dataclass(frozen=True)
class Participant:
    """Someone who joined a workshop; `token` is their private id; `role` is their team ('eu' or 'second')."""

    token: str
    name: str
    team: str
    role: str = "eu"


@dataclass(frozen=True)
class Workshop:
    """A workshop as anyone with its join code may see it: no keys, no participant ids."""

    code: str
    spec: WorkshopSpec
    decisions: tuple[Decision, ...]
    progress: Progress
    participants: int
    version: int = 0
    show_debrief: bool = False

    @property
    def actions(self) -> tuple[str, ...]:
        """The EU's action in each decided month, in order."""
        return tuple(d.action for d in self.decisions)

    @property
    def moves(self) -> tuple[tuple[str, str | None], ...]:
        """Each decided month's move for the replay (EU action, second team's action or None)."""
        return tuple(d.move for d in self.decisions)


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
        self._db = Database(path if path is not None else default_db_path(), timeout)
        self.path = self._db.path

    # Creating and reading workshops

    def create(self, spec: WorkshopSpec) -> Credentials:
        """Store a new workshop and return its join code and facilitator key."""
        title = clean_text("title", spec.title, TITLE_MAX)
        key = new_token()
        with self._db.transaction() as db:
            for _ in range(20):
                code = new_code()
                if db.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)).fetchone() is None:
                    break
            else:
                raise WorkshopError("code: could not find a free join code; try again")
            db.execute(
                "INSERT INTO workshops (code, key_hash, title, preset, scenario_json, created_at, teams, council, "
                "require_names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    _hash_key(key),
                    title,
                    spec.preset,
                    spec.scenario.model_dump_json(),
                    _now(),
                    int(spec.teams),
                    int(spec.council),
                    int(spec.require_names),
                ),
            )
        return Credentials(code, key)

    def workshop(self, code: str) -> Workshop:
        """The workshop with this join code, or a WorkshopError saying none exists."""
        with self._db.transaction(write=False) as db:
            return self._read(db, self._row(db, code))

    def version(self, code: str) -> int:
        """The workshop's change counter (-1 if there is no such workshop): one indexed read, for polling."""
        found = self._db.value("SELECT version FROM workshops WHERE code = ?", (code,))
        return -1 if found is None else int(found)  # type: ignore[call-overload]  # the column is an INTEGER

    def live(self, code: str) -> tuple[int, int, int]:
        """(version, participants joined, votes on the open month): the screen's live line in one read."""
        found = self._db.value(
            "SELECT version || ',' || (SELECT COUNT(*) FROM participants p WHERE p.workshop_id = w.id) || ',' || "
            "(SELECT COUNT(*) FROM votes v WHERE v.workshop_id = w.id AND v.month = w.voting_month) "
            "FROM workshops w WHERE code = ?",
            (code,),
        )
        if found is None:
            return (-1, 0, 0)
        version, joined, voted = (int(x) for x in str(found).split(","))
        return (version, joined, voted)

    def check_key(self, code: str, key: str) -> Workshop:
        """The workshop, if `key` is its facilitator key; otherwise a WorkshopError."""
        with self._db.transaction(write=False) as db:
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
        spec = WorkshopSpec(
            row["title"],
            row["preset"],
            _scenario(row),
            teams=bool(row["teams"]),
            council=bool(row["council"]),
            require_names=bool(row["require_names"]),
        )
        decisions = tuple(
            Decision(
                r["month"],
                r["action"],
                r["decided_by"],
                Tally(r["engage"], r["hold"], r["tighten"]),
                r["second_action"],
                Tally(r["second_engage"], r["second_hold"], r["second_tighten"]),
            )
            for r in db.execute("SELECT * FROM decisions WHERE workshop_id = ? ORDER BY month", (row["id"],))
        )
        joined = db.execute("SELECT COUNT(*) FROM participants WHERE workshop_id = ?", (row["id"],)).fetchone()[0]
        progress = Progress(len(decisions), spec.rounds, row["voting_month"], bool(row["paused"]))
        return Workshop(row["code"], spec, decisions, progress, joined, row["version"], bool(row["show_debrief"]))

    # Participants

    def join(self, code: str, name: str = "", team: str = "") -> Participant:
        """Add a participant (name and team validated; a name is required if the workshop says so).

        With teams, the newcomer joins the smaller team. With required names, names are unique in
        the workshop (case ignored), so the facilitator can tell who is who.
        """
        name, team = clean_text("name", name, NAME_MAX), clean_text("team", team, NAME_MAX)
        with self._db.transaction() as db:
            row = self._row(db, code)
            self._check_newcomer(db, row, name)
            sizes = dict(
                db.execute(
                    "SELECT role, COUNT(*) FROM participants WHERE workshop_id = ? GROUP BY role", (row["id"],)
                ).fetchall()
            )
            role = next_role(sizes) if row["teams"] else ROLES[0]
            participant = Participant(new_token(), name, team, role)
            db.execute(
                "INSERT INTO participants (workshop_id, token, name, team, role, joined_at) VALUES (?, ?, ?, ?, ?, ?)",
                (row["id"], participant.token, name, team, role, _now()),
            )
        return participant

    def _check_newcomer(self, db: sqlite3.Connection, row: sqlite3.Row, name: str) -> None:
        count = db.execute("SELECT COUNT(*) FROM participants WHERE workshop_id = ?", (row["id"],)).fetchone()[0]
        if count >= MAX_PARTICIPANTS:
            raise WorkshopError(
                f"participants: workshop {row['code']} already has {count}, the most allowed ({MAX_PARTICIPANTS})"
            )
        if not row["require_names"]:
            return
        if not name:
            raise WorkshopError("name: this workshop asks everyone for a name; type the name the room knows you by")
        names = db.execute("SELECT name FROM participants WHERE workshop_id = ?", (row["id"],)).fetchall()
        if any(name_skeleton(other["name"] or "") == name_skeleton(name) for other in names):
            raise WorkshopError(f"name: {name!r} has already joined this workshop; add an initial to tell you apart")

    def participant(self, code: str, token: str) -> Participant:
        """The participant with this private id in this workshop (ids of other workshops are refused)."""
        with self._db.transaction(write=False) as db:
            found = self._participant_row(db, self._row(db, code), token)
            return Participant(found["token"], found["name"], found["team"], found["role"])

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
        with self._db.transaction(write=False) as db:
            row = self._facilitator_row(db, code, key)
            rows = db.execute("SELECT * FROM participants WHERE workshop_id = ? ORDER BY id", (row["id"],))
            return [Participant(r["token"], r["name"], r["team"], r["role"]) for r in rows]

    # Votes

    def vote(self, code: str, token: str, month: int, action: str) -> Ballot:
        """Record a participant's vote for the month whose vote is open; a repeat replaces their earlier vote."""
        action = check_action(action)
        with self._db.transaction() as db:
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
        with self._db.transaction(write=False) as db:
            row = self._row(db, code)
            voter = self._participant_row(db, row, token)
            found = db.execute(
                "SELECT action FROM votes WHERE workshop_id = ? AND month = ? AND participant_id = ?",
                (row["id"], month, voter["id"]),
            ).fetchone()
            return None if found is None else found["action"]

    def tally(self, code: str, month: int, role: str | None = None) -> Tally:
        """Votes so far for a month by action, of everyone or of one team ('eu' or 'second')."""
        with self._db.transaction(write=False) as db:
            return self._tally(db, self._row(db, code)["id"], month, role)

    def _tally(self, db: sqlite3.Connection, workshop_id: int, month: int, role: str | None = None) -> Tally:
        counts = dict(
            db.execute(
                "SELECT v.action, COUNT(*) FROM votes v JOIN participants p ON p.id = v.participant_id "
                "WHERE v.workshop_id = ? AND v.month = ? AND (? IS NULL OR p.role = ?) GROUP BY v.action",
                (workshop_id, month, role, role),
            ).fetchall()
        )
        return Tally(**{a: counts.get(a, 0) for a in ACTIONS})

    def _progress(self, db: sqlite3.Connection, row: sqlite3.Row) -> Progress:
        played = db.execute("SELECT COUNT(*) FROM decisions WHERE workshop_id = ?", (row["id"],)).fetchone()[0]
        rounds = _scenario(row).simulation.months
        return Progress(played, rounds, row["voting_month"], bool(row["paused"]))

    def _decided(self, db: sqlite3.Connection, workshop_id: int, month: int) -> sqlite3.Row | None:
        return db.execute(
            "SELECT * FROM decisions WHERE workshop_id = ? AND month = ?", (workshop_id, month)
        ).fetchone()

    # Facilitator controls: each needs the facilitator key and the month its button was drawn for

    def open_vote(self, code: str, key: str, month: int) -> int:
        """Open the room's vote on `month` (the next one); opening it again while it is open changes nothing."""
        with self._db.transaction() as db:
            row = self._facilitator_row(db, code, key)
            progress = self._progress(db, row)
            if progress.voting_month == month and not progress.paused:
                return month
            progress.check_can_decide()
            progress.check_drawn_for("Open the vote", month, progress.next_month)
            # Votes left from an undone attempt at this month must not count in the new vote.
            db.execute("DELETE FROM votes WHERE workshop_id = ? AND month = ?", (row["id"], month))
            db.execute("UPDATE workshops SET voting_month = ? WHERE id = ?", (month, row["id"]))
            self._bump(db, row["id"])
            return month

    def close_vote(self, code: str, key: str, month: int) -> Decision:
        """Close the vote on `month` and decide it by the rules; closing it again returns the same decision."""
        with self._db.transaction() as db:
            row = self._facilitator_row(db, code, key)
            done = self._decided(db, row["id"], month)
            if done is not None:
                return self._decision(done)
            progress = self._progress(db, row)
            voting = progress.check_voting()
            progress.check_drawn_for("Close the vote", month, voting)
            decision = self._room_decision(db, row, month)
            self._record(db, row["id"], decision)
            return decision

    def _room_decision(self, db: sqlite3.Connection, row: sqlite3.Row, month: int) -> Decision:
        rule = "unanimity" if row["council"] else MAJORITY
        if not row["teams"]:
            tally = self._tally(db, row["id"], month)
            winner = tally.winner(rule)
            if winner is None:
                raise WorkshopError(
                    f"vote: nobody has voted for month {month} yet; wait, cancel the vote, or decide alone"
                )
            return Decision(month, winner, "room", tally)
        eu, second = (self._tally(db, row["id"], month, role) for role in ROLES)
        if eu.total + second.total == 0:
            raise WorkshopError(f"vote: nobody has voted for month {month} yet; wait, cancel the vote, or decide alone")
        # A team that did not vote makes no move: its sender holds.
        return Decision(month, eu.winner(rule) or "hold", "room", eu, second.winner() or "hold", second)

    def cancel_vote(self, code: str, key: str, month: int) -> None:
        """Close the open vote on `month` without deciding; its votes are discarded."""
        with self._db.transaction() as db:
            row = self._facilitator_row(db, code, key)
            progress = self._progress(db, row)
            if progress.voting_month is None:
                return
            progress.check_drawn_for("Cancel the vote", month, progress.check_voting())
            db.execute("DELETE FROM votes WHERE workshop_id = ? AND month = ?", (row["id"], month))
            db.execute("UPDATE workshops SET voting_month = NULL WHERE id = ?", (row["id"],))
            self._bump(db, row["id"])

    def decide(self, code: str, key: str, month: int, action: str, second_action: str | None = None) -> Decision:
        """The facilitator decides `month` alone (with teams, both senders' moves); repeating it changes nothing."""
        action = check_action(action)
        with self._db.transaction() as db:
            row = self._facilitator_row(db, code, key)
            if row["teams"]:
                second_action = check_action(second_action or "hold")
            elif second_action is not None:
                raise WorkshopError(f"second_action: {second_action!r} needs a workshop played in teams")
            done = self._decided(db, row["id"], month)
            if done is not None and (done["action"], done["second_action"]) == (action, second_action):
                return self._decision(done)
            progress = self._progress(db, row)
            progress.check_can_decide()
            progress.check_drawn_for(f"Decide {action}", month, progress.next_month)
            decision = Decision(month, action, "facilitator", Tally(), second_action, Tally())
            self._record(db, row["id"], decision)
            return decision

    def _record(self, db: sqlite3.Connection, workshop_id: int, decision: Decision) -> None:
        t, s = decision.tally, decision.second_tally
        db.execute(
            "INSERT INTO decisions (workshop_id, month, action, decided_by, engage, hold, tighten, decided_at, "
            "second_action, second_engage, second_hold, second_tighten) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                workshop_id,
                decision.month,
                decision.action,
                decision.decided_by,
                t.engage,
                t.hold,
                t.tighten,
                _now(),
                decision.second_action,
                s.engage,
                s.hold,
                s.tighten,
            ),
        )
        db.execute("UPDATE workshops SET voting_month = NULL WHERE id = ?", (workshop_id,))
        self._bump(db, workshop_id)

    @staticmethod
    def _decision(r: sqlite3.Row) -> Decision:
        return Decision(
            r["month"],
            r["action"],
            r["decided_by"],
            Tally(r["engage"], r["hold"], r["tighten"]),
            r["second_action"],
            Tally(r["second_engage"], r["second_hold"], r["second_tighten"]),
        )

    def undo(self, code: str, key: str, month: int) -> str:
        """Cancel the open vote on `month`, or take back `month` if it is the last decided; say what happened.

        Bound to the month: a second click, or a stale tab, finds `month` already taken back and
        changes nothing else.
        """
        with self._db.transaction() as db:
            row = self._facilitator_row(db, code, key)
            progress = self._progress(db, row)
            if progress.voting_month is None and month > progress.months_played:
                return f"Month {month} was already taken back; nothing else changed."
            progress.check_can_undo()
            current = progress.voting_month or progress.months_played
            progress.check_drawn_for(f"Undo month {month}", month, current)
            db.execute("DELETE FROM votes WHERE workshop_id = ? AND month = ?", (row["id"], month))
            db.execute("UPDATE workshops SET voting_month = NULL WHERE id = ?", (row["id"],))
            self._bump(db, row["id"])
            if progress.voting_month is not None:
                return f"The vote on month {month} was cancelled."
            db.execute("DELETE FROM decisions WHERE workshop_id = ? AND month = ?", (row["id"], month))
            return f"Month {month} was taken back; the room can decide it again."

    def set_paused(self, code: str, key: str, paused: bool) -> None:
        """Pause the workshop (votes are refused, controls wait) or resume it where it stood."""
        with self._db.transaction() as db:
            row = self._facilitator_row(db, code, key)
            db.execute("UPDATE workshops SET paused = ? WHERE id = ?", (int(paused), row["id"]))
            self._bump(db, row["id"])

    def set_show_debrief(self, code: str, key: str, shown: bool) -> None:
        """Show the debrief on the screen before the last month (or hide it again)."""
        with self._db.transaction() as db:
            row = self._facilitator_row(db, code, key)
            db.execute("UPDATE workshops SET show_debrief = ? WHERE id = ?", (int(shown), row["id"]))
            self._bump(db, row["id"])

    @staticmethod
    def _bump(db: sqlite3.Connection, workshop_id: int) -> None:
        db.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", (workshop_id,))
