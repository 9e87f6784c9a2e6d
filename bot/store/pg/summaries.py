"""The summary cache on PostgreSQL (as `bot.store.summaries`)."""

from __future__ import annotations

import json

from bot.store.pg.connection import PgDatabase

MIGRATIONS = ("""
    CREATE TABLE summaries (
        text_hash TEXT NOT NULL, params TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (text_hash, params)
    )""",)


class PgSummaries:
    """Summaries already made, by text hash and parameters (the `Summaries` protocol)."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        db.migrate("summaries", MIGRATIONS)

    def get(self, text_hash: str, params: str) -> dict | None:
        """A cached summary for this text and these parameters, if any."""
        row = self.db.one("SELECT body FROM summaries WHERE text_hash=%s AND params=%s",
                          (text_hash, params))
        return json.loads(row[0]) if row else None

    def put(self, text_hash: str, params: str, body: dict) -> None:
        """Remember a summary (the last one made wins)."""
        self.db.write("INSERT INTO summaries(text_hash, params, body) VALUES (%s, %s, %s)"
                      " ON CONFLICT (text_hash, params) DO UPDATE SET body=excluded.body",
                      (text_hash, params, json.dumps(body)))
