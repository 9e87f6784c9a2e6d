"""The persistent corpus: articles and their passages in one SQLite file (WAL).

Each ingest is one transaction, so a failure half-way keeps everything that was there.
Every SQLite failure (a lock held too long by another process, a full disk, a file that is
not a database) leaves as one `StoreError` line; a write waits for the lock, saying so once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote_plus

from bot import sqlite_faults
from bot.errors import StoreError
from bot.models import Article, IngestReport, StoredArticle
from bot.sanitize import clean_article, safe_url
from bot.sources.normal import iso_utc, source_name
from bot.sqlite_faults import patient, store_error, translated

log = logging.getLogger(__name__)

_R = TypeVar("_R")

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    partial INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    text_hash TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    added_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE TABLE IF NOT EXISTS passages (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS summaries (
    text_hash TEXT NOT NULL, params TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (text_hash, params)
);
CREATE TABLE IF NOT EXISTS http_cache (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, fetched_at REAL
);
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY, text TEXT NOT NULL, asked_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, last_refresh REAL, last_status TEXT, cursor TEXT
);
"""


def _one_name_per_site(db: sqlite3.Connection) -> None:
    """Source names of URL sources in their normal form (`http://host:80` and `http://host/`
    were two sources of one site). Of rows that merge, the latest refresh is kept; its
    cursor is dropped, so the next refresh lists the site afresh."""
    for name, last in db.execute("SELECT name, last_refresh FROM sources").fetchall():
        new = source_name(name)
        if new == name:
            continue
        kept = db.execute("SELECT last_refresh FROM sources WHERE name=?", (new,)).fetchone()
        if kept is None or (kept[0] or 0) <= (last or 0):
            db.execute("INSERT OR REPLACE INTO sources SELECT ?, last_refresh, last_status, NULL"
                       " FROM sources WHERE name=?", (new, name))
        db.execute("DELETE FROM sources WHERE name=?", (name,))
    for (name,) in db.execute("SELECT DISTINCT source FROM articles").fetchall():
        if source_name(name) != name:
            db.execute("UPDATE articles SET source=? WHERE source=?", (source_name(name), name))


def _iso_dates(db: sqlite3.Connection) -> None:
    """Every stored date as ISO 8601 UTC (feeds' RFC 822 dates sorted apart)."""
    rows = db.execute("SELECT id, date FROM articles WHERE date != ''").fetchall()
    db.executemany("UPDATE articles SET date=? WHERE id=?",
                   [(iso_utc(d), i) for i, d in rows if iso_utc(d) != d])


MIGRATIONS = (_one_name_per_site, _iso_dates)  # PRAGMA user_version = how many have run


