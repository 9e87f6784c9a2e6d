"""A corpus that changes without a rebuild (issue 14): the main index built at load, small
delta layers built from the articles added or changed since, and a dead mask over the
passages of changed and removed articles.

`apply` turns a loaded Corpus and the articles changed since its revision into a new Corpus
whose index is a `LiveIndex`: the same interface as `bot.index.Index` (rerank, policy and
answer read it unchanged), over main + deltas. Nothing is rebuilt but the delta of what
changed: the changed articles are indexed alone (`Index.build` over them), and the passages
they replace stop matching through the dead mask.

First-stage scores stay rank-bm25's BM25Okapi over the whole current corpus: every weight
depends on N, the document frequencies and the average length, so while deltas or dead
passages exist, the question words' postings are scored from their raw term frequencies and
the passages' lengths with the current statistics (vectorised, in rank-bm25's order of float
operations). The current document frequencies are kept up to date without scanning the main
index: an article's old passages are tokenised again (a small `Index.build` of them) and
their counts taken off. With no delta the plain `Index` and its precomputed weights serve.

The re-ranking features of a delta's passages (best sentence BM25, word pairs) come from the
delta's own sentence and pair postings, weighted with its own statistics until the next merge
(the Service folds the deltas into a fresh full index in the background, or, to keep the
layers few without building the corpus again, into one delta: `compact`).

What changed since a corpus was loaded is read from the store's change stamps
(`what_changed`): only the articles stamped after the corpus's stamp, so a change costs the
same on a corpus of a thousand articles or of a million.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain, compress

import numpy as np

from bot import pruning
from bot.corpus import Corpus, PassageTexts
from bot.errors import EmptyCorpusError, FootnoteError
from bot.index import Index
from bot.models import StoredArticle
from bot.postings import EPSILON, tf_at
from bot.sanitize import safe_url

EMPTY_IDS = np.zeros(0, dtype=np.int64)
ROWS_KEPT = 64  # weighted rows of recent question words kept per live index


class Mismatch(FootnoteError):
    """The loaded index does not fit what it is told (a word of an indexed passage it does
    not know): rebuild instead."""


class Vocab(Mapping):
    """The main index's words, then the words only deltas hold (ids after the main's)."""

    __slots__ = ("base", "extra")

    def __init__(self, base: Mapping[str, int], extra: dict[str, int]) -> None:
        self.base, self.extra = base, extra

    def __getitem__(self, word: str) -> int:
        i = self.base.get(word)
        return self.extra[word] if i is None else i

    def get(self, word: str, default=None):
        i = self.base.get(word)
        return self.extra.get(word, default) if i is None else i

    def __contains__(self, word: object) -> bool:
        return word in self.base or word in self.extra

    def __len__(self) -> int:
        return len(self.base) + len(self.extra)

    def __iter__(self) -> Iterator[str]:
        return chain(self.base, self.extra)


class Stacked:
    """Per-layer arrays laid end to end without copying them, indexed like one array (an
    int, a slice or an int array); `adds`: a value added to each layer's entries (its first
    sentence id, for sentence pointers)."""

    def __init__(self, parts: list[np.ndarray], adds: list[int] | None = None) -> None:
        self.parts = parts
        self.adds = adds or [0] * len(parts)
        self.starts = [0]
        for p in parts:
            self.starts.append(self.starts[-1] + len(p))
        self._starts = np.array(self.starts, dtype=np.int64)
        self.shape = (self.starts[-1], *parts[0].shape[1:])
        self.dtype = parts[0].dtype

    def __len__(self) -> int:
        return self.shape[0]

    def _part(self, i: int, at) -> np.ndarray:
        v = self.parts[i][at]
        return v + self.adds[i] if self.adds[i] else v

    def __getitem__(self, key):
        if isinstance(key, slice):
            a, z, _ = key.indices(len(self))
            pieces = [self._part(i, slice(max(a, s) - s, min(z, e) - s))
                      for i, (s, e) in enumerate(zip(self.starts, self.starts[1:],
                                                     strict=False))
                      if max(a, s) < min(z, e)]
            return np.concatenate(pieces) if pieces else self.parts[0][:0]
        if np.ndim(key) == 0:
            k = int(key) + (len(self) if int(key) < 0 else 0)
            i = bisect_right(self.starts, k) - 1
            return self._part(i, k - self.starts[i])
        key = np.asarray(key)
        if not key.size or key.max() < self.starts[1]:  # all in the main layer: the usual case
            return self._part(0, key)
        which = np.searchsorted(self._starts, key, side="right") - 1
        out = np.empty(key.shape + self.shape[1:], dtype=self.dtype)
        for i in np.unique(which):
            m = which == i
            out[m] = self._part(int(i), key[m] - self.starts[i])
        return out


class StackedTexts:
    """The layers' passage texts as one sequence of passage ids."""

    def __init__(self, parts: list[PassageTexts]) -> None:
        self.parts = parts
        self.starts = [0]
        for p in parts:
            self.starts.append(self.starts[-1] + len(p.offsets) - 1)

    def __getitem__(self, pid: int) -> str:
        i = bisect_right(self.starts, pid) - 1
        return self.parts[i][pid - self.starts[i]]


