"""One SQLite database shared by the stores of each concern, each owning its tables.

Every concern (articles, feedback, channel modes, announcements ...) declares its schema as
numbered migration steps; `migrate` applies the steps a file has not seen yet, in one
transaction per step, and records the version per concern. SQLite errors become StoreError
with one line a user can act on; a transaction is rolled back only when one is open.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bot.errors import StoreError

log = logging.getLogger(__name__)

BUSY_SECONDS = 30.0  # another process writing (a cron ingest) is waited for this long


def store_error(e: sqlite3.Error, path: str) -> StoreError:
    """A one-line StoreError for a SQLite failure."""
    text = str(e).lower()
    if "locked" in text or "busy" in text:
        why = "the database is locked by another process; try again later"
    elif "full" in text:
        why = "the disk (or the database's size limit) is full"
    elif "readonly" in text or "read-only" in text:
        why = "the database file is read-only"
    elif "not a database" in text or "malformed" in text:
        why = "the file is not a Footnote database or is damaged"
    else:
        why = str(e)
    return StoreError(f"store unavailable ({path}): {why}")


class Database:
    """A SQLite file (WAL) behind one lock: safe to share between the bot's worker threads."""

    def __init__(self, path: Path | str, busy_seconds: float = BUSY_SECONDS) -> None:
        self.path = str(path)
        self.busy_seconds = busy_seconds
        self._lock = threading.RLock()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=busy_seconds)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS schema_versions"
                " (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
        except sqlite3.Error as e:
            raise store_error(e, self.path) from None
        except OSError as e:
            raise StoreError(f"store unavailable ({self.path}): {e.strerror or e}") from None

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Every row of a query."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise store_error(e, self.path) from None

    def one(self, sql: str, params: Sequence = ()) -> tuple | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def write(self, sql: str, params: Sequence = ()) -> int:
        """One statement in its own transaction; the last row id."""
        with self.transaction() as db:
            return int(db.execute(sql, params).lastrowid or 0)

    def side_write(self, sql: str, params: Sequence = (), seconds: float = 0.5) -> int:
        """`write`, waiting at most `seconds` for another writer (a long ingest): for records
        that must never hold up an answer (the caller goes on without them)."""
        with self._lock:
            self._db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
            try:
                return self.write(sql, params)
            finally:
                self._db.execute(f"PRAGMA busy_timeout = {int(self.busy_seconds * 1000)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (only if one is open)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.Error as e:
                self._rollback()
                raise store_error(e, self.path) from None
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:  # the connection may be gone (disk removed): nothing to undo
                log.warning("rollback failed on %s", self.path)

    def migrate(self, component: str, steps: Sequence[str]) -> int:
        """Apply the schema steps of `component` this file has not seen; its version."""
        row = self.one("SELECT version FROM schema_versions WHERE component=?", (component,))
        version = row[0] if row else 0
        for number, script in enumerate(steps[version:], start=version + 1):
            with self.transaction() as db:
                for statement in (s.strip() for s in script.split(";")):
                    if statement:
                        db.execute(statement)
                db.execute(
                    "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version=excluded.version",
                    (component, number),
                )
            log.info("migrated %s to schema version %d", component, number)
        return max(version, len(steps))
