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


def first_stage(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_docs: int,
                terms: list[int], k: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The k best passages by BM25 among those holding a term (term ids in question order,
    repeats kept), ties to the lowest ids, in id order: `bot.pruning.best_k` over every
    passage's score, as (ids, scores)."""
    if native is None or not (_plain(indptr, np.int64) and _plain(indices, np.int32)
                              and _plain(data, np.float64)):
        return None
    k = max(int(k), 0)
    ids, scores = np.empty(k, np.int64), np.empty(k, np.float64)
    n = native.first_stage(indptr, indices, data, np.asarray(terms, np.int64), int(n_docs), k,
                           ids, scores)
    return ids[:n], scores[:n]
