"""The event loop only waits: parsing, extraction, store and index work run in worker threads.

Checked without a stopwatch: every blocking call records the thread it ran on, and none may
be the loop's thread, during ingests of every web source kind and a refresh of the bot.
"""

from __future__ import annotations

import asyncio
import functools
import threading

import pytest

from bot import ingest as web
from bot.config import Config, SourceConfig
from bot.index import Index
from bot.refresh import refresh_all
from bot.service import Service
from bot.sources import crawl, detect
from bot.sources.http import new_session
from bot.store import open_stores
from bot.store.articles import ArticleStore
from bot.store.questions import Questions
from bot.store.sources import SourceStates
from bot.store.validators import HttpValidators
from tests.fake_site import FAST, FakeSite

BLOCKING_STORE = ((ArticleStore, ("ingest", "revision", "count", "iter_articles")),
                  (SourceStates, ("get", "record")),
                  (HttpValidators, ("http_validators", "save_validators")),
                  (Questions, ("remember", "get")))


@pytest.fixture
def calls(monkeypatch):
    """name -> set of thread ids it ran on."""
    seen: dict[str, set[int]] = {}

    def spy(owner, name):
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            seen.setdefault(name, set()).add(threading.get_ident())
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    for name in ("extract_page", "parse_sitemap", "parse_feed", "parse_posts", "decode"):
        spy(crawl, name)
    spy(detect, "decode")  # what a URL is: its page decoded off the loop too
    spy(web, "parse_wxr")
    for owner, names in BLOCKING_STORE:
        for name in names:
            spy(owner, name)
    monkeypatch.setattr(Index, "build", classmethod(_recording_build(seen, Index.build)))
    return seen


def _recording_build(seen, bound):
    def build(cls, *args, **kwargs):
        seen.setdefault("Index.build", set()).add(threading.get_ident())
        return bound(*args, **kwargs)
    return build


async def test_no_blocking_call_runs_on_the_event_loop(calls, tmp_path):
    site = FakeSite()
    await site.start()
    loop_thread = threading.get_ident()
    try:
        service = Service(open_stores(tmp_path / "s.sqlite3"), Config(fetch=FAST))
        async with new_session(FAST) as session:
            for path in ("/", "/feed-excerpts/", "/feed-excerpts/", "/sitemap_index.xml",
                         "/export.xml", "/2024/post-3/"):  # the feed again: conditional GETs
                report = await web.ingest_url(service, session, site.base + path)
                assert report.new or report.updated or report.unchanged, path
            src = SourceConfig(url=site.base + "/feed/")
            svc2 = Service(open_stores(tmp_path / "t.sqlite3"), Config(fetch=FAST, sources=(src,)))
            await refresh_all(svc2, session)
        await asyncio.to_thread(service.reload)
    finally:
        await site.stop()
    expected = {"extract_page", "parse_sitemap", "parse_feed", "parse_posts", "parse_wxr",
                "ingest", "get", "record", "http_validators",
                "save_validators", "Index.build"}
    assert expected <= set(calls), expected - set(calls)
    on_loop = sorted(name for name, threads in calls.items() if loop_thread in threads)
    assert on_loop == []