@dataclass(frozen=True)
class Layer:
    """An index and the articles it was built from (every one of them, live or not)."""

    index: Index
    metas: list[StoredArticle]  # by position in the index (paragraphs not kept)
    texts: PassageTexts
    alive: np.ndarray  # bool per article: False once changed or removed
    first: np.ndarray  # first passage (local id) of each article
    to_local: dict[int, int] | None  # term id in the live vocabulary -> this index's; None:
    # the main index, whose ids are the live ones

    def local(self, term: int) -> int | None:
        if self.to_local is None:
            return term if term < len(self.index.vocab) else None
        return self.to_local.get(term)

    @cached_property
    def ids(self) -> np.ndarray:
        """Store id of each article."""
        return np.fromiter((a.id for a in self.metas), np.int64, len(self.metas))

    @cached_property
    def alive_passages(self) -> np.ndarray:
        return self.alive[self.index.passage_article]

    def with_alive(self, alive: np.ndarray) -> Layer:
        """The layer with other articles alive (its store ids kept, not made again)."""
        layer = replace(self, alive=alive)
        if "ids" in self.__dict__:
            layer.__dict__["ids"] = self.ids
        return layer


def _first(metas: list[StoredArticle]) -> np.ndarray:
    counts = np.array([a.passages for a in metas], dtype=np.int64)
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64) if len(counts) \
        else counts


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


def _main_layer(corpus: Corpus) -> Layer:
    n = len(corpus.articles)
    return Layer(corpus.index, corpus.articles, corpus.texts, np.ones(n, dtype=bool),
                 corpus.first_passage, None)


def _docs(layer: Layer, local: int) -> tuple[str, tuple[str, ...]]:
    """(title, paragraphs) of an article as the layer indexed it."""
    meta, start = layer.metas[local], int(layer.first[local])
    return meta.title, tuple(layer.texts[start + i] for i in range(meta.passages))


def _build(docs: list[tuple[str, tuple[str, ...]]]) -> Index | None:
    """An index of a few articles; None when they hold no passage."""
    if not any(paras for _, paras in docs):
        return None
    return Index.build(docs)


def what_changed(corpus: Corpus, articles) -> tuple[list[int], list[int], int]:
    """(ids to index: new or changed since the corpus was loaded, ids of loaded articles
    to drop: changed or removed, the store's change stamp the corpus is then up to), from
    the `Articles` store. Only the articles stamped after the corpus's stamp are read; a
    corpus whose stamp is not known compares the whole catalog."""
    if corpus.stamp is None:
        stamp = articles.stamp()  # read first: what commits meanwhile is read again later
        return (*changes(corpus, articles.catalog()), stamp)
    return changes_since(corpus, articles.changed_since(corpus.stamp))


def changes_since(corpus: Corpus, rows: list[tuple]) -> tuple[list[int], list[int], int]:
    """`what_changed` from the store's rows of the articles stamped after the corpus's
    stamp (`changed_since`): a row may be one the corpus already holds as it is (a change
    committed while it was loaded), so each is compared with what is loaded."""
    fetch, gone, stamp = [], [], corpus.stamp or 0
    for row in rows:
        stamp = max(stamp, int(row[9]))
        try:
            old = corpus.articles[corpus.position(row[0])]
        except KeyError:
            old = None
        if row[8]:  # removed
            if old is not None:
                gone.append(row[0])
        elif old is None:
            fetch.append(row[0])
        elif not _same(old, row):
            fetch.append(row[0])
            gone.append(row[0])
    return fetch, gone, stamp


