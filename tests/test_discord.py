"""End to end: the real discord.py client against the local fake Discord."""

from __future__ import annotations

import asyncio
import dataclasses
import re

import aiohttp
import discord
import pytest
import regex
import yarl
from discord.gateway import DiscordWebSocket

from bot.config import Config, DiscordConfig
from bot.discord_app import limits
from bot.discord_app.client import FootnoteBot
from bot.models import Article
from bot.service import Service
from bot.sources.http import new_session
from bot.store import open_stores
from tests.fake_discord.server import (
    APP_ID,
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    OTHER_CHANNEL_ID,
    FakeDiscord,
    interaction,
    message,
    option,
    payload_errors,
    slash,
    user,
)
from tests.waiting import WAIT_SECONDS, until

HOSTILE = (
    "The hostile lighthouse keeper wrote @everyone and <@&940000000000000001> in his log, "
    "then ```rm -rf``` and a [masked link](https://evil.example) and ||a spoiler|| about "
    "the lighthouse."
)


class Harness:
    def __init__(self, fake: FakeDiscord, bot: FootnoteBot, task: asyncio.Task) -> None:
        self.fake, self.bot, self.task = fake, bot, task

    async def send(self, payload: dict) -> dict:
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        return payload

    def callbacks(self, payload: dict):
        return lambda c: c.path.startswith(f"/interactions/{payload['id']}/")

    def followups(self, payload: dict):
        return lambda c: c.path.startswith(f"/webhooks/{APP_ID}/{payload['token']}")


@pytest.fixture
async def start_bot(tmp_path, monkeypatch):
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    started: list[tuple[FootnoteBot, asyncio.Task, aiohttp.ClientSession]] = []

    async def start(config: Config | None = None, store_at: str | None = None) -> Harness:
        """A bot on a store in tmp_path (or at `store_at`: a postgresql:// URL)."""
        config = config or Config(discord=DiscordConfig(guild_ids=(GUILD_ID,),
                                                        cooldown_uses=0))
        store = open_stores(store_at or tmp_path / "store.sqlite3")
        service = Service(store, config, index_dir=tmp_path / "state")
        service.ensure_seeded()
        store.articles.ingest([Article("The Hostile Lighthouse", (HOSTILE,),
                              url="https://example.org/lighthouse")], "test")
        session = new_session(config.fetch)
        bot = FootnoteBot(service, config, session, state_dir=tmp_path / "discord")
        return await run_bot(fake, bot, session, started)

    yield start
    await stop_bots(fake, started)


async def run_bot(fake: FakeDiscord, bot: FootnoteBot, session: aiohttp.ClientSession,
                  started: list) -> Harness:
    """Start a bot against the fake Discord and wait until it is ready."""
    bot._connection.guild_ready_timeout = 0.05
    task = asyncio.create_task(bot.start("fake-token"))
    started.append((bot, task, session))
    await asyncio.wait_for(bot.wait_until_ready(), WAIT_SECONDS)
    return Harness(fake, bot, task)


async def stop_bots(fake: FakeDiscord, started: list) -> None:
    """Close every bot started, then the fake; nothing Discord would have refused."""
    for bot, task, session in started:
        await bot.close()
        await asyncio.wait_for(task, WAIT_SECONDS)
        await session.close()
        bot.service.stores.close()  # (a PostgreSQL connection left open warns)
    await fake.stop()
    # Events dispatched while closing (disconnect, …) run as tasks; finish them before the
    # test's event loop closes, or they are destroyed mid-flight.
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    # Discord would have refused these (400, code 50035): the user saw nothing.
    assert not fake.rejected, [(c.path, c.response) for c in fake.rejected]


def embeds_of(call) -> list[dict]:
    body = call.body or {}
    return body.get("embeds") or (body.get("data") or {}).get("embeds") or []


