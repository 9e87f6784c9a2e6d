"""The persistent state, one module per concern over one SQLite file (WAL).

Each concern owns its tables and their versioned migrations behind a small interface:
`articles` (the corpus), `summaries` (the summary cache), `validators` (HTTP ETag and
Last-Modified, `sources.http.Validators`), `sources` (refresh bookkeeping and cursors),
`questions` (the questions behind Discord buttons). A second backend implements the same
classes in a module of its own and is chosen here, in `open_stores`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.store.articles import ArticleStore
from bot.store.connection import Database
from bot.store.questions import Questions
from bot.store.sources import SourceStates
from bot.store.summaries import SummaryCache
from bot.store.validators import HttpValidators


@dataclass(frozen=True)
class Stores:
    """The store of every concern, sharing one database."""

    db: Database
    articles: ArticleStore
    summaries: SummaryCache
    validators: HttpValidators
    sources: SourceStates
    questions: Questions

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def open_stores(path: Path | str, busy_timeout: float | None = None) -> Stores:
    """Open (creating and migrating forward) the stores in one SQLite file; ":memory:" for
    a throwaway set."""
    db = Database(path, busy_timeout)
    try:
        articles = ArticleStore(db)  # first: the sources' migration renames articles' sources
        return Stores(db, articles, SummaryCache(db), HttpValidators(db), SourceStates(db),
                      Questions(db))
    except BaseException:
        db.close()
        raise
