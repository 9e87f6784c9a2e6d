"""The configured sources refreshed (all, or those due), the shared corpus's and every
server's, side by side within their time budgets; and their schedule (`Refresher`: one
refresh at a time, on PostgreSQL one process of the deployment). Each source goes through
the one ingest path, bot/ingest.py."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from bot.config import SourceConfig
from bot.ingest import file_state, ingest_paths, ingest_url
from bot.models import IngestReport
from bot.service import Service
from bot.sources.crawl import Progress
from bot.sources.normal import stored_name

log = logging.getLogger(__name__)
SOURCES_AT_ONCE = 4  # sources refreshed side by side


def due(service: Service, src: SourceConfig, now: float | None = None) -> bool:
    """Is this source's refresh interval up (or was it never refreshed)?"""
    last, _, _ = service.stores.sources.get(stored_name(src.url, src.path))
    now = time.time() if now is None else now
    return last is None or now - last >= 60 * src.refresh_minutes


async def refresh_all(service: Service, session: aiohttp.ClientSession,
                      progress_factory: Callable[[str], Progress | None] | None = None,
                      only_due: bool = False, full: bool = False) -> list[IngestReport]:
    """Re-ingest the configured sources (all, or those due), one transaction each (a sitemap
    one per batch): the shared corpus's, then every server's own (each into its corpus).
    Sources run side by side, each within its own time budget, so a slow or hanging one
    never holds the others back."""
    gate = asyncio.Semaphore(SOURCES_AT_ONCE)

    async def one(svc: Service, src: SourceConfig) -> IngestReport | None:
        async with gate:
            if only_due and not await asyncio.to_thread(due, svc, src):
                return None
            progress = progress_factory(src.name) if progress_factory else None
            try:
                return await _refresh_one(svc, session, src, progress, full)
            except Exception as e:  # noqa: BLE001 - one source's bug never stops the others
                log.exception("refreshing %s failed", src.name)
                return IngestReport(source=src.name, failed=1, errors=[
                    f"{src.name}: failed unexpectedly ({type(e).__name__}); the other "
                    "sources went on"])

    targets = [(service, src) for src in service.sources]
    if service.guild_id is None:  # the root: every server's corpus too
        guilds = await asyncio.to_thread(lambda: list(service.corpora.with_sources()))
        targets += [(g, src) for g in guilds for src in g.sources]
    reports = await asyncio.gather(*(one(svc, src) for svc, src in targets))
    for (svc, _), report in zip(targets, reports, strict=True):
        if report is not None:  # a server's ingest sets aside nothing: no seeds there
            await asyncio.to_thread(svc.set_seeds_aside, report)
    return [r for r in reports if r is not None]


async def _refresh_one(service: Service, session: aiohttp.ClientSession, src: SourceConfig,
                       progress: Progress | None, full: bool = False) -> IngestReport:
    if src.url:
        return await ingest_url(service, session, src.url, src.kind, progress=progress,
                                full=full)
    report = await asyncio.to_thread(ingest_paths, service, [Path(src.path)], src.name)
    await asyncio.to_thread(service.stores.sources.record, src.name, file_state(report))
    return report


SKIPPED = ("Another process is refreshing this store; its changes reach this one when it "
           "is done.")


class Refresher:
    """The configured sources on their schedule: one refresh at a time, each source on its
    own interval. `footnote refresh` runs it once; the bot starts `run_forever` as a task."""

    def __init__(self, service: Service, session: aiohttp.ClientSession,
                 progress_factory: Callable[[str], Progress | None] | None = None) -> None:
        self.service, self.session = service, session
        self.progress_factory = progress_factory
        self._lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        """Is a refresh under way?"""
        return self._lock.locked()

    @property
    def tick(self) -> float:
        """How often `run_forever` looks for due sources (a minute, or the shortest
        interval when shorter, for tests)."""
        minutes = min((s.refresh_minutes for s in self.service.config.sources), default=1.0)
        return max(1.0, min(60.0, 60 * minutes))

    async def run(self, only_due: bool = False, full: bool = False,
                  then: Callable[[], Awaitable[list[str]]] | None = None
                  ) -> tuple[list[IngestReport], list[str]]:
        """Refresh (all sources, or those due), then run `then` (a rebuild of the index)
        before the next refresh may start; the reports and what `then` said."""
        async with self._lock:
            async with self._turn() as mine:
                if not mine:
                    log.info("refresh skipped: another process is refreshing this store")
                    return [], [SKIPPED]
                reports = await refresh_all(self.service, self.session,
                                            self.progress_factory, only_due=only_due,
                                            full=full)
            return reports, (await then() if then else [])

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[bool]:
        """Is this process's refresh the deployment's one? On PostgreSQL, several processes
        share the store and the schedule: a session advisory lock, taken without waiting
        (True while held). On SQLite, one process refreshes (today's rule): always True."""
        if not self.service.shares_store:
            yield True
            return
        from bot.store.pg.notify import refresh_turn  # psycopg is an optional extra

        turn = refresh_turn(self.service.stores.db)
        mine = await asyncio.to_thread(turn.__enter__)
        try:
            yield mine
        finally:
            await asyncio.to_thread(turn.__exit__, None, None, None)

    async def run_due(self, then: Callable[[], Awaitable[list[str]]] | None = None
                      ) -> list[IngestReport]:
        """Refresh the sources whose interval is up."""
        return (await self.run(only_due=True, then=then))[0]

    async def run_forever(self, then: Callable[[], Awaitable[list[str]]] | None = None
                          ) -> None:
        """Every tick, refresh what is due; a failure is logged and the loop goes on."""
        while True:
            await asyncio.sleep(self.tick)
            try:
                await self.run_due(then)
            except Exception:  # noqa: BLE001 - keep refreshing; log the cause
                log.exception("scheduled refresh failed")
