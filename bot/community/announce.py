"""New-article announcements: a queue in the store that any process fills (a cron ingest
too) and the bot drains, posting each new article once per server.

An article is queued when a refresh adds it for the first time to a source that had been
ingested before: a source's first ingest (the back catalogue) is never announced, and edits
or re-ingests never queue anything. A delivery is claimed before it is sent, so a restart
never re-posts (at most once: a crash between claim and send loses that one post).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.store.connection import Database

SCHEMA = [
    """
    CREATE TABLE announce_channels (
        guild_id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL, set_at REAL NOT NULL
    );
    CREATE TABLE announce_queue (
        id INTEGER PRIMARY KEY,
        article_key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        url TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        queued_at REAL NOT NULL
    );
    CREATE TABLE announce_sent (
        queue_id INTEGER NOT NULL REFERENCES announce_queue(id) ON DELETE CASCADE,
        guild_id INTEGER NOT NULL,
        sent_at REAL NOT NULL,
        PRIMARY KEY (queue_id, guild_id)
    )
    """,
]
KEEP_DAYS = 30  # queue entries older than this are dropped (every server has had its chance)


@dataclass(frozen=True)
class Announcement:
    id: int
    title: str
    url: str
    author: str
    date: str
    summary: str


class Announcements:
    """Announcement channels and the queue of new articles."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("announcements", SCHEMA)

    def set_channel(self, guild_id: int, channel_id: int | None) -> None:
        """Where a server's announcements go (None: stop announcing)."""
        if channel_id is None:
            self.db.write("DELETE FROM announce_channels WHERE guild_id=?", (guild_id,))
            return
        self.db.write(
            "INSERT INTO announce_channels(guild_id, channel_id, set_at) VALUES (?,?,?)"
            " ON CONFLICT(guild_id) DO UPDATE SET channel_id=excluded.channel_id",
            (guild_id, channel_id, time.time()),
        )

    def channel(self, guild_id: int) -> int | None:
        """A server's announcement channel, if set."""
        row = self.db.one("SELECT channel_id FROM announce_channels WHERE guild_id=?",
                          (guild_id,))
        return int(row[0]) if row else None

    def channels(self) -> dict[int, int]:
        """guild id -> announcement channel id."""
        return {int(g): int(c) for g, c in
                self.db.rows("SELECT guild_id, channel_id FROM announce_channels")}

    def enqueue(self, key: str, title: str, url: str = "", author: str = "", date: str = "",
                summary: str = "") -> bool:
        """Queue a new article once (by its identity); False when it was queued before."""
        with self.db.transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO announce_queue(article_key, title, url, author, date,"
                " summary, queued_at) VALUES (?,?,?,?,?,?,?)",
                (key, title, url, author, date, summary, time.time()),
            )
            return cur.rowcount == 1

    def claim(self, guild_id: int, limit: int = 5) -> list[Announcement]:
        """Queued articles not yet sent to this server (only those queued after its channel
        was first set: no backlog flood), marked sent in the same transaction."""
        with self.db.transaction() as db:
            rows = db.execute(
                "SELECT q.id, title, url, author, date, summary FROM announce_queue q"
                " JOIN announce_channels c ON c.guild_id = ? WHERE q.queued_at >= c.set_at"
                " AND NOT EXISTS (SELECT 1 FROM announce_sent s"
                " WHERE s.queue_id = q.id AND s.guild_id = c.guild_id) ORDER BY q.id LIMIT ?",
                (guild_id, limit),
            ).fetchall()
            now = time.time()
            db.executemany(
                "INSERT INTO announce_sent(queue_id, guild_id, sent_at) VALUES (?,?,?)",
                [(r[0], guild_id, now) for r in rows],
            )
        return [Announcement(*r) for r in rows]

    def prune(self, now: float | None = None) -> None:
        """Drop queue entries every server has had time to receive."""
        cutoff = (time.time() if now is None else now) - KEEP_DAYS * 86400
        self.db.write("DELETE FROM announce_queue WHERE queued_at < ?", (cutoff,))
