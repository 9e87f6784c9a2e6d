"""Incremental changes (bot/live.py through the Service): a change of the store is applied as
a delta of the changed articles and a dead mask, never a rebuild of the whole index; scores
stay rank-bm25's over the current corpus; a background merge folds the deltas away."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot import live
from bot.config import Config
from bot.index import FORMAT, Index
from bot.models import Article
from bot.service import Service
from bot.store import open_stores
from bot.text import tokenize
from tests.services import without_idle_merge
from tests.waiting import WAIT_SECONDS

WORDS = ("peace treaty island navy japan russia energy trade summit border ocean fleet "
         "harbour whale glacier copper").split()


@pytest.fixture(params=["sqlite", "postgresql"])
def service(request, tmp_path):
    """A Service over a store on each backend, with its index cache; no idle merge."""
    target = (tmp_path / "s.sqlite3" if request.param == "sqlite"
              else request.getfixturevalue("pg_url"))
    with without_idle_merge(target, tmp_path / "index") as svc:
        yield svc


def _spy_builds(monkeypatch) -> list[int]:
    """The sizes (in articles) of every Index.build from now on, in order."""
    built: list[int] = []
    real_build = Index.build.__func__

    def spy(cls, docs, *args, **kwargs):
        docs = list(docs)
        built.append(len(docs))
        return real_build(cls, docs, *args, **kwargs)

    monkeypatch.setattr(Index, "build", classmethod(spy))
    return built


def _random_article(rng: random.Random, n: int) -> Article:
    paras = tuple(" ".join(rng.choice(WORDS[: rng.randint(3, len(WORDS))])
                           for _ in range(rng.randint(1, 25)))
                  for _ in range(rng.randint(1, 4)))
    title = rng.choice(["", "Peace summit", "Navy fleet", "Whale harbour"])
    return Article(title, paras, url=f"https://example.org/{n}")


def _assert_equals_rank_bm25(svc: Service, rng: random.Random) -> None:
    """Every live passage scores as rank-bm25's BM25Okapi over the store's current
    passages; every other passage id scores 0 and is never retrieved."""
    corpus = svc.corpus()
    docs, pids = [], []
    for art in svc.stores.articles.iter_articles():
        first = int(corpus.first_passage[corpus.position(art.id)])
        for j, text in enumerate(art.paragraphs):
            docs.append(tokenize(art.title) + tokenize(text) if text.strip() else [])
            pids.append(first + j)
            assert corpus.texts[first + j] == text
            assert corpus.passage(first + j)[0].id == art.id
            assert all(0 <= a <= b <= len(text) for a, b in corpus.sentence_spans(first + j))
    reference = BM25Okapi(docs, k1=0.9, b=0.4)
    others = np.ones(corpus.index.size, dtype=bool)
    others[pids] = False
    for _ in range(6):
        query = tokenize(" ".join(rng.choice([*WORDS, "unknownword"]) for _ in range(4)))
        ours = corpus.index.bm25_scores(query)
        assert np.max(np.abs(ours[pids] - reference.get_scores(query))) <= 1e-9
        assert not ours[others].any()
        found, _ = corpus.index.retrieve(query, 1000)
        assert not others[found].any()


@pytest.mark.parametrize(("service", "seed"),
                         [*(("sqlite", s) for s in range(4)), ("postgresql", 0)],
                         indirect=["service"])
def test_changes_are_applied_incrementally_and_scores_stay_rank_bm25(service, monkeypatch,
                                                                     seed):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)  # deltas only: no merge here
    monkeypatch.setattr("bot.service.MAX_LAYERS", 100)
    rng = random.Random(seed)
    store = service.stores.articles
    current = {n: _random_article(rng, n) for n in range(10)}
    store.ingest(current.values(), "src")
    service.reload()
    built = _spy_builds(monkeypatch)
    # What changed is read by the store's change stamps, never the whole catalog.
    monkeypatch.setattr(type(store), "catalog", lambda *a: pytest.fail("catalog read"))
    next_n, removed = 10, {}
    for _ in range(12):
        ops = ["add", "change", "remove"] if len(current) > 3 else ["add"]
        op = rng.choice(ops + ["restore"] * bool(removed))
        if op == "add":
            current[next_n] = _random_article(rng, next_n)
            store.ingest([current[next_n]], "src")
            next_n += 1
        elif op == "change":
            n = rng.choice(list(current))
            current[n] = _random_article(rng, n)
            store.ingest([current[n]], "src")
        elif op == "remove":
            n = rng.choice(list(current))
            removed[n] = current.pop(n)
            store.ingest(current.values(), "src", complete=True)
        else:  # a removed article listed again as it was
            n = rng.choice(list(removed))
            current[n] = removed.pop(n)
            store.ingest([current[n]], "src")
        corpus = service.reload()
        assert isinstance(corpus.index, live.LiveIndex)
        assert corpus.revision == store.revision()
        assert corpus.stamp == store.stamp()
        _assert_equals_rank_bm25(service, rng)
    # Only the changed article (its new version, and its old passages to count them off)
    # was ever tokenised: never the whole corpus.
    assert built and max(built) == 1


def test_a_new_article_is_found_and_a_removed_one_never(service, monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    store = service.stores.articles
    treaty = Article("Peace treaty", ("Japan and Russia never signed a peace treaty after "
                                      "the war over the Kuril islands.",),
                     url="https://example.org/treaty")
    whales = Article("Whales", ("Humpback whales migrate to the Azores every spring.",),
                     url="https://example.org/whales")
    store.ingest([treaty, whales], "src")
    assert service.ask("Why no peace treaty between Japan and Russia?").hits[0].title \
        == "Peace treaty"
    copper = Article("Copper", ("Chile mines more copper than any other country.",),
                     url="https://example.org/copper")
    store.ingest([copper], "src")
    service.reload()
    answer = service.ask("Which country mines the most copper?")
    assert answer.hits[0].title == "Copper"
    assert answer.hits[0].passage == copper.paragraphs[0]
    assert [a.title for a in service.search_articles("copper mines")] == ["Copper"]
    store.ingest([treaty, copper], "src", complete=True)  # the whales go
    service.reload()
    assert isinstance(service.corpus().index, live.LiveIndex)
    answer = service.ask("Where do humpback whales migrate?")
    assert all(h.title != "Whales" for h in answer.hits)
    assert "Whales" not in answer.suggestions
    assert "Whales" not in [a.title for a in service.articles()]
    # A changed article answers from its new text only.
    store.ingest([Article("Copper", ("Peru overtook Chile in copper mining.",),
                          url="https://example.org/copper")], "src")
    service.reload()
    hits = service.ask("Who overtook Chile in copper mining?").hits
    assert hits[0].passage == "Peru overtook Chile in copper mining."
    assert all("more copper than any" not in h.passage for h in hits)
    art = service.article_by_id(hits[0].article_id)
    assert service.corpus().full(art).paragraphs == ("Peru overtook Chile in copper mining.",)


def test_the_merge_swaps_in_a_full_index_while_questions_are_answered(service, monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)  # merged by hand below
    store = service.stores.articles
    rng = random.Random(7)
    store.ingest([_random_article(rng, n) for n in range(20)], "src")
    service.reload()
    store.ingest([Article("Copper", ("Chile mines more copper than any other country.",),
                          url="https://example.org/copper")], "src")
    service.reload()
    assert isinstance(service.corpus().index, live.LiveIndex)
    merged = threading.Thread(target=service.merge)
    answers = []
    merged.start()
    while merged.is_alive() or len(answers) < 3:
        answers.append(service.ask("Which country mines the most copper?").hits[0].title)
    merged.join()
    assert set(answers) == {"Copper"}
    corpus = service.corpus()
    assert type(corpus.index) is Index  # folded: the precomputed weights serve again
    assert corpus.revision == store.revision()
    cache = service.index_dir / f"index-v{FORMAT}-{corpus.revision}.npz"
    assert cache.exists() and Index.load(cache).size == corpus.index.size
    _assert_equals_rank_bm25(service, rng)


def test_deltas_past_their_share_are_merged_in_the_background(service, monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 0.01)
    store = service.stores.articles
    rng = random.Random(3)
    store.ingest([_random_article(rng, n) for n in range(20)], "src")
    service.reload()
    store.ingest([_random_article(rng, 99)], "src")
    service.reload()  # applied at once, then merged in a thread
    service._merge_timer.join(30)
    assert type(service.corpus().index) is Index
    _assert_equals_rank_bm25(service, rng)


def test_most_of_the_corpus_changing_at_once_is_a_whole_build(service):
    store = service.stores.articles
    rng = random.Random(5)
    store.ingest([_random_article(rng, n) for n in range(3)], "src")
    service.reload()
    store.ingest([_random_article(rng, n) for n in range(3, 10)], "src")
    assert type(service.reload().index) is Index
    _assert_equals_rank_bm25(service, rng)


def test_removing_every_article_incrementally_leaves_nothing_to_answer(service, monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    store = service.stores.articles
    store.ingest([Article("Copper", ("Chile mines copper.",), url="https://example.org/c"),
                  Article("Tin", ("Bolivia mines tin.",), url="https://example.org/t")], "src")
    service.reload()
    store.ingest([Article("Tin", ("Bolivia mines tin.",), url="https://example.org/t")], "src",
                 complete=True)
    assert [a.title for a in service.reload().articles] == ["Tin"]
    store.ingest([], "src", complete=True)
    with pytest.raises(Exception, match="no articles"):
        service.reload()


def test_a_change_announced_by_another_process_is_applied_incrementally(pg_url, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    stores = open_stores(pg_url)
    svc = Service(stores, Config(), index_dir=tmp_path / "index")
    heard: list[str | None] = []
    listener = None
    try:
        rng = random.Random(11)
        stores.articles.ingest([_random_article(rng, n) for n in range(6)], "src")
        svc.reload()
        listener = svc.listen_for_changes(heard.append)
        assert listener.listening.wait(WAIT_SECONDS)
        other = open_stores(pg_url)  # another process: its own connections
        try:
            other.articles.ingest([Article("Copper", ("Chile mines more copper than any "
                                                      "other country.",),
                                           url="https://example.org/copper")], "cron")
        finally:
            other.close()
        deadline = time.monotonic() + WAIT_SECONDS
        while "" not in heard and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "" in heard  # announced, then applied as the bot's store watch does
        assert svc.is_stale()
        corpus = svc.reload()
        assert isinstance(corpus.index, live.LiveIndex)
        assert [x.index.size for x in corpus.index.layers[1:]] == [1]  # the new article only
        assert svc.ask("Which country mines the most copper?").hits[0].title == "Copper"
    finally:
        if listener is not None:
            listener.stop()
        stores.close()


@pytest.mark.parametrize("with_texts", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_a_start_over_an_older_index_cache_applies_what_changed_since(tmp_path, monkeypatch,
                                                                      seed, with_texts):
    """With the corpus cache beside the index (bot/corpus_cache.py) the store's rows are
    not read again; without it (an index cached before there was one) they are."""
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    rng = random.Random(seed)
    stores = open_stores(tmp_path / "s.sqlite3")
    try:
        current = {n: _random_article(rng, n) for n in range(12)}
        stores.articles.ingest(current.values(), "src")
        Service(stores, Config(), index_dir=tmp_path / "index").corpus()  # cached
        for n in rng.sample(sorted(current), 3):  # two changed, one removed, one new
            current[n] = _random_article(rng, n)
        del current[n]
        current[99] = _random_article(rng, 99)
        stores.articles.ingest(current.values(), "src", complete=True)
        built = _spy_builds(monkeypatch)
        if not with_texts:
            for path in (tmp_path / "index").glob("corpus-*.npz"):
                path.unlink()
        svc = Service(stores, Config(), index_dir=tmp_path / "index")  # another process
        svc.merge_idle_seconds = 3600.0
        corpus = svc.corpus()
        assert isinstance(corpus.index, live.LiveIndex)
        # The two changed articles and the new one: nothing else. From the corpus cache,
        # the old passages of the changed and removed ones are indexed too (their counts
        # come off the statistics); without it, their counts are found in the postings.
        assert built == ([3, 3] if with_texts else [3])
        assert sorted(a.id for a in corpus.articles) == [r[0] for r in
                                                           stores.articles.catalog()]
        _assert_equals_rank_bm25(svc, rng)
        svc.unload()
    finally:
        stores.close()


def test_a_removed_then_restored_article_is_found_again_from_the_change_stamps(service,
                                                                            monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    store = service.stores.articles
    rng = random.Random(13)
    others = [_random_article(rng, n) for n in range(6)]
    copper = Article("Copper", ("Chile mines more copper than any other country.",),
                     url="https://example.org/copper")
    store.ingest([*others, copper], "src")
    service.reload()
    monkeypatch.setattr(type(store), "catalog", lambda *a: pytest.fail("catalog read"))
    store.ingest(others, "src", complete=True)
    assert "Copper" not in [a.title for a in service.reload().articles]
    store.ingest([copper], "src")  # listed again, unchanged
    corpus = service.reload()
    assert isinstance(corpus.index, live.LiveIndex) and corpus.stamp == store.stamp() == 3
    assert service.ask("Which country mines the most copper?").hits[0].title == "Copper"
    _assert_equals_rank_bm25(service, rng)
    # The stamp path and the whole catalog's comparison find the same change.
    store.ingest([Article("Copper", ("Peru overtook Chile.",), url=copper.url)], "src")
    monkeypatch.undo()
    by_stamp = live.what_changed(corpus, store)
    by_catalog = live.what_changed(replace(corpus, stamp=None), store)
    copper_id = int(corpus.ids[-1])
    assert by_stamp == by_catalog == ([copper_id], [copper_id], 4)


def test_many_deltas_are_folded_into_one_without_building_the_corpus(service, monkeypatch):
    """Past MAX_LAYERS the deltas are folded into one delta layer in the background (their
    articles built again, never the corpus): scores stay rank-bm25's, articles keep their
    order, and no full merge happens."""
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    monkeypatch.setattr("bot.service.MAX_LAYERS", 100)
    store = service.stores.articles
    rng = random.Random(17)
    current = {n: _random_article(rng, n) for n in range(12)}
    store.ingest(current.values(), "src")
    service.reload()
    built = _spy_builds(monkeypatch)
    for batch in ((20, 22), (21,), (3,)):  # new articles, then a changed one: three deltas
        for n in batch:
            current[n] = _random_article(rng, n)
        store.ingest([current[n] for n in batch], "src")
        service.reload()
    monkeypatch.setattr("bot.service.MAX_LAYERS", 3)
    del current[20]  # half of the first delta goes
    store.ingest(current.values(), "src", complete=True)
    before = service.reload()
    assert len(before.index.layers) == 4  # main + three deltas: past MAX_LAYERS
    service._merge_timer.join(30)
    corpus = service.corpus()
    assert isinstance(corpus.index, live.LiveIndex) and len(corpus.index.layers) == 2
    assert [a.id for a in corpus.articles] == [a.id for a in before.articles]
    assert corpus.index.size == before.index.layers[0].index.size \
        + sum(len(current[n].paragraphs) for n in (22, 21, 3))
    assert max(built) == 3  # the three live delta articles, folded together
    assert corpus.stamp == store.stamp() and corpus.revision == store.revision()
    _assert_equals_rank_bm25(service, rng)


def test_an_idle_pause_folds_the_deltas_of_a_large_index_instead_of_building_it(service,
                                                                               monkeypatch):
    monkeypatch.setattr("bot.service.IDLE_MERGE_PASSAGES", 0)  # every index counts as large
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    store = service.stores.articles
    rng = random.Random(19)
    store.ingest([_random_article(rng, n) for n in range(12)], "src")
    service.reload()
    service.merge_idle_seconds = 0.0
    for n in (30, 31):
        store.ingest([_random_article(rng, n)], "src")
        service.reload()
        service._merge_timer.join(30)
    index = service.corpus().index
    assert isinstance(index, live.LiveIndex) and len(index.layers) == 2
    _assert_equals_rank_bm25(service, rng)


def test_a_change_read_again_after_the_load_saw_it_is_not_applied_twice(service,
                                                                        monkeypatch):
    """A corpus's stamp is read before its articles, so a change committed in between is
    read again at the next catch-up: found as loaded, it is left alone."""
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    store = service.stores.articles
    rng = random.Random(23)
    store.ingest([_random_article(rng, n) for n in range(8)], "src")
    store.ingest([_random_article(rng, 3)], "src")  # committed "while loading": stamp 2
    service._corpus = replace(service.reload(), stamp=1)  # as if its stamp was read before
    store.ingest([_random_article(rng, 9)], "src")
    fetch, gone, stamp = live.what_changed(service.corpus(), store)
    assert len(fetch) == 1 and gone == [] and stamp == 3  # article 3 is loaded as it is
    corpus = service.reload()
    assert len(corpus.index.layers) == 2 and corpus.index.layers[1].metas[0].id == fetch[0]
    assert not (~corpus.index.layers[0].alive).any()  # article 3 was not dropped
    assert corpus.stamp == 3 and len(corpus.articles) == 9
    _assert_equals_rank_bm25(service, rng)


def test_closing_waits_for_a_running_merge_and_starts_none_after(service, monkeypatch):
    """The stores close right after `stop_merging`: a merge already reading them finishes
    first, and none starts later (a timer firing into a closed store failed in its thread)."""
    monkeypatch.setattr("bot.service.MERGE_SHARE", 0.0)  # any change merges at once
    store = service.stores.articles
    rng = random.Random(29)
    store.ingest([_random_article(rng, n) for n in range(6)], "src")
    service.reload()
    entered, go = threading.Event(), threading.Event()
    fresh = service._fresh

    def slow_fresh(*args, **kwargs):
        entered.set()
        go.wait(30)
        return fresh(*args, **kwargs)

    monkeypatch.setattr(service, "_fresh", slow_fresh)
    store.ingest([_random_article(rng, 6)], "src")
    service.reload()  # a delta: the merge starts in its thread and waits in slow_fresh
    assert entered.wait(30)
    stopper = threading.Thread(target=service.stop_merging)
    stopper.start()
    stopper.join(0.3)
    assert stopper.is_alive()  # waiting for the running merge, not returning under it
    go.set()
    stopper.join(30)
    assert not stopper.is_alive()
    assert not isinstance(service.corpus().index, live.LiveIndex)  # the merge completed
    timer = service._merge_timer
    store.ingest([_random_article(rng, 7)], "src")
    service.reload()
    assert service._merge_timer is timer  # no merge scheduled any more
    assert service.merge() is False and service.compact() is False
