"""The corpus cache beside the index (bot/corpus_cache.py) and the mapped arrays
(bot/mapped.py): a start from them equals a fresh load, catches up with what changed in the
store since, and any damage is read again from the store with a warning."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from bot import corpus_cache, live, mapped
from bot.config import Config
from bot.errors import CacheError
from bot.index import Index
from bot.models import Article
from bot.service import Service
from bot.store import open_stores
from tests.test_live_index import WORDS, _assert_equals_rank_bm25, _random_article


@pytest.fixture(params=["sqlite", "postgresql"])
def stores_made(request, tmp_path):
    target = (tmp_path / "s.sqlite3" if request.param == "sqlite"
              else request.getfixturevalue("pg_url"))
    stores = open_stores(target)
    made: list[Service] = []
    yield stores, made
    for svc in made:
        svc.unload()  # no merge pending after the test
    stores.close()


@pytest.fixture(autouse=True)
def map_everything(monkeypatch):
    """Every array of a cache file mapped (test corpora are far below MAP_BYTES): mapped
    arrays are read-only, so a write into one fails the test."""
    monkeypatch.setattr(mapped, "MAP_BYTES", 0)
    # No merge in a background thread: it would read the store while the test closes it.
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)


def _service(stores, tmp_path, made: list[Service] | None = None) -> Service:
    svc = Service(stores, Config(), index_dir=tmp_path / "index")
    svc.merge_idle_seconds = 3600.0
    if made is not None:
        made.append(svc)
    return svc


def _no_rows(stores, monkeypatch) -> None:
    """Reading every article row of the store fails the test (what the cache saves)."""
    def read_all(self, *args, ids=None, **kwargs):
        assert ids is not None, "read every article of the store"
        return real(self, *args, ids=ids, **kwargs)

    cls = type(stores.articles)  # the class: an instance's bound method would make a cycle
    real = cls.iter_articles
    monkeypatch.setattr(cls, "iter_articles", read_all)


def _answers(svc: Service) -> list[str]:
    qs = ["peace treaty navy", "whale harbour fleet", "summit of the islands", "Kuril"]
    return [json.dumps(svc.ask(q, 5).to_json(), sort_keys=True) for q in qs]


def _ingest(stores, rng: random.Random, n: int = 12) -> dict[int, Article]:
    current = {k: _random_article(rng, k) for k in range(n)}
    stores.articles.ingest(current.values(), "src")
    return current


@pytest.mark.parametrize("seed", range(2))
def test_a_start_from_the_cache_equals_a_fresh_load(stores_made, tmp_path, monkeypatch, seed):
    stores, made = stores_made
    rng = random.Random(seed)
    _ingest(stores, rng)
    fresh = _service(stores, tmp_path, made).corpus()  # reads the store, writes both caches
    assert list((tmp_path / "index").glob("corpus-*.npz"))
    svc = _service(stores, tmp_path, made)  # another start
    with monkeypatch.context() as m:
        _no_rows(stores, m)
        cached = svc.corpus()
    assert type(cached.index) is Index
    assert cached.articles == fresh.articles  # every field, links included
    n = fresh.index.size
    assert [cached.texts[p] for p in range(n)] == [fresh.texts[p] for p in range(n)]
    assert np.array_equal(cached.first_passage, fresh.first_passage)
    assert np.array_equal(cached.ids, fresh.ids)
    assert (cached.revision, cached.stamp) == (fresh.revision, fresh.stamp)
    assert _answers(svc) == _answers(Service(stores, Config()))  # and a build from scratch
    _assert_equals_rank_bm25(svc, rng)


def test_a_start_from_the_cache_makes_the_article_objects_on_first_use(tmp_path, monkeypatch):
    """At 1M passages making the 100k articles' objects took 0.85 s of a start: a start
    makes none, an answer the few it quotes, and they read as the list they stand for."""
    stores = open_stores(tmp_path / "s.sqlite3")
    _ingest(stores, random.Random(3), n=20)
    fresh = _service(stores, tmp_path).corpus()
    links: list[str] = []
    real = Service._link_to
    monkeypatch.setattr(Service, "_link_to",
                        lambda self, url, *a: links.append(url) or real(self, url, *a))
    svc = _service(stores, tmp_path)
    arts = svc.corpus().articles
    assert links == [] and len(arts) == 20
    answer = svc.ask("peace treaty navy", 3)
    assert 0 < len(links) <= 3 and answer.hits
    assert arts[5] == fresh.articles[5] and arts[5] is arts[5]
    assert arts[-1] == fresh.articles[-1] and arts[2:9:3] == fresh.articles[2:9:3]
    with pytest.raises(IndexError):
        arts[20]
    assert list(arts) == fresh.articles and arts == fresh.articles
    assert len(links) == 20  # each made once
    assert svc.article_by_id(fresh.articles[7].id) is arts[7]
    stores.close()


def test_a_start_from_an_older_cache_applies_what_another_process_changed(stores_made, tmp_path,
                                                                        monkeypatch):
    stores, made = stores_made
    rng = random.Random(7)
    current = _ingest(stores, rng)
    _service(stores, tmp_path, made).corpus()
    removed = current.pop(3)
    current[5] = _random_article(rng, 5)
    current[40] = Article("Copper", ("Chile mines more copper than any other country.",),
                          url="https://example.org/copper")
    stores.articles.ingest(current.values(), "src", complete=True)  # another process
    svc = _service(stores, tmp_path, made)
    with monkeypatch.context() as m:
        _no_rows(stores, m)
        corpus = svc.corpus()
    assert isinstance(corpus.index, live.LiveIndex)  # the cache, caught up
    assert sorted(a.id for a in corpus.articles) == [r[0] for r in stores.articles.catalog()]
    assert svc.ask("Which country mines the most copper?").hits[0].title == "Copper"
    for pid in range(corpus.index.size):  # no passage of the removed article is retrieved
        art = corpus.passage(pid)[0]
        assert art.url != removed.url
    assert corpus.revision == stores.articles.revision()
    _assert_equals_rank_bm25(svc, rng)


def test_a_cache_of_a_corpus_that_mostly_changed_is_not_used(stores_made, tmp_path):
    stores, made = stores_made
    rng = random.Random(3)
    _ingest(stores, rng, 4)
    _service(stores, tmp_path, made).corpus()
    stores.articles.ingest([_random_article(rng, k) for k in range(4, 20)], "src")
    svc = _service(stores, tmp_path, made)
    corpus = svc.corpus()
    assert type(corpus.index) is Index  # built whole
    assert len(corpus.articles) == 20
    _assert_equals_rank_bm25(svc, rng)
    (path,) = (tmp_path / "index").glob("corpus-*.npz")  # the new one, the old removed
    assert path == corpus_cache.path_for(tmp_path / "index", corpus.revision)


def _rewrite(path, **changes) -> None:
    with np.load(path) as z:
        arrays = dict(z)
    arrays.update(changes)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _flip_a_text_byte(path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b"\x93NUMPY", data.index(b"strings.npy")) + 140
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "crc": _flip_a_text_byte,
    "garbage": lambda p: p.write_bytes(b"\x00garbage" * 100),
    "another index": lambda p: _rewrite(p, stamps=np.zeros((3, 2), dtype=np.int64)),
    "offsets": lambda p: _rewrite(p, offsets=np.zeros(3, dtype=np.int64)),
    "another layout": lambda p: _rewrite(p, layout=np.array(99)),
    "stamped after the store": lambda p: _rewrite(p, stamp=np.array(10**9)),
    "pickled": lambda p: _rewrite(p, strings=np.array([{"evil": 1}], dtype=object)),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_corpus_cache_is_read_again_from_the_store(tmp_path, caplog, damage):
    stores = open_stores(tmp_path / "s.sqlite3")
    try:
        rng = random.Random(1)
        _ingest(stores, rng)
        fresh = _service(stores, tmp_path).corpus()
        (path,) = (tmp_path / "index").glob("corpus-*.npz")
        DAMAGE[damage](path)
        with caplog.at_level("WARNING"):
            svc = _service(stores, tmp_path)
            corpus = svc.corpus()
        assert any("corpus cache" in r.getMessage() and "unreadable" in r.getMessage()
                   for r in caplog.records)
        assert corpus.articles == fresh.articles
        assert [corpus.texts[p] for p in range(corpus.index.size)] == [
            fresh.texts[p] for p in range(fresh.index.size)]
        _assert_equals_rank_bm25(svc, rng)
        corpus_cache.load(path, Index.load(corpus_cache.index_path(path)))  # written again
    finally:
        stores.close()


def test_mapped_arrays_equal_the_saved_ones_and_are_read_only(tmp_path):
    arrays = {"big": np.arange(100_000, dtype=np.int64).reshape(-1, 2),
              "fortran": np.asfortranarray(np.arange(12.0).reshape(3, 4)),
              "small": np.arange(5, dtype=np.uint8)}
    path = tmp_path / "a.npz"
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    with open(path, "rb") as f, mapped.Arrays(f) as z:
        got = {name: z[name] for name in arrays}
    for name, a in arrays.items():
        assert got[name].dtype == a.dtype and np.array_equal(got[name], a)
        assert not got[name].flags.writeable
    with pytest.raises(ValueError):
        got["big"][0] = 1


def test_a_truncated_mapped_array_is_a_cache_error(tmp_path):
    index = Index.build([("t", tuple(" ".join(random.Random(n).choices(WORDS, k=20))
                                     for n in range(30)))])
    path = tmp_path / "index.npz"
    index.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"passages.data")])  # the central directory is gone
    with pytest.raises(CacheError):
        Index.load(path)