def assert_within_limits(body: dict) -> None:
    data = body.get("data", body)
    assert payload_errors(data) == {}
    assert len(data.get("content") or "") <= limits.CONTENT
    embeds = data.get("embeds") or []
    assert len(embeds) <= limits.EMBEDS_PER_MESSAGE
    total = 0
    for e in embeds:
        assert len(e.get("title", "")) <= limits.EMBED_TITLE
        assert len(e.get("description", "")) <= limits.EMBED_DESCRIPTION
        total += len(e.get("title", "")) + len(e.get("description", ""))
        total += len((e.get("footer") or {}).get("text", ""))
    assert total <= limits.EMBED_TOTAL
    for row in data.get("components") or []:
        for comp in row.get("components", []):
            assert len(comp.get("label", "")) <= limits.BUTTON_LABEL
    assert data.get("allowed_mentions") == {"parse": []}


async def test_commands_sync_once_then_only_when_changed(start_bot):
    h = await start_bot()
    puts = h.fake.find(lambda c: c.method == "PUT" and "commands" in c.path)
    assert len(puts) == 1
    assert puts[0].path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    names = {c["name"] for c in puts[0].body}
    assert names == {"ask", "summary", "search", "articles", "help", "footnote", "Find sources"}
    admin = next(c for c in puts[0].body if c["name"] == "footnote")
    assert int(admin["default_member_permissions"]) == 0x20  # Manage Server
    await h.bot.close()
    await h.task
    again = await start_bot()  # same state dir: unchanged commands are not synced again
    assert len(again.fake.find(lambda c: c.method == "PUT" and "commands" in c.path)) == 1


async def test_without_guild_ids_commands_sync_globally(start_bot):
    h = await start_bot(Config(discord=DiscordConfig(cooldown_uses=0)))
    puts = h.fake.find(lambda c: c.method == "PUT" and "commands" in c.path)
    assert [c.path for c in puts] == [f"/applications/{APP_ID}/commands"]


async def test_invite_url_is_logged_when_in_no_server(start_bot, caplog):
    caplog.set_level("WARNING", logger="bot.discord_app.client")
    caplog.set_level("WARNING", logger="discord.client")
    discord.VoiceClient.warn_nacl = True  # as discord.py sets it without PyNaCl
    first = await start_bot()
    assert "Invite it with" not in caplog.text
    assert "voice will NOT be supported" not in caplog.text  # a bot without voice
    await first.bot.close()
    await first.task
    first.fake.in_guild = False
    await start_bot()
    await until(lambda: "Invite it with" in caplog.text)  # logged by on_ready, a task
    assert f"client_id={APP_ID}" in caplog.text
    assert "scope=bot+applications.commands" in caplog.text
    asked = int(re.search(r"permissions=(\d+)", caplog.text)[1])
    threads = discord.Permissions(create_public_threads=True, send_messages_in_threads=True)
    assert discord.Permissions(asked) >= threads  # auto-answers open and post in threads


async def test_slash_ask_defers_then_quotes_with_bold_terms_link_and_buttons(start_bot):
    h = await start_bot()
    q = "Where did Putin propose a peace treaty without preconditions?"
    p = await h.send(slash("ask", [option("question", q)]))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    assert cb.body["type"] == 5  # deferred: acknowledged before the work
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert_within_limits(fu.body)
    first = embeds_of(fu)[0]
    assert first["title"].startswith("Japan And Russia Still Haven")
    assert first["url"].startswith("https://theowp.org/?s=")
    assert "Vladivostok" in first["description"]
    assert "**Putin**" in first["description"] and first["description"].startswith("> ")
    buttons = [c for row in fu.body["components"] for c in row["components"]]
    labels = [c.get("label") or c["emoji"]["name"] for c in buttons]
    assert labels[0] == "More passages" and labels[1].startswith("Summarise Japan")
    assert labels[2:] == ["👍", "👎"]


