"""Several processes on one PostgreSQL store (issue 14): a change committed by one is
announced (NOTIFY) and answered from by a running bot within seconds, not at its next
poll; and two refreshers never refresh at the same time (the second skips its run)."""
# ruff: noqa: F811 - `start_bot` is the shared harness fixture, imported by name

from __future__ import annotations

import asyncio

import pytest

from bot import refresh
from bot.config import Config
from bot.discord_app.client import FootnoteBot, ShardedFootnoteBot
from bot.models import Article
from bot.refresh import SKIPPED, Refresher
from bot.service import Service
from bot.store import open_stores
from tests.fake_discord.server import option, slash
from tests.test_discord import embeds_of, start_bot  # noqa: F401 - the harness fixture
from tests.waiting import WAIT_SECONDS, until

GLACIER = ("The Quiet Glacier of Vatnajokull retreats forty metres every summer, and the "
           "meltwater carves blue caves that guides close each autumn.")


async def test_an_ingest_by_another_process_is_answered_within_seconds(start_bot, pg_url,
                                                                       monkeypatch):
    monkeypatch.setattr(FootnoteBot, "WATCH_SECONDS", 3600.0)  # no poll could find it
    h = await start_bot(store_at=pg_url)
    # (No wait for LISTEN: a listener's first look catches what came before it.)
    other = open_stores(pg_url)  # another process: its own connections to the database
    try:
        await asyncio.to_thread(other.articles.ingest, [Article(
            "The Quiet Glacier", (GLACIER,), url="https://example.org/glacier")], "cron")
        rev = other.articles.revision()
    finally:
        other.close()
    service = h.bot.service
    # Announced, so applied without a poll: seconds, which a busy machine can stretch past 5
    await until(lambda: service._corpus is not None and service._corpus.revision == rev)
    p = await h.send(slash("ask", [option("question", "Which glacier carves blue caves?")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert embeds_of(fu)[0]["title"].startswith("The Quiet Glacier")


async def test_two_refreshers_on_one_store_never_refresh_together(pg_url, monkeypatch):
    inside, release = asyncio.Event(), asyncio.Event()
    running, overlaps, runs = [0], [], []

    async def refresh_all(service, *_a, **_k):
        running[0] += 1
        overlaps.append(running[0] > 1)
        runs.append(service)
        inside.set()
        await release.wait()
        running[0] -= 1
        return []

    monkeypatch.setattr(refresh, "refresh_all", refresh_all)
    stores = [open_stores(pg_url), open_stores(pg_url)]  # two processes' connections
    try:
        first, second = (Refresher(Service(s, Config()), None) for s in stores)
        task = asyncio.create_task(first.run())
        await asyncio.wait_for(inside.wait(), WAIT_SECONDS)
        assert await asyncio.wait_for(second.run(), WAIT_SECONDS) == ([], [SKIPPED])
        bot = FootnoteBot(second.service, Config(), None, refresher=second)
        assert await bot.refresh_now(reads=("g1",)) == [SKIPPED]  # what /footnote refresh says
        release.set()
        await asyncio.wait_for(task, WAIT_SECONDS)
        assert await asyncio.wait_for(second.run(), WAIT_SECONDS) == ([], [])  # lock freed
        assert runs == [first.service, second.service] and overlaps == [False, False]
    finally:
        for s in stores:
            s.close()


@pytest.mark.parametrize("shards", [(1,), (0,)])
async def test_every_shard_runs_the_schedule_on_postgresql(pg_url, shards):
    stores = open_stores(pg_url)
    try:
        bot = ShardedFootnoteBot(Service(stores, Config()), Config(), None,
                                 shard_ids=list(shards), shard_count=2)
        assert bot.refreshes
    finally:
        stores.close()
