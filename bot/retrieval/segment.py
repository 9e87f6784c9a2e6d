"""Segments: raw BM25 counts (term frequencies, lengths) of some passages, term-major.

Built by counting small chunks of passages (`count`), each sorted on its own, then laying the
chunks side by side (`interleave`) with no global sort; merging segments reuses the same step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

FIELDS = ("ids", "lengths", "terms", "term_ptr", "docs", "tf")


@dataclass(frozen=True, eq=False)
class Segment:
    """Raw counts of some passages: term-major postings, docs ascending within a term."""

    ids: np.ndarray  # int64 passage id of each local doc
    lengths: np.ndarray  # int32 tokens per local doc
    terms: np.ndarray  # int32 term ids present, ascending
    term_ptr: np.ndarray  # int64, len(terms) + 1: postings of terms[i] are [ptr[i], ptr[i+1])
    docs: np.ndarray  # int32 local doc per posting
    tf: np.ndarray  # int32 term frequency per posting

    @property
    def size(self) -> int:
        return len(self.ids)

    def term_df(self) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, how many of this segment's docs hold each), deletions not applied."""
        return self.terms, np.diff(self.term_ptr)

    @cached_property
    def _by_id(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.ids, kind="stable")
        return order, self.ids[order]

    def locate(self, ids: np.ndarray) -> np.ndarray:
        """Local docs of the given passage ids held here (ids not held are skipped)."""
        order, sorted_ids = self._by_id
        if not len(sorted_ids):
            return np.zeros(0, dtype=np.int64)
        pos = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        return order[pos[sorted_ids[pos] == ids]]

    def terms_of(self, local: np.ndarray) -> np.ndarray:
        """Term id of every posting of the given local docs (a term once per doc holding it)."""
        dead = np.zeros(self.size, dtype=bool)
        dead[local] = True
        hit = np.flatnonzero(dead[self.docs])
        return self.terms[np.searchsorted(self.term_ptr, hit, side="right") - 1]


def count(flat: np.ndarray, lengths: np.ndarray, first_doc: int
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(term, doc, tf) of a few passages' tokens laid end to end, sorted by term then doc."""
    n = len(lengths)
    keys = flat.astype(np.int64)
    keys *= max(n, 1)
    keys += np.repeat(np.arange(n, dtype=np.int64), lengths)
    keys.sort()
    if not len(keys):
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, empty
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    tf = np.diff(np.append(starts, len(keys))).astype(np.int32)
    keys = keys[starts]
    return (keys // max(n, 1)).astype(np.int32), (keys % max(n, 1) + first_doc).astype(
        np.int32), tf


def interleave(pieces: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge (term, doc, tf) pieces, each sorted by (term, doc), every doc of a piece above
    those of the pieces before it, into term-major postings without sorting: each posting's
    place is its term's start + postings of that term in earlier pieces + its rank in its own.
    Returns (terms, term_ptr, docs, tf)."""
    n_terms = max((int(t[-1]) + 1 for t, _, _ in pieces if len(t)), default=0)
    total = np.zeros(n_terms, dtype=np.int64)
    for t, _, _ in pieces:
        total += np.bincount(t, minlength=n_terms)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(total, out=indptr[1:])
    fill = indptr[:-1].copy()
    nnz = int(indptr[-1])
    docs = np.empty(nnz, dtype=np.int32)
    tf = np.empty(nnz, dtype=np.int32)
    for t, d, f in pieces:
        if not len(t):
            continue
        count = np.bincount(t, minlength=n_terms)
        first = np.cumsum(count) - count  # where each term's run starts inside this piece
        dest = np.arange(len(t), dtype=np.int64)
        dest -= first[t]
        dest += fill[t]
        docs[dest] = d
        tf[dest] = f
        fill += count
    present = np.flatnonzero(total).astype(np.int32)
    term_ptr = np.append(indptr[present], nnz).astype(np.int64)
    return present, term_ptr, docs, tf


def build_segment(ids: np.ndarray, pieces: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
                  lengths: np.ndarray) -> Segment:
    """A segment from counted pieces (see `count`) of docs 0..len(ids)-1."""
    terms, term_ptr, docs, tf = interleave(pieces)
    return Segment(np.asarray(ids, dtype=np.int64), np.asarray(lengths, dtype=np.int32),
                   terms, term_ptr, docs, tf)


def merge_segments(segments: Sequence[Segment], lives: Sequence[np.ndarray]) -> Segment:
    """One segment holding the live docs of `segments`, in order, renumbered from 0."""
    pieces, ids, lengths = [], [], []
    offset = 0
    for seg, live in zip(segments, lives, strict=True):
        new_local = np.cumsum(live, dtype=np.int64) - 1 + offset
        keep = live[seg.docs]
        terms = np.repeat(seg.terms, np.diff(seg.term_ptr))[keep]
        pieces.append((terms, new_local[seg.docs[keep]].astype(np.int32), seg.tf[keep]))
        ids.append(seg.ids[live])
        lengths.append(seg.lengths[live])
        offset += int(live.sum())
    return build_segment(np.concatenate(ids), pieces, np.concatenate(lengths))
