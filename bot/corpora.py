"""Per-server corpora (issue 14): which corpus a server reads, and one Service per server,
kept in a least-recently-used set so a process loads only the corpora of the servers it
serves, within a bound.

A server with sources of its own (the config's [[guilds]] or `/footnote source add`) reads
its corpus `g<id>`, and the shared corpus too when it chose so. A server with none reads
the shared corpus when the operator configured one (the embedded seeds count only in a
store nothing else was ingested into), else nothing: its questions get a short note on how
to add sources. Every server's Service keeps its own remembered questions, so a button
from one server finds nothing in another.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from bot.config import SourceConfig
from bot.errors import EmptyCorpusError, FootnoteError, UsageError
from bot.sources.normal import source_name
from bot.store.dialect import MODES_CHANGED, SOURCES_CHANGED
from bot.store.guilds import GuildSources
from bot.store.scoped import corpus_stores

log = logging.getLogger(__name__)

SEED_SOURCE = "seeds"  # the source name of the embedded seed articles
OUTSIDE_SERVERS = ("Footnote answers in servers, each from its own sources: ask in a server "
                   "that added it.")
NO_SOURCES = ("This server has no sources yet: an admin (Manage Server) can add the site "
              "with `/footnote source add URL`.")
# What a server reads is kept this long at most (and dropped at once when this process
# changes it or hears of a change: bot.store.pg.notify); SQLite's other processes announce
# nothing, so this is the minute of their store watch.
CHOICE_SECONDS = 60.0


def corpus_id(guild_id: int) -> str:
    """The corpus of a server's own sources."""
    return f"g{guild_id}"