def _migrate(db: sqlite3.Connection) -> None:
    """Bring an older store forward, one transaction per step."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def search_link(base_url: str, title: str) -> str:
    """A working link for an article without a URL: the site's (WordPress) search page.

    Words holding quotes or apostrophes are left out: WordPress matches each word with LIKE,
    and the database may hold "Haven't" where the page shows "Haven’t" (or the reverse)."""
    words = [w for w in title.split() if not any(q in w for q in "'\"\u2018\u2019\u201c\u201d")]
    return f"{base_url.rstrip('/')}/?s={quote_plus(' '.join(words) or title)}"


class Store:
    """SQLite-backed corpus. Thread-safe: one connection guarded by a lock."""

    def __init__(self, path: Path | str, base_url: str = "https://theowp.org",
                 busy_timeout: float | None = None) -> None:
        self.path = str(path)
        self.base_url = base_url
        self.busy_timeout = sqlite_faults.BUSY_TIMEOUT if busy_timeout is None else busy_timeout
        self._lock = threading.RLock()
        # Called with each committed ingest's report (new-article announcements queue its
        # `added`); a listener's failure is logged, never the ingest's.
        self.ingest_listeners: list[Callable[[IngestReport], None]] = []
        if self.path != ":memory:":
            folder = Path(self.path).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise store_error(e, str(folder)) from None
            if Path(self.path).is_dir():
                raise StoreError("store unavailable: the store is a folder, not a file", self.path)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=self.busy_timeout)
        except sqlite3.Error as e:
            raise store_error(e, self.path) from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._patient(lambda: self._db.executescript(SCHEMA))
            self._patient(lambda: _migrate(self._db))
        except sqlite3.Error as e:
            self._db.close()
            raise store_error(e, self.path) from None

    def _patient(self, write: Callable[[], _R], wait: bool = True) -> _R:
        """Run a write outside a transaction, waiting for another process's lock (saying so
        once); with `wait=False`, only briefly."""
        return patient(self._db, write, self.busy_timeout, self.path, wait)

    def _write(self, sql: str, params: tuple = (), wait: bool = True) -> sqlite3.Cursor:
        """One statement on its own (autocommit), waiting for the lock if need be."""
        return self._patient(lambda: self._db.execute(sql, params), wait)

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already ended it (a full disk
        or an I/O error may roll back by itself)."""
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error as e:
                log.warning("rollback failed: %s", e)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- revision: bumped on every change, so caches (index files) know when they are stale
    @translated
    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        """One row, under the lock: the connection is shared by the bot's worker threads."""
        with self._lock:
            return self._db.execute(sql, params).fetchone()

    def revision(self) -> int:
        """A counter bumped by every change (caches compare it)."""
        row = self._one("SELECT value FROM meta WHERE key='revision'")
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES('revision', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    @translated
    def ingest(
        self,
        articles: Iterable[Article],
        source: str,
        complete: bool = False,
        unchanged_keys: Iterable[str] = (),
    ) -> IngestReport:
        """Add or update articles in one transaction; idempotent.

        With `complete=True` the listing is the whole source, so its articles not listed are
        marked removed (kept, not searched). A partial listing never removes anything.
        `unchanged_keys`: listed articles known not to have changed (HTTP 304).
        """
        report = IngestReport(source=source)
        now = time.time()
        seen: set[str] = set(unchanged_keys)
        report.unchanged = len(seen)
        seen |= {safe_url(k) for k in seen} - {""}  # they are stored under the safe URL
        with self._lock:
            self._patient(lambda: self._db.execute("BEGIN IMMEDIATE"))
            try:
                known = self._ingested_before(source)
                for raw in articles:
                    if raw.key in seen:
                        continue
                    art = clean_article(raw)  # the one place articles enter the store
                    if art.key in seen:
                        continue
                    seen.update((raw.key, art.key))
                    self._upsert(art, source, now, report, known)
                if complete:
                    rows = self._db.execute(
                        "SELECT id, key FROM articles WHERE source=? AND removed=0", (source,)
                    ).fetchall()
                    gone = [r[0] for r in rows if r[1] not in seen]
                    self._db.executemany(
                        "UPDATE articles SET removed=1, updated_at=? WHERE id=?",
                        [(now, i) for i in gone],
                    )
                    report.removed = len(gone)
                if report.new or report.updated or report.removed:
                    self._bump()
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        for listener in self.ingest_listeners:
            try:
                listener(report)
            except Exception:  # noqa: BLE001 - the articles are stored; log and go on
                log.exception("after-ingest hook failed")
        return report

    def _ingested_before(self, source: str) -> bool:
        """Has this source been ingested before (so what it adds now is news)? A URL source
        once a refresh completed (its cursor is saved then: a streamed first crawl stores
        batch by batch before that); a file source once it holds articles."""
        if source.startswith(("http://", "https://")):
            row = self._db.execute("SELECT cursor FROM sources WHERE name=?", (source,)).fetchone()
            return bool(row and row[0])
        return self._db.execute("SELECT 1 FROM articles WHERE source=? LIMIT 1",
                                (source,)).fetchone() is not None

    def _upsert(self, art: Article, source: str, now: float, report: IngestReport,
                known: bool = False) -> None:
        row = self._db.execute(
            "SELECT id, text_hash, removed, url, date, author FROM articles WHERE key=?",
            (art.key,),
        ).fetchone()
        h = art.text_hash
        art = replace(art, date=iso_utc(art.date))  # one date format, whatever the source
        fields = (art.title, art.url, art.date, art.author, int(art.partial), source, h)
        if row is None:
            cur = self._db.execute(
                "INSERT INTO articles(key, title, url, date, author, partial, source, text_hash,"
                " added_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (art.key, *fields, now, now),
            )
            self._write_passages(cur.lastrowid, art.paragraphs)
            report.new += 1
            if known:
                report.added.append(art)
            return
        art_id, old_hash, removed = row[0], row[1], row[2]
        if old_hash == h and not removed and tuple(row[3:]) == (art.url, art.date, art.author):
            report.unchanged += 1
            return
        self._db.execute(
            "UPDATE articles SET title=?, url=?, date=?, author=?, partial=?, source=?,"
            " text_hash=?, removed=0, updated_at=? WHERE id=?",
            (*fields, now, art_id),
        )
        if old_hash != h:
            self._db.execute("DELETE FROM passages WHERE article_id=?", (art_id,))
            self._write_passages(art_id, art.paragraphs)
        report.updated += 1

    def _write_passages(self, art_id: int | None, paragraphs: tuple[str, ...]) -> None:
        self._db.executemany(
            "INSERT INTO passages(article_id, idx, text) VALUES (?,?,?)",
            [(art_id, i, p) for i, p in enumerate(paragraphs)],
        )

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Searchable articles with their paragraphs, in id order, one at a time (a cursor,
        so a large corpus is never all in memory at once)."""
        try:
            yield from self._iter_articles()
        except sqlite3.Error as e:
            raise store_error(e, self.path) from None

    def _iter_articles(self) -> Iterator[StoredArticle]:
        with self._lock:
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=self.busy_timeout) \
                if self.path != ":memory:" else self._db
        try:
            rows = db.execute(
                "SELECT a.id, a.title, a.url, a.date, a.author, a.partial, a.source, a.text_hash,"
                " p.text FROM articles a LEFT JOIN passages p ON p.article_id = a.id"
                " WHERE a.removed = 0 ORDER BY a.id, p.idx"
            )
            current, paras = None, []
            for row in rows:
                if current is not None and row[0] != current[0]:
                    yield self._stored(current, paras)
                    paras = []
                current = row
                if row[8] is not None:
                    paras.append(row[8])
            if current is not None:
                yield self._stored(current, paras)
        finally:
            if db is not self._db:
                db.close()

    def _stored(self, r: tuple, paras: list[str]) -> StoredArticle:
        return StoredArticle(
            # safe_url again on the way out: stores written before it was applied at ingest
            id=r[0], title=r[1], url=safe_url(r[2]),
            link=safe_url(r[2]) or search_link(self.base_url, r[1]),
            date=r[3], author=r[4], partial=bool(r[5]), source=r[6],
            paragraphs=tuple(paras), text_hash=r[7], passages=len(paras),
        )

    @translated
    def articles(self, include_removed: bool = False) -> list[StoredArticle]:
        """Every article with its paragraphs, in id order (the index relies on this order)."""
        with self._lock:
            where = "" if include_removed else "WHERE removed=0"
            rows = self._db.execute(
                f"SELECT id, title, url, date, author, partial, source, text_hash FROM articles "
                f"{where} ORDER BY id"
            ).fetchall()
            paras: dict[int, list[str]] = {}
            for art_id, text in self._db.execute(
                "SELECT article_id, text FROM passages JOIN articles ON id=article_id "
                f"{where} ORDER BY article_id, idx"
            ):
                paras.setdefault(art_id, []).append(text)
        return [self._stored(r, paras.get(r[0], [])) for r in rows]

    def count(self) -> tuple[int, int]:
        """(articles, passages) currently searchable."""
        a = self._one("SELECT COUNT(*) FROM articles WHERE removed=0")
        p = self._one(
            "SELECT COUNT(*) FROM passages JOIN articles ON id=article_id WHERE removed=0"
        )
        return (a[0] if a else 0), (p[0] if p else 0)

    # -- summary cache, keyed by the article's text hash and the summary parameters
    def cached_summary(self, text_hash: str, params: str) -> dict | None:
        """A cached summary for this text and these parameters, if any."""
        row = self._one(
            "SELECT body FROM summaries WHERE text_hash=? AND params=?", (text_hash, params)
        )
        return json.loads(row[0]) if row else None

    @translated
    def cache_summary(self, text_hash: str, params: str, body: dict) -> None:
        """Remember a summary for this text and these parameters (a side write: it never
        waits long for the lock)."""
        with self._lock:
            self._write(
                "INSERT OR REPLACE INTO summaries(text_hash, params, body) VALUES (?,?,?)",
                (text_hash, params, json.dumps(body)), wait=False,
            )

    # -- questions behind "More passages" buttons, so the buttons outlive a restart
    KEEP_QUESTIONS = 50_000

    @translated
    def remember_question(self, text: str) -> int:
        """Keep a question for its "More passages" button; its id. A side write: it never
        waits long for the lock (the answer goes out without the button instead)."""
        with self._lock:
            cur = self._write(
                "INSERT INTO questions(text, asked_at) VALUES (?, ?)", (text, time.time()),
                wait=False,
            )
            qid = int(cur.lastrowid or 0)
            if qid % 1000 == 0:  # now and then, forget the oldest
                with contextlib.suppress(sqlite3.OperationalError):  # next time, then
                    self._write("DELETE FROM questions WHERE id <= ?",
                                (qid - self.KEEP_QUESTIONS,), wait=False)
            return qid

    def question(self, qid: int) -> str | None:
        """A remembered question, or None once forgotten."""
        row = self._one("SELECT text FROM questions WHERE id=?", (qid,))
        return row[0] if row else None

    # -- HTTP validators for conditional GET
    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self._one("SELECT etag, last_modified FROM http_cache WHERE url=?", (url,))
        return (row[0], row[1]) if row else (None, None)

    @translated
    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self._lock:
            self._write(
                "INSERT OR REPLACE INTO http_cache(url, etag, last_modified, fetched_at)"
                " VALUES (?,?,?,?)",
                (url, etag, last_modified, time.time()),
            )

    # -- per-source refresh bookkeeping
    def source_state(self, name: str) -> tuple[float | None, str, str]:
        """(last refresh, status, cursor) of a source."""
        row = self._one(
            "SELECT last_refresh, last_status, cursor FROM sources WHERE name=?", (name,)
        )
        return (row[0], row[1] or "", row[2] or "") if row else (None, "", "")

    @translated
    def set_source_state(self, name: str, status: str, cursor: str | None = None) -> None:
        """Record a refresh of a source (the cursor is kept when None)."""
        with self._lock:
            old = self.source_state(name)[2]
            self._write(
                "INSERT OR REPLACE INTO sources(name, last_refresh, last_status, cursor)"
                " VALUES (?,?,?,?)",
                (name, time.time(), status, cursor if cursor is not None else old),
            )

    @translated
    def sources(self) -> list[tuple[str, float | None, str]]:
        """(name, last refresh, status) of every source seen."""
        with self._lock:
            rows = self._db.execute("SELECT name, last_refresh, last_status FROM sources")
            return [(r[0], r[1], r[2] or "") for r in rows.fetchall()]
