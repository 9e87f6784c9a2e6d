"""Community core: question detection, grouping, feedback with privacy, modes, announcements."""

from __future__ import annotations

import csv
import io
import time

import pytest

from bot.community.announce import Announcements
from bot.community.feedback import Feedback
from bot.community.grouping import group_questions
from bot.community.modes import ChannelModes
from bot.community.questions import is_question
from bot.community.report import build_report, report_csv
from bot.community.threads import AutoState
from bot.store.connection import Database
from bot.store.guilds import GuildSources

GUILD = 1_234_567_890_123_456_789  # Discord ids need 64 bits (BIGINT on PostgreSQL)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """The community tables' database on each backend (PostgreSQL: a fresh schema on the
    session's throwaway cluster)."""
    if request.param == "sqlite":
        d = Database(tmp_path / "c.sqlite3")
    else:
        from bot.store.pg.connection import PgDatabase
        d = PgDatabase(request.getfixturevalue("pg_url"))
    yield d
    d.close()


@pytest.mark.parametrize("text", [
    "why haven't Japan and Russia signed a peace treaty?",
    "hey, quick q: which islands are they fighting over",
    "anyone know what happened in Vladivostok",
    "The Kurils — four islands or five?",
])
def test_questions_are_recognised(text):
    assert is_question(text)


@pytest.mark.parametrize("text", [
    "thanks!", "lol", "why?", "The treaty was signed in 1956.", "good morning everyone",
    "see https://example.org/page?x=1 for details", "```what is this?```",
    "what " + "word " * 600,
])
def test_chatter_is_not_a_question(text):
    assert not is_question(text)


def test_paraphrases_are_grouped_and_ordered_by_count():
    qs = ["Why haven't Japan and Russia signed a peace treaty?",
          "who won the world cup in 2022", "why no peace treaty between japan and russia",
          "Who won the 2022 World Cup?", "what stops a japan russia peace treaty",
          "what's the weather in Tokyo"]
    groups = group_questions(qs)
    assert [g.count for g in groups] == [3, 2, 1]
    assert {qs[i] for i in groups[0].indices} == {qs[0], qs[2], qs[4]}
    assert groups[2].label == "what's the weather in Tokyo"


def test_feedback_hashes_users_votes_once_and_forgets(db):
    fb = Feedback(db)
    a = fb.record_ask("why no treaty?", "answered", 0.9, [[1, 0]], "Japan", GUILD, 20,
                      user_id=42)
    b = fb.record_ask("what about Yemen?", "none", 0.1, [], "Yemen", GUILD, 20, user_id=42)
    assert fb.vote(a, 7, -1) and fb.vote(a, 7, +1)  # a second vote replaces the first
    assert fb.vote(a, 8, -1)
    assert not fb.vote(a, 9, 1, guild_id=GUILD + 1)  # another server's answer
    rec = fb.ask(a)
    assert (rec.up, rec.down, rec.guild_id) == (1, 1, GUILD)
    stored = repr(db.rows("SELECT * FROM asks") + db.rows("SELECT * FROM votes"))
    assert fb.user_key(42) in stored and "'42'" not in stored
    assert [r.id for r in fb.unanswered(guild_id=GUILD)] == [b]
    assert fb.forget_user(42) == (2, 0)
    assert fb.ask(a) is None and not fb.vote(a, 9, 1)  # gone: too old to rate


def test_retention_prunes_old_records(db):
    fb = Feedback(db, retention_days=90)
    old = fb.record_ask("old?", "none", now=0.0)
    new = fb.record_ask("new?", "none")
    assert fb.prune() == 1
    assert fb.ask(old) is None and fb.ask(new) is not None


def test_the_secret_survives_reopening(tmp_path):
    one = Feedback(Database(tmp_path / "x.sqlite3"))
    two = Feedback(Database(tmp_path / "x.sqlite3"))
    assert one.user_key(5) == two.user_key(5) != Feedback(Database(":memory:")).user_key(5)


