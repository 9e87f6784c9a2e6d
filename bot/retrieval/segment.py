"""Segments: raw BM25 counts (term frequencies, lengths) of some passages, term-major.

Built by counting small chunks of passages (`count`: one small sort each), then laying the
chunks side by side (`interleave`) with no global sort; merging segments reuses that step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

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
    tf: np.ndarray  # uint16 (or int32) term frequency per posting

    @property
    def size(self) -> int:
        return len(self.ids)

    def term_df(self) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, how many of this segment's docs hold each), deletions not applied."""
        return self.terms, np.diff(self.term_ptr)

    @cached_property
    def _by_id(self) -> tuple[np.ndarray, np.ndarray]:
        if len(self.ids) < 2 or bool(np.all(self.ids[1:] > self.ids[:-1])):  # the usual case
            return np.arange(len(self.ids)), self.ids
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


class Piece(NamedTuple):
    """Postings of a few docs, term-major: docs[ptr[i]:ptr[i+1]] hold terms[i]."""

    terms: np.ndarray  # int32, ascending
    ptr: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32, ascending within a term
    tf: np.ndarray  # uint16 (int32 if a count ever exceeds 65535)


def _tf_dtype(max_tf: int) -> type:
    return np.uint16 if max_tf <= np.iinfo(np.uint16).max else np.int32


def count(flat: np.ndarray, lengths: np.ndarray, first_doc: int) -> Piece:
    """The postings of a few passages' tokens laid end to end (passage i is doc
    first_doc + i): one sort of (term, doc) keys, then runs counted."""
    n = max(len(lengths), 1)
    keys = flat.astype(np.int64)
    keys *= n
    keys += np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    keys.sort()
    new = np.empty(len(keys), dtype=bool)
    new[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    del new
    tf = np.diff(np.append(starts, len(keys)))
    keys = keys[starts]
    del starts
    terms = (keys // n).astype(np.int32)
    docs = (keys % n + first_doc).astype(np.int32)
    del keys
    at = np.flatnonzero(np.diff(terms, prepend=-1))  # terms are sorted: where each starts
    uterms = terms[at]
    ptr = np.append(at, len(terms)).astype(np.int64)
    return Piece(uterms.astype(np.int32), ptr, docs,
                 tf.astype(_tf_dtype(int(tf.max(initial=0)))))


def interleave(pieces: list[Piece]) -> Piece:
    """Lay pieces side by side into one term-major piece without sorting: every doc of a
    piece is above those of the pieces before it, so a posting's place is its term's start +
    the postings of that term in earlier pieces + its rank in its own piece. Empties
    `pieces` as it goes, so each is freed once placed."""
    n_terms = max((int(p.terms[-1]) + 1 for p in pieces if len(p.terms)), default=0)
    total = np.zeros(n_terms, dtype=np.int64)
    for p in pieces:
        total[p.terms] += np.diff(p.ptr)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(total, out=indptr[1:])
    fill = indptr[:-1].copy()
    nnz = int(indptr[-1])
    docs = np.empty(nnz, dtype=np.int32)  # pages are only committed as they are written
    tf = np.empty(nnz, dtype=np.result_type(np.uint16, *(p.tf.dtype for p in pieces)))
    pieces.reverse()
    while pieces:
        p = pieces.pop()
        runs = np.diff(p.ptr)
        dest = np.repeat(fill[p.terms] - p.ptr[:-1], runs)
        dest += np.arange(len(p.docs), dtype=np.int64)
        docs[dest] = p.docs
        tf[dest] = p.tf
        fill[p.terms] += runs
        del p, runs, dest
    present = np.flatnonzero(total).astype(np.int32)
    return Piece(present, np.append(indptr[present], nnz).astype(np.int64), docs, tf)


def build_segment(ids: np.ndarray, pieces: list[Piece], lengths: np.ndarray) -> Segment:
    """A segment from the counted pieces (see `count`) of docs 0..len(ids)-1; empties
    `pieces`."""
    p = interleave(pieces)
    return Segment(np.asarray(ids, dtype=np.int64), np.asarray(lengths, dtype=np.int32),
                   p.terms, p.ptr, p.docs, p.tf)


def merge_segments(segments: Sequence[Segment], lives: Sequence[np.ndarray]) -> Segment:
    """One segment holding the live docs of `segments`, in order, renumbered from 0."""
    pieces, ids, lengths = [], [], []
    offset = 0
    for seg, live in zip(segments, lives, strict=True):
        new_local = np.cumsum(live, dtype=np.int64) - 1 + offset
        keep = live[seg.docs]
        runs = np.add.reduceat(keep, seg.term_ptr[:-1]) if len(keep) else np.zeros(0, int)
        held = runs > 0
        ptr = np.zeros(int(held.sum()) + 1, dtype=np.int64)
        np.cumsum(runs[held], out=ptr[1:])
        pieces.append(Piece(seg.terms[held], ptr,
                            new_local[seg.docs[keep]].astype(np.int32), seg.tf[keep]))
        ids.append(seg.ids[live])
        lengths.append(seg.lengths[live])
        offset += int(live.sum())
    return build_segment(np.concatenate(ids), pieces, np.concatenate(lengths))
