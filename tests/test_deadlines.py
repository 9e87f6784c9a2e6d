"""Deadlines and budgets: a dripping server, a huge Retry-After, a source that outlasts its
refresh budget (a sitemap crawled in resumable steps), and a sitemap larger than max_pages
(streamed into the store in batches, never collected past the cap)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bot.config import Config, SourceConfig
from bot.errors import FetchError
from bot.ingest import ingest_url
from bot.refresh import refresh_all
from bot.service import Service
from bot.sources import crawl
from bot.sources.http import Budget, Fetcher
from bot.store import open_stores
from tests.fake_site import FAST, FakeSite

HANG_GUARD = 30  # seconds: only so that old code fails instead of hanging the suite
# The whole-request deadline of the dripping tests. It holds for every request, robots.txt
# and a feed's included, which a busy machine can take 0.5 s to answer: not less than this.
DEADLINE = 2.0


@pytest.fixture
async def site():
    s = FakeSite(n_posts=30)
    await s.start()
    yield s
    await s.stop()


async def test_a_dripping_server_is_given_up_on(site, session):
    cfg = replace(FAST, request_seconds=DEADLINE, retries=0)  # each byte within the read timeout
    with pytest.raises(FetchError) as exc:
        await asyncio.wait_for(Fetcher(session, cfg).fetch(site.base + "/drip/"), HANG_GUARD)
    assert str(exc.value) == (f"{site.base}/drip/: timed out (no complete response within "
                              f"{DEADLINE:g}s; not retried)")


async def test_a_whole_request_timeout_is_not_retried(site, session):
    # Retries would hold an ingest (retries + 1) x request_seconds while the message names
    # one deadline: counted in attempts, not seconds.
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    cfg = replace(FAST, request_seconds=DEADLINE, retries=3)
    with pytest.raises(FetchError) as exc:
        await asyncio.wait_for(Fetcher(session, cfg, sleep=fake_sleep).fetch(
            site.base + "/drip/"), HANG_GUARD)
    assert f"no complete response within {DEADLINE:g}s; not retried" in str(exc.value)
    assert site.count("/drip/") == 1 and waits == []


async def test_a_hanging_source_does_not_hold_back_the_others(site, session, tmp_path):
    cfg = replace(FAST, request_seconds=DEADLINE, retries=1)  # the feed's requests too
    config = Config(fetch=cfg, sources=(SourceConfig(url=site.base + "/drip/", kind="page"),
                                        SourceConfig(url=site.base + "/feed/")))
    service = Service(open_stores(tmp_path / "s.sqlite3"), config)
    drip, feed = await asyncio.wait_for(refresh_all(service, session), HANG_GUARD)
    assert drip.errors == [f"{site.base}/drip/: timed out (no complete response within "
                           f"{DEADLINE:g}s; not retried)"]
    assert feed.new == 10 and feed.errors == []


async def test_a_huge_retry_after_is_not_waited_for(site, session):
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    fetcher = Fetcher(session, FAST, sleep=fake_sleep)
    with pytest.raises(FetchError) as exc:
        await fetcher.fetch(site.base + "/retry-after/119/x")
    assert str(exc.value) == (f"{site.base}/retry-after/119/x: HTTP 429, asked to retry after "
                              "119s (more than fetch.max_retry_after_seconds)")
    assert waits == []


async def test_retry_waits_share_one_budget_per_source(site, session):
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    cfg = replace(FAST, retry_budget_seconds=2.5, max_retry_after_seconds=5.0)
    fetcher = Fetcher(session, cfg, sleep=fake_sleep)
    errors = []
    for n in range(6):
        with pytest.raises(FetchError) as exc:
            await fetcher.fetch(f"{site.base}/retry-after/1/{n}")
        errors.append(exc.value.reason)
    assert sum(waits) <= 2.5 and waits == [1.0, 1.0]
    assert errors == ["HTTP 429; the retry budget for this refresh is spent "
                      "(fetch.retry_budget_seconds)"] * 6


@pytest.fixture
def request_clock(monkeypatch, site):
    """The budget's clock counts the fake site's requests: one request, one second."""
    monkeypatch.setattr(Budget, "clock", staticmethod(lambda: float(len(site.requests))))
    monkeypatch.setattr(crawl, "SITEMAP_BATCH", 2)


async def test_a_big_sitemap_is_crawled_in_resumable_steps(site, session, tmp_path,
                                                           request_clock):
    site.big_per_child = 4  # 12 pages in 3 child sitemaps
    url = site.base + "/big-sitemap-index.xml"
    service = Service(open_stores(tmp_path / "s.sqlite3"),
                      Config(fetch=replace(FAST, source_seconds=9.0)))

    async def crawl_pass() -> list:
        reports = []
        for _ in range(10):
            reports.append(await ingest_url(service, session, url, "sitemap"))
            if not reports[-1].errors:
                return reports
        raise AssertionError("the crawl never finished")

    steps = await crawl_pass()
    assert len(steps) >= 3 and sum(r.new for r in steps) == 12
    for step in steps[:-1]:
        assert 0 < step.new < 12 and step.removed == 0
        (line,) = step.errors
        assert line.endswith("pages crawled when the 9s budget ran out "
                             "(fetch.source_seconds); the next refresh continues there")
    pages = [p for p in site.requests if p.startswith("/2024/")]
    assert len(pages) == len(set(pages)) == 12  # each step went on where the last stopped
    gone = site.posts.pop(7)  # deleted on the site: removed once a pass has seen every page
    again = await crawl_pass()
    assert len(again) >= 3 and [r.removed for r in again] == [0] * (len(again) - 1) + [1]
    searchable = {a.url for a in service.stores.articles.iter_articles()}
    assert gone["link"] not in searchable and len(searchable) == 12  # post 13 moved up a place


async def test_a_failed_listing_keeps_the_crawl_position(site, session, tmp_path,
                                                        request_clock):
    url = site.base + "/big-sitemap-index.xml"
    service = Service(open_stores(tmp_path / "s.sqlite3"),
                      Config(fetch=replace(FAST, source_seconds=12.0)))
    first = await ingest_url(service, session, url, "sitemap")
    cursor = service.stores.sources.get(url)[2]
    assert 0 < first.new < 30 and '"sitemap_next": 0' not in cursor
    site.failing.add("/big-sitemap-index.xml")
    broken = await ingest_url(service, session, url, "sitemap")
    assert broken.errors == [f"{url}: HTTP 500"] and broken.removed == 0
    assert service.stores.sources.get(url)[2] == cursor  # the position survives
    assert service.stores.articles.count()[0] == first.new  # and nothing stored is lost


async def test_a_sitemap_past_max_pages_is_not_read_further(site, session, tmp_path,
                                                            monkeypatch):
    monkeypatch.setattr(crawl, "SITEMAP_BATCH", 4)
    store = open_stores(tmp_path / "s.sqlite3")
    batches: list[int] = []
    ingest = store.articles.ingest

    def counting_ingest(articles, *args, **kwargs):
        articles = list(articles)
        if articles:
            batches.append(len(articles))
        return ingest(articles, *args, **kwargs)

    monkeypatch.setattr(store.articles, "ingest", counting_ingest)
    service = Service(store, Config(fetch=replace(FAST, max_pages=10)))
    report = await ingest_url(service, session, site.base + "/big-sitemap-index.xml")
    assert report.new == 10 and store.articles.count()[0] == 10
    assert report.errors == [f"{site.base}/big-sitemap-index.xml: the sitemap lists more than 10"
                             " pages; only the first 10 are crawled (fetch.max_pages)"]
    assert site.count("/big-sitemap-0.xml") == 1 and site.count("/big-sitemap-1.xml") == 0
    assert batches == [4, 4, 2]  # one transaction per batch, never the whole sitemap at once


async def test_feed_pages_left_when_the_budget_ran_out_are_named(site, session, tmp_path,
                                                                 request_clock):
    url = site.base + "/feed-excerpts/"
    service = Service(open_stores(tmp_path / "s.sqlite3"),
                      Config(fetch=replace(FAST, source_seconds=2.0)))  # robots.txt, the feed
    report = await ingest_url(service, session, url, "feed")
    assert report.errors == [f"{url}: 10 pages not fetched: the 2s budget ran out "
                             "(fetch.source_seconds)"]
    assert not any(p.startswith("/2024/") for p in site.requests)
