"""Ingesting a URL: find out what it is (WordPress site, feed, sitemap, page, WXR export),
fetch politely, parse, and store each source in one transaction.

Nothing is lost: a failed page or API page never removes or blanks anything; only a
complete, successful listing marks missing articles as removed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import aiohttp

from bot.config import SourceConfig
from bot.errors import SourceError
from bot.models import Article, IngestReport
from bot.service import Service
from bot.sources.crawl import (
    Harvest,
    Progress,
    detect,
    harvest_feed,
    harvest_sitemap,
    harvest_wordpress,
    page_article,
)
from bot.sources.http import Fetcher, Validators, new_session
from bot.sources.normal import source_name
from bot.sources.wxr import parse_wxr

log = logging.getLogger(__name__)
SOURCES_AT_ONCE = 4  # sources refreshed side by side


# -- one source, end to end
async def ingest_url(service: Service, session: aiohttp.ClientSession, url: str,
                     kind: str = "auto", name: str | None = None,
                     progress: Progress | None = None, full: bool = False) -> IngestReport:
    """Fetch, parse and store one URL source; never raises for source problems. `full`:
    find out again what the URL is, and fetch everything, changed or not."""
    name = source_name(name or url)
    store = service.store
    fetcher = Fetcher(session, service.config.fetch, _Forgetful(store) if full else store)
    stored = _Batches(service, name)
    _, _, raw_cursor = await asyncio.to_thread(store.source_state, name)
    try:
        cursor = json.loads(raw_cursor) if raw_cursor else {}
    except ValueError:
        cursor = {}
    try:
        first, target = None, url
        if kind == "auto" and cursor.get("kind") and not full:
            kind, target = cursor["kind"], cursor.get("target", url)  # detected last time
        elif kind == "auto":
            kind, first, target = await detect(fetcher, url)
        if kind == "wordpress":
            api = target if "wp-json" in target or "rest_route" in target else (
                "{0.scheme}://{0.netloc}/wp-json/".format(urlsplit(url)))
            harvest = await harvest_wordpress(fetcher, api, name, cursor, progress, full)
        elif kind == "feed":
            harvest = await harvest_feed(fetcher, target, first, name, progress)
        elif kind == "sitemap":
            harvest = await harvest_sitemap(fetcher, target, first, name, progress, cursor,
                                            stored.save)
        elif kind == "wxr":
            resp = first or await fetcher.fetch(url, expect="xml")
            harvest = Harvest(articles=await asyncio.to_thread(parse_wxr, resp.body, url),
                              complete=True)
        else:
            harvest = Harvest()
            resp = first or await fetcher.fetch(url, expect="html")
            if first is not None and "html" not in first.content_type:
                raise SourceError(f"unexpected content type {first.content_type!r}", url)
            harvest.articles.append(await asyncio.to_thread(page_article, resp, url, name))
    except SourceError as e:
        await asyncio.to_thread(store.set_source_state, name, f"failed: {e.reason}")
        return IngestReport(source=name, failed=1, errors=[str(e)])
    # A failed harvest keeps the old position (what it did not see is asked for again).
    harvest.cursor = {**cursor, **harvest.cursor, "kind": kind, "target": target}
    articles = [a if a.source == name else _with_source(a, name) for a in harvest.articles]
    report = await asyncio.to_thread(
        store.ingest, articles, name, complete=harvest.complete and not harvest.errors,
        unchanged_keys=harvest.unchanged)
    if harvest.listed is not None:  # streamed in batches, and the whole listing was crawled
        report.removed = await stored.remove_unlisted(harvest.listed)
    stored.add_to(report)
    report.errors, report.failed = harvest.errors, len(harvest.errors)
    report.skipped = harvest.skipped
    state = "ok" if not harvest.errors else f"{len(harvest.errors)} failed"
    await asyncio.to_thread(store.set_source_state, name, f"{state} ({kind})",
                            json.dumps(harvest.cursor))
    return report


class _Forgetful(Validators):
    """For a full refresh: no conditional GETs (everything is fetched again), but the new
    validators are kept for the next run."""

    def __init__(self, store: Validators) -> None:
        self.store = store

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.store.save_validators(url, etag, last_modified)


class _Batches:
    """Stores a streamed source's pages batch by batch (one transaction each, off the event
    loop), adding up what each batch did."""

    def __init__(self, service: Service, name: str) -> None:
        self.store, self.name = service.store, name
        self.totals = IngestReport(source=name)

    async def save(self, articles: list[Article], unchanged: set[str]) -> None:
        articles = [a if a.source == self.name else _with_source(a, self.name)
                    for a in articles]
        r = await asyncio.to_thread(self.store.ingest, articles, self.name,
                                    unchanged_keys=unchanged)
        for count in ("new", "updated", "unchanged"):
            setattr(self.totals, count, getattr(self.totals, count) + getattr(r, count))

    async def remove_unlisted(self, listed: set[str]) -> int:
        """Mark removed this source's articles the complete listing no longer names: an
        ingest of nothing, complete, with every listed key counted as present."""
        r = await asyncio.to_thread(self.store.ingest, [], self.name, complete=True,
                                    unchanged_keys=listed)
        return r.removed

    def add_to(self, report: IngestReport) -> None:
        report.new += self.totals.new
        report.updated += self.totals.updated
        report.unchanged += self.totals.unchanged


def _with_source(article: Article, name: str) -> Article:
    from dataclasses import replace

    return replace(article, source=name)


def due(service: Service, src: SourceConfig, now: float | None = None) -> bool:
    """Is this source's refresh interval up (or was it never refreshed)?"""
    last, _, _ = service.store.source_state(source_name(src.url) if src.url else src.name)
    now = time.time() if now is None else now
    return last is None or now - last >= 60 * src.refresh_minutes


