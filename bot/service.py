"""The one core API both front-ends call. Never imports discord. How it gets its corpus
(from the caches, the store, or caught up incrementally) is in bot/loading.py, how it folds
the index deltas in the background in bot/merging.py: mixins it inherits."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot import answer as answer_mod
from bot import live, rerank
from bot.config import Config
from bot.corpora import SEED_SOURCE, Corpora
from bot.corpus import Corpus
from bot.errors import ArticleNotFound, EmptyCorpusError, StoreError, UsageError
from bot.loading import Loading
from bot.merging import Merging
from bot.models import Answer, IngestReport, StoredArticle, Summary
from bot.picking import complete_titles, pick_article
from bot.sources.normal import source_name, stored_name
from bot.store import Stores
from bot.store.dialect import POSTGRESQL
from bot.summarize import DEFAULT_SENTENCES, mentions, summarize
from bot.text import tokenize

log = logging.getLogger(__name__)

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEEDS_ASIDE = "the bundled seed articles were set aside; `footnote ingest seeds/` brings them back"
# Incremental changes (bot/live.py): deltas are folded into a fresh index in the background
# once they hold MERGE_SHARE of the passages, else MERGE_IDLE_SECONDS after the last change;
# past MAX_LAYERS layers they are folded into one delta (a build of the deltas only). An
# index of more than IDLE_MERGE_PASSAGES is not built again for an idle pause (at 1M
# passages a build takes minutes and gigabytes): its deltas are folded into one instead.
# (How they are folded: bot/merging.py; how the corpus is loaded: bot/loading.py.)
MERGE_SHARE = 0.05
MAX_LAYERS = 8
MERGE_IDLE_SECONDS = 300.0
IDLE_MERGE_PASSAGES = 200_000
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


class Service(Loading, Merging):
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
        self._seeded_now = False  # this process seeded the store (`ensure_seeded`)
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

    def stop_merging(self) -> None:
        """This Service's and its servers' background merges stopped: the stores close next."""
        super().stop_merging()
        if self._corpora is not None:
            self._corpora.stop_merging()

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
            self._seeded_now = True

    def set_seeds_aside(self, report: IngestReport) -> None:
        """After a real ingest that stored something, the seed articles are marked removed
        (kept, not searched), and the report says so. Not when the user brought them back
        with `footnote ingest seeds/` (recorded as a source): then they are wanted."""
        if report.source == SEED_SOURCE or not (report.new or report.updated or report.unchanged):
            return
        if self.stores.sources.get(SEED_SOURCE)[0] is not None:
            return
        # A store seeded by this very command (a first `ingest` into a new folder) never
        # showed the seeds to anyone: they go without a word.
        removed = self.stores.articles.ingest([], SEED_SOURCE, complete=True).removed
        if removed and not self._seeded_now:
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

    def _empty(self) -> EmptyCorpusError:
        if self.empty_hint:
            return EmptyCorpusError(self.empty_hint)
        hint = ("run `footnote refresh` to fetch the configured sources"
                if self.sources else
                "add some with `footnote ingest PATH_OR_URL`")
        return EmptyCorpusError(f"There are no articles yet: {hint}.")

    # -- questions
    def ask(self, question: str, top: int | None = None, when: datetime | None = None
            ) -> Answer:
        """Answer a question with quoted passages, or say the articles don't answer it.
        `when`: the time it is asked (default now), which "this week" is read against."""
        return answer_mod.answer(self.corpus(), question, top or self.config.answers.top, when)

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
        params = f"v13|{sentences}|{max_chars}|{about}"
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

    def remove_source(self, target: str) -> tuple[str, int, bool]:
        """Take a source's articles out of the answers (`footnote remove`): the source as
        `status` lists it (its URL, or its folder however written), its articles kept in the
        store but marked removed, as when it lists none. (name, articles removed, whether it
        is a configured source, which the next refresh brings back.)"""
        as_path = str(Path(target).expanduser().resolve())
        name = next((n for n, _, _ in self.stores.sources.all()
                     if n in (target, source_name(target), as_path)), None)
        if name is None:
            raise UsageError(f"no source {target!r} in this store (`footnote status` lists "
                             "them, as they were ingested)")
        removed = self.stores.articles.ingest([], name, complete=True).removed
        return name, removed, name in self._configured_names()

    def _configured_names(self) -> set[str]:
        """The configured sources' names as the store keeps them."""
        return {stored_name(s.url, s.path) for s in self.sources}

    def status(self) -> Status:
        """Counts and source states for `status` commands. Every ingest and refresh (files and
        URLs) records its time in the store. A URL ingested once by hand (not a configured
        source) whose last try failed is shown for FAILED_URL_DAYS, then left out; a later
        successful ingest of it replaces the failure at once."""
        arts, passages = self.stores.articles.count()
        configured = self._configured_names()
        cutoff = time.time() - FAILED_URL_DAYS * 86400
        sources = [(name, when, state) for name, when, state in self.stores.sources.all()
                   if name in configured or not state.startswith("failed")
                   or (when or 0) >= cutoff]
        times = [t for _, t, state in sources if t and not state.startswith("failed")]
        return Status(arts, passages, self.stores.articles.revision(), max(times, default=None),
                      sources, "postgresql" if self.shares_store else "sqlite",
                      self.stores.db.path)

