"""Several bot processes over one PostgreSQL store (issue 14): a refresh runs in one of them
at a time (a session advisory lock), and every committed change of a corpus is announced
(NOTIFY footnote_changed, '<corpus>') to the others, which LISTEN on a connection of their
own in a thread and reload that corpus within seconds instead of at their next poll. A
server's settings changed in one process (its channel modes, its sources and shared-corpus
choice) are announced on the same channel as '<setting>:<guild id>' (a corpus id never holds
a colon), and the others drop or re-read what they hold of them.

Both use connections of their own: a session lock lives as long as its connection (so a
process that dies mid-refresh frees it at once), and a listening connection must not be
the shared one that worker threads take turns on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from bot.errors import StoreError
from bot.store.dialect import NOTIFY_CHANNEL
from bot.store.pg.connection import PgDatabase, psycopg

log = logging.getLogger(__name__)

CHANNEL = NOTIFY_CHANNEL
REFRESH_LOCK = 0x666E_7266  # "fnrf": any fixed number, apart from the other keys
RETRY_SECONDS = 5.0  # a lost listening connection is opened again after this


def announce(conn: psycopg.Connection, corpus: str) -> None:
    """Announce a change of this corpus; inside a transaction, delivered when it commits
    (and never if it rolls back). (A setting's change: `bot.store.dialect`'s `notify`.)"""
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, corpus))


def setting_of(payload: str) -> tuple[str, int] | None:
    """(setting, guild id) of a setting's announcement; None for a corpus's."""
    setting, colon, guild = payload.partition(":")
    return (setting, int(guild)) if colon and guild.isdigit() else None


@contextmanager
def refresh_turn(db: PgDatabase) -> Iterator[bool]:
    """Try to take the deployment's refresh lock without waiting: True while this process
    holds it, False when another process is refreshing (the caller skips its run)."""
    conn = db.connect(autocommit=True)
    got = False
    try:
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (REFRESH_LOCK,)).fetchone()[0]
        yield bool(got)
    finally:
        if got:  # released before we return: the server ends a closed session only
            # later, so a close alone left the lock held a moment after the refresh
            with suppress(psycopg.Error):  # a lost connection: its end frees the lock
                conn.execute("SELECT pg_advisory_unlock(%s)", (REFRESH_LOCK,))
        conn.close()  # a process that dies mid-refresh frees the lock with its session


class ChangeListener(threading.Thread):
    """LISTEN footnote_changed on a connection of its own; `changed(corpus)` is called
    from this thread for every announcement (the caller hands it to its event loop), and
    `changed(None)` (look at every corpus) whenever listening starts, for what was missed.
    A setting's announcement goes to `setting(name, guild id)` instead, also called from
    this thread (it re-reads from the store here, off the event loop), and
    `setting(None, None)` (every setting of every server) when listening starts."""

    def __init__(self, db: PgDatabase, changed: Callable[[str | None], None],
                 setting: Callable[[str | None, int | None], None] | None = None) -> None:
        super().__init__(name="pg-listen", daemon=True)
        self.db, self.changed = db, changed
        self.setting = setting or (lambda _name, _guild: None)
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
            self._apply(None, None)  # anything missed while not listening: look once
            self.changed(None)
            while not self._stop.is_set():
                for note in conn.notifies(timeout=1.0):
                    self._deliver(note.payload)

    def _deliver(self, payload: str) -> None:
        found = setting_of(payload)
        if found is None:
            self.changed(payload)
        else:
            self._apply(*found)

    def _apply(self, setting: str | None, guild_id: int | None) -> None:
        try:
            self.setting(setting, guild_id)
        except Exception:  # noqa: BLE001 - keep listening; a later change catches up
            log.exception("applying another process's change of %s (server %s) failed",
                          setting or "every setting", guild_id or "every one")
