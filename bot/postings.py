"""Sparse BM25Okapi postings: weights computed once, exactly as rank-bm25 computes them.

The passages' postings also keep their raw term frequencies and lengths (`tf`, `lengths`):
while a corpus changes incrementally (bot/live.py) every weight depends on the current N, df
and average length, so they are computed again per query from these."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from bot.text.passages import read_at, release_free_memory

EPSILON = 0.25  # rank-bm25's floor for negative idf, as a fraction of the average idf
SPAN = 1 << 19  # tokens (or postings) handled at a time: sorts that stay in the CPU's cache


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

    def tf_at(self, term: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of `docs` hold the term, and BM25's term-frequency part of its weight in
        each of those: the re-ranking weighs it with its own word weights (bot/rerank.py)."""
        return tf_at(*self.row(term), float(self.idf[term]), docs)

    def raw_row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(docs, raw term frequencies) of a term."""
        a, b = self.indptr[term], self.indptr[term + 1]
        return self.indices[a:b], self.tf[a:b]


def tf_at(idx: np.ndarray, weights: np.ndarray, idf: float, docs: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Which `docs` are in the posting (`idx` sorted, BM25 `weights`), and their weights
    over the idf: tf saturated and length normalised (only theirs divided: a common word's
    posting is long). An idf of exactly 0 (a word in half the documents of a tiny corpus)
    hides it: 1, its value for one occurrence at average length."""
    if not len(idx):
        return np.zeros(len(docs), bool), np.zeros(0)
    pos = np.searchsorted(idx, docs.astype(idx.dtype, copy=False))  # not idx cast: a copy
    pos[pos >= len(idx)] = 0
    hit = idx[pos] == docs
    found = weights[pos[hit]]
    return hit, found / idf if idf else np.ones(len(found))


def tf_dtype(max_tf: int) -> type:
    """The smallest unsigned type holding every term frequency (uint16 nearly always)."""
    return np.uint16 if max_tf <= np.iinfo(np.uint16).max else np.uint32


def rank_bm25_idf(df: np.ndarray, n_docs: int, epsilon: float = EPSILON) -> np.ndarray:
    """BM25Okapi's idf, computed as rank-bm25 does (same order of float operations): the
    logs by `math.log`, once per distinct document frequency."""
    if not len(df):
        return np.zeros(0, dtype=np.float64)
    present = np.zeros(int(df.max()) + 1, dtype=bool)
    present[df] = True
    table = np.zeros(len(present), dtype=np.float64)
    seen = np.flatnonzero(present)
    table[seen] = [math.log(n_docs - f + 0.5) - math.log(f + 0.5) for f in seen.tolist()]
    idf = table[df]
    total = 0.0
    for value in idf.tolist():  # sequential sum, in first-appearance order, like rank-bm25
        total += value
    return np.where(idf < 0, epsilon * (total / len(idf)), idf)


def build_postings(
    flat_terms: np.ndarray,
    lengths: np.ndarray,
    n_terms: int,
    k1: float,
    b: float,
    dtype: type = np.float64,
    keep_tf: bool = False,
    lazy: bool = False,
    spill: Path | None = None,
) -> Postings:
    """Sparse BM25Okapi weights from every document's term ids laid end to end (an array,
    or anything sliced like one); `keep_tf`: keep the raw term frequencies and lengths too;
    `lazy`: the weights as `Blocks`; `spill`: a folder where the chunks' counts wait in a
    temporary file until they are laid out, not in memory."""
    at = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))  # doc d: at[d]:at[d+1]
    with _store(spill) as keep:
        parts = _count(lambda d0, d1: flat_terms[at[d0]:at[d1]], lengths, max(n_terms, 1),
                       keep=keep)
        release_free_memory()  # the chunks' temporaries, before the matrix is laid out
        laid = _lay_out(parts, n_terms)
    return _weigh(laid, lengths, k1, b, dtype, keep_tf, lazy)


