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

from bot.store.articles import scoped_name
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
    # Per-server corpora: a queued article is posted only in servers that read its corpus.
    "ALTER TABLE announce_queue ADD COLUMN corpus TEXT NOT NULL DEFAULT ''",
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
        self.sql = db.dialect.sql  # `?` placeholders as this database writes them
        db.migrate("announcements", db.dialect.schema(SCHEMA))

    def set_channel(self, guild_id: int, channel_id: int | None) -> None:
        """Where a server's announcements go (None: stop announcing)."""
        if channel_id is None:
            self.db.write(self.sql("DELETE FROM announce_channels WHERE guild_id=?"),
                          (guild_id,))
            return
        self.db.write(self.sql(
            "INSERT INTO announce_channels(guild_id, channel_id, set_at) VALUES (?,?,?)"
            " ON CONFLICT(guild_id) DO UPDATE SET channel_id=excluded.channel_id"),
            (guild_id, channel_id, time.time()),
        )

    def channel(self, guild_id: int) -> int | None:
        """A server's announcement channel, if set."""
        row = self.db.one(self.sql("SELECT channel_id FROM announce_channels WHERE guild_id=?"),
                          (guild_id,))
        return int(row[0]) if row else None

    def channels(self) -> dict[int, int]:
        """guild id -> announcement channel id."""
        return {int(g): int(c) for g, c in
                self.db.rows("SELECT guild_id, channel_id FROM announce_channels")}

    def enqueue(self, key: str, title: str, url: str = "", author: str = "", date: str = "",
                summary: str = "", corpus: str = "") -> bool:
        """Queue a new article of a corpus once (by its identity); False when it was queued
        before."""
        with self.db.transaction() as db:
            cur = db.execute(self.sql(
                "INSERT INTO announce_queue(article_key, title, url, author, date,"
                " summary, queued_at, corpus) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"),
                (scoped_name(corpus, key), title, url, author, date, summary, time.time(),
                 corpus),
            )
            return cur.rowcount == 1

    def claim(self, guild_id: int, limit: int = 5, corpora: tuple[str, ...] = ("",)
              ) -> list[Announcement]:
        """Queued articles of these corpora not yet sent to this server (only those queued
        after its channel was first set: no backlog flood), marked sent in the same
        transaction."""
        marks = ",".join("?" * len(corpora))
        with self.db.transaction() as db:
            rows = db.execute(self.sql(
                "SELECT q.id, title, url, author, date, summary FROM announce_queue q"
                " JOIN announce_channels c ON c.guild_id = ? WHERE q.queued_at >= c.set_at"
                f" AND q.corpus IN ({marks}) AND NOT EXISTS (SELECT 1 FROM announce_sent s"
                " WHERE s.queue_id = q.id AND s.guild_id = c.guild_id) ORDER BY q.id LIMIT ?"),
                (guild_id, *corpora, limit),
            ).fetchall()
            now = time.time()
            db.cursor().executemany(self.sql(  # (psycopg's connection has no executemany)
                "INSERT INTO announce_sent(queue_id, guild_id, sent_at) VALUES (?,?,?)"),
                [(r[0], guild_id, now) for r in rows],
            )
        return [Announcement(*r) for r in rows]

    def prune(self, now: float | None = None) -> None:
        """Drop queue entries every server has had time to receive."""
        cutoff = (time.time() if now is None else now) - KEEP_DAYS * 86400
        self.db.write(self.sql("DELETE FROM announce_queue WHERE queued_at < ?"), (cutoff,))
