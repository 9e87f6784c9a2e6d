"""Footnote in a community, end to end: the real discord.py client against the fake Discord
(auto-answers in channels and forums, follow-ups, votes, the report, announcements)."""

# ruff: noqa: F811 - `start_bot` is the shared harness fixture, imported by name

from __future__ import annotations

import asyncio
import dataclasses
import time

from bot.config import CommunityConfig, Config, DiscordConfig
from bot.discord_app.views import TOO_OLD
from bot.models import Article
from tests.fake_discord.server import (
    BOT_ID,
    CHANNEL_ID,
    DISCORD_EPOCH_MS,
    FORUM_ID,
    GUILD_ID,
    OTHER_CHANNEL_ID,
    SECOND_CHANNEL_ID,
    SECOND_GUILD_ID,
    USER_ID,
    interaction,
    message,
    option,
    slash,
    user,
)
from tests.test_discord import embeds_of, start_bot  # noqa: F401 - the harness fixture
from tests.waiting import until

ADMIN = 0x20 | 0x400 | 0x800
QUESTION = "Why haven't Japan and Russia signed a peace treaty?"
NO_ANSWER = "How do I bake sourdough bread at home?"
MESSAGE_CONTENT = 1 << 15


def config(**community) -> Config:
    return Config(discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=0),
                  community=CommunityConfig(**community))


def admin(name: str, options: list[dict], channel: tuple[int, int] | None = None) -> dict:
    """/footnote NAME ...; `channel` = (id, type) adds a resolved channel option."""
    if channel:
        options = [*options, {"name": "channel", "type": 7, "value": str(channel[0])}]
    p = slash("footnote", [{"name": name, "type": 1, "options": options}], permissions=ADMIN)
    if channel:
        p["data"]["resolved"] = {"channels": {str(channel[0]): {
            "id": str(channel[0]), "name": "x", "type": channel[1], "permissions": "0",
            "parent_id": None}}}
    return p


async def set_mode(h, mode: str, channel: tuple[int, int] | None = None) -> str:
    p = await h.send(admin("channel", [option("mode", mode)], channel))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    return cb.body["data"]["content"]


def watch(h) -> list:
    """Every auto_answer the bot runs, with its result, as they finish."""
    done: list = []
    real = h.bot.community.auto_answer

    def recording(text, *a, **k):
        found = real(text, *a, **k)
        done.append((text, found))
        return found

    h.bot.community.auto_answer = recording
    return done


def posts_in(h, channel_id: int) -> list:
    path = f"/channels/{channel_id}/messages"
    return h.fake.find(lambda c: c.method == "POST" and c.path == path)


def threads_started(h) -> list:
    return h.fake.find(lambda c: c.method == "POST" and c.path.endswith("/threads"))


async def test_auto_channel_answers_questions_in_a_thread_and_nothing_else(start_bot):
    h = await start_bot()
    assert h.fake.intents & MESSAGE_CONTENT  # prefix commands are on
    assert "now in auto mode" in await set_mode(h, "auto")
    done = watch(h)
    bot_msg = message(QUESTION, author=user(BOT_ID, "Footnote", bot=True))
    other_bot = message(QUESTION, author=user(12345, "feedbot", bot=True))
    chatter = message("thanks, that makes sense to me")
    unanswerable = message(NO_ANSWER)
    hour_ago = (int((time.time() - 3600) * 1000) - DISCORD_EPOCH_MS) << 22
    backlog = message(QUESTION, mid=hour_ago)  # from before the bot started: never answered
    asked = message(QUESTION)
    for m in (bot_msg, other_bot, chatter, backlog, unanswerable, asked):
        await h.fake.dispatch("MESSAGE_CREATE", m)
    await until(lambda: len(done) == 2)
    assert sorted(t for t, _ in done) == sorted([NO_ANSWER, QUESTION])  # bots, chatter: never
    (start,) = await h.fake.wait_for(lambda c: c.path.endswith("/threads"))
    assert start.path == f"/channels/{CHANNEL_ID}/messages/{asked['id']}/threads"
    (answer,) = await h.fake.wait_for(lambda c: c.path == f"/channels/{asked['id']}/messages")
    assert "peace treaty" in embeds_of(answer)[0]["description"].lower()
    emojis = [c.get("emoji", {}).get("name") for row in answer.body["components"]
              for c in row["components"]]
    assert emojis[-2:] == ["👍", "👎"]
    assert not posts_in(h, CHANNEL_ID)  # no public refusal, no reply in the channel

    # An edit or the same event again (a replay) never answers twice.
    await h.fake.dispatch("MESSAGE_UPDATE", asked | {"content": QUESTION + " Really?"})
    await h.fake.dispatch("MESSAGE_CREATE", asked)
    marker = message(NO_ANSWER + " Anyone?")  # events are handled in order: a sync point
    await h.fake.dispatch("MESSAGE_CREATE", marker)
    await until(lambda: len(done) == 3)
    await asyncio.sleep(0.1)
    assert len(done) == 3 and done[2][0] == marker["content"]
    assert len(threads_started(h)) == 1


