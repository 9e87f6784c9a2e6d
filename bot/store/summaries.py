"""The summary cache, keyed by the article's text hash and the summary parameters."""

from __future__ import annotations

import json

from bot.store.connection import Database

MIGRATIONS = ("""
    CREATE TABLE IF NOT EXISTS summaries (
        text_hash TEXT NOT NULL, params TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (text_hash, params)
    )""",)


class SummaryCache:
    """Summaries already made; an article's new text has a new hash, so no invalidation."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("summaries", MIGRATIONS)

    def get(self, text_hash: str, params: str) -> dict | None:
        """A cached summary for this text and these parameters, if any."""
        row = self.db.one("SELECT body FROM summaries WHERE text_hash=? AND params=?",
                          (text_hash, params))
        return json.loads(row[0]) if row else None

    def put(self, text_hash: str, params: str, body: dict) -> None:
        """Remember a summary (a side write: it never waits long for the lock)."""
        self.db.write("INSERT OR REPLACE INTO summaries(text_hash, params, body) VALUES (?,?,?)",
                      (text_hash, params, json.dumps(body)), wait=False)
