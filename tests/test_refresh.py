"""Refreshing configured sources: one transaction each, index swapped while questions go on."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.__main__ import main
from bot.config import Config, FetchConfig, SourceConfig
from bot.ingest import ingest_paths
from bot.refresh import Refresher, refresh_all
from bot.service import Service
from bot.sources.http import new_session
from bot.store import open_stores
from tests.waiting import WAIT_SECONDS


def test_questions_keep_being_answered_during_a_reload(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text("# Glaciers\n\nGlaciers in the Alps are melting fast.\n")
    config = Config(sources=(SourceConfig(kind="file", path=str(folder)),))
    service = Service(open_stores(tmp_path / "s.sqlite3"), config)
    ingest_paths(service, [folder])
    errors: list[BaseException] = []
    stop = threading.Event()

    def asker() -> None:
        while not stop.is_set():
            try:
                assert service.ask("why are glaciers in the Alps melting").answered
            except BaseException as e:  # noqa: BLE001 - collected for the assertion below
                errors.append(e)
                return

    thread = threading.Thread(target=asker)
    thread.start()
    for i in range(15):
        (folder / f"n{i}.md").write_text(f"# Note {i}\n\nRivers number {i} flood in spring.\n")
        ingest_paths(service, [folder])
        service.reload()
    stop.set()
    thread.join()
    assert errors == []
    assert service.ask("which rivers flood in spring").answered
    assert len(service.corpus().articles) == 16


async def test_refresh_all_reports_each_source(tmp_path):
    from tests.fake_site import FakeSite

    site = FakeSite(n_posts=7)
    await site.start()
    try:
        folder = tmp_path / "docs"
        folder.mkdir()
        (folder / "x.md").write_text("# Local\n\nA local note about dams.\n")
        config = Config(
            fetch=FetchConfig(delay_seconds=0, backoff_seconds=0.01, allow_private=True),
            sources=(SourceConfig(url=site.base + "/"), SourceConfig(kind="file", path=str(folder)),
                     SourceConfig(url=site.base + "/always-500/", kind="page")),
        )
        service = Service(open_stores(tmp_path / "s.sqlite3"), config)
        async with new_session(config.fetch) as session:
            ticks: list[int] = []
            reports = await refresh_all(service, session, lambda name: ticks.append)
        assert [r.new for r in reports] == [7, 1, 0]
        assert reports[2].errors == [f"{site.base}/always-500/: HTTP 500"]
        assert sum(ticks) == 7
        await asyncio.to_thread(service.reload)
        assert service.status().articles == 8
        names = {name for name, _, _ in service.stores.sources.all()}
        assert site.base + "/" in names
    finally:
        await site.stop()


async def test_the_refresher_runs_what_is_due_and_keeps_going_after_a_failure(tmp_path,
                                                                             monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "x.md").write_text("# Local\n\nA local note about dams.\n")
    src = SourceConfig(kind="file", path=str(folder), refresh_minutes=60)
    service = Service(open_stores(tmp_path / "s.sqlite3"), Config(sources=(src,)))
    async with new_session(service.config.fetch) as session:
        refresher = Refresher(service, session)
        assert [r.new for r in await refresher.run_due()] == [1]  # never refreshed: due
        assert await refresher.run_due() == []  # refreshed a moment ago: not due
        swaps: list[int] = []

        async def then() -> list[str]:
            swaps.append(1)
            if len(swaps) == 1:
                raise RuntimeError("the first rebuild fails")
            if len(swaps) == 3:
                raise asyncio.CancelledError  # the bot closing
            return []

        monkeypatch.setattr(Refresher, "tick", 0.0)
        with pytest.raises(asyncio.CancelledError):
            await refresher.run_forever(then)
    assert len(swaps) == 3  # a failed round is logged, and the loop goes on


def test_refresh_command_needs_sources(capsys):
    assert main(["refresh"]) == 2
    assert "no [[sources]]" in capsys.readouterr().err


def test_refresh_command_with_a_file_source(tmp_path, capsys):
    (tmp_path / "n.md").write_text("# Note\n\nA note on the Aral Sea.\n")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[[sources]]\nkind = "file"\npath = "{tmp_path / "n.md"}"\n')
    assert main(["--config", str(cfg), "refresh"]) == 0
    assert "1 new" in capsys.readouterr().out
    assert main(["--config", str(cfg), "ask", "--json", "Aral Sea"]) == 0


async def test_a_hanging_source_never_blocks_reindex_or_the_store_watch(tmp_path):
    from dataclasses import replace

    from bot.discord_app.client import FootnoteBot
    from bot.models import Article
    from tests.fake_site import FAST, FakeSite

    site = FakeSite(n_posts=3)
    await site.start()
    fetch = replace(FAST, request_seconds=600.0, retries=0)  # the drip outlasts the test
    config = Config(fetch=fetch, sources=(SourceConfig(url=site.base + "/drip/", kind="page"),))
    service = Service(open_stores(tmp_path / "s.sqlite3"), config)
    service.ensure_seeded()
    async with new_session(fetch) as session:
        bot = FootnoteBot(service, config, session)
        hanging = asyncio.create_task(bot.refresh_now())
        try:
            while site.count("/drip/") == 0:
                await asyncio.sleep(0.01)
            # another process ingests meanwhile: the watch swaps it in, without waiting
            await asyncio.to_thread(service.stores.articles.ingest, [Article(
                "Aral Sea", ("The Aral Sea shrank after rivers were diverted.",),
                url="https://example.org/aral")], "cli")
            assert await asyncio.wait_for(bot.reload_if_stale(), WAIT_SECONDS) is True
            assert service.ask("why did the Aral Sea shrink").answered
            lines = await asyncio.wait_for(bot.refresh_now(), WAIT_SECONDS)  # /footnote reindex
            assert lines == ["A refresh is already running; the index was rebuilt from what it "
                             "has stored so far."]
            assert not hanging.done()
        finally:
            hanging.cancel()
            await asyncio.gather(hanging, return_exceptions=True)
            await bot.close()
            await site.stop()


async def test_the_first_refresh_of_a_configured_source_sets_the_seeds_aside(tmp_path):
    from bot.service import SEEDS_ASIDE

    store = open_stores(tmp_path / "s.sqlite3")
    Service(store, Config()).ensure_seeded()  # seeded before any source was configured
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Dams\n\nThe Nile dam holds water.\n")
    config = Config(sources=(SourceConfig(path=str(tmp_path / "docs")),))
    service = Service(store, config)
    async with new_session(config.fetch) as session:
        (report,) = await refresh_all(service, session)
    # (and that its files' articles have no URL and no site.base_url is set to link them)
    assert report.notes[-1] == SEEDS_ASIDE and SEEDS_ASIDE in report.line()
    assert [a.title for a in service.articles()] == ["Dams"]
