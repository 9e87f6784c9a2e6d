"""Questions behind "More passages" buttons, so the buttons outlive a restart."""

from __future__ import annotations

import contextlib
import time

from bot.errors import StoreError
from bot.store.connection import Database

MIGRATIONS = ("""
    CREATE TABLE IF NOT EXISTS questions (
        id INTEGER PRIMARY KEY, text TEXT NOT NULL, asked_at REAL NOT NULL
    )""",
    # Per-server corpora: the server a question was asked in; a button elsewhere finds nothing.
    "ALTER TABLE questions ADD COLUMN scope TEXT NOT NULL DEFAULT ''",
)
KEEP = 50_000  # the newest questions kept; older buttons say the question is gone


class Questions:
    """Remembered questions by id."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("questions", MIGRATIONS)

    def remember(self, text: str, scope: str = "") -> int:
        """Keep a question for its button; its id. A side write: it never waits long for
        the lock (the answer goes out without the button instead)."""
        qid = self.db.write("INSERT INTO questions(text, asked_at, scope) VALUES (?, ?, ?)",
                            (text, time.time(), scope), wait=False)
        if qid % 1000 == 0:  # now and then, forget the oldest
            with contextlib.suppress(StoreError):  # next time, then
                self.db.write("DELETE FROM questions WHERE id <= ?", (qid - KEEP,), wait=False)
        return qid

    def get(self, qid: int, scope: str = "") -> str | None:
        """A remembered question (asked in `scope`), or None once forgotten."""
        row = self.db.one("SELECT text FROM questions WHERE id=? AND scope=?", (qid, scope))
        return row[0] if row else None
