"""What the auto-answerer has done: messages it claimed (never two answers to one message,
whatever the restarts and races) and the threads it answered in (their first question is
the context of follow-ups)."""

from __future__ import annotations

import time

from bot.store.connection import Database

SCHEMA = [
    """
    CREATE TABLE auto_claims (message_id INTEGER PRIMARY KEY, claimed_at REAL NOT NULL);
    CREATE INDEX auto_claims_time ON auto_claims(claimed_at);
    CREATE TABLE footnote_threads (
        thread_id INTEGER PRIMARY KEY, question TEXT NOT NULL, started_at REAL NOT NULL
    );
    CREATE INDEX footnote_threads_time ON footnote_threads(started_at)
    """,
]


class AutoState:
    """Claims and threads, in the shared database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = db.dialect.sql  # `?` placeholders as this database writes them
        db.migrate("auto_answers", db.dialect.schema(SCHEMA))

    def claim(self, message_id: int) -> bool:
        """True for the first caller only (per message, across processes and restarts)."""
        with self.db.transaction() as db:
            cur = db.execute(self.sql("INSERT INTO auto_claims(message_id, claimed_at)"
                                      " VALUES (?, ?) ON CONFLICT DO NOTHING"),
                             (message_id, time.time()))
            return cur.rowcount == 1

    def remember_thread(self, thread_id: int, question: str) -> None:
        """A thread Footnote answered in, and the question that started it."""
        self.db.write(self.sql("INSERT INTO footnote_threads(thread_id, question, started_at)"
                               " VALUES (?,?,?) ON CONFLICT DO NOTHING"),
                      (thread_id, question, time.time()))

    def thread_question(self, thread_id: int) -> str | None:
        """The first question of a thread Footnote answered in, else None."""
        row = self.db.one(self.sql("SELECT question FROM footnote_threads WHERE thread_id=?"),
                          (thread_id,))
        return row[0] if row else None

    def prune(self, before: float) -> None:
        """Forget claims and threads older than `before` (a timestamp)."""
        with self.db.transaction() as db:
            db.execute(self.sql("DELETE FROM auto_claims WHERE claimed_at < ?"), (before,))
            db.execute(self.sql("DELETE FROM footnote_threads WHERE started_at < ?"), (before,))
