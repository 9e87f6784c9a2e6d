"""Sparse BM25Okapi postings: weights computed once, exactly as rank-bm25 computes them.

The passages' postings also keep their raw term frequencies and lengths (`tf`, `lengths`):
while a corpus changes incrementally (bot/live.py) every weight depends on the current N, df
and average length, so they are computed again per query from these."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EPSILON = 0.25  # rank-bm25's floor for negative idf, as a fraction of the average idf


@dataclass
class Postings:
    """Term-major sparse matrix: row t holds (doc, weight) pairs, docs ascending."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    idf: np.ndarray
    df: np.ndarray
    n_docs: int
    tf: np.ndarray | None = None  # raw term frequency per posting (kept for passages only)
    lengths: np.ndarray | None = None  # tokens per document (kept with `tf`)

    def row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.indptr[term], self.indptr[term + 1]
        return self.indices[a:b], self.data[a:b]

    def raw_row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(docs, raw term frequencies) of a term."""
        a, b = self.indptr[term], self.indptr[term + 1]
        return self.indices[a:b], self.tf[a:b]


def tf_dtype(max_tf: int) -> type:
    """The smallest unsigned type holding every term frequency (uint16 nearly always)."""
    return np.uint16 if max_tf <= np.iinfo(np.uint16).max else np.uint32


def rank_bm25_idf(df: np.ndarray, n_docs: int, epsilon: float = EPSILON) -> np.ndarray:
    """BM25Okapi's idf, computed as rank-bm25 does (same order of float operations)."""
    idf = [math.log(n_docs - f + 0.5) - math.log(f + 0.5) for f in df.tolist()]
    total = 0.0
    for value in idf:  # sequential sum, in first-appearance order, like rank-bm25
        total += value
    eps = epsilon * (total / len(idf)) if idf else 0.0
    return np.array([eps if v < 0 else v for v in idf], dtype=np.float64)


def build_postings(
    flat_terms: np.ndarray,
    lengths: np.ndarray,
    n_terms: int,
    k1: float,
    b: float,
    dtype: type = np.float64,
    keep_tf: bool = False,
) -> Postings:
    """Sparse BM25Okapi weights from every document's term ids laid end to end; `keep_tf`:
    keep the raw term frequencies and lengths too."""
    n_docs = len(lengths)
    keys = flat_terms.astype(np.int64)
    keys *= max(n_docs, 1)
    keys += np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    keys.sort()  # in place: (term, doc) pairs grouped, docs ascending within a term
    if len(keys):
        new = np.empty(len(keys), dtype=bool)
        new[0] = True
        np.not_equal(keys[1:], keys[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        del new
        tf = np.diff(np.append(starts, len(keys)))
        keys = keys[starts]
        del starts
    else:
        tf = np.zeros(0, dtype=np.int64)
    raw = tf.astype(tf_dtype(int(tf.max(initial=0)))) if keep_tf else None
    n = max(n_docs, 1)
    terms = (keys // n).astype(np.int32)
    doc_ids = (keys % n).astype(np.int32)
    del keys
    df = np.bincount(terms, minlength=n_terms)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    idf = rank_bm25_idf(df, n_docs)
    total = int(lengths.sum())
    avgdl = total / n_docs if n_docs else 0.0
    if avgdl > 0:
        # rank-bm25's get_scores, elementwise and in the same order of operations:
        # idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
        norm = b * lengths / avgdl  # per document, then gathered per posting
        norm = k1 * (1 - b + norm)
        denom = norm[doc_ids]
        del norm
        denom += tf
        data = tf * (k1 + 1)
        del tf
        data /= denom
        del denom
        data *= idf[terms]
    else:
        data = np.zeros(len(terms))
    return Postings(indptr, doc_ids, data.astype(dtype, copy=False), idf, df, n_docs, raw,
                    lengths.astype(np.int32) if keep_tf else None)


def bigram_postings(
    flat: np.ndarray, s_len: np.ndarray, sent_ptr: np.ndarray, n_terms: int, k1: float, b: float
) -> tuple[np.ndarray, Postings]:
    """BM25 over the adjacent word pairs of each passage body (pairs never cross passages)."""
    tok_end = np.concatenate(([0], np.cumsum(s_len)))
    body_len = tok_end[sent_ptr[1:]] - tok_end[sent_ptr[:-1]]  # tokens per passage body
    pairs = np.maximum(body_len - 1, 0)
    if len(flat) < 2:
        return np.zeros(0, np.int64), build_postings(
            np.zeros(0, np.int32), pairs, 0, k1, b, np.float32
        )
    # Pairs are laid out in passage order already; drop the one straddling each boundary.
    keep = np.ones(len(flat) - 1, dtype=bool)
    ends = np.cumsum(body_len)[:-1]
    keep[ends[(ends > 0) & (ends < len(flat))] - 1] = False
    keys = flat[:-1].astype(np.int64)
    keys *= n_terms
    keys += flat[1:]
    keys = keys[keep]
    del keep
    order, sorted_keys = _sort_with_order(keys)
    del keys
    new = np.empty(len(sorted_keys), dtype=bool)
    new[:1] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=new[1:])
    uniq = sorted_keys[new]
    del sorted_keys
    ids = np.empty(len(order), dtype=np.int32)
    ids[order] = np.cumsum(new, dtype=np.int64) - 1
    del order, new
    return uniq, build_postings(ids, pairs, len(uniq), k1, b, np.float32)


def _sort_with_order(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(an order sorting the non-negative `keys`, the sorted keys). When key and position fit
    one 64-bit integer together, a plain sort of those (much faster than argsort here);
    `keys` is consumed."""
    shift = max(len(keys) - 1, 1).bit_length()
    if int(keys.max(initial=0)).bit_length() + shift > 63:
        order = np.argsort(keys, kind="stable")
        return order, keys[order]
    keys <<= shift
    keys |= np.arange(len(keys), dtype=np.int64)
    keys.sort()
    order = keys & ((1 << shift) - 1)
    keys >>= shift
    return order, keys
