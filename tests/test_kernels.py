"""The compiled loops (bot/_kernels.c) give exactly what the numpy code they stand in for
gives: the same passages, the same float scores bit for bit, ties to the lowest ids; and a
damaged array raises instead of being read out of bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import kernels, live, pruning
from bot.config import Config
from bot.index import Index
from bot.models import Article
from bot.service import Service
from bot.store import open_stores
from bot.text import tokenize
from bot.text.chunk import Chunk, prepare
from bot.text.chunk_words import _EMPTY, ChunkWords, _keys, _words
from bot.text.passages import tokenize_passages
from tests.test_chunk_tokens import PIECES

native = pytest.mark.skipif(kernels.native is None,
                            reason="bot/_kernels.c was not built (no C compiler at install)")


def csr(rows: list[np.ndarray], weights: list[np.ndarray]):
    indptr = np.zeros(len(rows) + 1, np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, np.int32)
    data = np.concatenate(weights) if rows else np.zeros(0)
    return indptr, indices, data


def reference(indptr, indices, data, n_docs, terms, k):
    """What Index.retrieve does without the kernel: every posting added up in question
    order (bincount), then `best_k`."""
    docs = [indices[indptr[t]:indptr[t + 1]] for t in terms]
    w = [data[indptr[t]:indptr[t + 1]] for t in terms]
    if not docs:
        return np.zeros(0, np.int64), np.zeros(0)
    d = np.concatenate(docs)
    scores = np.bincount(d, np.concatenate(w), minlength=n_docs)
    touched = np.unique(d)
    return pruning.best_k(touched, scores[touched], k)


def random_rows(rng, n_docs: int, n_terms: int, coarse: bool):
    rows, weights = [], []
    for _ in range(n_terms):
        size = int(rng.integers(0, min(n_docs, 3000)))
        rows.append(np.sort(rng.choice(n_docs, size=size, replace=False)))
        # coarse weights: many exact ties between passages
        weights.append(rng.integers(1, 4, size).astype(float) / 2 if coarse
                       else rng.random(size) * 3)
    return rows, weights


@native
@settings(max_examples=60, deadline=None)
@given(st.integers(1, 70_000), st.integers(1, 6), st.lists(st.integers(0, 5), max_size=8),
       st.integers(0, 40), st.booleans(), st.integers(0, 2**32 - 1))
def test_first_stage_equals_numpy(n_docs, n_terms, terms, k, coarse, seed):
    rng = np.random.default_rng(seed)
    indptr, indices, data = csr(*random_rows(rng, n_docs, n_terms, coarse))
    terms = [t % n_terms for t in terms]  # repeats kept: a word twice counts twice
    got = kernels.first_stage(indptr, indices, data, n_docs, terms, k)
    want = reference(indptr, indices, data, n_docs, terms, k)
    assert got[0].tolist() == want[0].tolist()
    assert got[1].tobytes() == want[1].tobytes()


@native
def test_ties_at_the_kth_score_go_to_the_lowest_ids_across_blocks():
    n = 100_000  # several of the kernel's blocks
    docs = np.array([3, 20_000, 40_000, 70_000, 99_999])
    indptr, indices, data = csr([docs], [np.full(5, 1.5)])
    ids, scores = kernels.first_stage(indptr, indices, data, n, [0], 3)
    assert ids.tolist() == [3, 20_000, 40_000]
    assert scores.tolist() == [1.5, 1.5, 1.5]


@native
def test_a_passage_weighing_nothing_is_still_a_candidate():
    # A tiny corpus: a word in half the passages has idf 0, and its passages still count.
    indptr, indices, data = csr([np.array([0, 2])], [np.zeros(2)])
    ids, scores = kernels.first_stage(indptr, indices, data, 4, [0], 5)
    assert ids.tolist() == [0, 2] and scores.tolist() == [0.0, 0.0]


@native
@pytest.mark.parametrize("damage", ["doc past the end", "negative doc", "descending",
                                    "term outside", "pointer past the postings"])
def test_a_damaged_index_raises_instead_of_reading_out_of_bounds(damage):
    indptr, indices, data = csr([np.array([1, 5, 9]), np.array([2, 20_000])],
                                [np.ones(3), np.ones(2)])
    terms, n = [0, 1], 30_000
    if damage == "doc past the end":
        n = 10_000
    elif damage == "negative doc":
        indices[0] = -4
    elif damage == "descending":
        indices[3:5] = [20_000, 2]
    elif damage == "term outside":
        terms = [2]
    else:
        indptr[2] = 99
    with pytest.raises(ValueError):
        kernels.first_stage(indptr, indices, data, n, terms, 3)


@native
def test_arrays_of_another_type_are_left_to_numpy():
    indptr, indices, data = csr([np.array([1, 2])], [np.ones(2)])
    assert kernels.first_stage(indptr, indices.astype(np.int64), data, 3, [0], 2) is None
    assert kernels.first_stage(indptr, indices, data.astype(np.float32), 3, [0], 2) is None
    with pytest.raises(TypeError):  # the kernel itself checks item sizes too
        kernels.native.first_stage(indptr, indices.astype(np.int64), data,
                                   np.zeros(1, np.int64), 3, 2, np.empty(2, np.int64),
                                   np.empty(2))


def test_without_the_kernel_retrieve_finds_the_same(monkeypatch):
    index = Index.build([("Harbour news", [
        "whale harbour copper", "glacier treaty", "whale whale summit fleet",
        "border treaty copper", "harbour fleet border glacier"])])
    question = ["whale", "harbour", "treaty"]
    with_kernel = index.retrieve(question, 3)
    monkeypatch.setattr(kernels, "native", None)
    assert kernels.first_stage(index.passages.indptr, index.passages.indices,
                               index.passages.data, index.size, [0], 3) is None
    without = index.retrieve(question, 3)
    assert with_kernel[0].tolist() == without[0].tolist()
    assert with_kernel[1].tobytes() == without[1].tobytes()


def raw_reference(indptr, indices, tf, norms, alive, terms, idf, k1, pid0, k):
    """LivePostings' weights (bot/live_postings.py `_row`), added up in question order."""
    docs, weights = [], []
    for t, i in zip(terms, idf, strict=True):
        if t < 0:
            continue
        d, f = indices[indptr[t]:indptr[t + 1]], tf[indptr[t]:indptr[t + 1]]
        norm = norms[d]
        norm += f
        w = f * (k1 + 1)
        w /= norm
        w *= i
        docs.append(d[alive[d]])
        weights.append(w[alive[d]])
    if not docs:
        return np.zeros(0, np.int64), np.zeros(0)
    d = np.concatenate(docs)
    scores = np.bincount(d, np.concatenate(weights), minlength=len(norms))
    touched = np.unique(d)
    return pruning.best_k(touched + pid0, scores[touched], k)


