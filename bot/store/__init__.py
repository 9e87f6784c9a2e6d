"""The persistent state, one module per concern over one SQLite file (WAL).

Each concern owns its tables and their versioned migrations behind a small interface:
`articles` (the corpus), `summaries` (the summary cache), `validators` (HTTP ETag and
Last-Modified, `sources.validators.Validators`), `sources` (refresh bookkeeping and cursors),
`questions` (the questions behind Discord buttons). What the rest of Footnote may ask of
each is a protocol in `protocols`; a second backend implements those in a module of its own
and is chosen here, in `open_stores`: PostgreSQL (`bot.store.pg`) for a postgresql:// URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.store.articles import ArticleStore
from bot.store.connection import Database
from bot.store.pg import SCHEMES as POSTGRES_SCHEMES
from bot.store.protocols import Articles, RememberedQuestions, SourceState, Summaries, Validators
from bot.store.questions import Questions
from bot.store.sources import SourceStates
from bot.store.summaries import SummaryCache
from bot.store.validators import HttpValidators


@dataclass(frozen=True)
class Stores:
    """The store of every concern (typed by its protocol), sharing one database (which the
    community features use for their own tables)."""

    db: Database  # or bot.store.pg.connection.PgDatabase: the same methods, its own SQL
    articles: Articles
    summaries: Summaries
    validators: Validators
    sources: SourceState
    questions: RememberedQuestions

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def open_stores(path: Path | str, busy_timeout: float | None = None) -> Stores:
    """Open (creating and migrating forward) the stores in one SQLite file; ":memory:" for
    a throwaway set; a postgresql:// URL for a PostgreSQL database."""
    if isinstance(path, str) and path.startswith(POSTGRES_SCHEMES):
        return _open_pg_stores(path)
    db = Database(path, busy_timeout)
    try:
        articles = ArticleStore(db)  # first: the sources' migration renames articles' sources
        return Stores(db, articles, SummaryCache(db), HttpValidators(db), SourceStates(db),
                      Questions(db))
    except BaseException:
        db.close()
        raise


def _open_pg_stores(url: str) -> Stores:
    """The same stores on PostgreSQL (imported only then: psycopg is an optional extra)."""
    from bot.store.pg.articles import PgArticles
    from bot.store.pg.connection import PgDatabase
    from bot.store.pg.questions import PgQuestions
    from bot.store.pg.sources import PgSourceStates
    from bot.store.pg.summaries import PgSummaries
    from bot.store.pg.validators import PgValidators

    db = PgDatabase(url)
    try:
        return Stores(db, PgArticles(db), PgSummaries(db), PgValidators(db),  # type: ignore[arg-type]
                      PgSourceStates(db), PgQuestions(db))
    except BaseException:
        db.close()
        raise
