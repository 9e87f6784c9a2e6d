"""Ingesting a URL: find out what it is (WordPress site, feed, sitemap, page, WXR export),
fetch politely, parse, and store each source in one transaction.

Nothing is lost: a failed page or API page never removes or blanks anything; only a
complete, successful listing marks missing articles as removed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin, urlsplit

import aiohttp

from bot.config import SourceConfig
from bot.errors import FetchError, SourceError
from bot.models import Article, IngestReport
from bot.service import Service
from bot.sources.feeds import entry_article, parse_feed
from bot.sources.html import decode, extract_page
from bot.sources.http import Fetched, Fetcher, new_session
from bot.sources.sitemap import parse_sitemap
from bot.sources.wordpress import FIELDS, PER_PAGE, api_root_from_links, parse_posts
from bot.sources.wxr import parse_wxr
from bot.sources.xmlsafe import gunzip

log = logging.getLogger(__name__)

PAGE_CONCURRENCY = 8
FULL_LISTING_EVERY = 24 * 3600  # a complete WordPress listing (to notice deletions) daily

Progress = Callable[[int], None]


@dataclass
class Harvest:
    """What one source yielded: articles, the keys known unchanged, errors, completeness."""

    articles: list[Article] = field(default_factory=list)
    unchanged: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    complete: bool = False
    cursor: dict = field(default_factory=dict)


# -- detection
def _xml_kind(body: bytes) -> str | None:
    head = gunzip(body, "")[:4096] if body.startswith(b"\x1f\x8b") else body[:4096]
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    m = re.search(rb"<(?!\?|!)([\w:]+)", head)
    if not m:
        return None
    root = m.group(1).split(b":")[-1].lower()
    if root in (b"urlset", b"sitemapindex"):
        return "sitemap"
    if root == b"rss" and (b"wxr_version" in body[:20000] or b"export/1." in head):
        return "wxr"
    if root in (b"rss", b"feed", b"rdf"):
        return "feed"
    return None


async def detect(fetcher: Fetcher, url: str) -> tuple[str, Fetched, str]:
    """(kind, the fetched response, the API root or feed URL when it differs from `url`)."""
    resp = await fetcher.fetch(url)
    ct = resp.content_type
    if "json" in ct and "/wp-json" in url:
        return "wordpress", resp, url[: url.index("/wp-json") + len("/wp-json/")]
    kind = _xml_kind(resp.body) if ("xml" in ct or "html" not in ct) else None
    if kind:
        return kind, resp, url
    text = decode(resp.body, ct)
    api = api_root_from_links(resp.headers.get("link", ""), text[:200_000])
    path = urlsplit(resp.url).path
    body_class = re.search(r"""<body[^>]*\sclass=["']([^"']*)""", text[:200_000], re.I)
    front = bool(body_class) and bool(re.search(r"\b(home|blog)\b", body_class.group(1)))
    if api and front:  # WordPress installed below the root (https://example.org/blog/)
        return "wordpress", resp, urljoin(resp.url, api)
    if path in ("", "/") or re.fullmatch(r"/(index\.php)?", path):
        if api:
            return "wordpress", resp, urljoin(resp.url, api)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(resp.url))
        try:
            probe = await fetcher.fetch(f"{origin}/wp-json/", expect="json")
            if "wp/v2" in json.loads(probe.body).get("namespaces", []):
                return "wordpress", resp, f"{origin}/wp-json/"
        except (FetchError, ValueError, AttributeError):
            pass
        feed = re.search(r"""<link[^>]+type=["']application/(?:rss|atom)\+xml["'][^>]*>""", text)
        href = re.search(r"""href=["']([^"']+)""", feed.group(0)) if feed else None
        if href:
            return "feed", resp, urljoin(resp.url, href.group(1))
    return "page", resp, url


# -- harvesting, one function per kind
def _posts_url(api_root: str, page: int, since: str | None) -> str:
    params = {"per_page": PER_PAGE, "page": page, "_fields": FIELDS, "orderby": "id",
              "order": "asc"}
    if since:
        params["modified_after"] = since
    if "rest_route=" in api_root:
        return f"{api_root.split('?')[0]}?rest_route=/wp/v2/posts&{urlencode(params)}"
    return f"{api_root.rstrip('/')}/wp/v2/posts?{urlencode(params)}"


