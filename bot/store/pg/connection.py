"""One PostgreSQL database shared by the store of every concern (psycopg 3, sync: the store
is called through asyncio.to_thread), each concern owning its tables.

As with SQLite (`bot.store.connection`), every concern declares its schema as numbered
steps and `migrate` applies those the database has not seen, recording the version per
concern in `schema_versions`. Here all of a concern's pending steps run in one transaction
that first takes a transaction-level advisory lock, so two processes starting together
never both migrate: the second waits, then finds the steps done. One connection behind one
lock serves the short statements; a long read (iterating the corpus) takes its own, one of
a few kept open between reads (opening one costs more than reading a small corpus).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from bot.errors import ConfigError, StoreError
from bot.store.dialect import POSTGRESQL

try:
    import psycopg
except ImportError:  # an optional extra: SQLite needs nothing
    psycopg = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x666E_6D67  # advisory lock keys ("fnmg", "fnin"): any fixed numbers
INGEST_LOCK = 0x666E_696E
CONNECT_SECONDS = 10
IDLE_READERS = 2  # connections of long reads kept open for the next (a corpus load reuses one)

# A migration step: SQL statements (";"-separated) or a function of the open transaction.
Step = str | Callable[["psycopg.Connection"], None]


def shown(url: str) -> str:
    """The URL without its password (in the user part or as a parameter), for messages."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
    query = "&".join("password=***" if q.startswith("password=") else q
                     for q in parts.query.split("&")) if parts.query else ""
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def pg_error(error: Exception, where: str) -> StoreError:
    """One clear line for a failure of the PostgreSQL store."""
    text = " ".join(str(error).split()) or type(error).__name__
    if psycopg is not None and isinstance(error, psycopg.OperationalError):
        return StoreError(f"store unavailable: cannot reach PostgreSQL: {text}", where)
    return StoreError(f"store unavailable: {text}", where)


def _close_all(*groups: list[psycopg.Connection]) -> None:
    for group in groups:
        for conn in list(group):
            with contextlib.suppress(psycopg.Error):  # a broken one has nothing to close
                conn.close()


class PgDatabase:
    """A PostgreSQL database behind one lock: safe to share between the bot's worker
    threads. `path` is the URL without its password (what messages name)."""

    dialect = POSTGRESQL  # for the stores written once for both (`bot.store.dialect`)

    def __init__(self, url: str) -> None:
        if psycopg is None:
            raise ConfigError("storage.url is a PostgreSQL URL but psycopg is not installed: "
                              "pip install 'footnote[postgres]'")
        self.url = url
        self.path = shown(url)
        self.lock = threading.RLock()
        self._main: list[psycopg.Connection] = []
        self.conn = self.connect(autocommit=True)
        self._idle: list[psycopg.Connection] = []  # long reads' connections, between reads
        self._idle_lock = threading.Lock()
        # A database dropped without close() (a failed start, a forgotten store) closes its
        # connections itself: left to psycopg's own finaliser they warn, at a random later
        # moment, that they were deleted while still open.
        weakref.finalize(self, _close_all, self._main, self._idle)

    @property
    def conn(self) -> psycopg.Connection:
        return self._main[0]

    @conn.setter
    def conn(self, conn: psycopg.Connection) -> None:
        self._main[:] = [conn]

    def connect(self, autocommit: bool) -> psycopg.Connection:
        """A new connection to the database (its failure as one StoreError line)."""
        try:
            return psycopg.connect(self.url, autocommit=autocommit,
                                   connect_timeout=CONNECT_SECONDS)
        except psycopg.Error as e:
            raise pg_error(e, self.path) from None

    @contextmanager
    def reading(self) -> Iterator[psycopg.Connection]:
        """A connection of its own for a long read, in a transaction (a server-side cursor
        needs one): an idle one kept from an earlier read, else a new one. Rolled back
        after, and kept for the next read unless it failed or enough are kept."""
        with self._idle_lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed or conn.broken:
            conn = self.connect(autocommit=False)
        reusable = False
        try:
            yield conn
            reusable = True
        finally:
            try:
                conn.rollback()  # the read is over: its snapshot with it
            except psycopg.Error:
                reusable = False
            with self._idle_lock:
                keep = reusable and not conn.broken and len(self._idle) < IDLE_READERS
                if keep:
                    self._idle.append(conn)
            if not keep:
                conn.close()

    def _live(self) -> psycopg.Connection:
        """The shared connection, opened again if the server dropped it (a restart)."""
        if self.conn.closed or self.conn.broken:
            log.warning("the PostgreSQL connection to %s was lost; connecting again",
                        self.path)
            self.conn = self.connect(autocommit=True)
        return self.conn

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.conn.close()
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Every row of a query."""
        with self.lock:
            try:
                return self._live().execute(sql, params).fetchall()
            except psycopg.Error as e:
                raise pg_error(e, self.path) from None

    def one(self, sql: str, params: Sequence = ()) -> tuple | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def write(self, sql: str, params: Sequence = (), wait: bool = True) -> int:
        """One statement on its own (autocommit); the first column of what it returns
        (`RETURNING id`), else 0. `wait` is SQLite's (PostgreSQL's row locks are short)."""
        with self.lock:
            try:
                cur = self._live().execute(sql, params)
                row = cur.fetchone() if cur.description else None
            except psycopg.Error as e:
                raise pg_error(e, self.path) from None
            return int(row[0]) if row else 0

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """BEGIN ... COMMIT, rolled back on any error."""
        with self.lock:
            try:
                with self._live().transaction():
                    yield self.conn
            except psycopg.Error as e:
                raise pg_error(e, self.path) from None

    def migrate(self, component: str, steps: Sequence[Step]) -> int:
        """Apply the schema steps of `component` this database has not seen, in one
        transaction under the migration lock; its version."""
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_versions"
                       " (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM schema_versions WHERE component=%s",
                             (component,)).fetchone()
            version = row[0] if row else 0
            for number, step in enumerate(steps[version:], start=version + 1):
                if callable(step):
                    step(db)
                else:
                    for statement in (s.strip() for s in step.split(";")):
                        if statement:
                            db.execute(statement)
                db.execute("INSERT INTO schema_versions(component, version) VALUES (%s, %s)"
                           " ON CONFLICT(component) DO UPDATE SET version=excluded.version",
                           (component, number))
                log.info("migrated %s to schema version %d", component, number)
        return max(version, len(steps))
