"""The postings of a live index (bot/live_index.py) over all its layers, weighted with
the current statistics: the query side's BM25 (first stage, its pruning, sentence features).

First-stage scores stay rank-bm25's BM25Okapi over the whole current corpus: every weight
depends on N, the document frequencies and the average length, so while deltas or dead
passages exist, the question words' postings are scored from their raw term frequencies and
the passages' lengths with the current statistics (vectorised, in rank-bm25's order of float
operations). The re-ranking features of a delta's passages (best sentence BM25, word pairs)
come from the delta's own sentence and pair postings, weighted with its own statistics until
the next merge.

Apart from LiveIndex, which lays out the layers' ids and maps: this is the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from bot import kernels, pruning
from bot.index import Index
from bot.live_layers import Layer
from bot.postings import EPSILON, tf_at

if TYPE_CHECKING:
    from bot.live_index import LiveIndex

EMPTY_IDS = np.zeros(0, dtype=np.int64)
ROWS_KEPT = 64  # weighted rows of recent question words kept per live index


class LivePostings:
    """The passages' postings of all layers, weighted with the current statistics."""

    def __init__(self, live: LiveIndex, df: np.ndarray, n_docs: int, total_len: int) -> None:
        self.live, self.df, self.n_docs, self.total_len = live, df, n_docs, total_len
        self._rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        held = df > 0
        raw = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
        # rank-bm25: the average over the words the corpus holds; negative idfs floored to
        # epsilon times it; a word no live passage holds weighs nothing.
        avg = float(raw[held].sum() / held.sum()) if held.any() else 0.0
        raw[raw < 0] = EPSILON * avg
        raw[~held] = 0.0
        self.idf = raw
        self.avgdl = total_len / n_docs if total_len else 1.0  # no word anywhere: no posting
        # Each layer's passage norms for this avgdl, made when a question first needs them
        # (not by the change that made this index: a million passages take a while).
        self._norms: list[np.ndarray | None] = [None] * len(live.layers)

    def norms(self, i: int) -> np.ndarray:
        """k1 * (1 - b + b * dl / avgdl) of each passage of layer i (a race only makes it
        twice)."""
        norms = self._norms[i]
        if norms is None:
            k1, b = self.live.k1, self.live.b
            lengths = self.live.layers[i].index.passages.lengths
            norms = self._norms[i] = k1 * (1 - b + b * lengths / self.avgdl)
        return norms

    def row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(live passages holding the term, their BM25 weight for it), passages ascending.
        A question reads the same rows several times (first stage, coverage, policy): the
        last few are kept."""
        found = self._rows.get(term)
        if found is None:
            if len(self._rows) >= ROWS_KEPT:
                self._rows.clear()
            found = self._rows[term] = self._row(term)
        return found

    def tf_at(self, term: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which live passages of `docs` hold the term, BM25's term-frequency part in each."""
        return tf_at(*self.row(term), float(self.idf[term]), docs)

    def _row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = [], []
        k1, idf = self.live.k1, self.idf[term]
        for i, (layer, pid0) in enumerate(zip(self.live.layers, self.live.pid0, strict=True)):
            local = layer.local(term)
            if local is None:
                continue
            docs, tf = layer.index.passages.raw_row(local)
            found = kernels.weigh_row(docs, tf, self.norms(i), layer.alive_passages, idf, k1,
                                      pid0)
            if found is not None:
                ids.append(found[0])
                weights.append(found[1])
                continue
            # rank-bm25, elementwise in its order of float operations:
            # idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
            norm = self.norms(i)[docs]
            norm += tf
            w = tf * (k1 + 1)
            w /= norm
            w *= idf
            keep = layer.alive_passages[docs]
            ids.append(docs[keep] + pid0)
            weights.append(w[keep])
        if not ids:
            return EMPTY_IDS, np.zeros(0)
        return np.concatenate(ids), np.concatenate(weights)


