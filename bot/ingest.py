"""The one ingest path: files, folders and URLs into the store, the configured sources
refreshed (all, or those due) and their schedule. Used by the console, the bot and cron.

A URL is found out (WordPress site, feed, sitemap, page, WXR export), fetched politely by
bot.sources, parsed off the event loop, and stored one transaction per source (a sitemap
one per batch). Nothing is lost: a failed page or API page never removes or blanks
anything; only a complete, successful listing marks missing articles as removed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiohttp

from bot.config import SourceConfig
from bot.errors import FootnoteError, SourceError, StoreError, UsageError
from bot.models import Article, IngestReport
from bot.service import SEED_SOURCE, SEEDS_DIR, Service
from bot.sources.crawl import (
    Harvest,
    Progress,
    detect,
    harvest_feed,
    harvest_sitemap,
    harvest_wordpress,
    page_article,
    wordpress_api,
)
from bot.sources.files import load_paths, skipped_note
from bot.sources.http import INVALID_URL, Fetcher, Validators
from bot.sources.normal import source_name
from bot.sources.wxr import parse_wxr

log = logging.getLogger(__name__)
SOURCES_AT_ONCE = 4  # sources refreshed side by side


# -- files and folders
def ingest_paths(service: Service, paths: list[Path], source: str | None = None
                 ) -> IngestReport:
    """Load files/folders into the store (one transaction); errors name file and line."""
    # Absolute paths: `ingest notes` and `ingest /home/me/notes` are one source, and the
    # articles without a URL (keyed by their file) one article each.
    paths = [p.expanduser().resolve() for p in paths]
    result = load_paths(paths)
    if result.skipped and not result.articles and not result.errors:
        # Only files it cannot read ("report.docx"): a mistake to say, not an empty source.
        raise SourceError(skipped_note(result.skipped), ",".join(str(p) for p in paths))
    # Folders are complete listings: a file deleted from one is marked removed. Only when
    # every file loaded, so a broken file never removes the articles it held.
    # ... and not when they hold none: an empty folder is more likely an unmounted share
    # than a site with no articles (an empty sitemap is refused the same way).
    complete = all(p.is_dir() for p in paths) and not result.errors and bool(result.articles)
    seeds = [p.resolve() for p in paths] == [SEEDS_DIR]  # back under their own name
    report = service.stores.articles.ingest(
        result.articles, source=SEED_SOURCE if seeds else ",".join(str(p) for p in paths),
        complete=complete)
    report.errors = [str(e) for e in result.errors]
    report.failed = len(result.errors)
    if result.skipped:
        report.notes.append(skipped_note(result.skipped))
    elif not result.articles and not result.errors:
        report.notes.append("no files in it; nothing removed")
    # Said when articles come in or change, not on every unchanged refresh.
    unlinked = sum(not a.url for a in result.articles)
    if unlinked and (report.new or report.updated) and not seeds \
            and not service.config.site.base_url:
        report.notes.append(unlinked_note(unlinked))
    if source is not None:
        report.source = source
    return report


def unlinked_note(n: int) -> str:
    """What the report says of articles shown without a link."""
    return (f"{n} article{'s' if n != 1 else ''} without a URL of {'their' if n != 1 else 'its'}"
            f" own, shown without a link (set site.base_url in a config file to link "
            f"{'them' if n != 1 else 'it'} to your site's search)")


# -- console targets: paths and URLs, one session for all
async def ingest_targets(service: Service, session: aiohttp.ClientSession, targets: list[str],
                         kind: str = "auto", full: bool = False) -> list[IngestReport]:
    """One report per target; a failing target never stops the others."""
    reports = []
    for target in targets:
        target = _local_or_url(target)
        if target.startswith(("http://", "https://")):
            if kind == "file":
                raise UsageError("--kind file takes paths, not URLs")
            report = await ingest_url(service, session, target, kind, full=full)
        else:
            report = await asyncio.to_thread(_ingest_files, service, target)
        await asyncio.to_thread(service.set_seeds_aside, report)
        reports.append(report)
    return reports


def _ingest_files(service: Service, target: str) -> IngestReport:
    if target.rstrip("/") == "seeds" and not Path(target).exists():
        target = str(SEEDS_DIR)  # what the "set aside" note says to type, from any folder
    try:
        report = ingest_paths(service, [Path(target)])
    except StoreError:
        raise  # not this target's fault: every other would fail the same way
    except FootnoteError as e:
        report = IngestReport(source=target, failed=1, errors=[str(e)])
    # Recorded in the store (not in this process) so that `status` shows it later; a path
    # that gave nothing at all (missing, unreadable) is not a source.
    if report.ok or report.new or report.updated or report.unchanged:
        service.stores.sources.record(report.source, _file_state(report))
    return report


def _file_state(report: IngestReport) -> str:
    """A file source's state: ok, some files failed, or failed (nothing read: `status`'s
    last refresh is then not this one)."""
    if report.ok:
        return "ok (file)"
    if report.errors and not (report.new or report.updated or report.unchanged):
        return f"failed: {report.errors[0].rsplit(': ', 1)[-1]}"
    return f"{report.failed} failed (file)"


def _local_or_url(target: str) -> str:
    """A file:// URL as its path; other URL schemes refused by name (never read as a path:
    "ftp://host/x" is not a folder called "ftp:")."""
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", target)
    if not m:
        return target
    scheme = m.group(1).lower()
    if scheme == "file":
        return unquote(urlsplit(target).path)
    if scheme not in ("http", "https"):
        raise UsageError(f"{target}: only http(s) URLs and local paths can be ingested")
    try:
        host = urlsplit(target).hostname
    except ValueError:  # "http://[::1/x"
        raise UsageError(f"{target}: {INVALID_URL}") from None
    if not host:
        raise UsageError(f"{target}: the URL has no host name")
    return target


# -- one URL source, end to end
async def ingest_url(service: Service, session: aiohttp.ClientSession, url: str,
                     kind: str = "auto", name: str | None = None,
                     progress: Progress | None = None, full: bool = False) -> IngestReport:
    """Fetch, parse and store one URL source; never raises for source problems. `full`:
    find out again what the URL is, and fetch everything, changed or not."""
    try:
        name = source_name(name or url)
    except ValueError:  # "http://[::1/x"
        return IngestReport(source=url, failed=1, errors=[f"{url}: {INVALID_URL}"])
    stores = service.stores
    _, _, raw_cursor = await asyncio.to_thread(stores.sources.get, name)
    # A source never ingested, or removed (all its articles) and added back, starts afresh:
    # fetched whole, from the start of its listing (a 304 on its feed brought nothing back).
    afresh = not raw_cursor or await asyncio.to_thread(stores.articles.source_removed, name)
    validators = _Held(stores.validators, forget=full or afresh)
    fetcher = Fetcher(session, service.config.fetch, validators)
    stored = _Batches(service, name)
    try:
        cursor = json.loads(raw_cursor) if raw_cursor and not afresh else {}
    except ValueError:
        cursor = {}
    try:
        first, target = None, url
        if kind in ("auto", cursor.get("kind")) and cursor.get("kind") and not full:
            kind, target = cursor["kind"], cursor.get("target", url)  # found out last time
        elif kind == "auto":
            kind, first, target = await detect(fetcher, url)
        if kind == "wordpress":
            target = await wordpress_api(fetcher, target)
            harvest = await harvest_wordpress(fetcher, target, name, cursor, progress, full)
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
        await asyncio.to_thread(stores.sources.record, name, f"failed: {e.reason}")
        return IngestReport(source=name, failed=1, errors=[str(e)])
    # A failed harvest keeps the old position (what it did not see is asked for again).
    harvest.cursor = {**cursor, **harvest.cursor, "kind": kind, "target": target}
    articles = [a if a.source == name else replace(a, source=name) for a in harvest.articles]
    report = await asyncio.to_thread(
        stores.articles.ingest, articles, name, complete=harvest.complete and not harvest.errors,
        unchanged_keys=harvest.unchanged)
    if harvest.listed is not None:  # streamed in batches, and the whole listing was crawled
        report.removed = await stored.remove_unlisted(harvest.listed)
    stored.add_to(report)
    report.errors, report.failed = harvest.errors, len(harvest.errors)
    report.skipped = harvest.skipped
    report.notes += harvest.notes
    unlinked = sum(not a.url for a in articles)  # a feed's items without a web link
    if unlinked and (report.new or report.updated) and not service.config.site.base_url:
        report.notes.append(unlinked_note(unlinked))
    if kind == "feed" and target != url:  # the page named it: say where the articles came from
        report.notes.append(f"read through the feed it advertises, {target}")
    # Kept only now that the articles are stored; while a feed's page failed, the feed is
    # read whole again next time (a 304 would not ask for that page again).
    await asyncio.to_thread(validators.keep,
                            () if not harvest.errors else (target, url, harvest.read_at))
    state = "ok" if not harvest.errors else f"{len(harvest.errors)} failed"
    await asyncio.to_thread(stores.sources.record, name, f"{state} ({kind})",
                            json.dumps(harvest.cursor))
    return report


class _Held(Validators):
    """The store's validators, with the new ones held until `keep`: saved before the
    articles they stand for, a crash between the two would leave a page that answers 304
    and is never stored. `forget`: no conditional GETs (everything is fetched again)."""

    def __init__(self, kept: Validators, forget: bool = False) -> None:
        self.kept, self.forget = kept, forget
        self.held: dict[str, tuple[str | None, str | None]] = {}

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        return (None, None) if self.forget else self.kept.http_validators(url)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.held[url] = (etag, last_modified)

    def keep(self, skip: tuple[str, ...] = ()) -> None:
        """Save the held validators, but those of `skip` (blocking: off the event loop)."""
        for url, (etag, modified) in self.held.items():
            if url not in skip:
                self.kept.save_validators(url, etag, modified)
        self.held.clear()


class _Batches:
    """Stores a streamed source's pages batch by batch (one transaction each, off the event
    loop), adding up what each batch did."""

    def __init__(self, service: Service, name: str) -> None:
        self.articles, self.name = service.stores.articles, name
        self.totals = IngestReport(source=name)

    async def save(self, articles: list[Article], unchanged: set[str]) -> None:
        articles = [a if a.source == self.name else replace(a, source=self.name)
                    for a in articles]
        r = await asyncio.to_thread(self.articles.ingest, articles, self.name,
                                    unchanged_keys=unchanged)
        for count in ("new", "updated", "unchanged"):
            setattr(self.totals, count, getattr(self.totals, count) + getattr(r, count))

    async def remove_unlisted(self, listed: set[str]) -> int:
        """Mark removed this source's articles the complete listing no longer names: an
        ingest of nothing, complete, with every listed key counted as present."""
        r = await asyncio.to_thread(self.articles.ingest, [], self.name, complete=True,
                                    unchanged_keys=listed)
        return r.removed

    def add_to(self, report: IngestReport) -> None:
        report.new += self.totals.new
        report.updated += self.totals.updated
        report.unchanged += self.totals.unchanged


# -- the configured sources and their schedule
def due(service: Service, src: SourceConfig, now: float | None = None) -> bool:
    """Is this source's refresh interval up (or was it never refreshed)?"""
    last, _, _ = service.stores.sources.get(source_name(src.url) if src.url else src.name)
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
    await asyncio.to_thread(service.stores.sources.record, src.name, _file_state(report))
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