def test_report_groups_unanswered_and_voted_down(db):
    fb = Feedback(db)
    for q in ("why no peace treaty between japan and russia?",
              "Why haven't Japan and Russia signed a peace treaty?"):
        fb.record_ask(q, "closest", nearest="Japan And Russia")
    down = fb.record_ask("what did putin propose in vladivostok", "answered", nearest="Japan")
    fb.vote(down, 1, -1)
    fb.record_ask("who runs yemen", "none")
    fb.record_ask("a fine question", "answered")
    rows = build_report(fb.unanswered())
    assert [(r.count, r.closest, r.none, r.voted_down) for r in rows] == [
        (2, 2, 0, 0), (1, 0, 0, 1), (1, 0, 1, 0)]
    assert rows[0].nearest == "Japan And Russia"
    table = list(csv.reader(io.StringIO(report_csv(rows))))
    assert table[0][0] == "count" and len(table) == 4


def test_channel_modes_discord_wins_over_config(db):
    modes = ChannelModes(db, defaults={1: {100: "auto"}}, allowlists={2: (200,)})
    modes.set(GUILD, 100, "auto")
    assert ChannelModes(db).mode(GUILD, 100) == "auto"  # stored: read back on opening
    assert modes.mode(1, 100) == "auto" and modes.mode(1, 101) == "commands"
    modes.set(1, 100, "off")
    assert modes.mode(1, 100) == "off"
    assert modes.mode(1, 555, parent_id=100) == "off"  # a thread inherits its channel's mode
    assert modes.mode(2, 200) == "commands" and modes.mode(2, 201) == "off"
    assert modes.mode(None, 5) == "commands"
    with pytest.raises(ValueError):
        modes.set(1, 1, "loud")


def test_announcements_post_once_per_server_and_never_the_backlog(db):
    ann = Announcements(db)
    assert ann.enqueue("k0", "Before anyone listened")
    ann.set_channel(1, 11)
    ann.set_channel(GUILD, 22)
    assert ann.enqueue("k1", "New article", "https://x.example/new")
    assert not ann.enqueue("k1", "New article (edited)")  # re-ingest or edit: not again
    first = ann.claim(1)
    assert [a.title for a in first] == ["New article"]
    assert ann.claim(1) == []  # claimed: a restart never re-posts
    assert [a.title for a in ann.claim(GUILD)] == ["New article"]
    assert ann.channels() == {1: 11, GUILD: 22}
    ann.set_channel(1, None)
    assert ann.channel(1) is None


def test_migrations_are_versioned_and_idempotent(tmp_path):
    d = Database(tmp_path / "m.sqlite3")
    assert d.migrate("thing", ["CREATE TABLE a (x)"]) == 1
    assert d.migrate("thing", ["CREATE TABLE a (x)", "ALTER TABLE a ADD COLUMN y"]) == 2
    assert d.migrate("thing", ["CREATE TABLE a (x)", "ALTER TABLE a ADD COLUMN y"]) == 2
    d.write("INSERT INTO a(x, y) VALUES (1, 2)")
    assert d.one("SELECT x, y FROM a") == (1, 2)


def test_guild_sources_added_once_and_the_shared_choice_replaced(db):
    gs = GuildSources(db)
    assert gs.add(GUILD, "https://a.example/feed") and not gs.add(GUILD, "https://a.example/feed")
    assert gs.sources(GUILD) == [("https://a.example/feed", "auto")] and gs.guilds() == [GUILD]
    assert gs.shared(GUILD) is None
    gs.set_shared(GUILD, False)
    gs.set_shared(GUILD, True)
    assert gs.shared(GUILD) is True
    assert gs.remove(GUILD, "https://a.example/feed") and not gs.remove(GUILD, "x")


def test_auto_claims_once_and_threads_remembered(db):
    state = AutoState(db)
    assert state.claim(GUILD) and not state.claim(GUILD)
    state.remember_thread(GUILD, "first?")
    state.remember_thread(GUILD, "second?")
    assert state.thread_question(GUILD) == "first?"
    state.prune(before=time.time() + 1)
    assert state.thread_question(GUILD) is None and state.claim(GUILD)