async def harvest_wordpress(fetcher: Fetcher, api_root: str, name: str, cursor: dict,
                            progress: Progress | None) -> Harvest:
    """Page through /wp/v2/posts; only what changed since the last run, except for a daily
    complete listing (which is what lets deletions be noticed)."""
    now = time.time()
    full = not cursor.get("modified_after") or now - cursor.get("full_at", 0) > FULL_LISTING_EVERY
    since = None if full else cursor["modified_after"]
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    out = Harvest()
    page, pages = 1, 1
    while page <= pages:
        url = _posts_url(api_root, page, since)
        try:
            resp = await fetcher.fetch(url, expect="json")
            posts = parse_posts(resp.body, url, name)
        except SourceError as e:
            out.errors.append(str(e))
            return out  # partial: keep what came, remove nothing, keep the old cursor
        total = resp.headers.get("x-wp-totalpages", "1")
        pages = int(total) if total.isdigit() else 1
        out.articles += posts
        if progress:
            progress(len(posts))
        page += 1
    out.complete = full
    out.cursor = {"modified_after": started,
                  "full_at": now if full else cursor.get("full_at", 0)}
    return out


async def _pages(fetcher: Fetcher, urls: list[str], name: str, out: Harvest,
                 progress: Progress | None, conditional: bool = True) -> None:
    """Fetch and extract article pages concurrently (politeness is the fetcher's job)."""
    gate = asyncio.Semaphore(PAGE_CONCURRENCY)

    async def one(url: str) -> None:
        async with gate:
            try:
                resp = await fetcher.fetch(url, expect="html", conditional=conditional)
                if resp.not_modified:
                    out.unchanged.add(url)
                else:
                    out.articles.append(page_article(resp, url, name))
            except SourceError as e:
                out.errors.append(str(e))
            finally:
                if progress:
                    progress(1)

    await asyncio.gather(*(one(u) for u in dict.fromkeys(urls)))


def page_article(resp: Fetched, url: str, name: str) -> Article:
    data = extract_page(decode(resp.body, resp.content_type), resp.url)
    return Article(title=data["title"], paragraphs=tuple(data["paragraphs"]), url=url,
                   date=data["date"], author=data["author"], source=name)


async def harvest_feed(fetcher: Fetcher, url: str, first: Fetched | None, name: str,
                       progress: Progress | None) -> Harvest:
    out = Harvest()
    resp = first if first is not None and first.url == url else await fetcher.fetch(
        url, expect="xml", conditional=True)
    if resp.not_modified:
        return out  # the feed has not changed since the last run
    entries = parse_feed(resp.body, url)
    excerpts = []
    for entry in entries:
        if entry.full:
            out.articles.append(entry_article(entry, name))
            if progress:
                progress(1)
        else:
            excerpts.append(entry.url)
    await _pages(fetcher, excerpts, name, out, progress)
    return out  # a feed lists only recent posts: never a complete listing


async def harvest_sitemap(fetcher: Fetcher, url: str, first: Fetched | None, name: str,
                          progress: Progress | None) -> Harvest:
    out = Harvest(complete=True)
    queue, seen, pages = [url], set(), []
    while queue and len(seen) < 1000:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        try:
            resp = first if first is not None and current == url else await fetcher.fetch(
                current, expect="xml", conditional=True)
            if resp.not_modified:
                out.complete = False  # unchanged: its pages are not re-listed this time
                continue
            sm = parse_sitemap(resp.body, current)
        except SourceError as e:
            out.errors.append(str(e))
            out.complete = False
            continue
        queue += sm.children
        pages += [u for u, _ in sm.pages]
    limit = fetcher.cfg.max_pages
    if len(pages) > limit:
        out.errors.append(f"{url}: {len(pages)} pages listed; only the first {limit} fetched")
        pages, out.complete = pages[:limit], False
    await _pages(fetcher, pages, name, out, progress)
    if out.errors:
        out.complete = False
    return out


