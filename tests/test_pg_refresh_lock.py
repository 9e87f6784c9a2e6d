"""The deployment's refresh lock (issue 14) is free the moment a refresh ends: the next
process's try succeeds at once, not once the server has acted on a closed session (which
it does a moment later, and later still on a busy machine)."""

from __future__ import annotations

from bot.store import open_stores
from bot.store.pg.notify import refresh_turn


class SlowToClose:
    """A connection whose close the server has not acted on yet: the session lives on."""

    def __init__(self, conn, kept: list) -> None:
        self._conn = conn
        kept.append(conn)

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def close(self) -> None:
        pass


def test_the_refresh_lock_is_free_as_soon_as_a_turn_ends(pg_url, monkeypatch):
    a, b = open_stores(pg_url), open_stores(pg_url)  # two processes' connections
    kept: list = []
    connect = a.db.connect
    monkeypatch.setattr(a.db, "connect", lambda **kw: SlowToClose(connect(**kw), kept))
    try:
        with refresh_turn(a.db) as mine:
            assert mine
            with refresh_turn(b.db) as theirs:
                assert not theirs  # held: the other process skips its run
        with refresh_turn(b.db) as theirs:
            assert theirs  # freed at once, though a's session has not ended
    finally:
        for conn in kept:
            conn.close()
        a.close()
        b.close()
