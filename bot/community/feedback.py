"""What readers asked in Discord, what they got, and how they voted: the feedback store.

Privacy by construction: question text, channel and time are kept; user names never; user
ids only as a keyed hash (HMAC with a per-install secret), so a record can be forgotten on
request but not traced back to a person. Records older than the retention are pruned.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from bot.store.connection import Database

SCHEMA = [
    """
    CREATE TABLE community_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE asks (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL DEFAULT 0,
        channel_id INTEGER NOT NULL DEFAULT 0,
        question TEXT NOT NULL,
        status TEXT NOT NULL,
        confidence REAL NOT NULL DEFAULT 0,
        passages TEXT NOT NULL DEFAULT '[]',
        nearest TEXT NOT NULL DEFAULT '',
        asker TEXT NOT NULL DEFAULT '',
        asked_at REAL NOT NULL
    );
    CREATE INDEX asks_time ON asks(asked_at);
    CREATE INDEX asks_asker ON asks(asker);
    CREATE TABLE votes (
        ask_id INTEGER NOT NULL REFERENCES asks(id) ON DELETE CASCADE,
        voter TEXT NOT NULL,
        vote INTEGER NOT NULL,
        voted_at REAL NOT NULL,
        PRIMARY KEY (ask_id, voter)
    );
    CREATE INDEX votes_voter ON votes(voter)
    """,
]


# Up and down votes of an ask (in the SQL of both backends: no boolean sums), and a
# record's columns; PostgreSQL allows no output alias in HAVING, so the sums are repeated.
_UP = "COALESCE(SUM(CASE WHEN v.vote > 0 THEN 1 ELSE 0 END), 0)"
_DOWN = "COALESCE(SUM(CASE WHEN v.vote < 0 THEN 1 ELSE 0 END), 0)"
_COLUMNS = ("a.id, guild_id, channel_id, question, status, confidence, passages, nearest,"
            f" asked_at, {_UP}, {_DOWN}")


@dataclass(frozen=True)
class AskRecord:
    id: int
    guild_id: int
    channel_id: int
    question: str
    status: str
    confidence: float
    passages: list
    nearest: str
    asked_at: float
    up: int = 0
    down: int = 0


class Feedback:
    """Asks and votes, with retention and forgetting."""

    def __init__(self, db: Database, retention_days: float = 90.0) -> None:
        self.db = db
        self.retention_days = retention_days
        self.sql = db.dialect.sql  # `?` placeholders as this database writes them
        db.migrate("feedback", db.dialect.schema(SCHEMA))
        row = db.one("SELECT value FROM community_meta WHERE key='secret'")
        if row is None:
            db.write(self.sql("INSERT INTO community_meta(key, value) VALUES('secret', ?)"
                              " ON CONFLICT DO NOTHING"), (secrets.token_hex(32),))
            row = db.one("SELECT value FROM community_meta WHERE key='secret'")
        self._secret = bytes.fromhex(row[0]) if row else b""

    def user_key(self, user_id: int) -> str:
        """The keyed hash stored instead of a user id."""
        return hmac.new(self._secret, str(int(user_id)).encode(), hashlib.sha256).hexdigest()[:32]

    def record_ask(self, question: str, status: str, confidence: float = 0.0,
                   passages: list | None = None, nearest: str = "", guild_id: int = 0,
                   channel_id: int = 0, user_id: int | None = None,
                   now: float | None = None) -> int:
        """Keep one question and what it got; its id (carried by the vote buttons). A side
        write: it waits only briefly for another writer (StoreError then)."""
        asker = self.user_key(user_id) if user_id is not None else ""
        return self.db.write(self.sql(
            "INSERT INTO asks(guild_id, channel_id, question, status, confidence, passages,"
            " nearest, asker, asked_at) VALUES (?,?,?,?,?,?,?,?,?)"
            + self.db.dialect.returning_id),
            (guild_id, channel_id, question, status, float(confidence),
             json.dumps(passages or [], ensure_ascii=False), nearest, asker,
             time.time() if now is None else now), wait=False,
        )

    def ask(self, ask_id: int) -> AskRecord | None:
        """One record with its vote counts, or None once pruned or forgotten."""
        row = self.db.one(self.sql(
            f"SELECT {_COLUMNS} FROM asks a LEFT JOIN votes v ON v.ask_id = a.id"
            " WHERE a.id=? GROUP BY a.id"),
            (ask_id,),
        )
        return _record(row) if row else None

    def vote(self, ask_id: int, user_id: int, vote: int, now: float | None = None,
             guild_id: int | None = None) -> bool:
        """Record (or replace) one person's vote on one answer; False when the answer's
        record is gone (pruned: too old to rate) or, with `guild_id`, is another server's."""
        voter = self.user_key(user_id)
        with self.db.transaction() as db:
            row = db.execute(self.sql("SELECT guild_id FROM asks WHERE id=?"),
                             (ask_id,)).fetchone()
            if row is None or (guild_id is not None and row[0] != guild_id):
                return False
            db.execute(self.sql(
                "INSERT INTO votes(ask_id, voter, vote, voted_at) VALUES (?,?,?,?)"
                " ON CONFLICT(ask_id, voter) DO UPDATE SET vote=excluded.vote,"
                " voted_at=excluded.voted_at"),
                (ask_id, voter, 1 if vote > 0 else -1, time.time() if now is None else now),
            )
        return True

    def unanswered(self, since: float = 0.0, guild_id: int | None = None) -> list[AskRecord]:
        """Questions that got no confident answer, or whose answer was voted down."""
        where = "a.asked_at >= ?"
        params: list = [since]
        if guild_id is not None:
            where += " AND a.guild_id = ?"
            params.append(guild_id)
        rows = self.db.rows(self.sql(
            f"SELECT {_COLUMNS} FROM asks a LEFT JOIN votes v ON v.ask_id = a.id WHERE {where}"
            f" GROUP BY a.id HAVING a.status != 'answered' OR {_DOWN} > {_UP} ORDER BY a.id"),
            params,
        )
        return [_record(r) for r in rows]

    def recorded(self, since: float = 0.0, guild_id: int | None = None) -> int:
        """How many questions are on record (since, in one server)."""
        where, params = "asked_at >= ?", [since]
        if guild_id is not None:
            where += " AND guild_id = ?"
            params.append(guild_id)
        return int(self.db.rows(self.sql(f"SELECT COUNT(*) FROM asks WHERE {where}"),
                                params)[0][0])

    def prune(self, now: float | None = None) -> int:
        """Forget records older than the retention; how many went."""
        if self.retention_days <= 0:
            return 0
        cutoff = (time.time() if now is None else now) - self.retention_days * 86400
        with self.db.transaction() as db:
            return db.execute(self.sql("DELETE FROM asks WHERE asked_at < ?"),
                              (cutoff,)).rowcount

    def forget_user(self, user_id: int, guild_id: int | None = None) -> tuple[int, int]:
        """Remove one person's questions and votes (in one server with `guild_id`):
        (questions, votes) removed."""
        key = self.user_key(user_id)
        only = "" if guild_id is None else " AND guild_id = ?"
        extra = () if guild_id is None else (guild_id,)
        with self.db.transaction() as db:
            votes = db.execute(self.sql(
                "DELETE FROM votes WHERE voter=? AND ask_id IN (SELECT id FROM asks WHERE 1=1"
                f"{only})"), (key, *extra)).rowcount
            asks = db.execute(self.sql(f"DELETE FROM asks WHERE asker=?{only}"),
                              (key, *extra)).rowcount
        return asks, votes


def _record(r: tuple) -> AskRecord:
    return AskRecord(int(r[0]), int(r[1]), int(r[2]), r[3], r[4], float(r[5]), json.loads(r[6]),
                     r[7], float(r[8]), int(r[9]), int(r[10]))
