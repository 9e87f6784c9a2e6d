"""One corpus's view of the stores (per-server corpora, issue 14): the same protocols,
with the corpus (and the server asking) fixed, so the service, ingest and the refresher
work on a server's corpus unchanged. Reads may span the server's corpus and the shared one;
writes go to the server's own. Only the corpus column and name prefixes are backend
specific, and those live in the backends' modules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from bot.models import Article, IngestReport, StoredArticle
from bot.sources.validators import Validators
from bot.store.articles import scoped_name


class CorpusArticles:
    """`Articles` for one corpus: ingests into `corpus`, reads `reads`."""

    def __init__(self, inner, corpus: str, reads: tuple[str, ...]) -> None:
        self.inner, self.corpus, self.reads = inner, corpus, reads
        self.path = getattr(inner, "path", "")
        self.ingest_listeners = inner.ingest_listeners  # announcements hear every corpus

    def ingest(self, articles: Iterable[Article], source: str, complete: bool = False,
               unchanged_keys: Iterable[str] = (), moved: Mapping[str, str] | None = None
               ) -> IngestReport:
        """Add or update this corpus's articles (see ArticleStore.ingest)."""
        return self.inner.ingest(articles, source, complete, unchanged_keys, corpus=self.corpus,
                                 moved=moved)

    def iter_articles(self, ids: Iterable[int] | None = None) -> Iterator[StoredArticle]:
        """The readable corpora's articles (`ids`: only these)."""
        return self.inner.iter_articles(self.reads, ids)

    def catalog(self) -> list[tuple]:
        """The readable corpora's articles as rows (see ArticleStore.catalog)."""
        return self.inner.catalog(self.reads)

    def stamp(self) -> int:
        """The store's change stamp (store-wide: see ArticleStore.stamp)."""
        return self.inner.stamp()

    def changed_since(self, stamp: int) -> list[tuple]:
        """The readable corpora's articles changed after `stamp` (see
        ArticleStore.changed_since)."""
        return self.inner.changed_since(stamp, self.reads)

    def count(self) -> tuple[int, int]:
        """(articles, passages) readable."""
        return self.inner.count(self.reads)

    def revision(self) -> int:
        """Bumped by every change of a readable corpus."""
        return self.inner.revision(self.reads)

    def source_removed(self, source: str) -> bool:
        """Were all of the source's articles in this corpus removed?"""
        return self.inner.source_removed(source, self.corpus)


class CorpusSources:
    """`SourceState` for one corpus's sources (their names prefixed in the store)."""

    def __init__(self, inner, corpus: str) -> None:
        self.inner, self.corpus = inner, corpus

    def get(self, name: str) -> tuple[float | None, str, str]:
        return self.inner.get(scoped_name(self.corpus, name))

    def record(self, name: str, status: str, cursor: str | None = None) -> None:
        self.inner.record(scoped_name(self.corpus, name), status, cursor)

    def all(self) -> list[tuple[str, float | None, str]]:
        return self.inner.all(scoped_name(self.corpus, ""))


class CorpusValidators(Validators):
    """HTTP validators per corpus: one server's 304 never hides a page from another."""

    def __init__(self, inner: Validators, corpus: str) -> None:
        self.inner, self.corpus = inner, corpus

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        return self.inner.http_validators(scoped_name(self.corpus, url))

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.inner.save_validators(scoped_name(self.corpus, url), etag, last_modified)


class ScopedQuestions:
    """Questions behind buttons, kept and found only in the server they were asked in."""

    def __init__(self, inner, scope: str) -> None:
        self.inner, self.scope = inner, scope

    def remember(self, text: str) -> int:
        return self.inner.remember(text, self.scope)

    def get(self, qid: int) -> str | None:
        return self.inner.get(qid, self.scope)


def corpus_stores(stores, corpus: str, reads: tuple[str, ...], scope: str):
    """The stores as one server sees them: its corpus (`corpus`, "" when it has none),
    the corpora it reads, and its own questions (`scope`)."""
    return replace(stores, articles=CorpusArticles(stores.articles, corpus, reads),
                   sources=CorpusSources(stores.sources, corpus),
                   validators=CorpusValidators(stores.validators, corpus),
                   questions=ScopedQuestions(stores.questions, scope))
