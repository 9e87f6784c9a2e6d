"""The compiled loops of bot/_kernels.c, when they were built, each beside the numpy code it
stands in for; None from a function here means "use the numpy code".

FOOTNOTE_KERNELS=off leaves them unused (the tests compare both ways)."""

from __future__ import annotations

import os

import numpy as np

try:
    from bot import _kernels as native
except ImportError:  # no C compiler at install: the numpy code does it all
    native = None
if os.environ.get("FOOTNOTE_KERNELS", "").lower() in ("off", "0", "no"):
    native = None


def _plain(a: np.ndarray, dtype: type) -> bool:
    return a.dtype == dtype and a.flags.c_contiguous


def _layer(indices: np.ndarray, tf: np.ndarray, norms: np.ndarray, alive: np.ndarray) -> bool:
    """Can the kernels read a live index layer's arrays as they are?"""
    return (native is not None and _plain(indices, np.int32) and tf.flags.c_contiguous
            and tf.dtype in (np.uint16, np.uint32) and _plain(norms, np.float64)
            and _plain(alive, np.bool_))


def _best(k: int, run) -> tuple[np.ndarray, np.ndarray]:
    """The (ids, scores) `run(k, ids, scores)` writes, as many as it says."""
    k = max(int(k), 0)
    ids, scores = np.empty(k, np.int64), np.empty(k, np.float64)
    n = run(k, ids, scores)
    return ids[:n], scores[:n]


def first_stage(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_docs: int,
                terms: list[int], k: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The k best passages by BM25 among those holding a term (term ids in question order,
    repeats kept), ties to the lowest ids, in id order: `bot.pruning.best_k` over every
    passage's score, as (ids, scores)."""
    if native is None or not (_plain(indptr, np.int64) and _plain(indices, np.int32)
                              and _plain(data, np.float64)):
        return None
    terms = np.asarray(terms, np.int64)
    return _best(k, lambda k, ids, scores: native.first_stage(
        indptr, indices, data, terms, int(n_docs), k, ids, scores))


def scan_words(raw: bytes, cls: np.ndarray, table) -> tuple[np.ndarray, ...] | None:
    """Every word of a tokenizer chunk (bot/text/chunk.py) as byte (starts, ends), with its
    code in the word table (bot/text/chunk_words.py `_Table`), _EMPTY where the table lacks
    it or the word is longer than 16 bytes: `_words`, then `_Table.lookup` of `_keys`."""
    if native is None:
        return None
    room = len(raw) // 2 + 1  # words are at least one byte apart (empty pages stay unused)
    starts, ends, codes = (np.empty(room, np.int64) for _ in range(3))
    n = native.scan_words(raw, cls, table.k0, table.k1, table.code, table.bits, starts, ends,
                          codes)
    return starts[:n], ends[:n], codes[:n]


def first_stage_raw(indptr: np.ndarray, indices: np.ndarray, tf: np.ndarray,
                    norms: np.ndarray, alive: np.ndarray, terms: list[int], idf: np.ndarray,
                    k1: float, pid0: int, k: int) -> tuple[np.ndarray, np.ndarray] | None:
    """`first_stage` over one layer of a live index (bot/live_postings.py): each posting's
    weight made from its raw count, the passage's `norms` and the term's `idf` as
    `LivePostings` makes it; passages not `alive` left out; `terms` < 0 (not in this layer)
    skipped; ids offset by `pid0`."""
    if not (_layer(indices, tf, norms, alive) and _plain(indptr, np.int64)):
        return None
    terms, idf = np.asarray(terms, np.int64), np.ascontiguousarray(idf, np.float64)
    return _best(k, lambda k, ids, scores: native.first_stage_raw(
        indptr, indices, tf, norms, alive, terms, idf, k1 + 1, int(pid0), k, ids, scores))


def weigh_row(indices: np.ndarray, tf: np.ndarray, norms: np.ndarray, alive: np.ndarray,
              idf: float, k1: float, pid0: int) -> tuple[np.ndarray, np.ndarray] | None:
    """One term's postings in one layer of a live index as bot/live_postings.py `_row`
    makes them: (passage ids of the live passages, offset by `pid0`; their weights)."""
    if not _layer(indices, tf, norms, alive) or pid0 + len(norms) > np.iinfo(np.int32).max:
        return None
    # int32 ids, as numpy's int32 docs + pid0 are
    ids, weights = np.empty(len(indices), np.int32), np.empty(len(indices), np.float64)
    n = native.weigh_row(indices, tf, norms, alive, float(idf), k1 + 1, int(pid0), ids,
                         weights)
    return ids[:n], weights[:n]
