"""The postings are counted chunk by chunk and laid side by side (bot/postings.py): whatever
the chunk size, the arrays equal one-shot counting and rank-bm25's weights, bit for bit."""

import random
from collections import Counter

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot import postings
from bot.postings import bigram_postings, build_postings, rank_bm25_idf
from bot.text.passages import Spilled

K1, B = 0.9, 0.4
FIELDS = ("indptr", "indices", "data", "idf", "df", "tf", "lengths")


def _corpus(rng: random.Random) -> tuple[np.ndarray, np.ndarray, int]:
    n_terms = rng.randint(1, 30)
    lengths = [rng.choice([0, 1, 2, rng.randint(0, 25)]) for _ in range(rng.randint(0, 50))]
    flat = [rng.randrange(n_terms) for _ in range(sum(lengths))]
    return np.array(flat, np.int32), np.array(lengths, np.int64), n_terms


def _same(a: postings.Postings, b: postings.Postings) -> None:
    assert a.n_docs == b.n_docs
    for f in FIELDS:
        x, y = getattr(a, f), getattr(b, f)
        assert (x is None) == (y is None), f
        if x is not None:
            assert x.dtype == y.dtype and np.array_equal(x, y), f


@pytest.mark.parametrize("seed", range(40))
def test_chunked_postings_equal_one_shot_and_rank_bm25(seed, monkeypatch):
    rng = random.Random(seed)
    flat, lengths, n_terms = _corpus(rng)
    whole = build_postings(flat, lengths, n_terms, K1, B, keep_tf=True)
    monkeypatch.setattr(postings, "SPAN", rng.randint(1, 40))  # many small chunks
    _same(build_postings(flat, lengths, n_terms, K1, B, keep_tf=True), whole)
    small = build_postings(flat, lengths, n_terms, K1, B, np.float32)
    assert small.tf is None and small.data.dtype == np.float32
    assert np.array_equal(small.data, whole.data.astype(np.float32))

    # Against a plain count per document and rank-bm25's own idf and formula.
    docs, at = [], 0
    for n in lengths.tolist():
        docs.append(flat[at:at + n].tolist())
        at += n
    if not docs or not sum(lengths):
        return
    ref = BM25Okapi([[str(t) for t in d] for d in docs], k1=K1, b=B)
    for term in range(n_terms):
        idx, w = whole.row(term)
        held = [(d, Counter(doc)[term]) for d, doc in enumerate(docs) if term in doc]
        assert idx.tolist() == [d for d, _ in held]
        assert whole.raw_row(term)[1].tolist() == [tf for _, tf in held]
        if held:
            idf = ref.idf[str(term)]
            assert whole.idf[term] == idf
            expect = [idf * (tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(docs[d]) / ref.avgdl)))
                      for d, tf in held]
            assert w.tolist() == expect


@pytest.mark.parametrize("seed", range(40))
def test_chunked_word_pairs_equal_a_plain_count(seed, monkeypatch):
    rng = random.Random(seed)
    flat, s_len, n_terms = _corpus(rng)  # documents are sentences here
    cuts = sorted(rng.randint(0, len(s_len)) for _ in range(rng.randint(0, len(s_len))))
    sent_ptr = np.array([0, *cuts, len(s_len)], np.int64)  # passages of sentences
    monkeypatch.setattr(postings, "SPAN", rng.randint(1, 40))
    keys, pairs = bigram_postings(flat, s_len, sent_ptr, n_terms, K1, B)

    tok = np.concatenate(([0], np.cumsum(s_len)))
    bodies = [flat[tok[a]:tok[z]].tolist() for a, z in zip(sent_ptr[:-1], sent_ptr[1:],
                                                             strict=True)]
    counts = [Counter(x * n_terms + y for x, y in zip(body, body[1:], strict=False))
              for body in bodies]
    expect_keys = sorted(set().union(*counts))
    assert keys.dtype == np.int64 and keys.tolist() == expect_keys
    ids = {k: i for i, k in enumerate(expect_keys)}
    flat_ids = np.array([ids[x * n_terms + y] for body in bodies
                         for x, y in zip(body, body[1:], strict=False)], np.int32)
    lengths = np.array([max(len(b) - 1, 0) for b in bodies], np.int64)
    monkeypatch.setattr(postings, "SPAN", 1 << 19)
    _same(pairs, build_postings(flat_ids, lengths, len(expect_keys), K1, B, np.float32))
    for k, i in ids.items():
        assert pairs.row(i)[0].tolist() == [p for p, c in enumerate(counts) if k in c]