def changes(corpus: Corpus, catalog: list[tuple]) -> tuple[list[int], list[int]]:
    """(ids to index: new or changed since the corpus was loaded, ids of loaded articles to
    drop: changed or removed), from the store's catalog rows of searchable articles."""
    loaded = {a.id: a for a in corpus.articles}
    fetch, gone = [], []
    for row in catalog:
        old = loaded.pop(row[0], None)
        if old is None:
            fetch.append(row[0])
        elif not _same(old, row):
            fetch.append(row[0])
            gone.append(row[0])
    gone.extend(loaded)
    return fetch, gone


def _same(a: StoredArticle, row: tuple) -> bool:
    """Does a loaded article still match its catalog row? (Its URL was made safe on the
    way out of the store: compare that only when the raw one differs.)"""
    return ((a.title, a.date, a.author, a.partial, a.source, a.text_hash)
            == (row[1], row[3], row[4], bool(row[5]), row[6], row[7])
            and (a.url == row[2] or a.url == safe_url(row[2])))


def checksum(a: StoredArticle) -> int:
    """A 64-bit checksum of what indexing an article depends on (and what it shows)."""
    fields = (a.title, a.url, a.date, a.author, a.partial, a.source, a.text_hash)
    text = "\x1f".join(map(str, fields)).encode("utf-8", errors="surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little", signed=True)


def row_checksum(row: tuple) -> int:
    """The checksum of an article from its catalog row (as the store gives it out)."""
    return checksum(StoredArticle(row[0], row[1], safe_url(row[2]), row[3], row[4],
                                  bool(row[5]), row[6], (), row[7]))


def stamps(metas: list[StoredArticle]) -> np.ndarray:
    """(store id, checksum) of each article, as an index cache keeps them."""
    return np.array([(a.id, checksum(a)) for a in metas], dtype=np.int64).reshape(-1, 2)


def resume(index: Index, metas: list[StoredArticle], texts: PassageTexts, keep: np.ndarray,
           added: list[StoredArticle], revision: int) -> Corpus:
    """A corpus over a cached index older than the store: its articles that changed or went
    since (`keep` False; their placeholders in `metas` and `texts` hold only their passage
    counts) are masked, and `added` (new or changed since) indexed in a delta. The old text
    is gone from the store, so the masked passages' counts are found in the postings (one
    pass over them)."""
    if keep.all() and not added:
        return Corpus.make(metas, index, texts, revision)
    layer = Layer(index, metas, texts.freeze(), keep, _first(metas), None)
    p = index.passages
    dead = ~layer.alive_passages
    df = p.df.astype(np.int64)
    if dead.any():
        rows = np.diff(p.indptr) > 0
        held = np.zeros(len(df), dtype=np.int64)
        held[rows] = np.add.reduceat(dead[p.indices], p.indptr[:-1][rows], dtype=np.int64)
        df -= held
    n_docs = index.size - int(dead.sum())
    total_len = int(p.lengths.sum()) - int(p.lengths[dead].sum())
    if n_docs <= 0:
        if added:
            raise Mismatch("nothing of the cached index is left")
        raise EmptyCorpusError("There are no articles to search yet.")
    corpus = _corpus(LiveIndex([layer], Vocab(index.vocab, {}), df, n_docs, total_len),
                     revision)
    return apply(corpus, added, [], revision) if added else corpus


