"""Finding out what a URL is, and harvesting each kind of source (WordPress REST API,
feeds, sitemaps, article pages). Fetching goes through the Fetcher; parsing is elsewhere."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urljoin, urlsplit

from bot.errors import FetchError, SourceError
from bot.models import Article
from bot.sources.feeds import entry_article, parse_feed
from bot.sources.html import decode, extract_page
from bot.sources.http import BudgetSpent, Fetched, Fetcher
from bot.sources.sitemap import parse_sitemap
from bot.sources.wordpress import FIELDS, PER_PAGE, api_root_from_links, parse_posts
from bot.sources.xmlsafe import gunzip

PAGE_CONCURRENCY = 8
SITEMAP_BATCH = 50  # pages per store transaction while crawling a sitemap
MAX_SITEMAPS = 1000  # sitemaps read at most from one sitemap index
# Extraction is CPU-bound Python: on one thread of its own, a refresh neither fills the
# default executor that /ask's lookups queue in nor makes eight extractions fight for the
# GIL (benchmarks/ask_during_refresh.py, busy 2 cores: /ask p95 1.1 s -> 0.1 s, and the
# refresh of 2,000 pages 227 s -> 82 s).
_EXTRACTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="footnote-extract")
FULL_LISTING_EVERY = 24 * 3600  # a complete WordPress listing (to notice deletions) daily
MAX_API_PAGES = 5000  # 500,000 posts; a hostile X-WP-TotalPages cannot keep us paging

Progress = Callable[[int], None]
Save = Callable[[list[Article], set[str]], Awaitable[None]]  # stores one batch of pages


@dataclass
class Harvest:
    """What one source yielded: articles, the keys known unchanged, errors, completeness."""

    articles: list[Article] = field(default_factory=list)
    unchanged: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    complete: bool = False
    cursor: dict = field(default_factory=dict)
    listed: set[str] | None = None  # streamed sources: keys of a complete listing crawled


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
    text = await asyncio.to_thread(decode, resp.body[:400_000], ct)
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
    # WordPress compares `modified_after` with the site's local time: ask from a day before
    # the last run, so no time zone can hide a change (re-reading a post changes nothing).
    started = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    out = Harvest()
    page, pages = 1, 1
    while page <= pages:
        url = _posts_url(api_root, page, since)
        try:
            resp = await fetcher.fetch(url, expect="json")
            posts = await asyncio.to_thread(parse_posts, resp.body, url, name)
        except SourceError as e:
            out.errors.append(str(e))
            return out  # partial: keep what came, remove nothing, keep the old cursor
        total = resp.headers.get("x-wp-totalpages", "1")
        pages = min(int(total), MAX_API_PAGES) if total.isdigit() else 1
        if not posts:
            break
        out.articles += posts
        if progress:
            progress(len(posts))
        page += 1
    out.complete = full
    out.cursor = {"modified_after": started,
                  "full_at": now if full else cursor.get("full_at", 0)}
    return out


async def _pages(fetcher: Fetcher, urls: list[str], name: str, out: Harvest,
                 progress: Progress | None, conditional: bool = True) -> set[str]:
    """Fetch and extract article pages concurrently (politeness is the fetcher's job).
    Returns the URLs not fetched because the source's time budget ran out."""
    gate = asyncio.Semaphore(PAGE_CONCURRENCY)
    skipped: set[str] = set()

    async def one(url: str) -> None:
        async with gate:
            try:
                resp = await fetcher.fetch(url, expect="html", conditional=conditional)
                if resp.not_modified:
                    out.unchanged.add(url)
                else:
                    out.articles.append(await extract(resp, url, name))
            except BudgetSpent:
                skipped.add(url)  # not a failure of the page: the next refresh fetches it
            except SourceError as e:
                out.errors.append(str(e))
            finally:
                if progress and url not in skipped:
                    progress(1)

    await asyncio.gather(*(one(u) for u in dict.fromkeys(urls)))
    return skipped


async def extract(resp: Fetched, url: str, name: str) -> Article:
    """`page_article` on the extraction thread, off the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_EXTRACTOR, page_article, resp, url, name)


def page_article(resp: Fetched, url: str, name: str) -> Article:
    """An article from a fetched page (trafilatura extraction). Blocking: call it in a
    worker thread (extraction takes long enough to stall every other request)."""
    data = extract_page(decode(resp.body, resp.content_type), resp.url)
    return Article(title=data["title"], paragraphs=tuple(data["paragraphs"]), url=url,
                   date=data["date"], author=data["author"], source=name)


async def harvest_feed(fetcher: Fetcher, url: str, first: Fetched | None, name: str,
                       progress: Progress | None) -> Harvest:
    """A feed's full-content entries, and the pages of excerpt-only ones."""
    out = Harvest()
    resp = first if first is not None and first.url == url else await fetcher.fetch(
        url, expect="xml", conditional=True)
    if resp.not_modified:
        return out  # the feed has not changed since the last run
    entries = await asyncio.to_thread(parse_feed, resp.body, url)
    excerpts = []
    for entry in entries:
        if entry.full:
            out.articles.append(entry_article(entry, name))
            if progress:
                progress(1)
        else:
            excerpts.append(entry.url)
    skipped = await _pages(fetcher, excerpts, name, out, progress)
    if skipped:
        out.errors.append(f"{url}: {len(skipped)} pages not fetched: the "
                          f"{fetcher.budget.seconds:g}s budget ran out (fetch.source_seconds)")
    return out  # a feed lists only recent posts: never a complete listing


async def harvest_sitemap(fetcher: Fetcher, url: str, first: Fetched | None, name: str,
                          progress: Progress | None, cursor: dict, save: Save) -> Harvest:
    """Every page listed by a sitemap (index), fetched, extracted and handed to `save` in
    batches (each one transaction), so memory stays flat however large the site. A crawl
    that outlasts the source's time budget stops at a batch boundary; the position goes into
    the cursor and the next refresh continues there. `listed` is set (the keys that may stay)
    only when a complete listing was crawled to its end: only then may others be removed."""
    out = Harvest()
    pages, complete = await _list_sitemap(fetcher, url, first, out)
    pos = _resume_at(pages, cursor)
    while pos < len(pages) and not fetcher.budget.spent():
        batch = pages[pos:pos + SITEMAP_BATCH]
        part = Harvest()
        skipped = await _pages(fetcher, batch, name, part, progress)
        out.errors += part.errors
        await save(part.articles, part.unchanged)
        pos += next((i for i, u in enumerate(batch) if u in skipped), len(batch))
    if not pages and not complete:
        return out  # the listing failed: keep the old position for the next refresh
    if pos < len(pages):
        out.errors.append(f"{url}: {pos} of {len(pages)} pages crawled when the "
                          f"{fetcher.budget.seconds:g}s budget ran out (fetch.source_seconds);"
                          " the next refresh continues there")
        out.cursor = {"sitemap_next": pos, "sitemap_at": pages[pos]}
    else:
        out.cursor = {"sitemap_next": 0, "sitemap_at": ""}
        if complete and pages:  # an empty sitemap is more likely broken than a site emptied
            out.listed = set(pages)
    return out


async def _list_sitemap(fetcher: Fetcher, url: str, first: Fetched | None, out: Harvest
                        ) -> tuple[list[str], bool]:
    """The page URLs a sitemap (index) lists, in order, at most fetch.max_pages of them (no
    child sitemap is read once that many are known), and whether the listing is complete.
    Sitemaps are fetched unconditionally: a resumed crawl needs the whole listing again."""
    limit = fetcher.cfg.max_pages
    queue, seen, complete = [url], set(), True
    pages: dict[str, None] = {}  # ordered and without repeats
    while queue and len(seen) < MAX_SITEMAPS:
        current = queue.pop(0)
        if current in seen:
            continue
        if len(pages) >= limit:
            out.errors.append(_capped(url, limit))
            return list(pages), False
        seen.add(current)
        try:
            resp = first if first is not None and current == url else await fetcher.fetch(
                current, expect="xml")
            sm = await asyncio.to_thread(parse_sitemap, resp.body, current)
        except SourceError as e:
            out.errors.append(str(e))
            complete = False
            continue
        queue += sm.children
        for page, _ in sm.pages:
            pages[page] = None
        if len(pages) > limit:
            out.errors.append(_capped(url, limit))
            return list(pages)[:limit], False
    return list(pages), complete and not queue


def _capped(url: str, limit: int) -> str:
    return (f"{url}: the sitemap lists more than {limit} pages; only the first {limit} are"
            " crawled (fetch.max_pages)")


def _resume_at(pages: list[str], cursor: dict) -> int:
    """Where the last, unfinished crawl stopped: at the page it named if still listed."""
    at, pos = cursor.get("sitemap_at", ""), cursor.get("sitemap_next", 0)
    if not isinstance(pos, int) or not at:
        return 0
    if pos < len(pages) and pages[pos] == at:
        return pos
    try:
        return pages.index(at)
    except ValueError:
        return min(pos, len(pages))