@pytest.mark.parametrize("n_terms", [3_000_000, 2**31 - 1])
def test_wide_pair_keys_stay_exact(n_terms):
    # Term ids whose pair keys pass 2**31 (a vocabulary over 46,341 words), up to keys near
    # 2**62, where a chunk holds one or two passages so that key * passages stays in 63 bits.
    hi, lo = n_terms - 1, n_terms - 2
    flat = np.array([hi, lo, hi, lo, 5, hi, 5, hi], np.int32)
    keys, pairs = bigram_postings(flat, np.array([4, 2, 2]), np.array([0, 1, 2, 3]), n_terms,
                                  K1, B)
    assert keys.tolist() == sorted({hi * n_terms + lo, lo * n_terms + hi, 5 * n_terms + hi})
    assert [pairs.row(i)[0].tolist() for i in range(3)] == [[1, 2], [0], [0]]
    assert pairs.row(2)[1][0] > 0  # passage 0 holds hi-lo twice


@pytest.mark.parametrize("seed", range(10))
def test_idf_equals_rank_bm25s(seed):
    rng = random.Random(seed)
    docs = [[str(rng.randrange(40)) for _ in range(rng.randint(1, 20))]
            for _ in range(rng.randint(1, 60))]
    ref = BM25Okapi(docs, k1=K1, b=B)
    order = list(ref.idf)  # rank-bm25's order: first appearance
    df = np.array([sum(t in d for d in docs) for t in order], np.int64)
    assert rank_bm25_idf(df, len(docs)).tolist() == [ref.idf[t] for t in order]


@pytest.mark.parametrize("seed", range(30))
def test_counts_spilled_to_a_file_equal_counts_in_memory(seed, monkeypatch, tmp_path):
    # The index built into its file keeps the term ids and each chunk's counts in temporary
    # files (bot/text/passages.py `Spilled`, postings `_Spill`): the same arrays, bit for bit.
    rng = random.Random(seed)
    flat, lengths, n_terms = _corpus(rng)
    cuts = sorted(rng.randint(0, len(lengths)) for _ in range(rng.randint(0, len(lengths))))
    sent_ptr = np.array([0, *cuts, len(lengths)], np.int64)
    monkeypatch.setattr(postings, "SPAN", rng.randint(1, 40))
    terms = Spilled(tmp_path)
    at = 0
    while at < len(flat):  # written in pieces of any size, as tokenize_passages does
        step = rng.randint(1, 30)
        terms.append(flat[at:at + step])
        at += step
    assert len(terms) == len(flat) and terms[:].tolist() == flat.tolist()
    a, z = sorted(rng.randint(0, len(flat)) for _ in range(2))
    assert terms[a:z].tolist() == flat[a:z].tolist() and terms[z:a].tolist() == []
    _same(build_postings(terms, lengths, n_terms, K1, B, keep_tf=True, spill=tmp_path),
          build_postings(flat, lengths, n_terms, K1, B, keep_tf=True))
    keys, pairs = bigram_postings(terms, lengths, sent_ptr, n_terms, K1, B, spill=tmp_path)
    keys_mem, pairs_mem = bigram_postings(flat, lengths, sent_ptr, n_terms, K1, B)
    assert keys.dtype == keys_mem.dtype and np.array_equal(keys, keys_mem)
    _same(pairs, pairs_mem)
    terms.close()
    assert list(tmp_path.iterdir()) == []  # unnamed temporary files: nothing left behind
