"""HTTP validators (ETag, Last-Modified) kept between runs for conditional GETs."""

from __future__ import annotations

import time

from bot.sources.validators import Validators
from bot.store.connection import Database

MIGRATIONS = ("""
    CREATE TABLE IF NOT EXISTS http_cache (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, fetched_at REAL
    )""",)


class HttpValidators(Validators):
    """`sources.validators.Validators` over the store."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("http_validators", MIGRATIONS)

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.one("SELECT etag, last_modified FROM http_cache WHERE url=?", (url,))
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.db.write("INSERT OR REPLACE INTO http_cache(url, etag, last_modified, fetched_at)"
                      " VALUES (?,?,?,?)", (url, etag, last_modified, time.time()))
