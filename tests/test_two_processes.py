"""Two real `footnote run` processes (shards 0 and 1 of 2) on one PostgreSQL store, against
the fake Discord in this process (issue 14): an article ingested through one process (an
admin's `/footnote reindex` in a server of shard 0, after the site published it) is quoted
by the other process in a server of shard 1 once announced (its store watch never polls
meanwhile); and every interaction is answered once, by the process serving its server's shard.
Then, with two bots in this process on one store: a server's settings changed through one
(channel mode, sources, the shared choice) reach the other without a restart."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket

from bot.config import Config, DiscordConfig, FetchConfig
from bot.discord_app.client import ShardedFootnoteBot
from bot.service import Service
from bot.sources.http import new_session
from bot.store import open_stores
from tests.fake_discord.server import (
    APP_ID,
    GUILD_ID,
    FakeDiscord,
    guild_channel,
    option,
    shard_of,
    slash,
)
from tests.fake_site import FakeSite, make_post
from tests.test_discord import run_bot, stop_bots
from tests.two_processes import BotProcess, start_bot_process
from tests.waiting import WAIT_SECONDS, until

S0, S1 = GUILD_ID, GUILD_ID + (1 << 22)  # on shard 0 and shard 1 of 2
CHANNEL = {S0: 920000000000000001, S1: guild_channel(S1)}
ADMIN = 0x20 | 0x400 | 0x800  # Manage Server, view, send
POLL_SECONDS = 3600.0  # the processes' store watch polls this seldom (a test's whole life)
FJORD = ("The ferry to Hornstrandir runs only in July, and the arctic foxes on the "
         "reserve have never learned to fear the walkers who come off it.")


def write_config(path: Path, pg_url: str, site: str) -> Path:
    path.write_text(f"""
[storage]
url = "{pg_url}"
[discord]
prefix_commands = false
cooldown_uses = 0
[fetch]
allow_private = true
delay_seconds = 0.0
backoff_seconds = 0.01
retries = 0
timeout_seconds = 5.0
[[sources]]
kind = "wordpress"
url = "{site}/"
refresh_minutes = 600.0
""")
    return path


def answered_by(fake: FakeDiscord, payload: dict) -> list[str]:
    """Which process made each call answering this interaction (callback, followups)."""
    token = payload["token"]
    return [c.via for c in fake.calls
            if c.path.startswith(f"/interactions/{payload['id']}/")
            or c.path.startswith(f"/webhooks/{APP_ID}/{token}")]


async def reply(fake: FakeDiscord, payload: dict, seconds: float = WAIT_SECONDS):
    await fake.dispatch("INTERACTION_CREATE", payload)
    (fu,) = await fake.wait_for(
        lambda c: c.path.startswith(f"/webhooks/{APP_ID}/{payload['token']}"), seconds)
    return fu


def ask(gid: int, question: str) -> dict:
    return slash("ask", [option("question", question)], guild_id=gid, channel_id=CHANNEL[gid])


def first_title(call) -> str:
    embeds = (call.body or {}).get("embeds") or []
    return embeds[0]["title"] if embeds else ""


async def test_an_article_ingested_through_one_process_is_answered_by_the_other(
        pg_url, tmp_path):
    assert shard_of(S0, 2) == 0 and shard_of(S1, 2) == 1
    site, fake = FakeSite(n_posts=3), FakeDiscord()
    fake.guild_ids = [S0, S1]
    await site.start()
    await fake.start()
    cfg = write_config(tmp_path / "config.toml", pg_url, site.base)
    bots: list[BotProcess] = []
    try:
        for name, shard in (("a", "0"), ("b", "1")):
            bots.append(await start_bot_process(
                name, fake.api_base_for(name), fake.gateway_url, cfg, tmp_path / name,
                ["--shards", shard, "--shard-count", "2"],
                env={"FAKE_DISCORD_WATCH_SECONDS": str(POLL_SECONDS)}))
        for bot in bots:
            await bot.wait_ready(60)
        assert sorted(fake.identified) == [(0, 2), (1, 2)]

        # Both answer from the site's first posts (one of them fetched them at start).
        first = ask(S1, "Which islands does Japan claim as its Northern Territories?")
        assert first_title(await reply(fake, first)).startswith("Kuril Islands dispute")

        # The site publishes; an admin of the shard-0 server reindexes (process a)...
        post = make_post(3, site.base, modified="2025-06-01T10:00:00")
        site.posts.append(post | {"title": "Foxes of Hornstrandir", "paragraphs": [FJORD]})
        reindex = slash("footnote", [{"name": "reindex", "type": 1, "options": []}],
                        permissions=ADMIN, guild_id=S0, channel_id=CHANNEL[S0])
        done = await reply(fake, reindex)
        assert "1 new" in done.body["content"], done.body["content"]
        committed = time.monotonic()

        # ...and a reader of the shard-1 server (process b) gets it once it is announced: b's
        # store watch would not poll for an hour. (Not bounded by 5 s: on a busy machine b's
        # reload and one answer alone can take that long.)
        asked: list[dict] = [first]
        while True:
            p = ask(S1, "When does the ferry to Hornstrandir run?")
            asked.append(p)
            got = await reply(fake, p)
            if first_title(got).startswith("Foxes of Hornstrandir"):
                break
            assert time.monotonic() - committed < WAIT_SECONDS, f"b never used it: {got.body}"
            await asyncio.sleep(0.1)
        assert time.monotonic() - committed < WAIT_SECONDS

        # Each interaction answered once, by the process serving its server's shard.
        assert set(answered_by(fake, reindex)) == {"a"}
        assert len([c for c in fake.calls if c.path.startswith(
            f"/interactions/{reindex['id']}/")]) == 1
        for p in asked:
            assert set(answered_by(fake, p)) == {"b"}
            assert len([c for c in fake.calls if c.path.startswith(
                f"/interactions/{p['id']}/")]) == 1
    finally:
        codes = [await bot.stop(WAIT_SECONDS) for bot in bots]
        for bot in bots:
            print(f"--- {bot.name} stderr ---\n{bot.output()}")  # shown on a failure
        await fake.stop()
        await site.stop()
    for bot, code in zip(bots, codes, strict=True):
        assert not any("Traceback" in line for line in bot.lines), bot.output()
        assert code in (0, 130), bot.output()  # stopped by Ctrl-C
    assert not fake.rejected



# -- settings made in one process reach the other (in-process: two bots, one store)

@pytest.fixture
async def two_bots(pg_url, tmp_path, monkeypatch):
    """Bots a (shard 0 of 2: serves S0) and b (shard 1: serves S1) in this process, each
    over its own connections to one PostgreSQL store, against one fake Discord."""
    fake = FakeDiscord()
    fake.guild_ids = [S0, S1]
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    cfg = Config(discord=DiscordConfig(cooldown_uses=0, prefix_commands=False),
                 fetch=FetchConfig(allow_private=True, delay_seconds=0.0, retries=0))
    started: list = []
    bots = []
    for shard in (0, 1):
        stores = open_stores(pg_url)
        service = Service(stores, cfg, index_dir=tmp_path / f"index{shard}")
        service.ensure_seeded()
        session = new_session(cfg.fetch)
        bot = ShardedFootnoteBot(service, cfg, session, state_dir=tmp_path / f"d{shard}",
                                 shard_ids=[shard], shard_count=2)
        bots.append((await run_bot(fake, bot, session, started)).bot)
    yield fake, bots
    await stop_bots(fake, started)


def admin(gid: int, name: str, options: list[dict]) -> dict:
    return slash("footnote", [{"name": name, "type": 1, "options": options}],
                 permissions=ADMIN, guild_id=gid, channel_id=CHANNEL[gid])


def source(gid: int, sub: str, options: list[dict]) -> dict:
    group = {"name": "source", "type": 2,
             "options": [{"name": sub, "type": 1, "options": options}]}
    return slash("footnote", [group], permissions=ADMIN, guild_id=gid, channel_id=CHANNEL[gid])


async def answered(fake: FakeDiscord, payload: dict) -> None:
    """Dispatch and wait for the bot's reply (not a "thinking…" deferral)."""
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_for(lambda c: (
        c.path.startswith(f"/interactions/{payload['id']}/") and (c.body or {}).get("type") != 5
    ) or c.path.startswith(f"/webhooks/{APP_ID}/{payload['token']}"))


