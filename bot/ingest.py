"""The one ingest path: files, folders and URLs into the store. Used by the console, the
bot and cron; the configured sources' refresh and schedule are in bot/refresh.py.

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
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiohttp

from bot.errors import FootnoteError, SourceError, StoreError, UsageError
from bot.models import Article, IngestReport
from bot.service import SEED_SOURCE, SEEDS_DIR, Service
from bot.sources.crawl import (
    Harvest,
    Progress,
    harvest_feed,
    harvest_sitemap,
    harvest_wordpress,
    page_article,
)
from bot.sources.detect import detect, wordpress_api
from bot.sources.files import load_paths, skipped_note
from bot.sources.http import INVALID_URL, Fetcher, Validators
from bot.sources.normal import source_name
from bot.sources.wxr import parse_wxr

log = logging.getLogger(__name__)


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
        service.stores.sources.record(report.source, file_state(report))
    return report


def file_state(report: IngestReport) -> str:
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
        unchanged_keys=harvest.unchanged, moved=harvest.moved)
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
