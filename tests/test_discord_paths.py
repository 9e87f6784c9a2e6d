"""Discord paths that had no test: the apology, the empty-corpus hint, /search, the pager,
reindex and the refresh loop. Real discord.py client against the local fake Discord."""

# ruff: noqa: F811 - `start_bot` is the shared harness fixture, imported by name

from __future__ import annotations

import asyncio
import contextlib

from bot.config import Config, DiscordConfig, SourceConfig
from bot.discord_app.errors import APOLOGY
from bot.errors import EmptyCorpusError
from bot.models import Article
from tests.fake_discord.server import GUILD_ID, interaction, option, slash
from tests.test_discord import embeds_of, start_bot  # noqa: F401 - the harness fixture
from tests.waiting import until

ADMIN = 0x20 | 0x400 | 0x800


async def test_unexpected_error_gets_an_apology_and_a_logged_traceback(start_bot, caplog,
                                                                       monkeypatch):
    h = await start_bot()

    def broken(*_a, **_k):
        raise RuntimeError("secret internals /etc/passwd")

    # every Service: the server's answers it (bot.corpora)
    monkeypatch.setattr(type(h.bot.service), "ask", broken)
    p = await h.send(slash("ask", [option("question", "peace treaty")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert fu.body["content"] == APOLOGY and fu.body["flags"] & 64
    assert "secret internals" not in str(fu.body)
    assert "RuntimeError: secret internals" in caplog.text  # the traceback is in the log


async def test_empty_corpus_gives_the_ingest_hint(start_bot):
    h = await start_bot()
    store = h.bot.service.stores.articles
    for source in ("seeds", "test"):
        store.ingest([], source, complete=True)  # every article removed
    with contextlib.suppress(EmptyCorpusError):
        await asyncio.to_thread(h.bot.service.reload)
    p = await h.send(slash("ask", [option("question", "peace treaty")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    text = fu.body.get("content") or ""
    assert "There are no articles yet" in text and "footnote ingest" in text


async def test_search_lists_matching_articles(start_bot):
    h = await start_bot()
    p = await h.send(slash("search", [option("query", "Yemen civil war")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    (embed,) = embeds_of(fu)
    assert embed["title"] == "Articles about Yemen civil war"
    assert embed["description"].splitlines()[0].startswith("[The Not-So-Yemeni Deadlock]")
    miss = await h.send(slash("search", [option("query", "zzzqqq")]))
    (fu2,) = await h.fake.wait_for(h.followups(miss))
    assert "No article matches" in fu2.body["content"]


async def test_articles_pager_turns_pages(start_bot):
    h = await start_bot()
    h.bot.service.stores.articles.ingest(
        [Article(f"Dispatch {i:02d}", (f"Report number {i} on river levels.",),
                 url=f"https://example.org/d{i}", date=f"2024-01-{i + 1:02d}")
         for i in range(25)], "test")
    await asyncio.to_thread(h.bot.service.reload)
    p = await h.send(slash("articles"))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    first = cb.body["data"]["embeds"][0]
    assert first["footer"]["text"] == "Page 1 of 3"
    buttons = {b["label"]: b for row in cb.body["data"]["components"] for b in row["components"]}
    assert buttons["Previous"].get("disabled") and not buttons["Next"].get("disabled")
    click = interaction(3, {"custom_id": buttons["Next"]["custom_id"], "component_type": 2},
                        msg=cb.response["resource"]["message"])
    await h.send(click)
    (turned,) = await h.fake.wait_for(h.callbacks(click))
    assert turned.body["type"] == 7
    page2 = turned.body["data"]["embeds"][0]
    assert page2["footer"]["text"] == "Page 2 of 3"
    assert page2["description"] != first["description"]


async def test_reindex_reports_counts(start_bot, tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "a.md").write_text("# Monsoon\n\nThe monsoon arrived late in Kerala.\n")
    config = Config(discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=0),
                    sources=(SourceConfig(kind="file", path=str(folder), refresh_minutes=600),))
    h = await start_bot(config)
    (folder / "b.md").write_text("# Drought\n\nThe drought in Kenya deepened.\n")
    p = await h.send(slash("footnote", [{"name": "reindex", "type": 1, "options": []}],
                           permissions=ADMIN))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert "2 new" in fu.body["content"] and "Index rebuilt" in fu.body["content"]
    ask = await h.send(slash("ask", [option("question", "where did the drought deepen")]))
    (fu2,) = await h.fake.wait_for(h.followups(ask))
    assert embeds_of(fu2)[0]["title"] == "Drought"


async def test_refresh_loop_picks_up_new_files(start_bot, tmp_path, monkeypatch):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "a.md").write_text("# Monsoon\n\nThe monsoon arrived late in Kerala.\n")
    config = Config(discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=0),
                    sources=(SourceConfig(kind="file", path=str(folder),
                                          refresh_minutes=0.0001),))
    h = await start_bot(config)
    (folder / "b.md").write_text("# Cyclone\n\nA cyclone struck Odisha in May.\n")
    await until(lambda: any(a.title == "Cyclone" for a in h.bot.service.corpus().articles))
