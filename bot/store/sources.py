"""Refresh bookkeeping per source: when it last ran, how it went, and where it stopped
(a cursor a resumable listing continues from)."""

from __future__ import annotations

import sqlite3
import time

from bot.sources.normal import source_name
from bot.store.connection import Database


def _one_name_per_site(db: sqlite3.Connection) -> None:
    """Source names of URL sources in their normal form (`http://host:80` and `http://host/`
    were two sources of one site). Of rows that merge, the latest refresh is kept; its
    cursor is dropped, so the next refresh lists the site afresh. The articles' source
    column follows (the articles' schema is migrated first)."""
    for name, last in db.execute("SELECT name, last_refresh FROM sources").fetchall():
        new = source_name(name)
        if new == name:
            continue
        kept = db.execute("SELECT last_refresh FROM sources WHERE name=?", (new,)).fetchone()
        if kept is None or (kept[0] or 0) <= (last or 0):
            db.execute("INSERT OR REPLACE INTO sources SELECT ?, last_refresh, last_status, NULL"
                       " FROM sources WHERE name=?", (new, name))
        db.execute("DELETE FROM sources WHERE name=?", (name,))
    for (name,) in db.execute("SELECT DISTINCT source FROM articles").fetchall():
        if source_name(name) != name:
            db.execute("UPDATE articles SET source=? WHERE source=?", (source_name(name), name))


MIGRATIONS = (
    """CREATE TABLE IF NOT EXISTS sources (
        name TEXT PRIMARY KEY, last_refresh REAL, last_status TEXT, cursor TEXT
    )""",
    _one_name_per_site,
)


class SourceStates:
    """(last refresh, status, cursor) per source name."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("sources", MIGRATIONS)

    def get(self, name: str) -> tuple[float | None, str, str]:
        """(last refresh, status, cursor) of a source."""
        row = self.db.one("SELECT last_refresh, last_status, cursor FROM sources WHERE name=?",
                          (name,))
        return (row[0], row[1] or "", row[2] or "") if row else (None, "", "")

    def record(self, name: str, status: str, cursor: str | None = None) -> None:
        """Record a refresh of a source (the cursor is kept when None)."""
        with self.db.transaction() as db:
            row = db.execute("SELECT cursor FROM sources WHERE name=?", (name,)).fetchone()
            old = row[0] if row and row[0] else ""
            db.execute("INSERT OR REPLACE INTO sources(name, last_refresh, last_status, cursor)"
                       " VALUES (?,?,?,?)",
                       (name, time.time(), status, cursor if cursor is not None else old))

    def all(self) -> list[tuple[str, float | None, str]]:
        """(name, last refresh, status) of every source seen."""
        return [(r[0], r[1], r[2] or "") for r in
                self.db.rows("SELECT name, last_refresh, last_status FROM sources")]
