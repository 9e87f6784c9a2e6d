"""Refresh bookkeeping per source on PostgreSQL (as `bot.store.sources`)."""

from __future__ import annotations

import time

from bot.store.pg.connection import PgDatabase

MIGRATIONS = ("""
    CREATE TABLE sources (
        name TEXT PRIMARY KEY, last_refresh DOUBLE PRECISION, last_status TEXT, cursor TEXT
    )""",)


class PgSourceStates:
    """(last refresh, status, cursor) per source name (the `SourceState` protocol)."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        db.migrate("sources", MIGRATIONS)

    def get(self, name: str) -> tuple[float | None, str, str]:
        """(last refresh, status, cursor) of a source."""
        row = self.db.one("SELECT last_refresh, last_status, cursor FROM sources WHERE name=%s",
                          (name,))
        return (row[0], row[1] or "", row[2] or "") if row else (None, "", "")

    def record(self, name: str, status: str, cursor: str | None = None) -> None:
        """Record a refresh of a source (the cursor is kept when None), in one statement."""
        self.db.write("INSERT INTO sources(name, last_refresh, last_status, cursor)"
                      " VALUES (%s, %s, %s, COALESCE(%s, '')) ON CONFLICT (name) DO UPDATE SET"
                      " last_refresh=excluded.last_refresh, last_status=excluded.last_status,"
                      " cursor=COALESCE(%s, sources.cursor)",
                      (name, time.time(), status, cursor, cursor))

    def all(self, prefix: str = "") -> list[tuple[str, float | None, str]]:
        """(name, last refresh, status) of the shared corpus's sources, or with `prefix`
        of that server's (as bot.store.sources)."""
        rows = self.db.rows("SELECT name, last_refresh, last_status FROM sources")
        return [(r[0][len(prefix):], r[1], r[2] or "") for r in rows
                if (r[0].startswith(prefix) if prefix else "\x1f" not in r[0])]
