"""What the rest of Footnote asks of each concern's store: one narrow protocol each, so a
second backend (PostgreSQL, issue 14) implements these and nothing else changes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol, runtime_checkable

from bot.models import Article, IngestReport, StoredArticle
from bot.sources.validators import Validators as Validators  # HTTP validators: ETag, Last-Modified


@runtime_checkable
class Articles(Protocol):
    """The corpus. Every change bumps `revision` (caches compare it)."""

    # `corpus`/`corpora`: per-server corpora ("" the shared one, "g<guild id>" a server's;
    # bot.corpora). A server's keys are unique within its corpus only.
    def ingest(self, articles: Iterable[Article], source: str, complete: bool = False,
               unchanged_keys: Iterable[str] = (), corpus: str = "",
               moved: Mapping[str, str] | None = None) -> IngestReport:
        """Add or update in one transaction; `complete`: the source's whole listing;
        `moved`: old key -> new key of the source's articles now under another link."""
        ...

    def iter_articles(self, corpora: tuple[str, ...] = ("",), ids: Iterable[int] | None = None
                      ) -> Iterator[StoredArticle]:
        """Searchable articles with their paragraphs, in id order, one at a time (`ids`:
        only these)."""
        ...

    def catalog(self, corpora: tuple[str, ...] = ("",)) -> list[tuple]:
        """Searchable articles as rows (id, title, url, date, author, partial, source,
        text_hash), in id order (a loaded index finds what changed since it was made by
        comparing them)."""
        ...

    def stamp(self) -> int:
        """The store-wide change stamp: every article an ingest adds, changes or removes
        is stamped with the next one, in commit order."""
        ...

    def changed_since(self, stamp: int, corpora: tuple[str, ...] = ("",)) -> list[tuple]:
        """Articles (searchable or removed) stamped after `stamp`, as the catalog's rows
        followed by removed and stamp, in id order (what a loaded index reads to catch up)."""
        ...

    def count(self, corpora: tuple[str, ...] = ("",)) -> tuple[int, int]:
        """(articles, passages) searchable."""
        ...

    def revision(self, corpora: tuple[str, ...] = ("",)) -> int:
        """A counter bumped by every change of these corpora."""
        ...

    def holdings(self) -> dict[str, set[str]]:
        """corpus -> the sources it holds searchable articles from."""
        ...

    def holds(self, corpus: str | None, besides: str | None = None) -> bool:
        """Does `corpus` (None: any server's) hold a searchable article (from a source
        other than `besides`)? One indexed query, whatever the store's size."""
        ...

    def source_removed(self, source: str, corpus: str = "") -> bool:
        """Were all of the source's articles in the corpus removed (some, none live)?"""
        ...


@runtime_checkable
class Summaries(Protocol):
    """Summaries by text hash and parameters."""

    def get(self, text_hash: str, params: str) -> dict | None: ...

    def put(self, text_hash: str, params: str, body: dict) -> None: ...


@runtime_checkable
class SourceState(Protocol):
    """(last refresh, status, cursor) per source name."""

    def get(self, name: str) -> tuple[float | None, str, str]: ...

    def record(self, name: str, status: str, cursor: str | None = None) -> None: ...

    def all(self, prefix: str = "") -> list[tuple[str, float | None, str]]:
        """The shared corpus's sources, or (with a server's name prefix) that server's."""
        ...


@runtime_checkable
class RememberedQuestions(Protocol):
    """Questions behind buttons, by id."""

    def remember(self, text: str, scope: str = "") -> int: ...

    def get(self, qid: int, scope: str = "") -> str | None:
        """Only in the scope (server) it was remembered in."""
        ...
