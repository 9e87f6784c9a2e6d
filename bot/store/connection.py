"""One SQLite file (WAL) shared by the store of every concern, each owning its tables.

Every concern declares its schema as numbered migration steps; `migrate` applies the steps
a file has not seen yet, one transaction per step, and records the version per concern.
SQLite's failures leave as one `StoreError` line a user can act on; a write waits for
another process's lock, saying so once; a transaction is rolled back only when one is open.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from bot.errors import StoreError
from bot.store.dialect import SQLITE

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's write lock
FIRST_WAIT = 0.5  # seconds waited silently before saying that we wait

_P = ParamSpec("_P")
_R = TypeVar("_R")

# A migration step: SQL statements (";"-separated) or a function of the open transaction.
Step = str | Callable[[sqlite3.Connection], None]

# SQLite's primary result codes, by the name Python gives them, as one line for users.
_REASONS = {
    "SQLITE_BUSY": "the database is locked by another process",
    "SQLITE_LOCKED": "the database is locked by another process",
    "SQLITE_FULL": "the disk (or the database's size limit) is full",
    "SQLITE_READONLY": "the database is read-only",
    "SQLITE_PERM": "no permission to write the database",
    "SQLITE_CANTOPEN": "the database file cannot be opened",
    "SQLITE_NOTADB": "the file is not a Footnote store (not an SQLite database)",
    "SQLITE_CORRUPT": "the database file is damaged",
    "SQLITE_IOERR": "a disk I/O error",
}


def store_error(error: sqlite3.Error | OSError, path: str) -> StoreError:
    """One clear line for a failure of the store at `path` (kept apart from the line)."""
    if isinstance(error, FileExistsError):
        return StoreError("store unavailable: the data folder is a file, not a folder", path)
    if isinstance(error, OSError):
        return StoreError("store unavailable: cannot create the data folder: "
                          f"{error.strerror or error}", path)
    name = getattr(error, "sqlite_errorname", "") or ""
    reason = next((r for code, r in _REASONS.items()
                   if name == code or name.startswith(code + "_")), str(error))
    return StoreError(f"store unavailable: {reason}", path)


def translated(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Raise SQLite's errors from a method (of an object with a `path`) as StoreError."""
    @wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as e:
            raise store_error(e, getattr(args[0], "path", "")) from None

    return wrapper


def is_busy(error: sqlite3.Error) -> bool:
    """Did this fail because another connection holds a lock?"""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def patient(db: sqlite3.Connection, write: Callable[[], _R], timeout: float, path: str,
            wait: bool = True) -> _R:
    """Run `write` (statements outside a transaction, or BEGIN: a retry repeats it whole);
    if another process holds the lock, say so once and wait up to `timeout` seconds (with
    `wait=False`, give up after the first brief attempt).

    The first attempt waits only briefly, so the warning comes before the long wait, not
    after it. The connection's busy timeout is left at `timeout`."""
    first = min(FIRST_WAIT, timeout)
    db.execute(f"PRAGMA busy_timeout = {int(first * 1000)}")
    try:
        return write()
    except sqlite3.OperationalError as e:
        if not wait or not is_busy(e) or db.in_transaction or timeout <= first:
            raise
        log.warning("the store %s is locked by another process; waiting up to %.0f s",
                    path, timeout)
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        return write()
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


class Database:
    """A SQLite file (WAL) behind one lock: safe to share between the bot's worker threads."""

    dialect = SQLITE  # the SQL that differs from PostgreSQL's (`bot.store.dialect`)

    def __init__(self, path: Path | str, busy_timeout: float | None = None) -> None:
        self.path = str(path)
        self.busy_timeout = BUSY_TIMEOUT if busy_timeout is None else busy_timeout
        self.lock = threading.RLock()
        if self.path != ":memory:":
            folder = Path(self.path).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise store_error(e, str(folder)) from None
            if Path(self.path).is_dir():
                raise StoreError("store unavailable: the store is a folder, not a file", self.path)
        try:
            self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                        timeout=self.busy_timeout)
        except sqlite3.Error as e:
            raise store_error(e, self.path) from None
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.patient(lambda: self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_versions"
                " (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"))
        except sqlite3.Error as e:
            self.conn.close()
            raise store_error(e, self.path) from None

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.conn.close()

    def patient(self, write: Callable[[], _R], wait: bool = True) -> _R:
        """Run a write outside a transaction, waiting for another process's lock (saying so
        once); with `wait=False`, only briefly (a side write that may be dropped)."""
        return patient(self.conn, write, self.busy_timeout, self.path, wait)

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Every row of a query."""
        with self.lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise store_error(e, self.path) from None

    def one(self, sql: str, params: Sequence = ()) -> tuple | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def write(self, sql: str, params: Sequence = (), wait: bool = True) -> int:
        """One statement on its own (autocommit), waiting for the lock unless `wait=False`;
        the last row id."""
        with self.lock:
            try:
                cur = self.patient(lambda: self.conn.execute(sql, params), wait)
            except sqlite3.Error as e:
                raise store_error(e, self.path) from None
            return int(cur.lastrowid or 0)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (waiting for the lock), rolled back on any error."""
        with self.lock:
            try:
                self.patient(lambda: self.conn.execute("BEGIN IMMEDIATE"))
                yield self.conn
                self.conn.execute("COMMIT")
            except sqlite3.Error as e:
                self._rollback()
                raise store_error(e, self.path) from None
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already ended it (a full disk
        or an I/O error may roll back by itself)."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error as e:  # the connection may be gone (disk removed)
                log.warning("rollback failed on %s: %s", self.path, e)

    def migrate(self, component: str, steps: Sequence[Step]) -> int:
        """Apply the schema steps of `component` this file has not seen; its version."""
        row = self.one("SELECT version FROM schema_versions WHERE component=?", (component,))
        version = row[0] if row else 0
        for number, step in enumerate(steps[version:], start=version + 1):
            with self.transaction() as db:
                if callable(step):
                    step(db)
                else:
                    for statement in (s.strip() for s in step.split(";")):
                        if statement:
                            db.execute(statement)
                db.execute(
                    "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version=excluded.version",
                    (component, number),
                )
            log.info("migrated %s to schema version %d", component, number)
        return max(version, len(steps))