class Corpora:
    """The servers' Services over one root Service (the shared corpus)."""

    def __init__(self, root, limit: int = 64) -> None:
        self.root = root
        self.limit = max(1, limit)
        self.stored = GuildSources(root.stores.db)
        self._loaded: OrderedDict[int, object] = OrderedDict()
        self._lock = threading.Lock()
        self._nowhere = None  # the Service of direct messages when there is no shared corpus
        # What each server reads, looked up once (a load must not query the store much):
        # guild -> (when, its own sources, does it read its own corpus, the shared one too?);
        # and (when, is there a shared corpus). `_generation` moves at every change, so a
        # lookup that raced with one is not kept.
        self._choices: dict[int, tuple[float, tuple[SourceConfig, ...], bool, bool]] = {}
        self._shared: tuple[float, bool] | None = None
        self._generation = 0
        root.stores.articles.ingest_listeners.append(self._ingested)

    # -- what a server reads
    def sources(self, guild_id: int) -> tuple[SourceConfig, ...]:
        """A server's own sources: from the config, then those added in Discord."""
        cfg = self.root.config.guild(guild_id)
        own = list(cfg.sources) if cfg else []
        named = {s.name for s in own}
        own += [SourceConfig(kind=kind, url=url) for url, kind in self.stored.sources(guild_id)
                if url not in named]
        return tuple(own)

    def wants_shared(self, guild_id: int) -> bool:
        """Does a server with sources of its own also search the shared corpus?"""
        chosen = self.stored.shared(guild_id)
        if chosen is not None:
            return chosen
        cfg = self.root.config.guild(guild_id)
        return bool(cfg and cfg.shared)

    def shared_available(self, held: dict[str, set[str]] | None = None) -> bool:
        """Is there a shared corpus for servers without sources of their own? `held`: the
        store's holdings, when the caller has them already (else looked up, and kept)."""
        if self.root.config.sources:
            return True
        if held is not None:
            real, servers = bool(held.get("", set()) - {SEED_SOURCE}), bool(set(held) - {""})
            return self._shared_from(real, servers)
        with self._lock:
            kept, generation = self._shared, self._generation
        if kept is not None and time.monotonic() - kept[0] < CHOICE_SECONDS:
            return kept[1]
        now, articles = time.monotonic(), self.root.stores.articles
        found = self._shared_from(articles.holds("", besides=SEED_SOURCE), articles.holds(None))
        with self._lock:
            if generation == self._generation:
                self._shared = (now, found)
        return found

    def _shared_from(self, real: bool, servers: bool) -> bool:
        """`real`: the shared corpus holds more than the seeds; `servers`: some server
        holds articles of its own."""
        if real:
            return True
        # A one-site store (no server has a corpus of its own): the seeds, or its empty
        # corpus with the operator's hint.
        return not (servers or self.stored.guilds()
                    or any(g.sources for g in self.root.config.guilds))

    def reads(self, guild_id: int, held: dict[str, set[str]] | None = None
              ) -> tuple[str, tuple[str, ...]]:
        """(the corpus a server writes, the corpora it reads); `held`: the store's
        holdings, when the caller has them already (else a few indexed lookups, kept)."""
        own = corpus_id(guild_id)
        if held is None:
            _, mine, also_shared = self._choice(guild_id)
        else:
            mine = bool(self.sources(guild_id)) or own in held
            also_shared = mine and self.wants_shared(guild_id)
        if mine:
            return own, ((own, "") if also_shared else (own,))
        if self.shared_available(held):
            return "", ("",)
        return own, (own,)

    def _choice(self, guild_id: int) -> tuple[tuple[SourceConfig, ...], bool, bool]:
        """(a server's own sources, does it read its own corpus, the shared one too?),
        looked up once and kept (CHOICE_SECONDS at most, dropped at any change)."""
        with self._lock:
            kept, generation = self._choices.get(guild_id), self._generation
        if kept is not None and time.monotonic() - kept[0] < CHOICE_SECONDS:
            return kept[1:]
        now = time.monotonic()
        sources = self.sources(guild_id)
        mine = bool(sources) or self.root.stores.articles.holds(corpus_id(guild_id))
        also_shared = mine and self.wants_shared(guild_id)
        with self._lock:
            if generation == self._generation:
                self._choices[guild_id] = (now, sources, mine, also_shared)
        return sources, mine, also_shared

    def changed(self, corpus: str | None) -> None:
        """A corpus's articles changed, in this process or another (None: any may have):
        what the servers read is looked up again (a server's own corpus may have appeared
        or gone, or the shared one)."""
        with self._lock:
            self._generation += 1
            self._shared = None
            if corpus is None:
                self._choices.clear()
            elif corpus.startswith("g") and corpus[1:].isdigit():
                self._choices.pop(int(corpus[1:]), None)

    def _ingested(self, report) -> None:
        if report.new or report.updated or report.removed:
            self.changed(report.corpus)

    # -- one Service per server, least recently used unloaded
    def for_guild(self, guild_id: int):
        """The Service answering in this server."""
        with self._lock:
            svc = self._loaded.get(guild_id)
            if svc is not None:
                self._loaded.move_to_end(guild_id)
                return svc
        made = self._make(guild_id)
        with self._lock:
            svc = self._loaded.setdefault(guild_id, made)
            if svc is made:
                log.info("loaded the corpus of server %s", guild_id)
            self._loaded.move_to_end(guild_id)
            while len(self._loaded) > self.limit:
                gone, unloaded = self._loaded.popitem(last=False)
                unloaded.unload()
                log.info("unloaded the corpus of server %s (least recently used)", gone)
        return svc

    def _make(self, guild_id: int, held: dict[str, set[str]] | None = None):
        corpus, reads = self.reads(guild_id, held)
        stores = corpus_stores(self.root.stores, corpus, reads, scope=corpus_id(guild_id))
        index_dir = self.root.index_dir
        svc = type(self.root)(stores, self.root.config,
                      index_dir=Path(index_dir) / "-".join(r or "shared" for r in reads)
                      if index_dir else None)
        svc.reads, svc.guild_id = reads, guild_id
        svc.sources = self.sources(guild_id) if held is not None else self._choice(guild_id)[0]
        svc.community = self.root.community
        if reads == ("",):
            svc.shares = self.root  # one loaded shared index, however many servers read it
        elif not svc.sources and "" not in reads:
            svc.empty_hint = NO_SOURCES
        return svc

    def outside_servers(self):
        """The Service for direct messages: the shared corpus when there is one, else one
        that reads nothing and says where to ask (never a server's corpus)."""
        if self.shared_available():
            return self.root
        with self._lock:
            if self._nowhere is None:
                stores = corpus_stores(self.root.stores, "", (), scope="")
                svc = type(self.root)(stores, self.root.config)
                svc.reads, svc.sources, svc.empty_hint = (), (), OUTSIDE_SERVERS
                svc.community = self.root.community
                self._nowhere = svc
            return self._nowhere

    def stop_merging(self) -> None:
        """Every loaded server's background merges stopped (the stores are closing)."""
        with self._lock:
            loaded = [*self._loaded.values(), *([self._nowhere] if self._nowhere else [])]
        for svc in loaded:
            svc.stop_merging()

    # -- what admins change in Discord
    def add(self, guild_id: int, url: str) -> tuple[str, bool]:
        """Add a source URL to a server's own corpus: (the URL, False if already there)."""
        url = url.strip()
        if not url.startswith(("http://", "https://")) or not urlsplit(url).hostname:
            raise UsageError("a source is a web address: https://example.org/ (a WordPress "
                             "site, a feed, a sitemap or a page)")
        name = source_name(url)
        if any(source_name(s.name) == name for s in self.sources(guild_id)):
            return url, False
        added = self.stored.add(guild_id, url)
        self.forget(guild_id)
        return url, added

    def remove(self, guild_id: int, url: str) -> bool:
        """Remove a source and its articles from a server's corpus; False when not there."""
        name = source_name(url.strip())
        cfg = self.root.config.guild(guild_id)
        if cfg and name in {source_name(s.name) for s in cfg.sources}:
            raise UsageError("that source is set in the bot's config file; ask its operator")
        stored = [u for u, _ in self.stored.sources(guild_id) if source_name(u) == name]
        if not stored or not self.stored.remove(guild_id, stored[0]):
            return False
        self.root.stores.articles.ingest([], name, complete=True, corpus=corpus_id(guild_id))
        self.forget(guild_id)
        return True

    def set_shared(self, guild_id: int, shared: bool) -> None:
        """Whether a server with sources of its own also searches the shared corpus."""
        self.stored.set_shared(guild_id, shared)
        self.forget(guild_id)

    def forget(self, guild_id: int) -> None:
        """A server's sources changed: its Service is made afresh when next asked for."""
        with self._lock:
            svc = self._loaded.pop(guild_id, None)
            self._choices.pop(guild_id, None)
            self._shared = None  # "a store no server added sources to" may have ended
            self._generation += 1
        if svc is not None:
            svc.unload()

    def setting_changed(self, setting: str | None, guild_id: int | None) -> None:
        """Another process changed a server's setting (None: any server's, any setting; it
        may have been missed): its sources make that server's Service afresh when next
        asked for; its channel modes are read again."""
        if setting in (None, SOURCES_CHANGED):
            if guild_id is None:
                with self._lock:
                    dropped = list(self._loaded.values())
                    self._loaded.clear()
                for svc in dropped:
                    svc.unload()
                self.changed(None)
            else:
                self.forget(guild_id)
        modes = getattr(self.root.community, "modes", None)
        if setting in (None, MODES_CHANGED) and modes is not None:
            modes.reload(guild_id)

    def loaded(self) -> list[int]:
        """Servers whose Service is held, least recently used first."""
        with self._lock:
            return list(self._loaded)

    # -- refreshing every corpus
    def with_sources(self) -> Iterator:
        """A Service for every server with sources of its own (made for the refresh, not
        kept loaded unless it already was)."""
        ids = {g.id for g in self.root.config.guilds if g.sources} | set(self.stored.guilds())
        held = self.root.stores.articles.holdings() if ids else {}
        for gid in sorted(ids):
            with self._lock:
                svc = self._loaded.get(gid)
            yield svc if svc is not None else self._make(gid, held)

    def reload_stale(self, only: set[str] | None = None) -> list[str]:
        """Rebuild every loaded server corpus that changed (of those reading a corpus in
        `only`, when given: the ones another process announced); the error lines."""
        errors = []
        with self._lock:
            held = [s for s in self._loaded.values() if getattr(s, "shares", None) is None
                    and (only is None or only & set(s.reads))]
        for svc in held:
            try:
                if svc.is_stale():
                    svc.reload()
            except EmptyCorpusError:
                pass  # it says so when asked
            except FootnoteError as e:
                errors.append(str(e))
        return errors