@native
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40_000), st.integers(1, 5), st.lists(st.integers(-1, 4), max_size=7),
       st.integers(0, 30), st.sampled_from([np.uint16, np.uint32]), st.integers(0, 2**32 - 1))
def test_first_stage_raw_equals_live_postings(n_docs, n_terms, terms, k, tf_type, seed):
    rng = np.random.default_rng(seed)
    rows, _ = random_rows(rng, n_docs, n_terms, coarse=True)
    indptr, indices, _ = csr(rows, [np.ones(len(r)) for r in rows])
    tf = rng.integers(1, 5, len(indices)).astype(tf_type)
    norms = 1.2 * (1 - 0.75 + 0.75 * rng.integers(1, 60, n_docs) / 30.0)
    alive = rng.random(n_docs) > 0.2
    terms = [t if t < 0 else t % n_terms for t in terms]
    idf = rng.random(len(terms)) * 4
    got = kernels.first_stage_raw(indptr, indices, tf, norms, alive, terms, idf, 1.2, 7, k)
    want = raw_reference(indptr, indices, tf, norms, alive, terms, idf, 1.2, 7, k)
    assert got[0].tolist() == want[0].tolist()
    assert got[1].tobytes() == want[1].tobytes()


@native
@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
                | st.text(max_size=30), max_size=8))
def test_scan_words_equals_numpy(texts):
    words = ChunkWords({})
    chunk = Chunk([prepare(t)[0] for t in texts])
    words.scan(chunk)  # fills the word table, so lookups find some and miss others
    more = Chunk([prepare(t)[0] for t in [*texts[::-1], "unseen words here"]])
    starts, ends = _words(more)
    want = words._table.lookup(*_keys(more, starts, ends - starts))
    want[ends - starts > 16] = _EMPTY  # the kernel leaves long words to the caller
    got = kernels.scan_words(more.raw, more.cls, words._table)
    assert got[0].tolist() == starts.tolist()
    assert got[1].tolist() == ends.tolist()
    assert got[2].tolist() == want.tolist()


@native
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.lists(
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join), max_size=4)), max_size=6))
def test_the_corpus_tokenizer_gives_the_same_arrays_without_the_kernel(docs):
    def arrays() -> dict[str, list]:
        vocab: dict[str, int] = {}
        t = tokenize_passages(iter(docs), vocab)
        return {"vocab": list(vocab), **{f: getattr(t, f).tolist() for f in (
            "p_terms", "p_lens", "s_terms", "s_lens", "s_spans", "s_num", "sent_ptr")}}

    with_kernel = arrays()
    saved, kernels.native = kernels.native, None
    try:
        assert arrays() == with_kernel
    finally:
        kernels.native = saved


@native
def test_a_live_index_weighs_its_rows_as_numpy_does(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)  # deltas only: no merge here
    stores = open_stores(tmp_path / "s.sqlite3")
    service = Service(stores, Config(), index_dir=tmp_path / "index")
    service.merge_idle_seconds = 3600.0
    words = "whale harbour copper glacier treaty summit fleet border".split()

    def article(n: int) -> Article:
        return Article(f"Report {n}", tuple(" ".join(words[(n + i) % 8: (n + i) % 8 + 3] * (i + 1))
                                            for i in range(3)), url=f"https://example.org/{n}")

    stores.articles.ingest([article(n) for n in range(12)], "src")
    service.reload()
    stores.articles.ingest([article(40), article(41)], "src")  # a delta layer
    stores.articles.ingest([article(n) for n in range(12) if n != 3] + [article(40)], "src",
                           complete=True)  # one removed from the main layer, one from the delta
    index = service.reload().index
    assert isinstance(index, live.LiveIndex) and len(index.layers) > 1
    terms = [index.vocab[w] for w in tokenize(" ".join(words))]
    with_kernel = [index.passages._row(t) for t in terms]
    question = tokenize("whale treaty fleet whale")
    first = index.retrieve(question, 4)
    monkeypatch.setattr(kernels, "native", None)
    for t, (ids, weights) in zip(terms, with_kernel, strict=True):
        want_ids, want_weights = index.passages._row(t)
        assert ids.tolist() == want_ids.tolist() and ids.dtype == want_ids.dtype
        assert weights.tobytes() == want_weights.tobytes()
    index.passages._rows.clear()  # rows the kernel made
    again = index.retrieve(question, 4)
    assert first[0].tolist() == again[0].tolist()
    assert first[1].tobytes() == again[1].tobytes()