async def test_settings_made_in_one_process_reach_the_other_without_a_restart(two_bots):
    fake, (a, b) = two_bots
    ch = CHANNEL[S0]
    assert b.community.modes.mode(S0, ch) == "commands"
    held = b.service.for_guild(S0)  # b holds S0's Service (the shared corpus, no sources)
    assert held.reads == ("",) and not held.sources

    # A channel mode set through a (which serves S0) is applied by b.
    await answered(fake, admin(S0, "channel", [option("mode", "off")]))
    assert a.community.modes.mode(S0, ch) == "off"
    await until(lambda: b.community.modes.mode(S0, ch) == "off")

    # The server's own source: b makes S0's Service afresh (its own corpus, then the shared
    # one too, then none again).
    url = "http://127.0.0.1:9/gone/"  # nothing listens: the source is kept, its fetch fails
    await answered(fake, source(S0, "add", [option("url", url)]))
    await until(lambda: [s.name for s in b.service.for_guild(S0).sources] == [url])
    assert b.service.for_guild(S0).reads == (f"g{S0}",)
    await answered(fake, source(S0, "shared", [option("on", True, kind=5)]))
    await until(lambda: b.service.for_guild(S0).reads == (f"g{S0}", ""))
    await answered(fake, source(S0, "remove", [option("url", url)]))
    await until(lambda: not b.service.for_guild(S0).sources)

    # The announcement channel is read from the store whenever announcements are posted.
    p = admin(S0, "announce", [{"name": "channel", "type": 7, "value": str(ch)}])
    p["data"]["resolved"] = {"channels": {str(ch): {
        "id": str(ch), "name": "general", "type": 0, "permissions": "0", "parent_id": None}}}
    await answered(fake, p)
    assert b.community.announcements.channels() == {S0: ch}
