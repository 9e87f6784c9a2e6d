"""Block-max bounds of the passages' postings: for each common word and each block of SPAN
consecutive passage ids it occurs in, its largest term frequency and the shortest passage
holding it there.

BM25's weight grows with the term frequency and falls with the passage's length, so
idf x BM25(largest count, shortest length) bounds every posting of the word in the block,
with whatever N, document frequency and average length hold when the question is asked
(issue 14: the statistics are applied at query time, so a live index's changes keep the
bounds valid). Blocks are ranges of passage ids, the same for every word, not runs of a
word's postings: the bounds of a question's words add up per block in one numpy sum, and a
block whose sum cannot reach the k-th best score is skipped whole (bot/pruning.py).

Words in fewer than LONG passages keep no blocks: their few postings give exact per-block
maxima when asked (`weights_max`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPAN = 128  # passage ids per block
LONG = 4096  # a word in fewer passages keeps no blocks
CHUNK = 1 << 21  # postings handled at a time while building (small temporaries)
NAMES = ("ptr", "block", "start", "tf", "length")


@dataclass(frozen=True)
class BlockMax:
    """Per word t, entries ptr[t]:ptr[t+1]: the blocks it occurs in (ascending), where
    each block's postings begin in its row, its largest count and the shortest passage
    holding it in each."""

    ptr: np.ndarray
    block: np.ndarray
    start: np.ndarray
    tf: np.ndarray
    length: np.ndarray
    span: int = SPAN

    def has(self, term: int) -> bool:
        return bool(self.ptr[term + 1] > self.ptr[term])

    def bounds(self, term: int, idf: float, k1: float, b: float, avgdl: float
               ) -> tuple[np.ndarray, np.ndarray]:
        """(blocks, the most the word weighs in each), in rank-bm25's order of float
        operations, with these statistics."""
        a, z = self.ptr[term], self.ptr[term + 1]
        tf = self.tf[a:z].astype(np.float64)
        norm = k1 * (1 - b + b * self.length[a:z] / avgdl)
        norm += tf
        w = tf * (k1 + 1)
        w /= norm
        w *= idf
        return self.block[a:z], w

    def positions(self, term: int, blocks: np.ndarray, row_length: int) -> np.ndarray:
        """Where in the word's row its postings in the blocks (ascending; each one holding
        the word) are: no binary search in the row itself."""
        a, z = self.ptr[term], self.ptr[term + 1]
        entry = np.searchsorted(self.block[a:z], blocks.astype(self.block.dtype, copy=False))
        starts = np.append(self.start[a:z], row_length).astype(np.int64)
        lo = starts[entry]
        return _positions(lo, starts[entry + 1] - lo)


def weights_max(docs: np.ndarray, weights: np.ndarray, span: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """(blocks, the largest weight in each) of a posting (`docs` ascending)."""
    if not len(docs):
        return np.zeros(0, np.int64), np.zeros(0)
    blocks = docs // span
    starts = run_starts(blocks)
    return blocks[starts], np.maximum.reduceat(weights, starts)


def run_starts(a: np.ndarray) -> np.ndarray:
    """Where each run of equal values of `a` begins."""
    change = np.empty(len(a), dtype=bool)
    change[:1] = True
    np.not_equal(a[1:], a[:-1], out=change[1:])
    return np.flatnonzero(change)


def arrays(indptr: np.ndarray, indices: np.ndarray, tf: np.ndarray, lengths: np.ndarray,
           span: int = SPAN, long: int = LONG) -> list[tuple[str, np.ndarray]]:
    """The block-max arrays of passage postings (term-major, docs ascending per term), as
    the index file names them; made a few million postings at a time."""
    df = np.diff(indptr)
    rows = np.flatnonzero(df >= long)
    counts = np.zeros(len(df), dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    r = 0
    while r < len(rows):
        first = r
        size = 0
        while r < len(rows) and (r == first or size + df[rows[r]] <= CHUNK):
            size += int(df[rows[r]])
            r += 1
        chunk = rows[first:r]
        pos = _positions(indptr[chunk], df[chunk])
        docs = indices[pos]
        # A key per (row of the chunk, block): runs of equal keys are one entry each.
        key = np.repeat(np.arange(len(chunk), dtype=np.int64), df[chunk])
        key *= (int(lengths.shape[0]) // span) + 1
        key += docs // span
        starts = run_starts(key)
        counts[chunk] = np.diff(np.append(np.searchsorted(starts, np.cumsum(df[chunk])
                                                          - df[chunk]), len(starts)))
        row_at = np.cumsum(df[chunk]) - df[chunk]  # each row's first posting in the chunk
        parts.append(((docs[starts] // span).astype(np.uint32),
                      (starts - row_at[key[starts] // ((int(lengths.shape[0]) // span) + 1)]
                       ).astype(np.uint32),
                      np.maximum.reduceat(tf[pos], starts),
                      np.minimum.reduceat(lengths[docs], starts)))
    ptr = np.concatenate(([0], np.cumsum(counts)))
    out = [np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, d)
           for i, d in enumerate((np.uint32, np.uint32, tf.dtype, lengths.dtype))]
    return [("blockmax.ptr", ptr), *zip((f"blockmax.{n}" for n in NAMES[1:]), out, strict=True),
            ("blockmax.span", np.array(span))]


def _positions(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The positions start..start+len-1 of each (start, len), laid end to end."""
    total = int(lens.sum())
    if not total:
        return np.zeros(0, np.int64)
    offsets = np.cumsum(lens) - lens
    return np.repeat(starts.astype(np.int64) - offsets, lens) + np.arange(total)


def load(z) -> BlockMax | None:
    """The block-max arrays of an index file's arrays (None: an index without them)."""
    if "blockmax.ptr" not in z:
        return None
    return BlockMax(*(z[f"blockmax.{n}"] for n in NAMES), int(z["blockmax.span"]))


def within(docs: np.ndarray, blocks: np.ndarray, span: int, base: int = 0) -> np.ndarray:
    """Positions in `docs` (ascending) of those in the blocks (ascending) of passage ids,
    `docs` counted from `base`."""
    edges = blocks.astype(np.int64) * span - base
    lo = np.searchsorted(docs, np.maximum(edges, 0).astype(docs.dtype, copy=False))
    hi = np.searchsorted(docs, np.maximum(edges + span, 0).astype(docs.dtype, copy=False))
    return _positions(lo, hi - lo)