class LiveRows:
    """The live passages' postings as the first stage's pruning reads them
    (bot/pruning.py): raw counts weighted with the current statistics at the candidates
    only, in the float operations of `LivePostings`."""

    def __init__(self, live: LiveIndex) -> None:
        self.live = live
        self.size = live.size
        self.bounds: dict[int, float] = {}

    def _parts(self, term: int
               ) -> Iterator[tuple[int, Layer, int, int, np.ndarray, np.ndarray]]:
        """(layer number, layer, its first passage id, the term's id there, its postings'
        passages and raw counts) of each layer holding the term."""
        for i, (layer, pid0) in enumerate(zip(self.live.layers, self.live.pid0, strict=True)):
            local = layer.local(term)
            if local is not None:
                yield (i, layer, pid0, local, *layer.index.passages.raw_row(local))

    def count(self, term: int) -> int:
        return sum(len(docs) for *_, docs, _ in self._parts(term))

    def bound(self, term: int) -> float:
        """idf x BM25's tf part at the term's largest count in the shortest passage holding
        it (each layer's kept for good: its raw counts never change)."""
        found = self.bounds.get(term)
        if found is None:
            p = self.live.passages
            k1, b, idf = self.live.k1, self.live.b, float(p.idf[term])
            found = 0.0 if idf > 0 else idf
            for _, layer, _, local, docs, tf in self._parts(term):
                if len(docs) and idf > 0:
                    most, shortest = _extremes(layer.index, local, docs, tf)
                    norm = k1 * (1 - b + b * shortest / p.avgdl)
                    found = max(found, idf * (most * (k1 + 1) / (most + norm)))
            self.bounds[term] = found
        return found

    def row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        return self.live.passages.row(term)

    def at(self, term: int, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hit = np.zeros(len(cand), dtype=bool)
        weights = []
        k1, idf = self.live.k1, self.live.passages.idf[term]
        ends = self.live.pid0[1:] + [self.live.size]
        for i, _, pid0, _, docs, tf in self._parts(term):
            lo, hi = np.searchsorted(cand, [pid0, ends[i]])
            found, pos = pruning.lookup(docs, cand[lo:hi] - pid0)
            hit[lo:hi] = found
            tf = tf[pos]
            # As LivePostings._row, elementwise: the same floats.
            norm = self.live.passages.norms(i)[docs[pos]]
            norm += tf
            w = tf * (k1 + 1)
            w /= norm
            w *= idf
            weights.append(w)
        return hit, (np.concatenate(weights) if weights else np.zeros(0))


def _extremes(index: Index, local: int, docs: np.ndarray, tf: np.ndarray) -> tuple[int, int]:
    """(largest term frequency, shortest passage) of a word's postings in a layer's index,
    found once and kept with it."""
    kept = index.__dict__.setdefault("_extremes", {})
    found = kept.get(local)
    if found is None:
        found = kept[local] = (int(tf.max()), int(index.passages.lengths[docs].min()))
    return found


class LiveSentences:
    """The sentences' postings of all layers (each weighted by its own layer)."""

    def __init__(self, live: LiveIndex) -> None:
        self.live = live

    def row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = [], []
        for layer, sid0 in zip(self.live.layers, self.live.sid0, strict=True):
            local = layer.local(term)
            if local is not None:
                idx, w = layer.index.sentences.row(local)
                ids.append(idx + sid0)
                weights.append(w)
        if not ids:
            return EMPTY_IDS, np.zeros(0, np.float32)
        return np.concatenate(ids), np.concatenate(weights)

    def tf_at(self, term: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which sentences of `docs` hold the term, and BM25's term-frequency part in each,
        from the sentence statistics of its own layer (another layer's ids fall outside)."""
        hit = np.zeros(len(docs), bool)
        values = np.zeros(len(docs))
        for layer, sid0 in zip(self.live.layers, self.live.sid0, strict=True):
            local = layer.local(term)
            if local is not None:
                found, tf = layer.index.sentences.tf_at(local, docs - sid0)
                values[found] = tf
                hit |= found
        return hit, values[hit]

