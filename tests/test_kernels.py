"""The compiled loops (bot/_kernels.c) give exactly what the numpy code they stand in for
gives: the same passages, the same float scores bit for bit, ties to the lowest ids; and a
damaged array raises instead of being read out of bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import kernels, pruning
from bot.index import Index

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
