"""HTTP validators (ETag, Last-Modified) on PostgreSQL (as `bot.store.validators`)."""

from __future__ import annotations

import time

from bot.sources.validators import Validators
from bot.store.pg.connection import PgDatabase

MIGRATIONS = ("""
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, fetched_at DOUBLE PRECISION
    )""",)


class PgValidators(Validators):
    """`sources.validators.Validators` over PostgreSQL."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        db.migrate("http_validators", MIGRATIONS)

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.one("SELECT etag, last_modified FROM http_cache WHERE url=%s", (url,))
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.db.write("INSERT INTO http_cache(url, etag, last_modified, fetched_at)"
                      " VALUES (%s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET"
                      " etag=excluded.etag, last_modified=excluded.last_modified,"
                      " fetched_at=excluded.fetched_at",
                      (url, etag, last_modified, time.time()))