async def test_restart_never_re_answers(start_bot):
    h = await start_bot()
    await set_mode(h, "auto")
    asked = message(QUESTION)
    await h.fake.dispatch("MESSAGE_CREATE", asked)
    await h.fake.wait_for(lambda c: c.path == f"/channels/{asked['id']}/messages")
    await h.bot.close()
    await h.task
    again = await start_bot()
    done = watch(again)
    await again.fake.dispatch("MESSAGE_CREATE", asked)  # Discord replays it after the restart
    await until(lambda: len(done) == 1)
    assert done[0][1] is None
    assert len(threads_started(again)) == 1  # only the one from before the restart


async def test_commands_mode_and_off_mode(start_bot):
    h = await start_bot()
    done = watch(h)
    await h.fake.dispatch("MESSAGE_CREATE", message(QUESTION))  # default: commands only
    await set_mode(h, "off")
    p = await h.send(slash("ask", [option("question", "peace treaty")]))
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    assert "can't answer here" in cb.body["data"]["content"]
    p = await h.send(slash("footnote", [{"name": "status", "type": 1, "options": []}],
                           permissions=ADMIN))  # admin commands work in an off channel
    (cb,) = await h.fake.wait_for(h.callbacks(p))
    assert f"<#{CHANNEL_ID}> off" in cb.body["data"]["content"]
    assert not done and not threads_started(h)


async def test_auto_mode_without_the_intent_says_a_restart_is_needed(start_bot):
    cfg = dataclasses.replace(config(), discord=DiscordConfig(
        guild_ids=(GUILD_ID,), cooldown_uses=0, prefix_commands=False))
    h = await start_bot(cfg)
    assert not h.fake.intents & MESSAGE_CONTENT
    text = await set_mode(h, "auto")
    assert "Message Content intent" in text and "restart" in text
    await h.bot.close()
    await h.task
    again = await start_bot(cfg)  # a channel in auto mode at start: the intent is requested
    assert again.fake.intents & MESSAGE_CONTENT


async def test_forum_posts_answered_once_as_the_first_reply(start_bot):
    h = await start_bot()
    await set_mode(h, "auto", channel=(FORUM_ID, 15))
    done = watch(h)
    post = await h.fake.forum_post("Peace treaty question", QUESTION)
    silent = await h.fake.forum_post("Bread", NO_ANSWER)
    await until(lambda: len(done) == 2)
    await h.fake.dispatch("MESSAGE_CREATE", post)  # a duplicate event
    await h.fake.forum_post("Bread again", NO_ANSWER)
    await until(lambda: len(done) == 3)
    await asyncio.sleep(0.1)  # a second answer to `post` would have been sent by now
    replies = await h.fake.wait_for(lambda c: c.path == f"/channels/{post['id']}/messages")
    assert len(replies) == 1 and embeds_of(replies[0])
    assert not posts_in(h, int(silent["id"])) and not threads_started(h)


async def test_follow_up_in_a_footnote_thread_uses_its_first_question(start_bot):
    h = await start_bot()
    await set_mode(h, "auto")
    asked = message(QUESTION)
    await h.fake.dispatch("MESSAGE_CREATE", asked)
    await h.fake.wait_for(lambda c: c.path == f"/channels/{asked['id']}/messages")
    follow = message("and when did that happen?", channel_id=int(asked["id"]))
    assert not h.bot.service.ask(follow["content"]).answered  # alone it answers nothing
    await until(lambda: int(asked["id"]) in {t.id for t in h.bot.get_guild(GUILD_ID).threads})
    await h.fake.dispatch("MESSAGE_CREATE", follow)
    replies = await h.fake.wait_for(lambda c: c.path == f"/channels/{asked['id']}/messages",
                                    count=2)
    reply = replies[1].body
    assert str(reply["message_reference"]["message_id"]) == follow["id"]
    assert "peace treaty" in embeds_of(replies[1])[0]["description"].lower()
    mention = message(f"<@{BOT_ID}> and when did that happen?", channel_id=int(asked["id"]),
                      mentions=[user(BOT_ID, "Footnote", bot=True)])
    await h.fake.dispatch("MESSAGE_CREATE", mention)  # the mention handler, same context
    replies = await h.fake.wait_for(lambda c: c.path == f"/channels/{asked['id']}/messages",
                                    count=3)
    assert embeds_of(replies[2])[0]["title"].startswith("Japan And")
    await asyncio.sleep(0.2)
    assert len(posts_in(h, int(asked["id"]))) == 3  # answered by one handler, not both


