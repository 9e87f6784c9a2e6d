"""LiveIndex: `bot.index.Index`'s interface over the layers of a live corpus (the main
index and its deltas), so that rerank, policy and answer read it unchanged.

Apart from the merge (bot/live.py), which makes a LiveIndex from the changes, and from the
weighted postings it serves (bot/live_postings.py): this is what a question reads.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

from bot import kernels, pruning
from bot.index import Index
from bot.live_layers import Layer, Stacked, Vocab
from bot.live_postings import LivePostings, LiveRows, LiveSentences


class LiveIndex(Index):
    """Index's interface over layers: passage ids run through the layers in order (dead ones
    included, never found); `size` is that id space, `passages.n_docs` the live passages."""

    def __init__(self, layers: list[Layer], vocab: Vocab, df: np.ndarray, n_docs: int,
                 total_len: int) -> None:
        main = layers[0].index
        self.layers = layers
        self.vocab = vocab
        self.k1, self.b = main.k1, main.b
        self.pid0 = [0]
        self.sid0 = [0]
        for layer in layers:
            self.pid0.append(self.pid0[-1] + layer.index.size)
            self.sid0.append(self.sid0[-1] + len(layer.index.sent_spans))
        self._size = self.pid0.pop()
        n_sentences = self.sid0.pop()
        self.passages = LivePostings(self, df, n_docs, total_len)
        self.sentences = LiveSentences(self)
        self.passage_para = Stacked([x.index.passage_para for x in layers])
        self.sent_ptr = Stacked([*(x.index.sent_ptr[:-1] for x in layers),
                                 np.array([n_sentences], dtype=np.int64)], [*self.sid0, 0])
        self.sent_spans = Stacked([x.index.sent_spans for x in layers])
        self.sent_number = Stacked([x.index.sent_number for x in layers])
        # Live article positions: the layers' live articles in order.
        self.positions, base = [], 0
        self.passage_article = np.empty(self._size, dtype=np.int32)
        for layer, pid0 in zip(layers, self.pid0, strict=True):
            pos = np.where(layer.alive, np.cumsum(layer.alive) - 1 + base, -1)
            self.positions.append(pos)
            base += int(layer.alive.sum())
            np.take(pos.astype(np.int32), layer.index.passage_article,
                    out=self.passage_article[pid0:pid0 + layer.index.size])
        self.weight_idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        self.oov_idf = float(np.log1p((n_docs - 0.5) / 1.5))

    @property
    def size(self) -> int:
        return self._size

    def compiled_first_stage(self, tids: list[int], k: int
                             ) -> tuple[np.ndarray, np.ndarray] | None:
        """Each layer's k best from the compiled loop, weighed with the current statistics;
        the best k of those (a passage's words are all in its own layer)."""
        p = self.passages
        idf = p.idf[np.asarray(tids, np.int64)]
        ids, scores = [], []
        for i, (layer, pid0) in enumerate(zip(self.layers, self.pid0, strict=True)):
            rows = layer.index.passages
            local = [layer.local(t) for t in tids]
            found = kernels.first_stage_raw(
                rows.indptr, rows.indices, rows.tf, p.norms(i), layer.alive_passages,
                [-1 if t is None else t for t in local], idf, self.k1, pid0, k)
            if found is None:
                return None
            ids.append(found[0])
            scores.append(found[1])
        return pruning.best_k(np.concatenate(ids), np.concatenate(scores), k)

    def pruning_rows(self) -> LiveRows:
        rows = getattr(self, "_pruning_rows", None)
        if rows is None:
            rows = self._pruning_rows = LiveRows(self)
        return rows

    @property
    def delta_passages(self) -> int:
        """Passages held in the deltas (live or not)."""
        return self._size - self.layers[0].index.size

    def vocab_list(self) -> list[str]:
        words = getattr(self, "_vocab_list", None)
        if words is None:
            words = self._vocab_list = self.layers[0].index.vocab_list() + list(self.vocab.extra)
        return words

    def bigram_row(self, first: int, second: int) -> tuple[np.ndarray, np.ndarray] | None:
        ids, weights = [], []
        for layer, pid0 in zip(self.layers, self.pid0, strict=True):
            a, b = layer.local(first), layer.local(second)
            row = None if a is None or b is None else layer.index.bigram_row(a, b)
            if row is not None:
                ids.append(row[0] + pid0)
                weights.append(row[1])
        return (np.concatenate(ids), np.concatenate(weights)) if ids else None

    def _where(self, pid: int) -> tuple[int, int]:
        i = bisect_right(self.pid0, pid) - 1
        return i, pid - self.pid0[i]

    def terms_in(self, terms: list[str], passage: int) -> set[str]:
        i, local = self._where(passage)
        return self._held(terms, i, local, local + 1)

    def article_terms(self, terms: list[str], article: int) -> set[str]:
        for i, pos in enumerate(self.positions):
            at = np.flatnonzero(pos == article)
            if len(at):
                layer = self.layers[i]
                lo = int(layer.first[at[0]])
                return self._held(terms, i, lo, lo + layer.metas[at[0]].passages)
        return set()

    def _held(self, terms: list[str], i: int, lo: int, hi: int) -> set[str]:
        """Which terms some passage lo..hi-1 (local ids) of layer i holds."""
        layer, out = self.layers[i], set()
        for t in terms:
            local = layer.local(self.vocab[t])
            if local is None:
                continue
            idx = layer.index.passages.row(local)[0]
            j = int(np.searchsorted(idx, lo))
            if j < len(idx) and idx[j] < hi:
                out.add(t)
        return out

