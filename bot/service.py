"""The one core API both front-ends call. Never imports discord."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot import answer as answer_mod
from bot import corpus_cache, live, rerank
from bot.config import Config
from bot.corpora import SEED_SOURCE, Corpora
from bot.corpus import Corpus, PassageTexts, collect
from bot.errors import ArticleNotFound, CacheError, EmptyCorpusError, StoreError
from bot.index import FORMAT, Index
from bot.models import Answer, IngestReport, Link, StoredArticle, Summary
from bot.picking import complete_titles, pick_article
from bot.sources.normal import source_name
from bot.store import Stores
from bot.store.dialect import POSTGRESQL
from bot.summarize import DEFAULT_SENTENCES, mentions, summarize
from bot.text import tokenize

log = logging.getLogger(__name__)

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# The site the seed page was taken from: the seed articles (no URL of their own) link to a
# search of it, whatever site.base_url says (that is the admin's own site, not theirs).
SEED_SITE = "https://theowp.org"
SEEDS_ASIDE = ("the bundled seed articles were set aside; `footnote ingest seeds/` brings them "
               "back (set site.base_url and site.name in config.toml: articles without a URL "
               "link to a search of that site)")
# Incremental changes (bot/live.py): deltas are folded into a fresh index in the background
# once they hold MERGE_SHARE of the passages, else MERGE_IDLE_SECONDS after the last change;
# past MAX_LAYERS layers they are folded into one delta (a build of the deltas only). An
# index of more than IDLE_MERGE_PASSAGES is not built again for an idle pause (at 1M
# passages a build takes minutes and gigabytes): its deltas are folded into one instead.
# When more than REBUILD_SHARE of the articles changed at once, the index is built whole.
MERGE_SHARE = 0.05
MAX_LAYERS = 8
MERGE_IDLE_SECONDS = 300.0
IDLE_MERGE_PASSAGES = 200_000
REBUILD_SHARE = 0.5
# Below this many passages a server's index is not cached: building it (about 10 ms and
# 0.25 ms a passage, 2 cores) costs about what loading the cache does (15 ms), and writing
# the cache (15 ms with its fsync) would be paid on every server's first question.
CACHE_MIN_PASSAGES = 64
FAILED_URL_DAYS = 1  # a one-off URL that failed is shown by `status` this long, then forgotten


@dataclass(frozen=True)
class Status:
    articles: int
    passages: int
    revision: int
    last_refresh: float | None
    sources: list[tuple[str, float | None, str]]
    backend: str = "sqlite"  # or "postgresql"
    location: str = ""  # the SQLite file, or the PostgreSQL URL without its password


class Service:
    """Questions, summaries and corpus management over the stores."""

    def __init__(self, stores: Stores, config: Config, index_dir: Path | None = None) -> None:
        self.stores = stores
        self.config = config
        self.index_dir = index_dir  # where built indexes are cached; None: never cached
        self._corpus: Corpus | None = None
        self._build_lock = threading.Lock()
        self._merging = threading.Lock()  # one background merge at a time
        self._merge_timer: threading.Timer | None = None
        self.merge_idle_seconds = MERGE_IDLE_SECONDS
        self.community = None  # set by bot.community.wiring.open_community
        # Per-server corpora (bot.corpora): the corpora this Service reads, its server, its
        # own sources, the Service whose loaded corpus it shares, and what an empty one says.
        self.reads: tuple[str, ...] = ("",)
        self.guild_id: int | None = None
        self.sources = config.sources
        self.shares: Service | None = None
        self.empty_hint = ""
        self._corpora = None

    # -- per-server corpora
    @property
    def corpora(self):
        """The servers' Services (made on first use)."""
        if self._corpora is None:
            self._corpora = Corpora(self, self.config.discord.loaded_corpora)
        return self._corpora

    def for_guild(self, guild_id: int | None) -> Service:
        """The Service answering in a server (this one outside any server)."""
        if guild_id is None or self.guild_id is not None:
            return self
        return self.corpora.for_guild(guild_id)

    # -- several processes over one store
    @property
    def shares_store(self) -> bool:
        """Is the store PostgreSQL, shared by processes that take turns refreshing (an
        advisory lock) and announce their changes? (SQLite: one process refreshes, the
        others poll.)"""
        return self.stores.db.dialect is POSTGRESQL

    def listen_for_changes(self, changed: Callable[[str | None], None]):
        """On PostgreSQL, a started thread calling `changed(corpus)` (from that thread) for
        every corpus another process changes, `changed(None)` when it may have missed some;
        its `stop()` ends it. None on SQLite."""
        if not self.shares_store:
            return None
        from bot.store.pg.notify import ChangeListener  # psycopg is an optional extra

        def heard(corpus: str | None) -> None:
            self.corpora.changed(corpus)  # what the servers read is looked up again
            changed(corpus)

        listener = ChangeListener(self.stores.db, heard, self.corpora.setting_changed)
        listener.start()
        return listener

    # -- corpus lifecycle
    def ensure_seeded(self) -> None:
        """A store nothing was ever ingested into (revision 0), with no configured sources,
        gets the embedded seed articles, so that a first `ask` has something to quote."""
        if self.stores.articles.revision() == 0 and not self.config.sources:
            from bot.sources.files import load_paths  # here: a start from a store skips it

            result = load_paths([SEEDS_DIR])
            for err in result.errors:
                log.warning("seed: %s", err)
            self.stores.articles.ingest(result.articles, SEED_SOURCE)

    def set_seeds_aside(self, report: IngestReport) -> None:
        """After a real ingest that stored something, the seed articles are marked removed
        (kept, not searched), and the report says so. Not when the user brought them back
        with `footnote ingest seeds/` (recorded as a source): then they are wanted."""
        if report.source == SEED_SOURCE or not (report.new or report.updated or report.unchanged):
            return
        if self.stores.sources.get(SEED_SOURCE)[0] is not None:
            return
        if self.stores.articles.ingest([], SEED_SOURCE, complete=True).removed:
            report.notes.append(SEEDS_ASIDE)

    def corpus(self) -> Corpus:
        """The current corpus, built (or loaded from the index cache) on first use."""
        if self.shares is not None:
            return self.shares.corpus()
        current = self._corpus
        if current is None:
            return self.reload()
        return current

    def is_stale(self) -> bool:
        """Has the store changed (maybe from another process) since the corpus was loaded?"""
        if self.shares is not None:
            return self.shares.is_stale()
        current = self._corpus
        return current is None or current.revision != self.stores.articles.revision()

    def reload(self) -> Corpus:
        """Bring the corpus up to the store's revision and swap it in as one unit; readers
        never see half. A loaded corpus applies the articles changed since its revision
        incrementally (bot/live.py: a delta index of them, their old passages masked);
        otherwise, or when most of it changed, the index is built (or loaded) whole."""
        if self.shares is not None:
            return self.shares.reload()
        with self._build_lock:
            rev = self.stores.articles.revision()
            current = self._corpus
            if current is not None and current.revision == rev:
                return current
            try:
                if current is not None:
                    with contextlib.suppress(live.Mismatch):
                        updated = self._catch_up(current)
                        if updated is not None:
                            self._corpus = updated
                            self._after_change(updated)
                            return updated
                self._corpus = self._fresh()
                self._after_change(self._corpus)  # resumed from an older cache: merge later
            except EmptyCorpusError:
                self._corpus = None  # every article was removed: never answer from the old
                raise self._empty() from None
            return self._corpus

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

    # -- folding the deltas into a fresh index, in the background
    def _after_change(self, corpus: Corpus) -> None:
        """Start a merge when the deltas grew past MERGE_SHARE of the passages or
        MAX_LAYERS layers, else MERGE_IDLE_SECONDS after this change."""
        index = corpus.index
        if not isinstance(index, live.LiveIndex):
            return
        if self._merge_timer is not None:
            self._merge_timer.cancel()
        if index.delta_passages > MERGE_SHARE * index.size:
            self.merge_later(0.0)
        elif len(index.layers) > MAX_LAYERS:
            self.merge_later(0.0, full=False)
        else:
            self.merge_later(self.merge_idle_seconds, full=index.size <= IDLE_MERGE_PASSAGES)

    def unload(self) -> None:
        """No longer held (bot.corpora's bound): a pending merge is not needed."""
        if self._merge_timer is not None:
            self._merge_timer.cancel()

    def merge_later(self, seconds: float, full: bool = True) -> None:
        """Merge (`full=False`: fold the deltas into one) in a background thread after
        `seconds`."""
        timer = threading.Timer(seconds, self._merge_quietly, (full,))
        timer.daemon = True
        timer.name = "footnote-merge"
        self._merge_timer = timer
        timer.start()

    def _merge_quietly(self, full: bool = True) -> None:
        try:
            if full:
                self.merge()
            else:
                self.compact()
        except Exception:  # noqa: BLE001 - a background thread: log, keep the current corpus
            log.exception("merging the index deltas failed")

    def merge(self) -> bool:
        """Fold the deltas into a fresh full index (built off the lock: questions keep
        being answered from the current corpus), catch it up with what changed meanwhile,
        and swap it in; False if there was nothing to fold or a merge is running."""
        if not self._merging.acquire(blocking=False):
            return False
        try:
            if not isinstance(getattr(self._corpus, "index", None), live.LiveIndex):
                return False
            try:
                fresh = self._fresh(resume=False)
            except EmptyCorpusError:
                return False  # the next reload says so
            with self._build_lock:
                if not isinstance(getattr(self._corpus, "index", None), live.LiveIndex):
                    return False  # a reload rebuilt it meanwhile
                try:
                    self._corpus = self._catch_up(fresh) or self._fresh(resume=False)
                except live.Mismatch:
                    self._corpus = self._fresh(resume=False)
                except EmptyCorpusError:
                    self._corpus = None
            log.info("merged the index deltas")
            return True
        finally:
            self._merging.release()

    def compact(self) -> bool:
        """Fold the deltas into one delta layer (built off the lock) and swap it in, unless
        the corpus changed meanwhile (the next change asks again); False if not swapped."""
        if not self._merging.acquire(blocking=False):
            return False
        try:
            current = self._corpus
            folded = live.compact(current) if current is not None else current
            with self._build_lock:
                if folded is current or self._corpus is not current:
                    return False
                self._corpus = folded
            log.info("folded the index deltas into one")
            return True
        except live.Mismatch:
            pass  # a full merge instead, below (not holding the merge's turn)
        finally:
            self._merging.release()
        return self.merge()

    def _empty(self) -> EmptyCorpusError:
        if self.empty_hint:
            return EmptyCorpusError(self.empty_hint)
        hint = ("run `footnote refresh` to fetch the configured sources"
                if self.sources else
                "add some with `footnote ingest PATH_OR_URL`")
        return EmptyCorpusError(f"There are no articles yet: {hint}.")

    def _link(self, art: StoredArticle) -> StoredArticle:
        """The article with its link."""
        return replace(art, link=self._link_to(art.url, art.title, art.source))

    def _link_to(self, url: str, title: str, source: str) -> Link:
        """The link of an article: the one place links are made."""
        site = SEED_SITE if source == SEED_SOURCE else self.config.site.base_url
        return Link.to(url, title, site)

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

    # -- questions
    def ask(self, question: str, top: int | None = None) -> Answer:
        """Answer a question with quoted passages, or say the articles don't answer it."""
        return answer_mod.answer(self.corpus(), question, top or self.config.answers.top)

    # -- articles
    def articles(self) -> list[StoredArticle]:
        """Searchable articles, newest first (by date, then by when they were added)."""
        arts = self.corpus().articles
        return sorted(arts, key=lambda a: (a.date, a.id), reverse=True)

    def search_articles(self, query: str, limit: int = 10) -> list[StoredArticle]:
        """Articles best matching a query, best first (one entry per article)."""
        corpus = self.corpus()
        q = answer_mod.check_question(query, "query")
        ids, _ = rerank.search(corpus.index, tokenize(q), k=max(limit * 10, 50))
        seen: dict[int, StoredArticle] = {}
        for pid in ids:
            art = corpus.passage(int(pid))[0]
            seen.setdefault(art.id, art)
            if len(seen) == limit:
                break
        return list(seen.values())

    def article_by_id(self, article_id: int) -> StoredArticle:
        """The article with this store id (for buttons that name one)."""
        corpus = self.corpus()
        try:
            return corpus.articles[corpus.position(article_id)]
        except KeyError:
            raise ArticleNotFound("That article is no longer available.") from None

    def find_article(self, ref: str) -> StoredArticle:
        """An article by URL, exact or fuzzy title, or description; ambiguity is an error."""
        return pick_article(self.corpus(), ref)

    def title_choices(self, partial: str, limit: int = 25) -> list[StoredArticle]:
        """Titles for autocomplete: fuzzy, works on partial words."""
        return complete_titles(self.corpus(), partial, limit)

    def summary(
        self,
        ref: str | StoredArticle,
        sentences: int = DEFAULT_SENTENCES,
        about: str = "",
        max_chars: int | None = None,
    ) -> Summary:
        """An extractive summary, cached in the store by the article's text."""
        art = ref if isinstance(ref, StoredArticle) else self.find_article(ref)
        if not art.paragraphs:
            art = self.corpus().full(art)
        about = " ".join(about.split())
        params = f"v3|{sentences}|{max_chars}|{about}"
        cached = self.stores.summaries.get(art.text_hash, params)
        if cached is not None:
            picked = cached["sentences"]
        else:
            picked = summarize(art.title, art.paragraphs, sentences, about, max_chars)
            try:
                self.stores.summaries.put(art.text_hash, params, {"sentences": picked})
            except StoreError as e:  # a side write never fails the summary
                log.warning("summary not cached: %s", e)
        mentioned = not about or mentions(art.title, art.paragraphs, about)
        return Summary(art.title, art.link, art.partial, tuple(picked), about, art.id, mentioned)

    # -- questions behind buttons
    def remember_question(self, text: str) -> int:
        """Keep a question for a "More passages" button; its id (a side write that may
        fail with StoreError: the answer then goes out without the button)."""
        return self.stores.questions.remember(text)

    def question(self, qid: int) -> str | None:
        """A question kept for a button, or None once forgotten."""
        return self.stores.questions.get(qid)

    # -- status
    def counts(self) -> tuple[int, int]:
        """(articles, passages) in the store now (maybe not yet in the loaded corpus)."""
        return self.stores.articles.count()

    def status(self) -> Status:
        """Counts and source states for `status` commands. Every ingest and refresh (files and
        URLs) records its time in the store. A URL ingested once by hand (not a configured
        source) whose last try failed is shown for FAILED_URL_DAYS, then left out; a later
        successful ingest of it replaces the failure at once."""
        arts, passages = self.stores.articles.count()
        configured = {source_name(s.url) if s.url else s.name for s in self.sources}
        cutoff = time.time() - FAILED_URL_DAYS * 86400
        sources = [(name, when, state) for name, when, state in self.stores.sources.all()
                   if name in configured or not state.startswith("failed")
                   or (when or 0) >= cutoff]
        times = [t for _, t, state in sources if t and not state.startswith("failed")]
        return Status(arts, passages, self.stores.articles.revision(), max(times, default=None),
                      sources, "postgresql" if self.shares_store else "sqlite",
                      self.stores.db.path)


def _newest(paths: Iterable[Path], rev: int) -> Path | None:
    """The index cache of the highest revision below `rev` (an exact one loads as it is)."""
    best, best_rev = None, -1
    for path in paths:
        with contextlib.suppress(ValueError):
            r = int(path.stem.rsplit("-", 1)[1])
            if best_rev < r < rev:
                best, best_rev = path, r
    return best
