"""Per-server corpora in the core: the store's corpus column, which corpus a server reads,
the least-recently-used bound, [[guilds]] in the config, the refresh of every corpus, and
the `--shards` flags."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.cli_discord import parse_shards
from bot.config import Config, DiscordConfig, GuildConfig, SourceConfig, parse_config
from bot.corpora import NO_SOURCES
from bot.errors import ConfigError, EmptyCorpusError, UsageError
from bot.models import Article
from bot.refresh import refresh_all
from bot.service import Service
from bot.sources.http import new_session
from bot.store import open_stores

A, B, C = 101, 202, 303


def art(title: str, text: str, url: str = "https://example.org/same") -> Article:
    return Article(title, (text,), url=url)


@pytest.fixture
def service(tmp_path):
    stores = open_stores(tmp_path / "s.sqlite3")
    yield Service(stores, Config(discord=DiscordConfig(loaded_corpora=2)),
                  index_dir=tmp_path / "index")
    stores.close()


def test_the_same_url_in_two_corpora_is_two_articles(service):
    store = service.stores.articles
    store.ingest([art("Tides", "The tides at Alderney rise fast.")], "x", corpus=f"g{A}")
    before = store.revision((f"g{A}",))
    store.ingest([art("Bees", "Bees keep the queen warm.")], "x", corpus=f"g{B}")
    assert store.revision((f"g{A}",)) == before  # B's change leaves A's caches alone
    assert [a.title for a in store.iter_articles((f"g{A}",))] == ["Tides"]
    assert [a.title for a in store.iter_articles((f"g{B}",))] == ["Bees"]
    assert list(store.iter_articles()) == []  # the shared corpus holds neither
    # A complete listing of B's source removes B's article only.
    store.ingest([], "x", complete=True, corpus=f"g{B}")
    assert store.count((f"g{A}",)) == (1, 1) and store.count((f"g{B}",)) == (0, 0)


def test_each_server_reads_its_corpus_and_a_new_one_gets_a_note(service):
    store = service.stores.articles
    store.ingest([art("Seed", "A seed article about treaties.", "")], "seeds")
    assert service.for_guild(C).reads == ("",)  # a one-site store: the seeds are shared
    store.ingest([art("Tides", "The tides at Alderney rise fast.")], "x", corpus=f"g{A}")
    service.corpora.forget(C)
    assert service.for_guild(A).reads == (f"g{A}",)
    with pytest.raises(EmptyCorpusError, match="source add"):
        service.for_guild(C).ask("tides?")
    assert service.for_guild(C).empty_hint == NO_SOURCES
    with pytest.raises(EmptyCorpusError, match="ask in a server"):  # direct messages
        service.corpora.outside_servers().ask("treaties?")
    store.ingest([art("News", "Shared news about the tides.", "https://s/1")], "site")
    assert service.corpora.outside_servers() is service
    service.corpora.forget(C)
    assert service.for_guild(C).reads == ("",)  # the operator's shared corpus now
    service.corpora.set_shared(A, True)
    assert service.for_guild(A).reads == (f"g{A}", "")
    assert {h.title for h in service.for_guild(A).ask("tides").hits} == {"Tides", "News"}


def test_loaded_corpora_are_bounded_least_recently_used_first(service):
    store = service.stores.articles
    for gid in (A, B, C):
        store.ingest([art(f"T{gid}", f"Tides number {gid} rise.")], "x", corpus=f"g{gid}")
    for gid in (A, B, A, C):
        assert service.for_guild(gid).ask("tides").hits
    assert service.corpora.loaded() == [A, C]  # B, least recently used, was unloaded


def test_buttons_questions_stay_in_their_server(service):
    qid = service.for_guild(A).remember_question("why tides?")
    assert service.for_guild(A).question(qid) == "why tides?"
    assert service.for_guild(B).question(qid) is None
    assert service.question(qid) is None  # nor outside any server


def test_guilds_in_the_config():
    cfg = parse_config({"guilds": [
        {"id": A, "sources": ["https://a.example/", {"kind": "feed",
                                                     "url": "https://a.example/feed/"}],
         "shared": True},
        {"id": B}]})
    assert cfg.guild(A) == GuildConfig(A, (SourceConfig(url="https://a.example/"),
                                           SourceConfig(kind="feed",
                                                        url="https://a.example/feed/")), True)
    assert cfg.guild(B).sources == () and cfg.guild(C) is None
    for bad in ([{"id": A}, {"id": A}], [{"id": "x"}], [{"id": A, "sources": ["ftp://x"]}],
                [{"id": A, "colour": 1}]):
        with pytest.raises(ConfigError):
            parse_config({"guilds": bad})


async def test_the_refresh_fetches_every_servers_sources_into_its_corpus(tmp_path):
    folder = tmp_path / "a-articles"
    folder.mkdir()
    (folder / "tides.md").write_text("# Tides\n\nThe tides at Alderney rise fast.\n")
    cfg = Config(guilds=(GuildConfig(A, (SourceConfig(kind="file", path=str(folder)),)),))
    stores = open_stores(tmp_path / "s.sqlite3")
    service = Service(stores, cfg)
    async with new_session(cfg.fetch) as session:
        reports = await refresh_all(service, session)
    assert [r.new for r in reports] == [1]
    assert stores.articles.count((f"g{A}",)) == (1, 1) and stores.articles.count() == (0, 0)
    assert [n for n, _, _ in service.for_guild(A).status().sources] == [str(folder)]
    assert service.status().sources == []  # the shared corpus's list shows none of A's
    stores.close()


def test_shards_flags():
    assert parse_shards(None, None) is None
    assert parse_shards("0-3", 8) == ((0, 1, 2, 3), 8)
    assert parse_shards("1,5-6", 8) == ((1, 5, 6), 8)
    for text, count in (("0-3", None), (None, 8), ("0-8", 8), ("x", 8), ("2", 0)):
        with pytest.raises(UsageError):
            parse_shards(text, count)


async def test_run_with_shards_makes_a_sharded_bot(tmp_path):
    from bot.discord_app.client import ShardedFootnoteBot
    from bot.discord_app.runner import make_bot

    stores = open_stores(":memory:")
    app = App(Config(), stores, Service(stores, Config()), state_dir=tmp_path)
    async with new_session(app.config.fetch) as session:
        bot = make_bot(app, session, ((0, 1, 2, 3), 8))
        assert isinstance(bot, ShardedFootnoteBot)
        assert (bot.shard_ids, bot.shard_count) == ([0, 1, 2, 3], 8)
        assert type(make_bot(app, session)) is not ShardedFootnoteBot
    stores.close()


def test_what_a_server_reads_is_looked_up_once_until_a_change(service, tmp_path):
    """A server's load never reads the whole store's holdings; what it reads is kept, and
    looked up again when its corpus changes here or (announced) in another process."""
    store = service.stores.articles
    store.ingest([art("News", "Shared news about the tides.", "https://s/1")], "site")

    def whole_store():
        raise AssertionError("holdings() read on a server's load")

    store.holdings = whole_store
    asked = []
    holds = store.holds
    store.holds = lambda *a, **k: asked.append(a) or holds(*a, **k)
    assert service.corpora.reads(A) == ("", ("",))  # no corpus of its own: the shared one
    looked = len(asked)
    assert service.corpora.reads(A) == ("", ("",)) and len(asked) == looked  # kept
    store.ingest([art("Tides", "The tides at Alderney rise fast.")], "x", corpus=f"g{A}")
    assert service.corpora.reads(A) == (f"g{A}", (f"g{A}",))  # this process's ingest
    # Another process's ingest (another connection) is seen once it is announced.
    assert service.corpora.reads(B) == ("", ("",))
    other = open_stores(tmp_path / "s.sqlite3")
    other.articles.ingest([art("Bees", "Bees keep the queen warm.")], "x", corpus=f"g{B}")
    other.close()
    assert service.corpora.reads(B) == ("", ("",))
    service.corpora.changed(f"g{B}")
    assert service.corpora.reads(B) == (f"g{B}", (f"g{B}",))


def test_a_small_server_corpus_is_built_not_cached(service):
    from bot.loading import CACHE_MIN_PASSAGES

    store = service.stores.articles
    store.ingest([art("Tides", "The tides at Alderney rise fast.")], "x", corpus=f"g{A}")
    big = [Article(f"Bees {i}", tuple(f"Bees {i} keep the queen warm, part {j}."
                                       for j in range(8)), url=f"https://b.example/{i}")
           for i in range(CACHE_MIN_PASSAGES // 8 + 1)]
    store.ingest(big, "x", corpus=f"g{B}")
    assert service.for_guild(A).ask("tides").hits and service.for_guild(B).ask("bees").hits
    index = service.index_dir
    assert not list(index.glob(f"g{A}/index-*.npz"))  # cheaper to build than to read
    assert len(list(index.glob(f"g{B}/index-*.npz"))) == 1


async def test_a_configured_folder_that_is_missing_is_a_failed_refresh(tmp_path):
    cfg = Config(sources=(SourceConfig(kind="file", path=str(tmp_path / "gone")),))
    stores = open_stores(tmp_path / "s.sqlite3")
    service = Service(stores, cfg)
    async with new_session(cfg.fetch) as session:
        reports = await refresh_all(service, session)
    assert reports[0].failed == 1 and reports[0].new == 0
    status = service.status()
    assert status.last_refresh is None  # nothing was read: no refresh to speak of
    assert status.sources[0][2] == "failed: no such file or folder"
    stores.close()
