"""Query-time BM25Okapi over segments: rank-bm25's formula with the current statistics.

Weights are computed from raw counts for just the postings a question touches, elementwise in
rank-bm25's order of float operations, so scores equal `BM25Okapi.get_scores` (not merely
approximate them). `search_pruned` finds the best k without scoring every posting of a
question's commonest words (MaxScore): the rarest words pick the candidates, and the
commonest words are only looked up for those, once their summed upper bound shows that a
passage holding nothing else cannot reach the k-th score.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from bot.postings import EPSILON
from bot.retrieval.segment import Segment

# Up to this many postings, scoring them all is cheaper than pruning (measured at 100k
# passages in benchmarks/incremental.py); past it, the rare words pick candidates.
EXHAUSTIVE_MAX = 100_000
PRUNE_BUDGET = 200_000  # postings of the rare words scored in full before giving up pruning
PRUNE_TRIES = 3  # rare-word sets tried, each one word larger, before scoring everything


@dataclass(frozen=True)
class State:
    """One consistent corpus: segments, their live bitmaps and the statistics over live docs."""

    segments: tuple[Segment, ...]
    live: tuple[np.ndarray, ...]  # bool per local doc; False = removed
    df: np.ndarray  # int64 per term id: live docs holding it
    n_docs: int
    total_len: int
    avg_idf: float  # rank-bm25's average idf over the terms the live corpus holds

    @staticmethod
    def average_idf(df: np.ndarray, n_docs: int) -> float:
        held = df[df > 0].astype(np.float64)
        if not len(held):
            return 0.0
        idf = np.log(n_docs - held + 0.5) - np.log(held + 0.5)
        return float(idf.sum() / len(idf))

    def norms(self, k1: float, b: float) -> tuple[np.ndarray, ...]:
        """Per segment, each doc's k1 * (1 - b + b * dl / avgdl) (rank-bm25's length term,
        same float operations), computed once per state: the statistics change with it."""
        cache = self.__dict__.setdefault("_norms", {})  # a new state starts a new cache
        if (k1, b) not in cache:
            avgdl = self.total_len / self.n_docs
            cache[(k1, b)] = tuple(k1 * (1 - b + b * seg.lengths / avgdl)
                                   for seg in self.segments)
        return cache[(k1, b)]

    def with_stats(self, df: np.ndarray, n_docs: int, total_len: int, **changes) -> State:
        return replace(self, df=df, n_docs=n_docs, total_len=total_len,
                       avg_idf=self.average_idf(df, n_docs), **changes)


def idf_of(s: State, tids: np.ndarray) -> np.ndarray:
    """rank-bm25's idf of each query term under the current statistics: negative ones are
    floored to epsilon x the average idf; a term no live passage holds weighs 0."""
    df = s.df[tids].astype(np.float64)
    idf = np.log(s.n_docs - df + 0.5) - np.log(df + 0.5)
    idf[idf < 0] = EPSILON * s.avg_idf
    idf[df == 0] = 0.0
    return idf


def _weights(norms: np.ndarray, tf: np.ndarray, docs: np.ndarray, idf: float, k1: float
             ) -> np.ndarray:
    # rank-bm25, elementwise and in its order of float operations:
    # idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
    norm = norms[docs]
    norm += tf
    w = tf * (k1 + 1)
    w /= norm
    w *= idf
    return w


def _rows(seg: Segment, tids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each query term's postings are in `seg`, and whether it has any."""
    pos = np.searchsorted(seg.terms, tids)
    ok = pos < len(seg.terms)
    ok[ok] = seg.terms[pos[ok]] == tids[ok]
    return pos, ok


