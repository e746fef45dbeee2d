"""The workshop database file: its tables, upgrades of older files, and errors a person can act on.

Each call opens its own connection and runs in one transaction (writers take the lock at BEGIN
IMMEDIATE), so concurrent voters from many server threads or processes are counted exactly. The
exception is `value`, the polling read (a waiting phone asks for its workshop's version ten times a
second): it uses one connection kept open per process, since opening a connection costs more than
the read. A file that cannot be written, is not SQLite, or holds other tables than a workshop
database's gives a `DatabaseProblem` naming the file and what to do, never a raw SQLite exception.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .rules import WorkshopError

DB_ENV_VAR = "SIMULATOR_WORKSHOP_DB"
DEFAULT_DB_NAME = "workshops.sqlite3"

SCHEMA = """
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
# Columns added since the first release: older files are upgraded in place when opened.
ADDED_COLUMNS = {
    "workshops": {
        # Bumped by every change participants must follow (phase, decisions): phones poll this one number.
        "version": "INTEGER NOT NULL DEFAULT 0",
        "teams": "INTEGER NOT NULL DEFAULT 0",
        "council": "INTEGER NOT NULL DEFAULT 0",
        "require_names": "INTEGER NOT NULL DEFAULT 0",
        "show_debrief": "INTEGER NOT NULL DEFAULT 0",
    },
    "participants": {"role": "TEXT NOT NULL DEFAULT 'eu'"},
    "decisions": {
        "second_action": "TEXT CHECK (second_action IN ('engage', 'hold', 'tighten'))",
        "second_engage": "INTEGER NOT NULL DEFAULT 0",
        "second_hold": "INTEGER NOT NULL DEFAULT 0",
        "second_tighten": "INTEGER NOT NULL DEFAULT 0",
    },
}
INDEXES = "CREATE INDEX IF NOT EXISTS participants_by_workshop ON participants (workshop_id, role);"
FIX = f"set ${DB_ENV_VAR} to a writable file of its own (a new name creates a fresh database)"


class DatabaseProblem(WorkshopError):
    """The workshop database cannot be used: the message names the file, the cause and the fix."""


def default_db_path() -> Path:
    """The database file: $SIMULATOR_WORKSHOP_DB, else workshops.sqlite3 in the working directory (git-ignored)."""
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_NAME)


def _explain(path: Path, exc: Exception) -> DatabaseProblem:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, UnicodeDecodeError):
        # SQLite's own message quotes the damaged schema text, which Python then cannot decode.
        return DatabaseProblem(f"database: {path} cannot be used: it is damaged (text that is not UTF-8); {FIX}")
    if "readonly" in reason or "read-only" in reason or isinstance(exc, PermissionError):
        cause = "it is read-only here, so no vote could be saved"
    elif "not a database" in reason or "malformed" in reason:
        cause = "it is not a workshop database (not an SQLite file, or damaged)"
    elif "locked" in reason or "busy" in reason:
        cause = "another program holds it locked; try again in a moment"
    else:
        cause = f"SQLite says: {reason}"
    return DatabaseProblem(f"database: {path} cannot be used: {cause}; {FIX}")


class Database:
    """One SQLite workshop file: opened, checked and upgraded once, then one connection per call."""

    def __init__(self, path: str | Path, timeout: float = 30.0):
        self.path = Path(path)
        self._timeout = timeout
        self._reader: sqlite3.Connection | None = None
        self._reader_pid = 0  # a connection must not cross a fork: a child process opens its own
        self._reader_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._raw() as db:
                # WAL lets readers (participants polling) proceed while one writer holds the lock.
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
                self._upgrade(db)
                db.executescript(INDEXES)
                # A file that opens but cannot take a write lock would look fine until the first vote.
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TABLE write_probe (x)")
                db.execute("ROLLBACK")
        except (sqlite3.Error, OSError, UnicodeDecodeError) as exc:
            raise _explain(self.path, exc) from None

    def _upgrade(self, db: sqlite3.Connection) -> None:
        for table, columns in ADDED_COLUMNS.items():
            present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            expected = _base_columns(table)
            if not expected <= present:
                missing = ", ".join(sorted(expected - present))
                raise DatabaseProblem(
                    f"database: {self.path} has a table '{table}' without the columns {missing}: it belongs "
                    f"to another program, not to these workshops; {FIX}"
                )
            for name, ddl in columns.items():
                if name not in present:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")

    @contextmanager
    def _raw(self) -> Iterator[sqlite3.Connection]:
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
    def transaction(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction on a fresh connection; SQLite failures become a DatabaseProblem naming the file."""
        try:
            with self._raw() as db:
                db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise _explain(self.path, exc) from None

    def value(self, sql: str, parameters: tuple) -> object:
        """The first column of the first row of a read, or None: the cheap path for polling.

        One connection, opened once and shared by the threads of this process one at a time. In
        autocommit mode every read is its own transaction, so it sees every change committed before it.
        """
        with self._reader_lock:
            try:
                if self._reader is None or self._reader_pid != os.getpid():
                    self._reader = sqlite3.connect(
                        self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
                    )
                    self._reader_pid = os.getpid()
                row = self._reader.execute(sql, parameters).fetchone()
            except (sqlite3.Error, UnicodeDecodeError) as exc:
                self._close_reader()
                raise _explain(self.path, exc) from None
        return None if row is None else row[0]

    def _close_reader(self) -> None:
        reader, self._reader = getattr(self, "_reader", None), None
        if reader is not None and self._reader_pid == os.getpid():
            try:
                reader.close()
            except sqlite3.Error:
                pass

    def __del__(self) -> None:
        self._close_reader()


def _base_columns(table: str) -> set[str]:
    """The columns a table had in the first release, read from SCHEMA."""
    block = SCHEMA.split(f"CREATE TABLE IF NOT EXISTS {table} (")[1].split(");")[0]
    # Column lines start with a lowercase name; constraint lines (PRIMARY KEY ...) do not.
    names = {line.split()[0] for line in block.strip().splitlines() if line.split()}
    return {n for n in names if n.islower()}
