from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from bot.config import Config
from bot.models import Article
from bot.service import SEEDS_DIR, Service
from bot.sources.http import new_session
from bot.store import open_stores
from tests.fake_site import FAST, FakeSite

# The PostgreSQL fixtures, defined once here so every module shares the session's cluster
# (a fixture imported into two test modules would be two fixtures, and two clusters).
from tests.pg import pg_cluster, pg_dsn, pg_store_database, pg_url  # noqa: F401

# Property tests run the same examples on every machine (CI included): a failure is a bug to
# fix, never luck. `HYPOTHESIS_PROFILE=explore pytest` searches new random examples instead.
# Neither times them: on a busy machine (CI's 2 cores are shared) one example or one draw
# can stall past hypothesis' 200 ms deadline or its too-slow health check, a failure that
# says nothing about the code.
UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("stable", derandomize=True, database=None, **UNTIMED)
settings.register_profile("explore", **UNTIMED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "stable"))


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory) -> Path:
    """One cache folder for the session: the English word table (bot/english.py) is made
    once, then read by every process the tests start."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path, _cache_dir):
    """Never touch the user's data dir, cache folder or a config.toml in the working
    directory."""
    monkeypatch.setenv("FOOTNOTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FOOTNOTE_CACHE_DIR", str(_cache_dir))
    monkeypatch.delenv("FOOTNOTE_CONFIG", raising=False)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def seed_service(tmp_path) -> Service:
    store = open_stores(tmp_path / "seed.sqlite3")
    service = Service(store, Config())
    service.ensure_seeded()
    return service


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture
def picking_service(tmp_path):
    store = open_stores(tmp_path / "p.sqlite3")
    store.articles.ingest([
        Article("Water wars on the Nile", ("Egypt and Ethiopia argue over the dam.",),
                url="https://e.org/nile"),
        Article("Water wars in Central Asia", ("The Aral Sea shrank as rivers were diverted.",),
                url="https://e.org/aral"),
        Article("Elections in Kenya", ("Kenya voted in August amid tension.",),
                url="https://e.org/kenya"),
    ], "t")
    return Service(store, Config())


@pytest.fixture
async def site():
    """The local WordPress-like site (127.0.0.1); a module may override it."""
    s = FakeSite()
    await s.start()
    yield s
    await s.stop()


@pytest.fixture
async def session():
    """An HTTP session as the app makes it (the private-address guard included), set for
    the fake site."""
    async with new_session(FAST) as s:
        yield s