def score_all(s: State, tids: np.ndarray, k1: float, b: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) of every live passage holding one of the term ids."""
    idf = idf_of(s, tids)
    out_ids, out_scores = [], []
    for seg, live, norms in zip(s.segments, s.live, s.norms(k1, b), strict=True):
        pos, ok = _rows(seg, tids)
        if not ok.any():
            continue
        docs, weights = [], []
        for j in np.flatnonzero(ok):  # in query order: rank-bm25's order of additions
            a, z = seg.term_ptr[pos[j]], seg.term_ptr[pos[j] + 1]
            d = seg.docs[a:z]
            docs.append(d)
            weights.append(_weights(norms, seg.tf[a:z], d, idf[j], k1))
        d = np.concatenate(docs)
        # bincount adds each doc's weights in input order, starting from 0.0: exactly
        # rank-bm25's running sum over the query's words.
        acc = np.bincount(d, np.concatenate(weights), minlength=seg.size)
        seen = np.zeros(seg.size, dtype=bool)
        seen[d] = True
        seen &= live
        hit = np.flatnonzero(seen)
        out_ids.append(seg.ids[hit])
        out_scores.append(acc[hit])
    if not out_ids:
        return np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(out_ids), np.concatenate(out_scores)


def top_k(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (ids, scores), best first, ties broken by id."""
    if k < len(ids):
        cut = np.argpartition(-scores, k - 1)[:k]
        # Keep every passage tied with the k-th, so ties break by id, not by position.
        cut = np.flatnonzero(scores >= scores[cut].min())
        ids, scores = ids[cut], scores[cut]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order], scores[order]


def search_pruned(s: State, tids: np.ndarray, k1: float, b: float, k: int
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """The best k, equal to `top_k(*score_all(...), k)`, or None when pruning cannot help
    (a word with idf <= 0, or the rare words alone already have too many postings)."""
    idf = idf_of(s, tids)
    if not (idf > 0).all():
        return None
    uniq, first, mult = np.unique(tids, return_index=True, return_counts=True)
    # A word adds less than idf * (k1 + 1) per occurrence in the question: tf / (tf + norm)
    # < 1 since norm >= k1 * (1 - b) > 0.
    bound = mult * idf[first] * (k1 + 1)
    order = np.argsort(s.df[uniq], kind="stable")  # rarest first
    for e in range(1, min(len(uniq), PRUNE_TRIES + 1)):
        essential, skipped = uniq[order[:e]], order[e:]
        if int(s.df[essential].sum()) > PRUNE_BUDGET:
            return None
        ids, scores = _score_candidates(s, tids, idf, essential, k1, b)
        if len(ids) < k:
            continue
        theta = np.partition(scores, len(scores) - k)[len(scores) - k]
        if bound[skipped].sum() < theta:  # a passage with only skipped words scores less
            return top_k(ids, scores, k)
    return None


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by one in-place sort (numpy 2's hash-based np.unique is several times
    slower on the hundreds of thousands of candidates of a big corpus)."""
    values.sort()
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _score_candidates(s: State, tids: np.ndarray, idf: np.ndarray, essential: np.ndarray,
                      k1: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact scores of the live passages holding an essential term: every query term's
    postings are looked up for them alone (rows are sorted by doc)."""
    out_ids, out_scores = [], []
    for seg, live, norms in zip(s.segments, s.live, s.norms(k1, b), strict=True):
        pos, ok = _rows(seg, essential)
        if not ok.any():
            continue
        cand = sorted_unique(np.concatenate([
            seg.docs[seg.term_ptr[p]: seg.term_ptr[p + 1]] for p in pos[ok]]))
        cand = cand[live[cand]]
        if not len(cand):
            continue
        acc = np.zeros(len(cand))
        pos, ok = _rows(seg, tids)
        for j in np.flatnonzero(ok):  # in query order, as score_all adds them
            a, z = seg.term_ptr[pos[j]], seg.term_ptr[pos[j] + 1]
            row = seg.docs[a:z]
            at = np.minimum(np.searchsorted(row, cand), len(row) - 1)
            held = row[at] == cand
            acc[held] += _weights(norms, seg.tf[a:z][at[held]], cand[held], idf[j], k1)
        out_ids.append(seg.ids[cand])
        out_scores.append(acc)
    if not out_ids:
        return np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(out_ids), np.concatenate(out_scores)
