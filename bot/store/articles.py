"""Articles and their passages: ingest (one transaction each, idempotent), iteration, counts,
and the revision every change bumps (caches such as index files compare it).

Every article an ingest adds, changes or removes is stamped with the store's change stamp,
one store-wide counter moved once by each ingest that changes something (ingests are
serialised by the write lock, so stamps are in commit order): a loaded index reads only the
articles stamped after it was made (`changed_since`), not the whole catalog (bot/live.py)."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace

from bot.models import Article, IngestReport, StoredArticle
from bot.sanitize import clean_article, safe_url
from bot.sources.normal import iso_utc
from bot.store.connection import Database, store_error, translated

log = logging.getLogger(__name__)


def _iso_dates(db: sqlite3.Connection) -> None:
    """Every stored date as ISO 8601 UTC (feeds' RFC 822 dates sorted apart)."""
    rows = db.execute("SELECT id, date FROM articles WHERE date != ''").fetchall()
    db.executemany("UPDATE articles SET date=? WHERE id=?",
                   [(iso_utc(d), i) for i, d in rows if iso_utc(d) != d])


# Step 1 is the schema as it stood before versions were kept per concern (IF NOT EXISTS: a
# store made then already has it); the data steps are idempotent, so a store that ran them
# under the old single `PRAGMA user_version` only reads its rows once more.
MIGRATIONS = (
    """
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
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
    """,
    _iso_dates,
    # Per-server corpora (issue 14): "" is the shared corpus, "g<guild id>" a server's own.
    """
    ALTER TABLE articles ADD COLUMN corpus TEXT NOT NULL DEFAULT '';
    CREATE INDEX IF NOT EXISTS articles_corpus ON articles(corpus, removed)
    """,
    # Change stamps (issue 14): the articles stored before hold 0, the store's stamp until
    # its next change (so no corpus loaded since reads them as changed).
    """
    ALTER TABLE articles ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX IF NOT EXISTS articles_stamp ON articles(corpus, stamp)
    """,
)
ID_CHUNK = 500  # article ids per query (SQLite bounds a statement's parameters)
SEP = "\x1f"  # between a corpus id and a key or source name (never in a URL or a path)


def scoped_name(corpus: str, name: str) -> str:
    """A key, source or URL as stored for a corpus: unchanged for the shared corpus, else
    prefixed, so two servers may hold the same URL as two articles (keys stay unique)."""
    return f"{corpus}{SEP}{name}" if corpus else name


STAMP_KEY = "stamp"  # the meta key of the store-wide change stamp
STAMP_QUERY = "SELECT value FROM meta WHERE key=?"
# What `changed_since` gives of each article (both backends): the catalog's row, then
# whether it is removed now, then its stamp.
CHANGED_COLUMNS = ("id, title, url, date, author, partial, source, text_hash, removed, stamp")


def revision_key(corpus: str) -> str:
    """The meta key of a corpus's revision counter."""
    return f"revision:{corpus}" if corpus else "revision"


def by_corpus(rows: list[tuple]) -> dict[str, set[str]]:
    """(corpus, source) rows as corpus -> sources (both backends' `holdings`)."""
    out: dict[str, set[str]] = {}
    for corpus, source in rows:
        out.setdefault(corpus, set()).add(source)
    return out


def holds_query(corpus: str | None, besides: str | None) -> tuple[str, tuple]:
    """`holds` as SQL (both backends, `?` placeholders): a server's corpus id sorts after
    "" ("g..."), so "any server's" is a range of the index too."""
    where = "corpus = ?" if corpus is not None else "corpus > ?"
    params: tuple = (corpus if corpus is not None else "",)
    if besides is not None:
        where += " AND source != ?"
        params += (besides,)
    return f"SELECT 1 FROM articles WHERE {where} AND removed = ? LIMIT 1", (*params, False)


def source_query(source: str, corpus: str) -> tuple[str, tuple]:
    """`source_removed` as SQL (both backends, `?` placeholders): the least `removed` of
    the source's articles (none: no article; false: one is live)."""
    return ("SELECT removed FROM articles WHERE source = ? AND corpus = ? ORDER BY removed"
            " LIMIT 1", (source, corpus))


# A known article listed under a new link (WordPress: a new permalink structure) keeps its
# row, so it is not announced again as new: its key moves first, then the upsert updates its
# URL. A key already taken by another article is left alone (that article stays as it is).
MOVE_KEY = ("UPDATE articles SET key=? WHERE key=? AND source=? AND NOT EXISTS "
            "(SELECT 1 FROM articles WHERE key=?)")


def move_keys(move: Callable[[str, str], int], moved: Mapping[str, str], corpus: str) -> int:
    """Move the keys an ingest says moved (`move(new, old)` runs MOVE_KEY, returns its row
    count), in passes, so a chain (a -> b while b -> c) moves whole; how many moved."""
    urls = {(safe_url(new), safe_url(old)) for old, new in moved.items()}  # as stored
    pending = sorted((scoped_name(corpus, new), scoped_name(corpus, old))
                     for new, old in urls if new and old and new != old)
    done = 0
    while pending:
        left = [(new, old) for new, old in pending if not move(new, old)]
        if len(left) == len(pending):
            break  # gone, or a key still taken (a swap): the upserts update them in place
        done, pending = done + len(pending) - len(left), left
    return done


def _in(corpora: tuple[str, ...]) -> str:
    return ",".join("?" * len(corpora)) or "NULL"  # no corpus: matches nothing


class ArticleStore:
    """The corpus: what was ingested, from which source, and whether it is still listed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.path = db.path
        db.migrate("articles", MIGRATIONS)
        # Called with each committed ingest's report (new-article announcements queue its
        # `added`); a listener's failure is logged, never the ingest's.
        self.ingest_listeners: list[Callable[[IngestReport], None]] = []

    def revision(self, corpora: tuple[str, ...] = ("",)) -> int:
        """A counter bumped by every change of these corpora (caches compare it)."""
        keys = tuple(revision_key(c) for c in corpora)
        row = self.db.one(
            f"SELECT SUM(CAST(value AS INTEGER)) FROM meta WHERE key IN ({_in(keys)})", keys)
        return int(row[0]) if row and row[0] is not None else 0

    @translated
    def ingest(
        self,
        articles: Iterable[Article],
        source: str,
        complete: bool = False,
        unchanged_keys: Iterable[str] = (),
        corpus: str = "",
        moved: Mapping[str, str] | None = None,
    ) -> IngestReport:
        """Add or update articles in one transaction; idempotent.

        With `complete=True` the listing is the whole source, so its articles not listed are
        marked removed (kept, not searched). A partial listing never removes anything.
        `unchanged_keys`: listed articles known not to have changed (HTTP 304).
        `corpus`: whose articles ("": the shared corpus).
        `moved`: old key -> new key of this source's articles now under another link.
        """
        report = IngestReport(source=source, corpus=corpus)
        now = time.time()
        seen: set[str] = set(unchanged_keys)
        report.unchanged = len(seen)
        seen |= {safe_url(k) for k in seen} - {""}  # they are stored under the safe URL
        with self.db.transaction() as db:
            known = _ingested_before(db, source, corpus)
            stamp = stamp_of(db.execute(STAMP_QUERY, (STAMP_KEY,)).fetchone()) + 1
            report.moved = move_keys(lambda new, old: db.execute(
                MOVE_KEY, (new, old, source, new)).rowcount, moved or {}, corpus)
            for raw in articles:
                if raw.key in seen:
                    continue
                art = clean_article(raw)  # the one place articles enter the store
                if art.key in seen:
                    continue
                seen.update((raw.key, art.key))
                _upsert(db, art, source, now, report, known, corpus, stamp)
            # Listed as unchanged (HTTP 304, a WordPress post's date) but marked removed (a
            # sitemap page listed again, a source removed and added back): searchable again.
            listed = sorted({scoped_name(corpus, k) for k in unchanged_keys}
                            | {scoped_name(corpus, safe_url(k)) for k in unchanged_keys})
            for at in range(0, len(listed), ID_CHUNK):
                chunk = tuple(listed[at:at + ID_CHUNK])
                back = db.execute(
                    f"UPDATE articles SET removed=0, updated_at=?, stamp=? WHERE removed=1 AND "
                    f"source=? AND key IN ({_in(chunk)})", (now, stamp, source, *chunk)).rowcount
                report.updated += back
                report.unchanged -= back
            if complete:
                rows = db.execute(
                    "SELECT id, key FROM articles WHERE source=? AND corpus=? AND removed=0",
                    (source, corpus)).fetchall()
                cut = len(scoped_name(corpus, ""))
                gone = [r[0] for r in rows if r[1][cut:] not in seen]
                db.executemany("UPDATE articles SET removed=1, updated_at=?, stamp=? WHERE id=?",
                               [(now, stamp, i) for i in gone])
                report.removed = len(gone)
            if report.new or report.updated or report.removed:
                db.execute(
                    "INSERT INTO meta(key, value) VALUES(?, '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1", (revision_key(corpus),)
                )
                db.execute("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) "
                           "DO UPDATE SET value = excluded.value", (STAMP_KEY, str(stamp)))
        for listener in self.ingest_listeners:
            try:
                listener(report)
            except Exception:  # noqa: BLE001 - the articles are stored; log and go on
                log.exception("after-ingest hook failed")
        return report

    def iter_articles(self, corpora: tuple[str, ...] = ("",), ids: Iterable[int] | None = None
                      ) -> Iterator[StoredArticle]:
        """Searchable articles of these corpora with their paragraphs, in id order, one at a
        time (a cursor, so a large corpus is never all in memory at once); `ids`: only
        these (those of them still searchable)."""
        try:
            if ids is None:
                yield from self._iter_articles(corpora)
                return
            wanted = sorted(set(ids))
            for at in range(0, len(wanted), ID_CHUNK):
                chunk = tuple(wanted[at:at + ID_CHUNK])
                yield from self._iter_articles(corpora, f" AND a.id IN ({_in(chunk)})", chunk)
        except sqlite3.Error as e:
            raise store_error(e, self.path) from None

    def _iter_articles(self, corpora: tuple[str, ...], where: str = "", args: tuple = ()
                       ) -> Iterator[StoredArticle]:
        # Its own connection (a file store), so a long read never holds the shared one.
        with self.db.lock:
            db = self.db.conn if self.path == ":memory:" else sqlite3.connect(
                self.path, check_same_thread=False, timeout=self.db.busy_timeout)
        try:
            rows = db.execute(
                "SELECT a.id, a.title, a.url, a.date, a.author, a.partial, a.source, a.text_hash,"
                " p.text FROM articles a LEFT JOIN passages p ON p.article_id = a.id"
                f" WHERE a.removed = 0 AND a.corpus IN ({_in(corpora)}){where}"
                " ORDER BY a.id, p.idx", corpora + args)
            yield from grouped(rows)
        finally:
            if db is not self.db.conn:
                db.close()

    def catalog(self, corpora: tuple[str, ...] = ("",)) -> list[tuple]:
        """Every searchable article of these corpora as a row (id, title, url, date, author,
        partial, source, text_hash), in id order, as stored: what a loaded index compares
        to find the articles changed since it was made (bot/live.py)."""
        return self.db.rows(
            "SELECT id, title, url, date, author, partial, source, text_hash FROM articles"
            f" WHERE removed = 0 AND corpus IN ({_in(corpora)}) ORDER BY id", corpora)

    def stamp(self) -> int:
        """The store's change stamp now: the articles changed after this are stamped higher."""
        return stamp_of(self.db.one(STAMP_QUERY, (STAMP_KEY,)))

    def changed_since(self, stamp: int, corpora: tuple[str, ...] = ("",)) -> list[tuple]:
        """The articles of these corpora added, changed or removed after `stamp`, as rows
        (the catalog's columns, removed, stamp), in id order: one range of an index, however
        large the store."""
        return self.db.rows(
            f"SELECT {CHANGED_COLUMNS} FROM articles WHERE corpus IN ({_in(corpora)})"
            " AND stamp > ? ORDER BY id", (*corpora, stamp))

    def count(self, corpora: tuple[str, ...] = ("",)) -> tuple[int, int]:
        """(articles, passages) currently searchable in these corpora."""
        where = f"removed=0 AND corpus IN ({_in(corpora)})"
        a = self.db.one(f"SELECT COUNT(*) FROM articles WHERE {where}", corpora)
        p = self.db.one(
            f"SELECT COUNT(*) FROM passages JOIN articles ON id=article_id WHERE {where}",
            corpora)
        return (a[0] if a else 0), (p[0] if p else 0)

    def holdings(self) -> dict[str, set[str]]:
        """corpus -> the sources it holds searchable articles from."""
        return by_corpus(self.db.rows(
            "SELECT DISTINCT corpus, source FROM articles WHERE removed=0"))

    def holds(self, corpus: str | None, besides: str | None = None) -> bool:
        """Does `corpus` (None: any server's) hold a searchable article (from a source
        other than `besides`)? One query on the (corpus, removed) index: a server's
        corpus is looked up on every load, so this must not grow with the store."""
        return self.db.one(*holds_query(corpus, besides)) is not None

    def source_removed(self, source: str, corpus: str = "") -> bool:
        """Were all of the source's articles in the corpus removed (it has some, none live):
        a source removed, and now added back?"""
        row = self.db.one(*source_query(source, corpus))
        return row is not None and bool(row[0])


def stamp_of(row: tuple | None) -> int:
    """The change stamp from its meta row (none before the first change)."""
    return int(row[0]) if row else 0


def _ingested_before(db: sqlite3.Connection, source: str, corpus: str = "") -> bool:
    """Has this source been ingested before (so what it adds now is news)? A URL source
    once a refresh completed (its cursor is saved then: a streamed first crawl stores batch
    by batch before that); a file source once it holds articles."""
    if source.startswith(("http://", "https://")):
        try:
            row = db.execute("SELECT cursor FROM sources WHERE name=?",
                             (scoped_name(corpus, source),)).fetchone()
        except sqlite3.OperationalError:  # no refresh bookkeeping in this database
            return False
        return bool(row and row[0])
    return db.execute("SELECT 1 FROM articles WHERE source=? AND corpus=? LIMIT 1",
                      (source, corpus)).fetchone() is not None


def _upsert(db: sqlite3.Connection, art: Article, source: str, now: float,
            report: IngestReport, known: bool = False, corpus: str = "", stamp: int = 0
            ) -> None:
    key = scoped_name(corpus, art.key)
    row = db.execute(
        "SELECT id, text_hash, removed, url, date, author FROM articles WHERE key=?", (key,),
    ).fetchone()
    h = art.text_hash
    art = replace(art, date=iso_utc(art.date))  # one date format, whatever the source
    fields = (art.title, art.url, art.date, art.author, int(art.partial), source, h)
    if row is None:
        cur = db.execute(
            "INSERT INTO articles(key, title, url, date, author, partial, source, text_hash,"
            " added_at, updated_at, corpus, stamp) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (key, *fields, now, now, corpus, stamp),
        )
        _write_passages(db, cur.lastrowid, art.paragraphs)
        report.new += 1
        if known:
            report.added.append(art)
        return
    art_id, old_hash, removed = row[0], row[1], row[2]
    if old_hash == h and not removed and tuple(row[3:]) == (art.url, art.date, art.author):
        report.unchanged += 1
        return
    db.execute(
        "UPDATE articles SET title=?, url=?, date=?, author=?, partial=?, source=?,"
        " text_hash=?, removed=0, updated_at=?, stamp=? WHERE id=?",
        (*fields, now, stamp, art_id),
    )
    if old_hash != h:
        db.execute("DELETE FROM passages WHERE article_id=?", (art_id,))
        _write_passages(db, art_id, art.paragraphs)
    report.updated += 1


def _write_passages(db: sqlite3.Connection, art_id: int | None,
                    paragraphs: tuple[str, ...]) -> None:
    db.executemany("INSERT INTO passages(article_id, idx, text) VALUES (?,?,?)",
                   [(art_id, i, p) for i, p in enumerate(paragraphs)])


def grouped(rows: Iterable[tuple]) -> Iterator[StoredArticle]:
    """(article columns..., one paragraph's text or None) rows in article order, as
    articles (both backends' listing)."""
    current, paras = None, []
    for row in rows:
        if current is not None and row[0] != current[0]:
            yield _stored(current, paras)
            paras = []
        current = row
        if row[-1] is not None:
            paras.append(row[-1])
    if current is not None:
        yield _stored(current, paras)


def _stored(r: tuple, paras: list[str]) -> StoredArticle:
    # safe_url again on the way out: stores written before it was applied at ingest
    return StoredArticle(
        id=r[0], title=r[1], url=safe_url(r[2]), date=r[3], author=r[4], partial=bool(r[5]),
        source=r[6], paragraphs=tuple(paras), text_hash=r[7], passages=len(paras),
    )
