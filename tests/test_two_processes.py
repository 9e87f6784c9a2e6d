"""Two real `footnote run` processes (shards 0 and 1 of 2) on one PostgreSQL store, against
the fake Discord in this process (issue 14): an article ingested through one process (an
admin's `/footnote reindex` in a server of shard 0, after the site published it) is quoted
by the other process in a server of shard 1 within 5 s; and every interaction is answered
once, by the process serving its server's shard."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

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
from tests.two_processes import BotProcess, start_bot_process

S0, S1 = GUILD_ID, GUILD_ID + (1 << 22)  # on shard 0 and shard 1 of 2
CHANNEL = {S0: 920000000000000001, S1: guild_channel(S1)}
ADMIN = 0x20 | 0x400 | 0x800  # Manage Server, view, send
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


async def reply(fake: FakeDiscord, payload: dict, seconds: float = 10.0):
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
                ["--shards", shard, "--shard-count", "2"]))
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
        done = await reply(fake, reindex, 20)
        assert "1 new" in done.body["content"], done.body["content"]
        committed = time.monotonic()

        # ...and a reader of the shard-1 server (process b) gets it within 5 s.
        asked: list[dict] = [first]
        while True:
            p = ask(S1, "When does the ferry to Hornstrandir run?")
            asked.append(p)
            got = await reply(fake, p)
            if first_title(got).startswith("Foxes of Hornstrandir"):
                break
            assert time.monotonic() - committed < 5, f"b never answered from it: {got.body}"
            await asyncio.sleep(0.1)
        assert time.monotonic() - committed < 5

        # Each interaction answered once, by the process serving its server's shard.
        assert set(answered_by(fake, reindex)) == {"a"}
        assert len([c for c in fake.calls if c.path.startswith(
            f"/interactions/{reindex['id']}/")]) == 1
        for p in asked:
            assert set(answered_by(fake, p)) == {"b"}
            assert len([c for c in fake.calls if c.path.startswith(
                f"/interactions/{p['id']}/")]) == 1
    finally:
        codes = [await bot.stop() for bot in bots]
        for bot in bots:
            print(f"--- {bot.name} stderr ---\n{bot.output()}")  # shown on a failure
        await fake.stop()
        await site.stop()
    for bot, code in zip(bots, codes, strict=True):
        assert not any("Traceback" in line for line in bot.lines), bot.output()
        assert code in (0, 130), bot.output()  # stopped by Ctrl-C
    assert not fake.rejected