async def test_no_answer_says_so_and_suggests_titles(start_bot):
    h = await start_bot()
    # Refused, but about a word the articles hold: their titles are suggested.
    p = await h.send(slash("ask", [option("question", "What is the population of Japan?")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    (embed,) = embeds_of(fu)
    assert embed["title"] == "No answer found"
    assert "don't answer" in embed["description"]
    assert "Japan And Russia" in embed["description"] or "Yemeni" in embed["description"]


async def test_autocomplete_offers_fuzzy_titles(start_bot):
    h = await start_bot()
    data = {"id": "1", "name": "summary", "type": 1,
            "options": [option("article", "yemen dead", focused=True)]}
    p = await h.send(interaction(4, data))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    assert cb.body["type"] == 8
    choices = cb.body["data"]["choices"]
    assert 1 <= len(choices) <= limits.AUTOCOMPLETE_CHOICES
    assert choices[0]["name"] == "The Not-So-Yemeni Deadlock"


async def test_summary_command_and_teaser_note(start_bot):
    h = await start_bot()
    p = await h.send(slash("summary", [option("article", "The Not-So-Yemeni Deadlock")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    (embed,) = embeds_of(fu)
    assert "only the excerpt" in embed["description"]


async def test_ambiguous_summary_offers_a_choice(start_bot):
    h = await start_bot()
    h.bot.service.stores.articles.ingest([
        Article("Water wars on the Nile", ("Egypt and Ethiopia argue over the dam.",),
                url="https://example.org/nile"),
        Article("Water wars in Central Asia", ("The Aral Sea shrank.",),
                url="https://example.org/aral"),
    ], "test")
    await asyncio.to_thread(h.bot.service.reload)
    p = await h.send(slash("summary", [option("article", "Water wars")]))
    (fu,) = await h.fake.wait_for(h.callbacks(p))  # answered at once, privately
    data = fu.body["data"]
    assert fu.body["type"] == 4 and data["flags"] & 64 and "pick one" in data["content"]
    select = data["components"][0]["components"][0]
    labels = {o["label"]: o["value"] for o in select["options"]}
    assert set(labels) == {"Water wars on the Nile", "Water wars in Central Asia"}
    pick = interaction(3, {"custom_id": select["custom_id"], "component_type": 3,
                           "values": [labels["Water wars in Central Asia"]]},
                       msg=fu.response["resource"]["message"])
    await h.send(pick)
    (cb,) = await h.fake.wait_for(h.callbacks(pick))
    assert cb.body["type"] == 7  # the choice message becomes the summary
    assert embeds_of(cb)[0]["title"] == "Water wars in Central Asia"


async def test_more_passages_and_summarise_buttons(start_bot):
    h = await start_bot()
    p = await h.send(slash("ask", [option("question", "Kuril Islands Pacific fleet Russia")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    msg = fu.response
    buttons = [c for row in fu.body["components"] for c in row["components"]]
    more = next(b for b in buttons if b.get("label") == "More passages")
    click = interaction(3, {"custom_id": more["custom_id"], "component_type": 2}, msg=msg)
    await h.send(click)
    (cb,) = await h.fake.wait_for(h.callbacks(click))
    assert cb.body["type"] == 4 and cb.body["data"]["flags"] & 64
    assert embeds_of(cb)[0]["footer"]["text"].startswith("Passage 3")
    summ = next(b for b in buttons if b.get("label", "").startswith("Summarise"))
    click2 = interaction(3, {"custom_id": summ["custom_id"], "component_type": 2}, msg=msg)
    await h.send(click2)
    (fu2,) = await h.fake.wait_for(h.followups(click2))
    assert embeds_of(fu2)[0]["footer"]["text"].startswith("Summary")


async def test_answer_buttons_still_work_after_a_restart(start_bot):
    h = await start_bot()
    p = await h.send(slash("ask", [option("question", "Kuril Islands Pacific fleet Russia")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    buttons = {b.get("label", "vote").split()[0]: b for row in fu.body["components"]
               for b in row["components"]}
    assert buttons["More"]["custom_id"].startswith("fn:more:")
    await h.bot.close()
    await h.task
    again = await start_bot()  # a new process would look the same: state is in the ids
    click = interaction(3, {"custom_id": buttons["More"]["custom_id"], "component_type": 2},
                        msg=fu.response)
    await again.send(click)
    (cb,) = await again.fake.wait_for(again.callbacks(click))
    assert cb.body["type"] == 4 and embeds_of(cb)
    assert cb.body["data"]["components"][0]["components"][0]["custom_id"].startswith("fn:more:")
    click2 = interaction(3, {"custom_id": buttons["Summarise"]["custom_id"],
                             "component_type": 2}, msg=fu.response)
    await again.send(click2)
    (fu2,) = await again.fake.wait_for(again.followups(click2))
    assert embeds_of(fu2)[0]["title"].startswith("Japan And Russia")


async def test_articles_ingested_by_another_process_are_picked_up(start_bot, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr(FootnoteBot, "WATCH_SECONDS", 0.05)
    h = await start_bot()
    other = open_stores(tmp_path / "store.sqlite3").articles  # `footnote ingest` from a shell
    other.ingest([Article("Glacier Diplomacy", ("Glaciers in the Himalaya feed ten rivers.",),
                          url="https://example.org/glaciers")], "cli")
    await until(lambda: not h.bot.service.is_stale())
    p = await h.send(slash("ask", [option("question", "which glaciers feed ten rivers")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert embeds_of(fu)[0]["title"] == "Glacier Diplomacy"


async def test_prefix_ask_and_mention(start_bot):
    h = await start_bot()
    await h.fake.dispatch("MESSAGE_CREATE", message("!ask why haven't Japan and Russia signed "
                                                    "a peace treaty?"))
    (sent,) = await h.fake.wait_for(lambda c: c.path == f"/channels/{CHANNEL_ID}/messages")
    assert embeds_of(sent)[0]["title"].startswith("Japan And Russia")
    assert sent.body["allowed_mentions"]["parse"] == []
    assert "message_reference" in sent.body
    bot_user = user(BOT_ID, "Footnote", bot=True)
    await h.fake.dispatch("MESSAGE_CREATE", message(
        f"<@{BOT_ID}> who invaded the Kuril Islands after Hiroshima?", mentions=[bot_user]))
    calls = await h.fake.wait_for(lambda c: c.path == f"/channels/{CHANNEL_ID}/messages", count=2)
    assert "Hiroshima" in embeds_of(calls[1])[0]["description"]


async def test_find_sources_context_menu(start_bot):
    h = await start_bot()
    target = message("I read that Putin was offered a division of the islands, two each")
    data = {"id": "1", "name": "Find sources", "type": 3, "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}}}
    p = await h.send(interaction(2, data))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert fu.body["flags"] & 64
    assert "division" in embeds_of(fu)[0]["description"]


async def test_admin_commands_need_manage_server(start_bot):
    h = await start_bot()
    group = {"name": "status", "type": 1, "options": []}
    p = await h.send(slash("footnote", [group], permissions=0x400 | 0x800))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    assert cb.body["data"]["flags"] & 64
    assert "Manage Server" in cb.body["data"]["content"]
    ok = await h.send(slash("footnote", [group], permissions=0x20 | 0x400 | 0x800))
    (cb,) = await h.fake.wait_for(h.callbacks(ok))
    assert "Articles: 3" in cb.body["data"]["content"]


async def test_cooldown_is_polite_and_ephemeral(start_bot):
    config = Config(discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=1,
                                          cooldown_seconds=60))
    h = await start_bot(config)
    first = await h.send(slash("ask", [option("question", "peace treaty")]))
    second = await h.send(slash("ask", [option("question", "peace treaty")]))
    (cb,) = await h.fake.wait_for(h.callbacks(second))
    await h.fake.wait_for(h.followups(first))  # nothing left in flight at teardown
    assert cb.body["type"] == 4 and cb.body["data"]["flags"] & 64
    assert "try again in" in cb.body["data"]["content"]


async def test_channel_allowlist(start_bot):
    config = Config(discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=0,
                                          channels={GUILD_ID: (CHANNEL_ID,)}))
    h = await start_bot(config)
    p = await h.send(slash("ask", [option("question", "peace treaty")],
                           channel_id=OTHER_CHANNEL_ID))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    assert cb.body["data"]["flags"] & 64 and "can't answer here" in cb.body["data"]["content"]


async def test_six_thousand_character_question_stays_within_limits(start_bot):
    h = await start_bot()
    question = ("Why are the Kuril Islands important to Russia's Pacific fleet? " * 100)[:6000]
    p = await h.send(slash("ask", [option("question", question)]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert_within_limits(fu.body)
    assert embeds_of(fu)


async def test_hostile_article_text_is_escaped_and_never_pings(start_bot):
    h = await start_bot()
    p = await h.send(slash("ask", [option("question", "hostile lighthouse keeper log")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert_within_limits(fu.body)
    desc = embeds_of(fu)[0]["description"]
    assert "@everyone" not in desc and "@\u200beveryone" in desc
    assert "<@&940000000000000001>" not in desc
    assert "```" not in desc and "\\`\\`\\`" in desc
    assert re.search(r"(?<!\\)\[masked link\]\(", desc) is None  # no live masked link
    assert "||a spoiler||" not in desc


async def test_gateway_reconnect_resumes_and_keeps_answering(start_bot):
    h = await start_bot()
    await h.fake.drop_connection(4000)
    await until(lambda: h.fake.resumes or h.fake.identifies > 1)
    p = await h.send(slash("ask", [option("question", "Kuril Islands")]))
    await h.fake.wait_for(h.followups(p))


async def test_rest_429_is_retried(start_bot):
    h = await start_bot()
    h.fake.rate_limit("/webhooks/", times=1, retry_after=0.2)
    p = await h.send(slash("ask", [option("question", "Kuril Islands")]))
    calls = await h.fake.wait_for(h.followups(p), count=2)
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.15


async def test_fake_discord_refuses_an_oversized_payload_like_discord(start_bot):
    h = await start_bot()
    url = f"{h.fake.api_base}/webhooks/{APP_ID}/tok/messages/@original"
    too_long = {"embeds": [{"title": "t", "description": "x" * (limits.EMBED_DESCRIPTION + 1)}]}
    async with aiohttp.ClientSession() as session:
        async with session.patch(url, json=too_long) as resp:
            assert resp.status == 400
            body = await resp.json()
        async with session.patch(url, json={"content": "fits"}) as resp:
            assert resp.status == 200
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert "description" in body["errors"]["embeds"]["0"]
    assert len(h.fake.rejected) == 1
    h.fake.rejected.clear()  # expected here; any other rejection fails the test at teardown


LONG_WORD = "Glacierword" + "\u00e9" * 1480
JAPANESE = ("氷河は十の川に水を送る。" * 42)[:500]


@pytest.mark.parametrize("paragraph", [
    f"Glaciers in the Himalaya {JAPANESE} feed ten rivers.",
    f"Glaciers in the Himalaya {LONG_WORD} feed ten rivers.",
    "Glaciers feed ten " + "👩\u200d👩\u200d👧\u200d👦**_`|>" * 400 + " rivers.",
])
async def test_long_words_cjk_and_emoji_answer_within_limits(start_bot, paragraph):
    h = await start_bot()
    h.bot.service.stores.articles.ingest([Article("Glacier Diplomacy", (paragraph,),
                                        url="https://example.org/glaciers")], "test")
    await asyncio.to_thread(h.bot.service.reload)
    p = await h.send(slash("ask", [option("question", "which glaciers feed ten rivers")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert fu.status == 200
    assert_within_limits(fu.body)
    first = embeds_of(fu)[0]
    assert first["title"] == "Glacier Diplomacy"
    assert first["description"].endswith(")")  # the passage link survived the cut
    assert "](https://example.org/glaciers" in first["description"]


PHISH = "https://x.example/a)[Claim free nitro](https://evil.example/phish"


async def test_article_links_are_http_only_and_cannot_become_a_second_link(start_bot):
    h = await start_bot()
    h.bot.service.stores.articles.ingest([
        Article("Nitro giveaway glacier", ("Glaciers in the Himalaya feed ten rivers.",),
                url=PHISH),
        Article("Scripted glacier", ("Glaciers in the Andes feed ten valleys.",),
                url="javascript:alert(document.cookie)"),
    ], "test")
    await asyncio.to_thread(h.bot.service.reload)
    p = await h.send(slash("articles"))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    listing = embeds_of(cb)[0]["description"]
    assert "](https://evil.example" not in listing and "[Claim free nitro]" not in listing
    assert "https://x.example/a%29%5BClaim%20free%20nitro%5D%28https://evil.example/phish" \
        in listing
    assert "javascript:" not in listing and "Scripted glacier" in listing
    for line in listing.splitlines():  # at most one clickable link per article, http(s) only
        assert len(re.findall(r"\]\(", line)) <= 1
        assert re.search(r"\]\((?!https?://)", line) is None
    for question in ("glaciers Himalaya ten rivers", "glaciers Andes ten valleys"):
        p = await h.send(slash("ask", [option("question", question)]))
        (fu,) = await h.fake.wait_for(h.followups(p))
        assert fu.status == 200
        for embed in embeds_of(fu):
            assert embed.get("url", "https://").startswith(("https://", "http://"))
            assert "](https://evil.example" not in embed["description"]
            assert "javascript:" not in embed.get("url", "")


async def test_autocomplete_and_buttons_fit_with_long_cjk_and_emoji_titles(start_bot):
    h = await start_bot()
    title = "氷河外交 " + "\U0001f469\u200d\U0001f469\u200d\U0001f467" * 60 + "e\u0301" * 100
    h.bot.service.stores.articles.ingest(
        [Article(title, ("Glaciers in the Himalaya feed ten rivers.",),
                 url="https://example.org/" + "g" * 150)], "test")
    await asyncio.to_thread(h.bot.service.reload)
    data = {"id": "1", "name": "summary", "type": 1,
            "options": [option("article", "氷河外交", focused=True)]}
    p = await h.send(interaction(4, data))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    assert cb.status == 200 and payload_errors(cb.body["data"]) == {}
    kept = cb.body["data"]["choices"][0]["name"].removesuffix("\u2026")
    assert kept.startswith("氷河外交")
    whole = regex.findall(r"\X", title)  # the cut keeps whole emoji sequences
    assert regex.findall(r"\X", kept) == whole[: len(regex.findall(r"\X", kept))]
    p = await h.send(slash("ask", [option("question", "which glaciers feed ten rivers")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert fu.status == 200
    assert_within_limits(fu.body)


def test_config_dataclass_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DiscordConfig().prefix = "?"  # type: ignore[misc]


async def test_closest_passages_are_shown_muted_with_a_note(start_bot, monkeypatch):
    from bot import policy

    fitted = policy.params()
    # Every passage falls between the thresholds: the outcome is "closest", whatever the fit.
    monkeypatch.setattr(policy, "params", lambda: {**fitted, "answered_at": 1.01,
                                                   "closest_at": 0.0})
    h = await start_bot()
    q = "Where did Putin propose a peace treaty without preconditions?"
    p = await h.send(slash("ask", [option("question", q)]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert_within_limits(fu.body)
    first = embeds_of(fu)[0]
    assert "may not answer" in first["author"]["name"]
    assert first["color"] == 0x99AAB5 and "Vladivostok" in first["description"]
