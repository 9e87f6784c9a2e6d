"""The first stage's k best passages without scoring every posting of the question's common
words (MaxScore), exactly as scoring them all would find them.

No posting of a word weighs more than its bound, so a passage holding none of the question's
heaviest words scores at most the sum of the other words' bounds. Once k passages are known
to score more than that, only passages holding a heavy word can be among the best: they are
the candidates. Each candidate's heavy words' weights plus the other words' bounds is the most
it can score; only the few whose most reaches the k-th best score found so far are scored
exactly, every question word looked up for them alone (postings are sorted by passage).
Scores are the same float sums as scoring every posting (each word's weight added in question
order, from 0.0), and ties at the k-th score go to the lowest passage ids, so the result does
not depend on which path found it (`best_k`).
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

import numpy as np

# Up to this many postings over the question's words, scoring them all costs about what
# pruning would: no pruning.
EXHAUSTIVE_MAX = 50_000
# Past this share of the postings, the heavy words' postings are nearly all of them: scoring
# everything is as cheap.
CANDIDATE_SHARE = 0.8
# Candidates scored exactly first, per passage asked for: their k-th best score is the first
# threshold.
PROBE = 4
# A passage's score is a float sum in question order, its words' bounds are summed in
# another order: a margin far above the rounding keeps the cut safe.
MARGIN = 1e-9


class Rows(Protocol):
    """A first stage's postings, as pruning reads them."""

    size: int  # passage ids run from 0 to size - 1

    def count(self, term: int) -> int:
        """Postings of the term (an upper bound on the live passages holding it)."""

    def bound(self, term: int) -> float:
        """No posting of the term weighs more (and some posting weighs this or nearly)."""

    def row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(the live passages holding the term, ascending; its weight in each)."""

    def at(self, term: int, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of the candidates (ascending) hold the term, and its weight in those."""


def find(ordered: np.ndarray, values) -> np.ndarray:
    """np.searchsorted with the values cast to the sorted array's dtype: given int64 ids,
    numpy would cast the array instead (an int32 posting row of 0.4M passages copied, a
    quarter of a millisecond, for one id)."""
    return np.searchsorted(ordered, np.asarray(values).astype(ordered.dtype, copy=False))


def lookup(idx: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which candidates (ascending) the sorted posting `idx` holds, and where in `idx` those
    are: the shorter of the two is searched in the longer (binary searches are what cost)."""
    if not len(idx) or not len(cand):
        return np.zeros(len(cand), bool), np.zeros(0, np.int64)
    if len(cand) <= len(idx):
        pos = find(idx, cand)
        pos[pos >= len(idx)] = 0
        hit = idx[pos] == cand
        return hit, pos[hit]
    at = find(cand, idx)
    at[at >= len(cand)] = 0
    found = cand[at] == idx
    hit = np.zeros(len(cand), bool)
    hit[at[found]] = True
    return hit, np.flatnonzero(found)


def best_k(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of `ids` (ascending) by score, ties at the k-th score broken by the lowest
    ids; in id order."""
    if k >= len(ids):
        return ids, scores
    if k <= 0:
        return ids[:0], scores[:0]
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    keep = scores > kth
    tied = np.flatnonzero(scores == kth)
    keep[tied[: k - int(keep.sum())]] = True
    return ids[keep], scores[keep]


def score(rows: Rows, tids: list[int], cand: np.ndarray) -> np.ndarray:
    """Exact scores of the candidates: each question word's weight added in question order
    (repeats included), from 0.0, as adding up every posting does."""
    acc = np.zeros(len(cand))
    for t in tids:
        hit, w = rows.at(t, cand)
        acc[hit] += w
    return acc


def top_k(rows: Rows, tids: list[int], k: int) -> tuple[np.ndarray, np.ndarray] | None:
    """`best_k` of every live passage holding a question word (term ids, repeats kept), or
    None when pruning cannot help: few postings, a word that weighs 0 or less (a tiny
    corpus), or heavy words holding most of the postings."""
    uniq = list(dict.fromkeys(tids))
    counts = np.array([rows.count(t) for t in uniq], dtype=np.int64)
    total = int(counts.sum())
    if total <= EXHAUSTIVE_MAX or k <= 0:
        return None
    mult = Counter(tids)
    bounds = np.array([mult[t] * rows.bound(t) for t in uniq])
    if not (bounds > 0).all():
        return None
    order = np.argsort(-bounds, kind="stable")  # heaviest (rarest) first
    # rest[e]: the most a passage holding none of the first e words can score.
    rest = np.concatenate((np.cumsum(bounds[order][::-1])[::-1], [0.0])) * (1 + MARGIN)
    held = np.cumsum(counts[order])
    e = int(np.searchsorted(held, k)) + 1  # the fewest heavy words whose postings hold k
    theta = 0.0  # the k-th best score is at least this (every weight is positive)
    while e < len(uniq) and held[e - 1] <= CANDIDATE_SHARE * total:
        heavy = [uniq[i] for i in order[:e]]
        cand, most = _candidates(rows, heavy, [mult[t] for t in heavy])
        if len(cand) >= k:
            # A threshold: the k-th best exact score of the likeliest candidates.
            probe = np.sort(np.argpartition(-most, min(PROBE * k, len(cand)) - 1)
                            [:PROBE * k])
            scores = score(rows, tids, cand[probe])
            theta = max(theta, np.partition(scores, len(scores) - k)[len(scores) - k])
        need = int(np.argmax(rest < theta)) if theta > 0 else len(uniq)
        if need > e:  # more heavy words needed: take them all at once
            e = need
            continue
        # A passage holding no heavy word scores less than the threshold. The other words
        # one by one, heaviest first: each candidate's most, its weights so far plus the
        # bounds of the words not looked up yet, falls to what it holds; those whose most
        # falls below the threshold are dropped.
        for j, i in enumerate(order[e:], e + 1):
            keep = (most + rest[j - 1]) * (1 + MARGIN) >= theta
            cand, most = cand[keep], most[keep]
            hit, w = rows.at(uniq[i], cand)
            most[hit] += mult[uniq[i]] * w
        keep = most * (1 + MARGIN) >= theta
        return best_k(cand[keep], score(rows, tids, cand[keep]), k)
    return None


def _candidates(rows: Rows, terms: list[int], mults: list[int]
                ) -> tuple[np.ndarray, np.ndarray]:
    """The live passages holding any of the terms (ascending), and the sum of those terms'
    weights in each (times their count in the question; any order of additions: an
    estimate, not a score)."""
    parts = [rows.row(t) for t in terms]
    docs = np.concatenate([d for d, _ in parts])
    # (a word once in the question, nearly always: its weights as they are, not copied)
    weights = np.concatenate([w * m if m != 1 else w
                              for (_, w), m in zip(parts, mults, strict=True)])
    if len(docs) * 8 > rows.size:  # many: one dense pass is cheaper than sorting them
        # Every weight is positive (`top_k`), so is every sum: the passages with a sum are
        # those holding a term (no separate pass marking them).
        most = np.bincount(docs, weights, minlength=rows.size)
        cand = np.flatnonzero(most > 0)  # a bool array: np.flatnonzero of floats is slow
        return cand, most[cand]
    values = np.sort(docs)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    cand = values[keep]
    return cand, np.bincount(np.searchsorted(cand, docs), weights, minlength=len(cand))