def _count(keys_of: Callable[[int, int], np.ndarray], lengths: np.ndarray, top: int,
           span: int = SPAN, keep: Callable[[_Counts], _Part] | None = None) -> list[_Part]:
    """(key, doc, count) of every distinct key of each document, a few hundred thousand
    tokens of documents at a time: each chunk sorts its own small (key, doc) array, which is
    faster and far smaller than one sort over the corpus. Within a chunk, keys ascend and
    docs ascend within a key. Keys of `top` or more (word pairs) are kept as the chunk's
    distinct keys and an int32 index into them. `keep`: what is kept of each chunk (itself
    by default; a `_Spill` writes it to its file)."""
    if keep is None:
        keep = _Counts.load
    ends = np.cumsum(lengths, dtype=np.int64)
    n_docs = len(lengths)
    most_docs = max(1, (2**63 - 1) // max(top, 1))  # key * docs + doc must fit 63 bits
    wide = top > 2**31
    parts = []
    d0 = 0
    while d0 < n_docs:
        t0 = int(ends[d0 - 1]) if d0 else 0
        d1 = int(np.searchsorted(ends, t0 + span, side="right"))
        d1 = min(max(d1, d0 + 1), n_docs, d0 + most_docs)
        nd = d1 - d0
        key = keys_of(d0, d1).astype(np.int64)
        key *= nd
        key += np.repeat(np.arange(nd, dtype=np.int64), lengths[d0:d1])
        key.sort()
        starts = _run_starts(key)
        count = np.diff(np.append(starts, len(key)))
        count = count.astype(tf_dtype(int(count.max(initial=0))))
        key = key[starts]
        del starts
        docs = (key % nd).astype(np.int32)
        docs += d0
        key //= nd
        if wide:
            first = _run_starts(key)
            local = np.zeros(len(key), np.int32)
            local[first[1:]] = 1
            np.cumsum(local, out=local)
            parts.append(keep(_Counts(local, docs, count, key[first])))
        else:
            parts.append(keep(_Counts(key.astype(np.int32), docs, count)))
        d0 = d1
    return parts


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts, in a sorted array."""
    new = np.empty(len(values), dtype=bool)
    new[:1] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    return np.flatnonzero(new)


@dataclass
class _Counts:
    """One chunk's postings: key (a term id, or an index into `distinct`), doc, count."""

    key: np.ndarray
    doc: np.ndarray
    count: np.ndarray
    distinct: np.ndarray | None = None  # the chunk's distinct wide keys (word pairs), sorted

    def load(self) -> _Counts:
        return self


class _Spilled:
    """A chunk's counts written to its matrix's temporary file, read back on use."""

    def __init__(self, spill: _Spill, where: list[tuple[int, np.dtype, int] | None]) -> None:
        self.spill, self.where = spill, where

    def load(self) -> _Counts:
        return _Counts(*map(self.field, range(len(self.where))))

    def rewrite_keys(self, keys: np.ndarray) -> None:
        """Put `keys` (as many, of the same type) in place of the chunk's keys in the file,
        and forget its distinct keys: the file does not grow."""
        w = self.where[0]
        assert w is not None and keys.dtype == w[1] and len(keys) == w[2]
        self.spill.file.flush()
        fd, data, done = self.spill.file.fileno(), memoryview(keys).cast("B"), 0
        while done < len(data):  # pwrite may write less than asked
            done += os.pwrite(fd, data[done:], w[0] + done)
        self.where[3] = None

    def field(self, i: int) -> np.ndarray | None:
        """One of the chunk's arrays, in `_Counts`' order."""
        w = self.where[i]
        if w is None:
            return None
        return np.frombuffer(read_at(self.spill.file, w[0], w[1].itemsize * w[2]), w[1])


_Part = _Counts | _Spilled


class _Spill:
    """One matrix's chunk counts in an unnamed temporary file (so at 100k passages the word
    pairs' ~110 MB of counts are not all in memory while the matrix is laid out)."""

    def __init__(self, folder: Path) -> None:
        self.file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  # closed on exit
        self.end = 0

    def __call__(self, counts: _Counts) -> _Spilled:
        where: list[tuple[int, np.dtype, int] | None] = []
        for f in fields(_Counts):
            a = getattr(counts, f.name)
            if a is None:
                where.append(None)
                continue
            a = np.ascontiguousarray(a)
            where.append((self.end, a.dtype, len(a)))
            self.file.write(memoryview(a).cast("B"))
            self.end += a.nbytes
        return _Spilled(self, where)

    def __enter__(self) -> _Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def _store(folder: Path | None) -> AbstractContextManager[Callable[[_Counts], _Part]]:
    """What keeps each chunk's counts while a matrix is counted: a `_Spill` in `folder`,
    or without one the counts themselves."""
    return _Spill(folder) if folder is not None else nullcontext(_Counts.load)


def _lay_out(parts: list[_Part], n_rows: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The chunks' postings side by side, term-major, docs ascending: (indptr, indices,
    counts, df). Each posting goes straight to its place (its term's start, plus the term's
    postings in earlier chunks, plus its rank in this chunk): no global sort. `parts` is
    emptied as it is used (each spilled chunk read twice, one at a time)."""
    df = np.zeros(n_rows, np.int64)
    max_count = 0
    for part in parts:
        p = part.load()
        df += np.bincount(p.key, minlength=n_rows)
        max_count = max(max_count, int(p.count.max(initial=0)))
        del p
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    total = int(indptr[-1])
    indices = np.empty(total, np.int32)
    counts = np.empty(total, tf_dtype(max_count))
    fill = indptr[:-1].copy()  # where each term's next posting goes
    parts.reverse()
    while parts:
        p = parts.pop().load()
        if not len(p.key):
            continue
        starts = _run_starts(p.key)
        runs = np.diff(np.append(starts, len(p.key)))
        dest = np.arange(len(p.key), dtype=np.int64)
        dest -= np.repeat(starts, runs)
        dest += fill[p.key]
        fill[p.key[starts]] += runs
        indices[dest] = p.doc
        counts[dest] = p.count
    return indptr, indices, counts, df


@dataclass
class Blocks:
    """Weights not held in memory: their type, how many, and their consecutive blocks, made
    as they are read (the build writes them straight into the index file, bot/index.py)."""

    dtype: np.dtype
    size: int
    blocks: Iterator[np.ndarray]


def _weigh(laid: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], lengths: np.ndarray,
           k1: float, b: float, dtype: type, keep_tf: bool, lazy: bool = False) -> Postings:
    """BM25Okapi weights of laid-out postings, a block of terms at a time; `lazy`: as
    `Blocks`, not an array."""
    indptr, doc_ids, tf, df = laid
    n_docs = len(lengths)
    idf = rank_bm25_idf(df, n_docs)
    blocks = _weight_blocks(indptr, doc_ids, tf, df, idf, lengths, k1, b, dtype)
    if lazy:
        data = Blocks(np.dtype(dtype), len(doc_ids), blocks)
    else:
        data = np.empty(len(doc_ids), dtype)
        at = 0
        for block in blocks:
            data[at:at + len(block)] = block
            at += len(block)
    return Postings(indptr, doc_ids, data, idf, df, n_docs, tf if keep_tf else None,
                    lengths.astype(np.int32) if keep_tf else None)


def _weight_blocks(indptr: np.ndarray, doc_ids: np.ndarray, tf: np.ndarray, df: np.ndarray,
                   idf: np.ndarray, lengths: np.ndarray, k1: float, b: float, dtype: type
                   ) -> Iterator[np.ndarray]:
    """The weights of blocks of about SPAN postings (small temporaries), in order."""
    n_docs = len(lengths)
    total = int(lengths.sum())
    avgdl = total / n_docs if n_docs else 0.0
    if avgdl <= 0:  # no tokens at all: every weight 0
        yield np.zeros(len(doc_ids), dtype)
        return
    # rank-bm25's get_scores, elementwise and in the same order of operations:
    # idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
    norm = b * lengths / avgdl  # per document, then gathered per posting
    norm = k1 * (1 - b + norm)
    r0 = 0
    n_rows = len(df)
    while r0 < n_rows:
        r1 = int(np.searchsorted(indptr, indptr[r0] + SPAN, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n_rows)
        a, z = int(indptr[r0]), int(indptr[r1])
        count = tf[a:z].astype(np.float64)
        denom = norm[doc_ids[a:z]]
        denom += count
        block = count * (k1 + 1)
        block /= denom
        block *= np.repeat(idf[r0:r1], df[r0:r1])
        yield block.astype(dtype, copy=False)
        r0 = r1


def bigram_postings(
    flat: np.ndarray, s_len: np.ndarray, sent_ptr: np.ndarray, n_terms: int, k1: float, b: float,
    lazy: bool = False, spill: Path | None = None,
) -> tuple[np.ndarray, Postings]:
    """BM25 over the adjacent word pairs of each passage body (pairs never cross passages):
    (the pairs' keys, first * n_terms + second, ascending; their postings). `flat`, `lazy`
    and `spill` as `build_postings`'s."""
    tok_end = np.concatenate(([0], np.cumsum(s_len)))
    body_at = tok_end[sent_ptr]  # passage p's body: body_at[p]:body_at[p + 1]
    pairs = np.maximum(np.diff(body_at) - 1, 0)

    def pair_keys(d0: int, d1: int) -> np.ndarray:
        """The pair keys of passages d0..d1-1, laid end to end."""
        a = flat[body_at[d0]:body_at[d1]]
        keys = a[:-1].astype(np.int64)
        keys *= n_terms
        keys += a[1:]
        ends = body_at[d0 + 1:d1] - body_at[d0]  # drop the pairs straddling two passages
        drop = ends[(ends > 0) & (ends < len(a))] - 1
        return np.delete(keys, drop) if len(drop) else keys

    with _store(spill) as keep:
        parts = _count(pair_keys, pairs, max(n_terms * n_terms, 2**31 + 1), keep=keep)
        release_free_memory()
        # Each chunk's distinct keys ascend: a merge sort of the runs, then one of each.
        uniq = np.concatenate([np.zeros(0, np.int64)] + [_distinct(p) for p in parts])
        uniq.sort(kind="stable")
        uniq = uniq[_run_starts(uniq)]
        for i, part in enumerate(parts):  # each chunk's keys as rows of `uniq`
            p = part.load()
            rows = np.searchsorted(uniq, p.distinct).astype(np.int32)[p.key]
            if isinstance(part, _Spilled):
                part.rewrite_keys(rows)
            else:
                parts[i] = _Counts(rows, p.doc, p.count)
            del p, rows
        laid = _lay_out(parts, len(uniq))
    return uniq, _weigh(laid, pairs, k1, b, np.float32, False, lazy)


def _distinct(part: _Part) -> np.ndarray:
    """A chunk's distinct wide keys (read alone, when spilled)."""
    found = part.field(3) if isinstance(part, _Spilled) else part.distinct
    assert found is not None
    return found
