"""How the Service gets its corpus (the plumbing behind `Service.reload` and its merges):
from the corpus cache, from an older index cache resumed with what changed since, or read
from the store and built (and cached); and how a loaded corpus is caught up with the store
incrementally (bot/live.py). Also where articles get their links.

Apart from bot/service.py, which holds the API both front-ends call (questions, summaries,
status) and decides when to reload or merge: this is the mixin the Service inherits, so its
methods read the same Service state (its stores, config, index folder and server).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot import corpus_cache, live
from bot.corpora import SEED_SOURCE
from bot.corpus import Corpus, PassageTexts, collect
from bot.errors import CacheError
from bot.index import FORMAT, Index
from bot.models import NO_LINK, Link, StoredArticle

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import Stores

log = logging.getLogger(__name__)

# The site the seed page was taken from: the seed articles (no URL of their own) link to a
# search of it, whatever site.base_url says (that is the admin's own site, not theirs).
SEED_SITE = "https://theowp.org"
# When more than REBUILD_SHARE of the articles changed at once, the index is built whole.
REBUILD_SHARE = 0.5
# Below this many passages a server's index is not cached: building it (about 10 ms and
# 0.25 ms a passage, 2 cores) costs about what loading the cache does (15 ms), and writing
# the cache (15 ms with its fsync) would be paid on every server's first question.
CACHE_MIN_PASSAGES = 64


class Loading:
    """The Service's corpus loading and caching (bot/service.py inherits it)."""

    stores: Stores
    config: Config
    index_dir: Path | None
    guild_id: int | None

    def _fresh(self, resume: bool = True) -> Corpus:
        """The corpus as the store holds it: its index loaded from the cache, or (`resume`)
        from an older cache with the articles changed since applied, or built whole."""
        stamp = self.stores.articles.stamp()  # first: what commits meanwhile is read again
        rev = self.stores.articles.revision()
        if resume and self.index_dir:
            cached = self._from_cache(rev, stamp)
            if cached is not None:
                return cached
            older = _newest(Path(self.index_dir).glob(f"index-v{FORMAT}-*.npz"), rev)
            if older is not None:
                try:
                    corpus = self._resume(older, rev)
                    if corpus is not None:
                        return replace(corpus, stamp=stamp)
                except (CacheError, live.Mismatch) as e:
                    log.warning("index cache %s not resumed (%s); rebuilding", older, e)
        metas: list[StoredArticle] = []
        spill = Path(self.index_dir) if self.index_dir and self.guild_id is None else None
        if spill:  # the texts wait in a temporary file there, not in memory (bot/corpus.py)
            with contextlib.suppress(OSError):  # (or in memory, when it cannot be made)
                spill.mkdir(parents=True, exist_ok=True)
        texts = PassageTexts(spill)
        docs = collect(self._linked(), metas, texts)
        index = self._load_or_build(docs, rev, metas)
        corpus = replace(Corpus.make(metas, index, texts, rev), stamp=stamp)
        self._cache_corpus(corpus, stamp)
        return corpus

    def _from_cache(self, rev: int, stamp: int) -> Corpus | None:
        """The corpus from the corpus cache of the newest revision up to `rev` and its index
        (bot/corpus_cache.py), caught up with the articles stamped after it; None when there
        is none, it cannot be read, or most articles changed since."""
        assert self.index_dir is not None
        found = corpus_cache.newest(self.index_dir, rev)
        if found is None:
            return None
        path, cached_rev = found
        started = time.perf_counter()
        try:
            index = Index.load(corpus_cache.index_path(path))
            cached = corpus_cache.load(path, index)
            if cached.stamp > stamp:
                raise CacheError(f"stamped {cached.stamp}, after the store's {stamp}")
        except CacheError as e:  # any damage: read the store (and write it again)
            log.warning("corpus cache %s unreadable (%s); reading the store", path, e)
            return None
        corpus = replace(Corpus.make(cached.articles(self._link_to), index, cached.texts,
                                     cached_rev, cached.passages, cached.ids),
                         stamp=cached.stamp)
        try:
            updated = self._catch_up(corpus)
        except live.Mismatch as e:
            log.warning("corpus cache %s not caught up (%s); reading the store", path, e)
            return None
        if updated is not None:
            log.info("loaded the corpus cache %s in %.2fs", path.name,
                     time.perf_counter() - started)
        return updated

    def _cache_corpus(self, corpus: Corpus, stamp: int) -> None:
        """Write the corpus cache beside its index (when the index is cached), so the next
        start reads it instead of every article; older ones are removed."""
        index = corpus.index
        if not self.index_dir or index.stamps is None or not isinstance(corpus.texts,
                                                                        PassageTexts):
            return
        path = corpus_cache.path_for(self.index_dir, corpus.revision)
        if not corpus_cache.index_path(path).exists():
            return
        if not np.array_equal(live.stamps(corpus.articles), index.stamps):
            return  # the store changed while it was read: the index holds other articles
        try:
            corpus_cache.save(path, corpus.articles, corpus.texts, index.stamps, stamp)
        except OSError as e:
            log.warning("cannot cache the corpus at %s: %s", path, e)
            return
        for old in [*path.parent.glob("corpus-*.npz"), *path.parent.glob(".corpus-*.tmp")]:
            with contextlib.suppress(OSError):  # another process may remove it first
                if old != path and (old.suffix == ".npz"
                                    or time.time() - old.stat().st_mtime > 86400):
                    old.unlink()

    def _resume(self, path: Path, rev: int) -> Corpus | None:
        """The corpus from a cached index of an older revision: the articles it holds that
        did not change since are kept, the others masked, the new and changed ones indexed
        in a delta (bot/live.py). None when it holds no stamps or most articles changed."""
        started = time.perf_counter()
        index = Index.load(path)
        if index.stamps is None:
            return None
        ids, sums = index.stamps[:, 0].tolist(), index.stamps[:, 1].tolist()
        now = {row[0]: row for row in self.stores.articles.catalog()}
        keep = np.fromiter((i in now and live.row_checksum(now[i]) == c
                            for i, c in zip(ids, sums, strict=True)), bool, len(ids))
        if len(now) - int(keep.sum()) > REBUILD_SHARE * max(len(ids), 1):
            return None
        counts = np.bincount(index.passage_article, minlength=len(ids))
        at = {i: p for p, i in enumerate(ids)}
        metas: list[StoredArticle] = []
        texts = PassageTexts()
        added: list[StoredArticle] = []

        def masked_until(stop: int) -> None:  # placeholders of the articles not kept
            while len(metas) < stop:
                p = len(metas)
                if keep[p]:
                    raise live.Mismatch(f"article {ids[p]} went while the cache was read")
                metas.append(StoredArticle(ids[p], "", "", "", "", False, "", (),
                                           passages=int(counts[p])))
                for _ in range(counts[p]):
                    texts.add("")

        for art in self._linked():  # in id order, as the cache was built
            p = at.get(art.id)
            if p is None or not keep[p]:
                added.append(art)
                continue
            masked_until(p)
            if len(art.paragraphs) != counts[p]:
                raise live.Mismatch(f"article {art.id} does not fit the cache")
            metas.append(replace(art, paragraphs=(), passages=len(art.paragraphs)))
            for para in art.paragraphs:
                texts.add(para)
        masked_until(len(ids))
        corpus = live.resume(index, metas, texts, keep, added, rev)
        log.info("resumed the index cache %s: %d articles kept, %d masked, %d new or changed "
                 "in %.2fs", path.name, int(keep.sum()), len(ids) - int(keep.sum()),
                 len(added), time.perf_counter() - started)
        return corpus

    def _catch_up(self, corpus: Corpus) -> Corpus | None:
        """`corpus` with the articles changed since it was loaded applied incrementally;
        None when most of it changed (a whole build is then cheaper than a delta)."""
        rev = self.stores.articles.revision()
        fetch, gone, stamp = live.what_changed(corpus, self.stores.articles)
        if not fetch and not gone:
            return replace(corpus, revision=rev, stamp=stamp)
        if len(fetch) > REBUILD_SHARE * max(len(corpus.articles), 1):
            return None
        added = [self._link(a) for a in self.stores.articles.iter_articles(ids=fetch)]
        started = time.perf_counter()
        updated = replace(live.apply(corpus, added, gone, rev), stamp=stamp)
        log.info("applied %d new or changed and %d removed articles in %.3fs", len(added),
                 len(gone) - (len(fetch) - len(added)), time.perf_counter() - started)
        return updated


    def _link(self, art: StoredArticle) -> StoredArticle:
        """The article with its link."""
        return replace(art, link=self._link_to(art.url, art.title, art.source))

    def _link_to(self, url: str, title: str, source: str) -> Link:
        """The link of an article: the one place links are made."""
        site = SEED_SITE if source == SEED_SOURCE else self.config.site.base_url
        return Link.to(url, title, site) if url or site else NO_LINK

    def _linked(self) -> Iterator[StoredArticle]:
        """The stored articles with their links."""
        for art in self.stores.articles.iter_articles():
            yield self._link(art)

    def _load_or_build(self, docs: Iterator[tuple[str, tuple[str, ...]]], rev: int,
                       metas: list[StoredArticle]) -> Index:
        name = f"index-v{FORMAT}-{rev}.npz"
        path = self.index_dir / name if self.index_dir else None
        if path and path.exists():
            try:
                index = Index.load(path)
                n = sum(len(paras) for _, paras in docs)  # still collects metadata and texts
                if index.size == n:
                    return index
                log.warning("index cache %s does not match the store; rebuilding", path)
                docs = ((a.title, a.paragraphs) for a in self.stores.articles.iter_articles())
            except CacheError as e:  # any damage: rebuild, never crash
                log.warning("index cache %s unreadable (%s); rebuilding", path, e)
        started = time.perf_counter()
        index = None
        if path and self.guild_id is None:
            # Written to the cache as it is built, and mapped from it: one matrix in memory
            # at a time. Every article is read before anything is written, so a failed write
            # leaves `metas` whole (the store is read again for a build in memory), or
            # untouched if the file could not even be made (`docs` is still unread).
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                index = Index.build(docs, path=path, stamps=lambda: live.stamps(metas))
            except OSError as e:
                log.warning("cannot cache the index at %s: %s", path, e)
                if metas:
                    docs = ((a.title, a.paragraphs)
                            for a in self.stores.articles.iter_articles())
                path = None
        saved = index is not None
        if index is None:
            index = Index.build(docs)
            index.stamps = live.stamps(metas)  # the articles it holds, for resuming it later
        log.info("built index of %d passages in %.2fs", index.size, time.perf_counter() - started)
        if path and (saved or index.size >= CACHE_MIN_PASSAGES):
            try:
                if not saved:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    index.save(path)
                for old in path.parent.glob("index-*.npz"):
                    if old != path:
                        old.unlink(missing_ok=True)
                # Temporary files left by a process killed while writing (a day is far
                # longer than any write, so another process's file in progress is kept).
                for tmp in path.parent.glob(".index-*.tmp"):
                    with contextlib.suppress(OSError):  # another process may remove it first
                        if time.time() - tmp.stat().st_mtime > 86400:
                            tmp.unlink()
            except OSError as e:
                log.warning("cannot cache the index at %s: %s", path, e)
        return index



def _newest(paths: Iterable[Path], rev: int) -> Path | None:
    """The index cache of the highest revision below `rev` (an exact one loads as it is)."""
    best, best_rev = None, -1
    for path in paths:
        with contextlib.suppress(ValueError):
            r = int(path.stem.rsplit("-", 1)[1])
            if best_rev < r < rev:
                best, best_rev = path, r
    return best
