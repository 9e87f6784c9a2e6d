import math
import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot import index_files, rerank
from bot.errors import EmptyCorpusError
from bot.index import Index
from bot.text import tokenize


def _articles(docs: list[list[str]], titles: list[str] | None = None
              ) -> list[tuple[str, tuple[str, ...]]]:
    """One article per document, the document being one paragraph of space-joined words."""
    titles = titles or [""] * len(docs)
    return [(titles[i], (" ".join(d),)) for i, d in enumerate(docs)]


WORDS = "peace treaty island navy japan russia energy trade summit border ocean fleet".split()


def _random_corpus(rng: random.Random) -> list[list[str]]:
    return [
        [rng.choice(WORDS[: rng.randint(2, len(WORDS))]) for _ in range(rng.randint(1, 30))]
        for _ in range(rng.randint(1, 40))
    ]


@pytest.mark.parametrize("seed", range(25))
def test_bm25_scores_equal_rank_bm25(seed):
    rng = random.Random(seed)
    docs = _random_corpus(rng)
    titles = [rng.choice(["", "Peace summit", "Navy fleet"]) for _ in docs]
    index = Index.build(_articles(docs, titles), k1=0.9, b=0.4)
    corpus = [tokenize(t) + tokenize(" ".join(d)) for t, d in zip(titles, docs, strict=True)]
    reference = BM25Okapi(corpus, k1=0.9, b=0.4)
    for _ in range(8):
        query = tokenize(" ".join(rng.choice(WORDS + ["unknownword"]) for _ in range(4)))
        ours = index.bm25_scores(query)
        theirs = reference.get_scores(query)
        assert np.max(np.abs(ours - theirs)) <= 1e-9


def test_idf_zero_for_a_term_in_exactly_half_the_passages():
    index = Index.build(_articles([["alpha", "beta"], ["alpha"], ["gamma"], ["delta"]]))
    alpha = index.vocab[tokenize("alpha")[0]]
    assert index.passages.idf[alpha] == 0.0  # log(4 - 2 + .5) - log(2 + .5)
    assert np.all(index.bm25_scores(tokenize("alpha")) == 0.0)


def test_negative_average_idf_makes_the_floor_negative():
    # Every term in 2 of 3 passages: raw idf log(1.5/2.5) < 0, so the average is negative and
    # rank-bm25 replaces each negative idf by 0.25 * average, itself negative.
    docs = [["alpha", "beta"], ["alpha", "gamma"], ["beta", "gamma"]]
    index = Index.build(_articles(docs))
    raw = math.log(3 - 2 + 0.5) - math.log(2 + 0.5)
    assert np.allclose(index.passages.idf, 0.25 * raw)
    assert index.passages.idf[0] < 0
    ref = BM25Okapi([tokenize(" ".join(d)) for d in docs], k1=0.9, b=0.4)
    q = tokenize("alpha gamma")
    assert np.max(np.abs(index.bm25_scores(q) - ref.get_scores(q))) <= 1e-12
    # BM25 is negative for every passage, yet all three hold a question word and are found,
    # the one holding both words first.
    ids, _ = rerank.search(index, q, k=3)
    assert list(ids)[0] == 1 and sorted(ids) == [0, 1, 2]


def test_empty_corpus_is_a_clear_error():
    with pytest.raises(EmptyCorpusError):
        Index.build([])
    with pytest.raises(EmptyCorpusError):
        Index.build([("T", ())])


def test_stopword_only_query_finds_nothing():
    index = Index.build(_articles([["peace", "treaty"], ["navy"]]))
    ids, scores = rerank.search(index, tokenize("what is the of"), k=5)
    assert len(ids) == 0


def test_search_prefers_the_passage_whose_sentence_answers():
    arts = [("Islands", (
        "The navy sails out. Many unrelated words fill this sentence about fish. "
        "Submarines are elsewhere.",
        "Submarines of the navy sail out through the strait.",
    ))]
    index = Index.build(arts)
    ids, _ = rerank.search(index, tokenize("where do navy submarines sail out"), k=2)
    assert list(ids) == [1, 0]


def test_save_and_load_round_trip(tmp_path):
    rng = random.Random(3)
    index = Index.build(_articles(_random_corpus(rng)))
    path = tmp_path / "index.npz"
    index.save(path)
    loaded = Index.load(path)
    q = tokenize("peace treaty navy")
    assert np.array_equal(index.bm25_scores(q), loaded.bm25_scores(q))
    a, b = rerank.search(index, q, 5), rerank.search(loaded, q, 5)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert loaded.vocab == index.vocab


def test_concurrent_saves_never_share_a_temporary_file(tmp_path, monkeypatch):
    """A second writer (another process) saves the same path while the first is writing."""
    small = Index.build(_articles([["peace", "treaty"]]))
    large = Index.build(_articles(_random_corpus(random.Random(5))))
    path = tmp_path / "index-v3-7.npz"
    real_savez = np.savez
    interleaved = []

    def savez_with_a_rival(f, **arrays):
        if not interleaved:
            interleaved.append(True)
            small.save(path)  # the rival finishes first
        real_savez(f, **arrays)

    monkeypatch.setattr(np, "savez", savez_with_a_rival)
    large.save(path)
    assert Index.load(path).size == large.size  # the last rename wins, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_a_failed_save_keeps_the_old_cache_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    index = Index.build(_articles([["peace", "treaty"], ["navy"]]))
    path = tmp_path / "index.npz"
    index.save(path)

    def disk_full(z, name, array, stop=None):
        z.fp.write(b"PK\x03\x04partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_files, "add_member", disk_full)
    with pytest.raises(OSError):
        index.save(path)
    assert Index.load(path).size == 2
    assert [p.name for p in tmp_path.iterdir()] == ["index.npz"]


@pytest.mark.parametrize("damage", [
    b"", b"PK\x03\x04", b"\x93NUMPY\x01\x00", b"not an index at all" * 50,
])
def test_load_of_an_unreadable_file_is_a_cache_error(tmp_path, damage):
    from bot.errors import CacheError

    path = tmp_path / "index.npz"
    path.write_bytes(damage)
    with pytest.raises(CacheError):
        Index.load(path)