def apply(corpus: Corpus, added: list[StoredArticle], gone: list[int], revision: int
          ) -> Corpus:
    """The corpus with the loaded articles `gone` (store ids) dropped and `added` (new or
    changed articles, with their paragraphs) indexed in a new delta layer: no rebuild.
    EmptyCorpusError when nothing searchable is left; Mismatch when the loaded index does
    not fit (the caller rebuilds)."""
    index = corpus.index
    if isinstance(index, LiveIndex):
        layers, vocab = list(index.layers), index.vocab
        df, n_docs, total_len = index.passages.df, index.passages.n_docs, index.passages.total_len
        where = np.concatenate([np.stack([np.full(len(p), i), np.arange(len(p))], 1)[p >= 0]
                                for i, p in enumerate(index.positions)])
    else:
        layers, vocab = [_main_layer(corpus)], Vocab(index.vocab, {})
        df, n_docs = index.passages.df, index.size
        total_len = int(index.passages.lengths.sum())
        where = np.stack([np.zeros(len(corpus.articles), np.int64),
                          np.arange(len(corpus.articles))], 1)
    extra = dict(vocab.extra)
    vocab = Vocab(vocab.base, extra)
    df = np.asarray(df, dtype=np.int64)
    # Drop the old passages: their counts come off the statistics, their layer marks them dead.
    alive = {}
    old_docs = []
    for article_id in gone:
        i, local = (int(x) for x in where[corpus.position(article_id)])
        alive.setdefault(i, layers[i].alive.copy())[local] = False
        old_docs.append(_docs(layers[i], local))
    old = _build(old_docs)
    if old is not None:
        ids = np.array([vocab.get(w, -1) for w in old.vocab], dtype=np.int64)
        if (ids < 0).any():
            raise Mismatch("a removed passage holds a word the index does not know")
        df = df.copy()
        np.subtract.at(df, ids, old.passages.df)
        n_docs -= old.size
        total_len -= int(old.passages.lengths.sum())
    layers = [x.with_alive(alive[i]) if i in alive else x for i, x in enumerate(layers)]
    # Index the new versions alone, in a layer of their own.
    metas = [replace(a, paragraphs=(), passages=len(a.paragraphs)) for a in added]
    new = _build([(a.title, a.paragraphs) for a in added])
    if new is not None:
        to_local = {}
        for word, local in new.vocab.items():
            to_local[vocab.get(word) if word in vocab
                     else extra.setdefault(word, len(vocab.base) + len(extra))] = local
        grown = np.zeros(len(vocab), dtype=np.int64)
        grown[: len(df)] = df
        ids = np.fromiter(to_local.keys(), dtype=np.int64, count=len(to_local))
        grown[ids] += new.passages.df[np.fromiter(to_local.values(), np.int64, len(to_local))]
        df = grown
        texts = PassageTexts()
        for a in added:
            for p in a.paragraphs:
                texts.add(p)
        layers.append(Layer(new, metas, texts.freeze(), np.ones(len(metas), dtype=bool),
                            _first(metas), to_local))
        n_docs += new.size
        total_len += int(new.passages.lengths.sum())
    if (df < 0).any():
        raise Mismatch("a word's passage count fell below zero")
    # A delta whose articles all changed again holds nothing: leave it out.
    layers = [x for i, x in enumerate(layers) if i == 0 or x.alive.any()]
    if n_docs <= 0:
        raise EmptyCorpusError("There are no articles to search yet.")
    live = LiveIndex(layers, vocab, df, n_docs, total_len)
    return _corpus(live, revision)


def compact(corpus: Corpus) -> Corpus:
    """The corpus with its deltas folded into one delta layer (their live articles indexed
    again, together): the main index and its dead mask stay as they are, so this costs a
    build of the deltas' passages, not of the corpus. The statistics do not change (the
    same live passages); the articles keep their order. Mismatch when a delta holds a word
    the live vocabulary does not know (the caller rebuilds)."""
    index = corpus.index
    if not isinstance(index, LiveIndex) or len(index.layers) <= 2:
        return corpus
    metas, docs, texts = [], [], PassageTexts()
    for layer in index.layers[1:]:
        for local in np.flatnonzero(layer.alive).tolist():
            metas.append(layer.metas[local])
            docs.append(_docs(layer, local))
            for para in docs[-1][1]:
                texts.add(para)
    layers = [index.layers[0]]
    new = _build(docs)
    if new is not None:
        to_local = {index.vocab.get(word, -1): local for word, local in new.vocab.items()}
        if -1 in to_local:
            raise Mismatch("a delta's passage holds a word the index does not know")
        layers.append(Layer(new, metas, texts.freeze(), np.ones(len(metas), dtype=bool),
                            _first(metas), to_local))
    p = index.passages
    live = LiveIndex(layers, index.vocab, p.df, p.n_docs, p.total_len)
    return replace(_corpus(live, corpus.revision), stamp=corpus.stamp)


def _corpus(live: LiveIndex, revision: int) -> Corpus:
    """The Corpus over a live index: its live articles in layer order."""
    articles: list[StoredArticle] = []
    for layer in live.layers:
        articles.extend(compress(layer.metas, layer.alive))
    first = np.concatenate([pid0 + x.first[x.alive]
                            for x, pid0 in zip(live.layers, live.pid0, strict=True)])
    ids = np.concatenate([x.ids[x.alive] for x in live.layers])
    texts = StackedTexts([x.texts for x in live.layers])
    return Corpus(articles, live, texts, first.astype(np.int64), ids, revision)