# -- one source, end to end
async def ingest_url(service: Service, session: aiohttp.ClientSession, url: str,
                     kind: str = "auto", name: str | None = None,
                     progress: Progress | None = None) -> IngestReport:
    """Fetch, parse and store one URL source; never raises for source problems."""
    name = name or url
    store = service.store
    fetcher = Fetcher(session, service.config.fetch, store)
    _, _, raw_cursor = store.source_state(name)
    try:
        cursor = json.loads(raw_cursor) if raw_cursor else {}
    except ValueError:
        cursor = {}
    try:
        first, target = None, url
        if kind == "auto" and cursor.get("kind"):
            kind, target = cursor["kind"], cursor.get("target", url)  # detected last time
        elif kind == "auto":
            kind, first, target = await detect(fetcher, url)
        if kind == "wordpress":
            api = target if "wp-json" in target or "rest_route" in target else (
                "{0.scheme}://{0.netloc}/wp-json/".format(urlsplit(url)))
            harvest = await harvest_wordpress(fetcher, api, name, cursor, progress)
        elif kind == "feed":
            harvest = await harvest_feed(fetcher, target, first, name, progress)
        elif kind == "sitemap":
            harvest = await harvest_sitemap(fetcher, target, first, name, progress)
        elif kind == "wxr":
            resp = first or await fetcher.fetch(url, expect="xml")
            harvest = Harvest(articles=parse_wxr(resp.body, url), complete=True)
        else:
            harvest = Harvest()
            resp = first or await fetcher.fetch(url, expect="html")
            if first is not None and "html" not in first.content_type:
                raise SourceError(f"unexpected content type {first.content_type!r}", url)
            harvest.articles.append(page_article(resp, url, name))
    except SourceError as e:
        store.set_source_state(name, f"failed: {e.reason}")
        return IngestReport(source=name, failed=1, errors=[str(e)])
    # A failed harvest keeps the old position (what it did not see is asked for again).
    harvest.cursor = {**cursor, **harvest.cursor, "kind": kind, "target": target}
    articles = [a if a.source == name else _with_source(a, name) for a in harvest.articles]
    report = store.ingest(articles, name, complete=harvest.complete and not harvest.errors,
                          unchanged_keys=harvest.unchanged)
    report.errors, report.failed = harvest.errors, len(harvest.errors)
    state = "ok" if not harvest.errors else f"{len(harvest.errors)} failed"
    store.set_source_state(name, f"{state} ({kind})", json.dumps(harvest.cursor))
    return report


def _with_source(article: Article, name: str) -> Article:
    from dataclasses import replace

    return replace(article, source=name)


def due(service: Service, src: SourceConfig, now: float | None = None) -> bool:
    """Is this source's refresh interval up (or was it never refreshed)?"""
    last, _, _ = service.store.source_state(src.name)
    now = time.time() if now is None else now
    return last is None or now - last >= 60 * src.refresh_minutes


async def refresh_all(service: Service, session: aiohttp.ClientSession,
                      progress_factory: Callable[[str], Progress | None] | None = None,
                      only_due: bool = False) -> list[IngestReport]:
    """Re-ingest the configured sources (all, or those due), one transaction each."""
    reports = []
    for src in service.config.sources:
        if only_due and not due(service, src):
            continue
        progress = progress_factory(src.name) if progress_factory else None
        reports.append(await _refresh_one(service, session, src, progress))
    return reports


async def _refresh_one(service: Service, session: aiohttp.ClientSession, src: SourceConfig,
                       progress: Progress | None) -> IngestReport:
    if src.url:
        return await ingest_url(service, session, src.url, src.kind, progress=progress)
    from pathlib import Path

    report, _ = await asyncio.to_thread(service.ingest_paths, [Path(src.path)])
    report.source = src.name
    service.store.set_source_state(src.name, "ok (file)" if report.ok else
                                   f"{report.failed} failed (file)")
    return report


# -- synchronous entry points for the console
def ingest_url_sync(service: Service, url: str, kind: str = "auto") -> IngestReport:
    async def run() -> IngestReport:
        async with new_session(service.config.fetch) as session:
            return await ingest_url(service, session, url, kind)

    return asyncio.run(run())


def refresh_all_sync(service: Service, progress: bool = False) -> list[IngestReport]:
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
            return await refresh_all(service, session, factory)

    try:
        return asyncio.run(run())
    finally:
        for bar in bars:
            bar.close()