async def refresh_all(service: Service, session: aiohttp.ClientSession,
                      progress_factory: Callable[[str], Progress | None] | None = None,
                      only_due: bool = False, full: bool = False) -> list[IngestReport]:
    """Re-ingest the configured sources (all, or those due), one transaction each (a sitemap
    one per batch). Sources run side by side, each within its own time budget, so a slow or
    hanging one never holds the others back."""
    gate = asyncio.Semaphore(SOURCES_AT_ONCE)

    async def one(src: SourceConfig) -> IngestReport | None:
        async with gate:
            if only_due and not await asyncio.to_thread(due, service, src):
                return None
            progress = progress_factory(src.name) if progress_factory else None
            return await _refresh_one(service, session, src, progress, full)

    reports = await asyncio.gather(*(one(src) for src in service.config.sources))
    for report in reports:
        if report is not None:
            await asyncio.to_thread(service.set_seeds_aside, report)
    return [r for r in reports if r is not None]


async def _refresh_one(service: Service, session: aiohttp.ClientSession, src: SourceConfig,
                       progress: Progress | None, full: bool = False) -> IngestReport:
    if src.url:
        return await ingest_url(service, session, src.url, src.kind, progress=progress,
                                full=full)
    from pathlib import Path

    report, _ = await asyncio.to_thread(service.ingest_paths, [Path(src.path)])
    report.source = src.name
    await asyncio.to_thread(service.store.set_source_state, src.name, "ok (file)" if report.ok
                            else f"{report.failed} failed (file)")
    return report


# -- synchronous entry points for the console
def ingest_url_sync(service: Service, url: str, kind: str = "auto",
                    full: bool = False) -> IngestReport:
    """`ingest_url` for the console: its own event loop and session."""
    async def run() -> IngestReport:
        async with new_session(service.config.fetch) as session:
            return await ingest_url(service, session, url, kind, full=full)

    return asyncio.run(run())


def refresh_all_sync(service: Service, progress: bool = False,
                     full: bool = False) -> list[IngestReport]:
    """`refresh_all` for the console, with a progress bar on a terminal."""
    bars = []

    def factory(name: str) -> Progress | None:
        if not progress:
            return None
        from tqdm import tqdm

        bar = tqdm(desc=name[:40], unit=" articles", leave=False)
        bars.append(bar)
        return bar.update

    async def run() -> list[IngestReport]:
        async with new_session(service.config.fetch) as session:
            return await refresh_all(service, session, factory, full=full)

    try:
        return asyncio.run(run())
    finally:
        for bar in bars:
            bar.close()
