"""Per-server corpora end to end: the real discord.py client against the fake Discord with
three servers. A and B have corpora of their own, C none (and there is no shared corpus).
Nothing of one server's articles, questions or votes may reach another through a command,
a button, autocomplete, the report or an announcement."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses

import aiohttp
import discord
import pytest
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket

from bot.community.console import run_command
from bot.config import (
    CommunityConfig,
    Config,
    DiscordConfig,
    FetchConfig,
    GuildConfig,
    SourceConfig,
)
from bot.discord_app.client import FootnoteBot, ShardedFootnoteBot
from bot.discord_app.views import TOO_OLD
from bot.models import Article
from bot.service import Service
from bot.sources.http import new_session
from bot.store import open_stores
from tests.fake_discord.server import (
    GUILD_ID,
    USER_ID,
    FakeDiscord,
    guild_channel,
    interaction,
    option,
    slash,
)
from tests.fake_site import serving
from tests.test_discord import Harness, embeds_of, run_bot, stop_bots

A, B, C = GUILD_ID, GUILD_ID + (1 << 22), GUILD_ID + (2 << 22)  # shards of 2: 0, 1, 0
CHANNEL = {A: 920000000000000001, B: guild_channel(B), C: guild_channel(C)}
ADMIN = 0x20 | 0x400 | 0x800
A_ART = Article("Alderney Lighthouse Keepers", (
    "The lighthouse keepers of Alderney kept the lamp lit through the storms of 1931. "
    "They logged every passing ship in a leather book.",), url="https://a.example/lighthouse")
B_ART = Article("Winter Beekeeping", (
    "Honey bees cluster in winter to keep the queen warm. Beekeepers leave enough honey "
    "in the hive for the cold months.",), url="https://b.example/bees")
A_SECRET, B_SECRET = "1931", "queen"  # words only in A's article, only in B's


def config(**community) -> Config:
    return Config(discord=DiscordConfig(guild_ids=(A,), cooldown_uses=0),
                  fetch=FetchConfig(allow_private=True, delay_seconds=0.0, retries=0),
                  community=CommunityConfig(**community))


@pytest.fixture
async def servers(tmp_path, monkeypatch):
    fake = FakeDiscord()
    fake.guild_ids = [A, B, C]
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    started: list[tuple[FootnoteBot, asyncio.Task, aiohttp.ClientSession]] = []

    async def start(cfg: Config | None = None, shards: tuple[list[int], int] | None = None
                    ) -> Harness:
        cfg = cfg or config()
        stores = open_stores(tmp_path / "store.sqlite3")
        service = Service(stores, cfg, index_dir=tmp_path / "index")
        stores.articles.ingest([A_ART], "a-site", corpus=f"g{A}")
        stores.articles.ingest([B_ART], "b-site", corpus=f"g{B}")
        session = new_session(cfg.fetch)
        if shards:
            bot = ShardedFootnoteBot(service, cfg, session, state_dir=tmp_path / "discord",
                                     shard_ids=shards[0], shard_count=shards[1])

            async def no_wait(shard_id, *, initial=False):  # Discord's 5 s between shards
                return None

            bot.before_identify_hook = no_wait
        else:
            bot = FootnoteBot(service, cfg, session, state_dir=tmp_path / "discord")
        return await run_bot(fake, bot, session, started)

    yield start
    await stop_bots(fake, started)


def ask(gid: int, question: str) -> dict:
    return slash("ask", [option("question", question)], guild_id=gid, channel_id=CHANNEL[gid])


async def reply_to(h: Harness, payload: dict) -> str:
    """Everything the bot sent back for an interaction (callback and follow-ups), as text."""
    await h.send(payload)

    def final(c) -> bool:  # a reply, not a "thinking…" deferral
        return ((h.callbacks(payload)(c) and (c.body or {}).get("type") != 5)
                or (h.followups(payload)(c) and c.method == "POST"))

    await h.fake.wait_for(final)
    calls = h.fake.find(lambda c: h.callbacks(payload)(c) or h.followups(payload)(c))
    return " ".join(str(c.body) for c in calls)


async def test_each_server_answers_from_its_own_corpus_only(servers):
    h = await servers()
    await h.send(ask(A, "who kept the lighthouse lamp lit through the storms?"))
    (fu,) = await h.fake.wait_for(lambda c: "Alderney" in str(c.body))
    assert A_SECRET in str(embeds_of(fu))
    for q in ("who kept the lighthouse lamp lit through the storms?", "Alderney lighthouse"):
        text = await reply_to(h, ask(B, q))
        assert "Alderney" not in text and A_SECRET not in text
    text = await reply_to(h, ask(B, "why do bees cluster in winter?"))
    assert B_SECRET in text
    for name, opts in (("search", [option("query", "lighthouse keepers")]), ("articles", [])):
        text = await reply_to(h, slash(name, opts, guild_id=B, channel_id=CHANNEL[B]))
        assert "Alderney" not in text, name
    text = await reply_to(h, slash("articles", [], guild_id=A, channel_id=CHANNEL[A]))
    assert "Alderney" in text and "Beekeeping" not in text
    auto = {"id": "1", "name": "summary", "type": 1,
            "options": [option("article", "Alderney Light", focused=True)]}
    choices = await reply_to(h, interaction(4, auto, guild_id=B, channel_id=CHANNEL[B]))
    assert "Alderney" not in choices.replace("'value': 'Alderney Light'", "")
    summ = slash("summary", [option("article", "https://a.example/lighthouse")], guild_id=B,
                 channel_id=CHANNEL[B])
    assert A_SECRET not in await reply_to(h, summ)
    # C has no sources and there is no shared corpus: how to add some.
    assert "/footnote source add" in await reply_to(h, ask(C, "lighthouse keepers?"))


async def test_buttons_from_one_server_reveal_nothing_in_another(servers):
    h = await servers()
    p = await h.send(ask(A, "who kept the lighthouse lamp lit through the storms?"))
    (fu,) = await h.fake.wait_for(h.followups(p))
    buttons = {(b.get("label") or b["emoji"]["name"]).split()[0]: b["custom_id"]
               for row in fu.body["components"] for b in row["components"]}
    record = int(buttons["👍"].split(":")[2])
    for label in ("More", "Summarise", "👍", "👎"):
        click = interaction(3, {"custom_id": buttons[label], "component_type": 2},
                            msg=fu.response, guild_id=B, channel_id=CHANNEL[B])
        text = await reply_to(h, click)
        assert A_SECRET not in text and "Alderney" not in text, label
        if label in ("👍", "👎"):
            assert TOO_OLD in text
    rec = h.bot.community.feedback.ask(record)
    assert (rec.up, rec.down) == (0, 0)  # B's clicks counted nowhere
    click = interaction(3, {"custom_id": buttons["More"], "component_type": 2},
                        msg=fu.response, guild_id=A, channel_id=CHANNEL[A])
    assert "No more passages" in await reply_to(h, click)  # in A the button still works


async def test_report_and_forget_are_per_server(servers):
    h = await servers()
    for gid, q in ((A, "how do I bake sourdough bread?"), (B, "who won the world cup?")):
        await reply_to(h, ask(gid, q))
    p = slash("footnote", [{"name": "report", "type": 1, "options": []}], permissions=ADMIN,
              guild_id=B, channel_id=CHANNEL[B])
    text = await reply_to(h, p)
    assert "world cup" in text and "sourdough" not in text
    args = argparse.Namespace(command="report", since="", csv=False, json=False, guild=A)
    out = run_command(args, h.bot.community)
    assert "sourdough" in out and "world cup" not in out
    forget = argparse.Namespace(command="forget", user=USER_ID, guild=A)
    assert run_command(forget, h.bot.community).startswith("forgot 1 questions")
    args.guild = B
    assert "world cup" in run_command(args, h.bot.community)  # B's record kept


async def test_new_articles_are_announced_only_where_their_corpus_is_read(servers):
    h = await servers(config(announce_seconds=0.05))
    for gid in (A, B):
        h.bot.community.announcements.set_channel(gid, CHANNEL[gid])
    store = h.bot.service.stores.articles
    store.ingest([Article("Alderney Fog Signal", ("The fog signal sounded in 1932 for "
                                                  "three days. Ships stayed in port.",))],
                 "a-site", corpus=f"g{A}")  # a known source: announced
    await h.fake.wait_for(lambda c: c.path == f"/channels/{CHANNEL[A]}/messages")
    await asyncio.sleep(0.2)  # a few drain passes
    assert not h.fake.find(lambda c: c.path == f"/channels/{CHANNEL[B]}/messages")


async def test_an_admin_adds_a_source_in_discord(servers):
    async def page(request):
        if request.path != "/ferry":
            return web.Response(status=404)
        return web.Response(content_type="text/html", text=(
            "<html><head><title>Ferry Timetable</title></head><body><article><h1>Ferry "
            "Timetable</h1><p>The island ferry leaves the harbour at seven every morning and "
            "returns at dusk, except on Sundays in winter.</p></article></body></html>"))

    async with serving(page) as base:
        url = f"{base}/ferry"
        h = await servers()
        sub = {"name": "source", "type": 2,
               "options": [{"name": "add", "type": 1, "options": [option("url", url)]}]}
        text = await reply_to(h, slash("footnote", [sub], permissions=ADMIN, guild_id=C,
                                       channel_id=CHANNEL[C]))
        assert "Added" in text and "1 articles" in text
        assert "seven every morning" in await reply_to(h, ask(C, "when does the ferry leave?"))
        assert "seven every morning" not in await reply_to(h, ask(A, "when does the ferry "
                                                                     "leave?"))
        sub["options"] = [{"name": "list", "type": 1, "options": []}]
        text = await reply_to(h, slash("footnote", [sub], permissions=ADMIN, guild_id=C,
                                       channel_id=CHANNEL[C]))
        assert "127.0.0.1" in text and "ok (page)" in text
        sub["options"] = [{"name": "remove", "type": 1, "options": [option("url", url)]}]
        await reply_to(h, slash("footnote", [sub], permissions=ADMIN, guild_id=C,
                                channel_id=CHANNEL[C]))
        assert "/footnote source add" in await reply_to(h, ask(C, "when does the ferry leave?"))
        # Not an admin: refused.
        sub["options"] = [{"name": "add", "type": 1, "options": [option("url", url)]}]
        text = await reply_to(h, slash("footnote", [sub], guild_id=B, channel_id=CHANNEL[B],
                                       permissions=0x4400 | 0x800))
        assert "Added" not in text


async def test_a_process_serves_only_its_shards(servers):
    h = await servers(config(announce_seconds=0.05), shards=([1], 2))
    assert h.fake.identified == [(1, 2)]
    assert h.bot._refresh_task is None  # shard 0's process refreshes for the deployment
    assert {g.id for g in h.bot.guilds} == {B}  # (B >> 22) % 2 == 1; A and C are shard 0
    assert [h.bot.serves(g) for g in (A, B, C)] == [False, True, False]
    for gid in (A, B):
        h.bot.community.announcements.set_channel(gid, CHANNEL[gid])
    store = h.bot.service.stores.articles
    store.ingest([Article("Shared Note", ("A note for every server. Short.",))], "shared")
    for gid in (A, B):  # their own corpora only, until they choose the shared one too
        assert h.bot.service.for_guild(gid).reads == (f"g{gid}",)
    h.bot.service.corpora.set_shared(A, True)
    h.bot.service.corpora.set_shared(B, True)
    store.ingest([Article("Shared Note Two", ("Another note for everyone. Short.",))],
                 "shared")  # the source is known now: announced where the shared one is read
    await h.fake.wait_for(lambda c: c.path == f"/channels/{CHANNEL[B]}/messages")
    await asyncio.sleep(0.2)
    # A's server is another process's (shard 0): this one never posts there.
    assert not h.fake.find(lambda c: c.path == f"/channels/{CHANNEL[A]}/messages")
    text = await reply_to(h, ask(B, "why do bees cluster in winter?"))
    assert B_SECRET in text


async def test_two_shards_in_one_process_identify_both(servers):
    h = await servers(shards=([0, 1], 2))
    assert sorted(h.fake.identified) == [(0, 2), (1, 2)]
    assert h.bot._refresh_task is not None
    assert {g.id for g in h.bot.guilds} == {A, B, C}
    assert h.bot.shard_count == 2 and sorted(h.bot.shards) == [0, 1]


async def test_reindex_in_a_server_shows_only_its_own_sources(servers, tmp_path):
    folder = tmp_path / "a-files"
    folder.mkdir()
    (folder / "fog.md").write_text("# Fog\n\nThe fog horn of Alderney sounded in 1931.\n")
    cfg = dataclasses.replace(config(), guilds=(
        GuildConfig(A, (SourceConfig(kind="file", path=str(folder)),)),))
    h = await servers(cfg)

    def reindex(gid: int) -> dict:
        return slash("footnote", [{"name": "reindex", "type": 1, "options": []}],
                     permissions=ADMIN, guild_id=gid, channel_id=CHANNEL[gid])

    text = await reply_to(h, reindex(B))
    assert "a-files" not in text and "Index rebuilt: 1 articles" in text
    assert "a-files" in await reply_to(h, reindex(A))
    assert "1931" in await reply_to(h, ask(A, "when did the fog horn sound?"))


async def test_two_processes_split_the_servers_and_post_each_announcement_once(servers):
    first = await servers(config(announce_seconds=0.05), shards=([0], 2))
    second = await servers(config(announce_seconds=0.05), shards=([1], 2))
    assert sorted(first.fake.identified) == [(0, 2), (1, 2)]
    assert {g.id for g in first.bot.guilds} == {A, C} and {g.id for g in second.bot.guilds} == {B}
    for gid in (A, B):
        first.bot.community.announcements.set_channel(gid, CHANNEL[gid])
    first.bot.service.corpora.set_shared(A, True)
    second.bot.service.corpora.set_shared(B, True)
    store = first.bot.service.stores.articles
    store.ingest([Article("Shared Note", ("A note for every server. Short.",))], "shared")
    store.ingest([Article("Shared Note Two", ("Another note for everyone. Short.",))],
                 "shared")  # announced in A (by the first) and in B (by the second)
    for gid in (A, B):
        await first.fake.wait_for(lambda c, gid=gid: c.path == f"/channels/{CHANNEL[gid]}/"
                                  "messages")
    await asyncio.sleep(0.2)  # more drain passes in both processes: nothing posted twice
    for gid in (A, B):
        assert len(first.fake.find(lambda c, gid=gid: c.path == f"/channels/{CHANNEL[gid]}/"
                                   "messages")) == 1
    # Each answers in its own servers, from their own corpora.
    assert A_SECRET in await reply_to(first, ask(A, "who kept the lighthouse lamp lit?"))
    assert B_SECRET in await reply_to(second, ask(B, "why do bees cluster in winter?"))


async def test_a_question_looks_its_servers_corpus_up_once(servers, monkeypatch):
    """Its answer and its "More passages" button use the one Service: a second lookup
    could find it unloaded by other questions in between, and load it again."""
    h = await servers()
    corpora = h.bot.service.corpora
    looked: list[int] = []
    lookup = corpora.for_guild
    monkeypatch.setattr(corpora, "for_guild", lambda gid: looked.append(gid) or lookup(gid))
    await h.send(ask(A, "who kept the lighthouse lamp lit through the storms?"))
    await h.fake.wait_for(lambda c: "Alderney" in str(c.body))
    assert looked == [A]
