"""Questions behind "More passages" buttons, so the buttons outlive a restart."""

from __future__ import annotations

import contextlib
import time

from bot.errors import StoreError
from bot.store.connection import Database

MIGRATIONS = ("""
    CREATE TABLE IF NOT EXISTS questions (
        id INTEGER PRIMARY KEY, text TEXT NOT NULL, asked_at REAL NOT NULL
    )""",)
KEEP = 50_000  # the newest questions kept; older buttons say the question is gone


class Questions:
    """Remembered questions by id."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("questions", MIGRATIONS)

    def remember(self, text: str) -> int:
        """Keep a question for its button; its id. A side write: it never waits long for
        the lock (the answer goes out without the button instead)."""
        qid = self.db.write("INSERT INTO questions(text, asked_at) VALUES (?, ?)",
                            (text, time.time()), wait=False)
        if qid % 1000 == 0:  # now and then, forget the oldest
            with contextlib.suppress(StoreError):  # next time, then
                self.db.write("DELETE FROM questions WHERE id <= ?", (qid - KEEP,), wait=False)
        return qid

    def get(self, qid: int) -> str | None:
        """A remembered question, or None once forgotten."""
        row = self.db.one("SELECT text FROM questions WHERE id=?", (qid,))
        return row[0] if row else None
