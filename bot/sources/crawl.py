"""Harvesting each kind of source (WordPress REST API, feeds, sitemaps, article pages).
What a URL is, is found out in bot/sources/detect.py. Fetching goes through the Fetcher;
parsing is elsewhere."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from bot.errors import FetchError, SourceError
from bot.models import Article
from bot.sources.feeds import entry_article, parse_feed
from bot.sources.html import decode, extract_page
from bot.sources.http import BudgetSpent, Fetched, Fetcher
from bot.sources.sitemap import parse_sitemap
from bot.sources.textcodec import looks_binary
from bot.sources.wordpress import (
    PER_PAGE,
    Post,
    contents_url,
    listing_url,
    parse_listing,
    parse_posts,
)

PAGE_CONCURRENCY = 8
LIST_ATTEMPTS = 3  # listings of a WordPress site whose post count keeps changing
SITEMAP_BATCH = 50  # pages per store transaction while crawling a sitemap
MAX_SITEMAPS = 1000  # sitemaps read at most from one sitemap index
# Extraction is CPU-bound Python: on one thread of its own, a refresh neither fills the
# default executor that /ask's lookups queue in nor makes eight extractions fight for the
# GIL (benchmarks/ask_during_refresh.py, busy 2 cores: /ask p95 1.1 s -> 0.1 s, and the
# refresh of 2,000 pages 227 s -> 82 s).
_EXTRACTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="footnote-extract")
MAX_API_PAGES = 5000  # 500,000 posts; a hostile X-WP-TotalPages cannot keep us paging

log = logging.getLogger(__name__)
EMPTY_FEED = "the feed lists no articles"

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
    skipped: int = 0  # listed items with nothing to quote (password-protected posts)
    listed: set[str] | None = None  # streamed sources: keys of a complete listing crawled
    notes: list[str] = field(default_factory=list)  # said on the report line (an empty feed)
    read_at: str = ""  # where the feed was read, after redirects (its validators' key)
    moved: dict[str, str] = field(default_factory=dict)  # a known article's old key -> new


# -- harvesting, one function per kind
async def harvest_wordpress(fetcher: Fetcher, api_root: str, name: str, cursor: dict,
                            progress: Progress | None, full: bool = False) -> Harvest:
    """Every run lists the ids (a few requests even for a large site), then fetches by id the
    contents of new and modified posts (all of them with `full`). The listing is complete, so
    deleted posts are noticed; a known post missing from it is removed only once asking for
    it by id confirms it is gone. A known post listed under another link (a new permalink
    structure, an edited slug) is fetched again and recorded as moved, so the store keeps it
    as the same article under its new link instead of a new one."""
    out = Harvest()
    known = {k: v for k, v in (cursor.get("posts") or {}).items()  # id -> [modified, link]
             if k.isdigit() and isinstance(v, list) and len(v) == 2}
    posts: list[Post] = []
    try:
        listed = await _list_posts(fetcher, api_root)
        missing = [int(i) for i in known if int(i) not in listed]
        await _fetch_posts(fetcher, api_root, missing, name, None, posts)  # still there?
        listed.update({p.id: (p.modified, p.link) for p in posts})  # live: the listing missed them
        rescued = {p.id for p in posts}
        wanted = {i for i, (modified, link) in listed.items() if i not in rescued
                  and (full or known.get(str(i), [None])[0] != modified
                       or _moved(known.get(str(i)), link))}
        await _fetch_posts(fetcher, api_root, sorted(wanted), name, progress, posts)
    except SourceError as e:
        # Partial: keep what came and remember it (the next run goes on from there), but
        # remove nothing.
        out.errors.append(str(e))
        out.articles = [p.article for p in posts if p.article]
        out.moved = {known[str(p.id)][1]: p.link for p in posts
                     if p.article and _moved(known.get(str(p.id)), p.link)}
        out.cursor = {"posts": {**known, **{str(p.id): [p.modified, p.link if p.article else ""]
                                            for p in posts}}}
        return out
    fetched = {p.id: p for p in posts}
    now_known = {}
    for pid in listed:
        post = fetched.get(pid)
        if post is not None:
            now_known[str(pid)] = [post.modified, post.link if post.article else ""]
            if post.article:
                out.articles.append(post.article)
                if _moved(known.get(str(pid)), post.link):
                    out.moved[known[str(pid)][1]] = post.link
        elif pid in wanted:
            continue  # deleted between the listing and its contents: gone
        else:
            now_known[str(pid)] = known[str(pid)]
            if known[str(pid)][1]:
                out.unchanged.add(known[str(pid)][1])
        if not now_known[str(pid)][1]:
            out.skipped += 1  # protected (or empty): listed, nothing to quote
    out.complete = True
    out.cursor = {"posts": now_known}
    return out


def _moved(known: list | None, link: str) -> bool:
    """Whether a post known under one link is now listed under another."""
    return bool(known and known[1] and link and known[1] != link)


async def _list_posts(fetcher: Fetcher, api_root: str) -> dict[int, tuple[str, str]]:
    """id -> (modified_gmt, link) of every published post. Offset paging shifts when a post is
    deleted or published during the listing; the total then changes, and the listing is
    done again (at most LIST_ATTEMPTS times)."""
    for _ in range(LIST_ATTEMPTS):
        listed, totals = await _list_once(fetcher, api_root)
        if len(set(totals)) == 1 and totals[0] == len(listed):
            break
        log.info("%s: the number of posts changed during the listing (%s); listing again",
                 api_root, totals)
    return listed  # still moving: removals are confirmed by id anyway


async def _list_once(fetcher: Fetcher, api_root: str
                     ) -> tuple[dict[int, tuple[str, str]], list[int]]:
    listed: dict[int, tuple[str, str]] = {}
    totals: list[int] = []
    page, pages = 1, 1
    while page <= pages:
        url = listing_url(api_root, page)
        try:
            resp = await fetcher.fetch(url, expect="json")
        except FetchError as e:
            if page > 1 and e.reason.startswith("HTTP 400"):  # past the last page: shrank
                totals.append(-1)
                break
            raise
        batch = await asyncio.to_thread(parse_listing, resp.body, url)
        if batch and all(i in listed for i in batch):
            raise SourceError(f"the API returned page {page} again; listing stopped", url)
        listed.update(batch)
        total = resp.headers.get("x-wp-total", "")
        totals.append(int(total) if total.isdigit() else len(batch))
        count = resp.headers.get("x-wp-totalpages", "")
        if not batch:
            break
        if count.isdigit():  # the page count, whatever the site caps a page at
            pages = min(int(count), MAX_API_PAGES)
        elif len(batch) >= PER_PAGE:  # no count (a proxy strips it): on while pages are full
            pages = min(page + 1, MAX_API_PAGES)
        else:
            break
        page += 1
    return listed, totals


async def _fetch_posts(fetcher: Fetcher, api_root: str, ids: list[int], name: str,
                       progress: Progress | None, out: list[Post]) -> None:
    """Contents of these posts by id into `out`, 100 a request (as many at once as the
    fetcher allows on one host); deleted ones just do not come back. Raises the first
    failure once every request has ended, `out` holding what the others brought."""
    async def batch(some: list[int]) -> None:
        url = contents_url(api_root, some)
        resp = await fetcher.fetch(url, expect="json")
        posts = await asyncio.to_thread(parse_posts, resp.body, url, name)
        out.extend(posts)
        if progress:
            progress(sum(1 for p in posts if p.article))

    results = await asyncio.gather(*(batch(ids[i:i + PER_PAGE])
                                     for i in range(0, len(ids), PER_PAGE)),
                                   return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result


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
    wide = re.search(r"charset=[\"']?utf-(16|32)", resp.content_type, re.I)  # has NULs
    if looks_binary(resp.body) and not wide:  # an image or a PDF served as a page: say so
        raise SourceError(f"binary content ({resp.content_type or 'no content type'}), "
                          "not an HTML page", url)
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
    out.read_at = resp.url
    entries = await asyncio.to_thread(parse_feed, resp.body, url)
    if not entries:  # a valid feed without items: not a failure, but never a silent one
        log.warning("%s: the feed is empty (no items): nothing to ingest", url)
        out.notes.append(EMPTY_FEED)
    excerpts, unlinked = [], 0
    for entry in entries:
        if entry.protected:
            out.skipped += 1  # its page holds a password form, not the article
        elif entry.full or (not entry.url and entry.paragraphs):
            # No page to fetch the rest from: the excerpt is kept, as the teaser it is.
            out.articles.append(entry_article(entry, name, partial=not entry.full))
            if progress:
                progress(1)
        elif entry.url:
            excerpts.append(entry.url)
        else:
            unlinked += 1
    if unlinked:
        out.notes.append(f"{unlinked} items with neither a link nor text left out")
    skipped = await _pages(fetcher, excerpts, name, out, progress)
    if skipped:
        out.errors.append(f"{url}: {len(skipped)} pages not fetched: the "
                          f"{fetcher.budget.seconds:g}s budget ran out (fetch.source_seconds)")
    dated = {e.url: e.date for e in entries if e.date and e.url}  # a page often shows only the day
    out.articles = [replace(a, date=dated.get(a.url, a.date)) for a in out.articles]
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
