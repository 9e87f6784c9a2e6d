"""The sources a server's admins added in Discord (`/footnote source add`), and whether the
server also searches the shared corpus. The config's [[guilds]] tables are read beside it.
Every change is announced to the other processes on a shared (PostgreSQL) store, which then
make that server's Service afresh (`bot.corpora.Corpora.setting_changed`)."""

from __future__ import annotations

import time

from bot.store.connection import Database
from bot.store.dialect import SOURCES_CHANGED

MIGRATIONS = ("""
    CREATE TABLE IF NOT EXISTS guild_sources (
        guild_id INTEGER NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'auto',
        added_at REAL NOT NULL, PRIMARY KEY (guild_id, url)
    );
    CREATE TABLE IF NOT EXISTS guild_prefs (
        guild_id INTEGER PRIMARY KEY, shared INTEGER NOT NULL
    )""",)


class GuildSources:
    """Per server: its own source URLs, and its shared-corpus choice."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = db.dialect.sql  # `?` placeholders as this database writes them
        db.migrate("guild_sources", db.dialect.schema(MIGRATIONS))

    def add(self, guild_id: int, url: str, kind: str = "auto") -> bool:
        """Add a source; False when the server had it already."""
        with self.db.transaction() as db:
            added = db.execute(self.sql(
                "INSERT INTO guild_sources(guild_id, url, kind, added_at) VALUES (?,?,?,?)"
                " ON CONFLICT DO NOTHING"), (guild_id, url, kind, time.time())).rowcount == 1
            if added:
                self.db.dialect.notify(db, SOURCES_CHANGED, guild_id)
            return added

    def remove(self, guild_id: int, url: str) -> bool:
        """Remove a source; False when the server did not have it."""
        with self.db.transaction() as db:
            gone = db.execute(self.sql("DELETE FROM guild_sources WHERE guild_id=? AND url=?"),
                              (guild_id, url)).rowcount == 1
            if gone:
                self.db.dialect.notify(db, SOURCES_CHANGED, guild_id)
            return gone

    def sources(self, guild_id: int) -> list[tuple[str, str]]:
        """(url, kind) of a server's sources, oldest first."""
        return [(r[0], r[1]) for r in self.db.rows(self.sql(
            "SELECT url, kind FROM guild_sources WHERE guild_id=? ORDER BY added_at, url"),
            (guild_id,))]

    def guilds(self) -> list[int]:
        """Servers with sources of their own."""
        return [int(r[0]) for r in self.db.rows("SELECT DISTINCT guild_id FROM guild_sources")]

    def shared(self, guild_id: int) -> bool | None:
        """The server's choice to search the shared corpus too (None: never chosen)."""
        row = self.db.one(self.sql("SELECT shared FROM guild_prefs WHERE guild_id=?"),
                          (guild_id,))
        return bool(row[0]) if row else None

    def set_shared(self, guild_id: int, shared: bool) -> None:
        with self.db.transaction() as db:
            db.execute(self.sql("INSERT INTO guild_prefs(guild_id, shared) VALUES (?,?)"
                                " ON CONFLICT(guild_id) DO UPDATE SET shared=excluded.shared"),
                       (guild_id, int(shared)))
            self.db.dialect.notify(db, SOURCES_CHANGED, guild_id)