async def test_votes_replace_each_other_and_survive_a_restart(start_bot):
    h = await start_bot()
    p = await h.send(slash("ask", [option("question", QUESTION)]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    votes = {c["emoji"]["name"]: c["custom_id"] for row in fu.body["components"]
             for c in row["components"] if "emoji" in c}
    record = int(votes["👍"].split(":")[2])

    async def click(harness, emoji: str, who: int = USER_ID) -> dict:
        c = interaction(3, {"custom_id": votes[emoji], "component_type": 2},
                        msg=fu.response, user_id=who)
        await harness.send(c)
        (cb,) = await harness.fake.wait_for(harness.callbacks(c))
        assert cb.body["data"]["flags"] & 64  # private
        return cb.body["data"]

    await click(h, "👍")
    rec = h.bot.community.feedback.ask(record)
    assert (rec.up, rec.down, rec.question) == (1, 0, QUESTION)
    await h.bot.close()
    await h.task
    again = await start_bot()
    down = await click(again, "👎")  # after a restart, and changing the vote
    more = down["components"][0]["components"][0]
    assert more["label"] == "More passages" and more["custom_id"].startswith("fn:more:")
    await click(again, "👍", who=USER_ID + 1)
    rec = again.bot.community.feedback.ask(record)
    assert (rec.up, rec.down) == (1, 1)  # one vote per person: the first one's was replaced
    stored = again.bot.community.db.rows("SELECT voter FROM votes")
    assert str(USER_ID) not in str(stored)  # only hashed ids
    again.bot.community.feedback.retention_days = 1
    again.bot.community.feedback.prune(now=rec.asked_at + 2 * 86400)
    assert (await click(again, "👎"))["content"] == TOO_OLD


async def test_auto_answer_and_vote_with_the_store_in_postgresql(start_bot, pg_url):
    h = await start_bot(store_at=pg_url)
    assert "now in auto mode" in await set_mode(h, "auto")
    asked = message(QUESTION)
    await h.fake.dispatch("MESSAGE_CREATE", asked)
    (answer,) = await h.fake.wait_for(lambda c: c.path == f"/channels/{asked['id']}/messages")
    votes = {c["emoji"]["name"]: c["custom_id"] for row in answer.body["components"]
             for c in row["components"] if "emoji" in c}
    click = interaction(3, {"custom_id": votes["👎"], "component_type": 2},
                        msg=answer.response)
    await h.send(click)
    (cb,) = await h.fake.wait_for(h.callbacks(click))
    assert cb.body["data"]["flags"] & 64
    rec = h.bot.community.feedback.ask(int(votes["👎"].split(":")[2]))
    assert (rec.question, rec.guild_id, rec.up, rec.down) == (QUESTION, GUILD_ID, 0, 1)
    assert [r.question for r in h.bot.community.feedback.unanswered()] == [QUESTION]
    assert type(h.bot.community.db).__name__ == "PgDatabase"


async def test_report_groups_paraphrases_for_the_admin(start_bot):
    h = await start_bot()
    for q in ("how do I bake sourdough bread", "how to bake sourdough bread at home?",
              "best sourdough bread to bake", "who won the 1998 world cup football"):
        p = await h.send(slash("ask", [option("question", q)]))
        await h.fake.wait_for(h.followups(p))
    p = await h.send(slash("footnote", [{"name": "report", "type": 1, "options": []}],
                           permissions=ADMIN))
    (fu,) = await h.fake.wait_for(h.followups(p))
    lines = fu.body["content"].splitlines()
    assert fu.body["flags"] & 64
    assert lines[0].startswith("3× ") and "sourdough" in lines[0]
    assert lines[1].startswith("1× ") and "world cup" in lines[1]


async def test_new_articles_are_announced_once_per_server(start_bot, tmp_path):
    h = await start_bot(config(announce_seconds=0.05))
    store = h.bot.service.stores.articles
    p = await h.send(admin("announce", [], channel=(OTHER_CHANNEL_ID, 0)))
    await h.fake.wait_for(h.callbacks(p))
    h.bot.community.announcements.set_channel(SECOND_GUILD_ID, SECOND_CHANNEL_ID)
    store.ingest([Article("Old Harbour News", ("The harbour opened in 1901. It is old.",))],
                 "site")  # a source's first ingest: the back catalogue, never announced
    para = ("The new lighthouse on the northern cape was lit for the first time on Monday. "
            "It guides ships past the reef. Fishermen welcomed it.")
    store.ingest([Article("A New Lighthouse", (para,), url="https://example.org/new",
                          author="Ann Writer", date="2026-11-20")], "site")
    (post,) = await h.fake.wait_for(lambda c: c.path == f"/channels/{OTHER_CHANNEL_ID}/messages")
    (embed,) = embeds_of(post)
    assert embed["title"] == "New: A New Lighthouse" and embed["url"] == "https://example.org/new"
    assert embed["footer"]["text"] == "Ann Writer · 2026-11-20"
    assert "lighthouse" in embed["description"].lower() and len(embed["description"]) < 400
    store.ingest([Article("A New Lighthouse", (para + " Edited.",), url="https://example.org/new",
                          author="Ann Writer", date="2026-11-20")], "site")  # an edit
    await h.bot.close()
    await h.task
    h.fake.guild_ids.append(SECOND_GUILD_ID)  # the other server is back: it gets its posts
    again = await start_bot(config(announce_seconds=0.05))
    # A cron ingest (another process: no Discord connection) is announced by the bot too.
    from bot.community.wiring import open_community
    from bot.service import Service
    from bot.store import open_stores

    cron = Service(open_stores(store.path), again.bot.config)
    open_community(cron)
    cron.stores.articles.ingest([Article("Cron Article", ("Written at night by cron. Short.",))],
                                "site")
    for channel_id in (OTHER_CHANNEL_ID, SECOND_CHANNEL_ID):
        await again.fake.wait_for(lambda c, channel_id=channel_id: c.path ==
                                  f"/channels/{channel_id}/messages" and "Cron" in str(c.body))
    await asyncio.sleep(0.2)  # a few more drain passes: nothing else to post
    for channel_id in (OTHER_CHANNEL_ID, SECOND_CHANNEL_ID):
        titles = [embeds_of(c)[0]["title"] for c in again.fake.calls
                  if c.path == f"/channels/{channel_id}/messages"]
        assert titles == ["New: A New Lighthouse", "New: Cron Article"]


async def test_no_community_sqlite_work_runs_on_the_event_loop(start_bot, monkeypatch):
    import functools
    import threading

    from bot.store.connection import Database

    h = await start_bot(config(announce_seconds=0.05))
    threads: set[int] = set()
    for name in ("rows", "transaction"):
        original = getattr(Database, name)

        def spy(*a, _original=original, **k):
            threads.add(threading.get_ident())
            return _original(*a, **k)

        monkeypatch.setattr(Database, name, functools.wraps(original)(spy))
    await set_mode(h, "auto")
    p = await h.send(admin("announce", [], channel=(OTHER_CHANNEL_ID, 0)))
    await h.fake.wait_for(h.callbacks(p))
    asked = message(QUESTION)
    await h.fake.dispatch("MESSAGE_CREATE", asked)
    (answer,) = await h.fake.wait_for(lambda c: c.path == f"/channels/{asked['id']}/messages")
    up = next(c["custom_id"] for row in answer.body["components"] for c in row["components"]
              if c.get("emoji", {}).get("name") == "👍")
    click = interaction(3, {"custom_id": up, "component_type": 2}, msg=answer.response)
    await h.send(click)
    await h.fake.wait_for(h.callbacks(click))
    for name in ("report", "status"):
        p = await h.send(slash("footnote", [{"name": name, "type": 1, "options": []}],
                               permissions=ADMIN))
        await h.fake.wait_for(lambda c, p=p: h.callbacks(p)(c) or h.followups(p)(c))
    await asyncio.sleep(0.1)  # a few drain passes
    assert threads and threading.get_ident() not in threads


async def test_channel_rate_limit_leaves_the_rest_alone(start_bot):
    h = await start_bot(config(auto_answers_per_minute=1))
    await set_mode(h, "auto")
    done = watch(h)
    first, second = message(QUESTION), message("Why are the Kuril Islands important to Russia?")
    await h.fake.dispatch("MESSAGE_CREATE", first)
    await until(lambda: len(done) == 1)
    await h.fake.dispatch("MESSAGE_CREATE", second)  # over the channel's rate: silence
    await h.fake.dispatch("MESSAGE_CREATE", message(QUESTION, channel_id=int(first["id"])))
    await asyncio.sleep(0.3)  # a thread follow-up counts against its channel too
    assert len(done) == 1 and len(threads_started(h)) == 1
