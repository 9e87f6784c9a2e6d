"""Several bot processes over one PostgreSQL store (issue 14): a refresh runs in one of them
at a time (a session advisory lock), and every committed change of a corpus is announced
(NOTIFY footnote_changed, '<corpus>') to the others, which LISTEN on a connection of their
own in a thread and reload that corpus within seconds instead of at their next poll.

Both use connections of their own: a session lock lives as long as its connection (so a
process that dies mid-refresh frees it at once), and a listening connection must not be
the shared one that worker threads take turns on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.errors import StoreError
from bot.store.pg.connection import PgDatabase, psycopg

log = logging.getLogger(__name__)

CHANNEL = "footnote_changed"
REFRESH_LOCK = 0x666E_7266  # "fnrf": any fixed number, apart from the other keys
RETRY_SECONDS = 5.0  # a lost listening connection is opened again after this


def announce(conn: psycopg.Connection, corpus: str) -> None:
    """Announce a change of this corpus; inside a transaction, delivered when it commits
    (and never if it rolls back)."""
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, corpus))


@contextmanager
def refresh_turn(db: PgDatabase) -> Iterator[bool]:
    """Try to take the deployment's refresh lock without waiting: True while this process
    holds it, False when another process is refreshing (the caller skips its run)."""
    conn = db.connect(autocommit=True)
    try:
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (REFRESH_LOCK,)).fetchone()[0]
        yield bool(got)
    finally:
        conn.close()  # ends the session: the lock is released with it


class ChangeListener(threading.Thread):
    """LISTEN footnote_changed on a connection of its own; `changed(corpus)` is called
    from this thread for every announcement (the caller hands it to its event loop), and
    `changed(None)` (look at every corpus) whenever listening starts, for what was missed."""

    def __init__(self, db: PgDatabase, changed: Callable[[str | None], None]) -> None:
        super().__init__(name="pg-listen", daemon=True)
        self.db, self.changed = db, changed
        self._stop = threading.Event()
        self.listening = threading.Event()  # set once LISTEN is in effect (tests wait on it)

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except (StoreError, psycopg.Error) as e:
                self.listening.clear()
                log.warning("listening for store changes failed (%s); again in %.0f s",
                            " ".join(str(e).split()), RETRY_SECONDS)
                self._stop.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        with self.db.connect(autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.listening.set()
            self.changed(None)  # anything missed while not listening: look once
            while not self._stop.is_set():
                for note in conn.notifies(timeout=1.0):
                    self.changed(note.payload)
