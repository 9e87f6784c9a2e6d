"""A corpus that changes without a rebuild (issue 14): the main index built at load, small
delta layers built from the articles added or changed since, and a dead mask over the
passages of changed and removed articles.

`apply` turns a loaded Corpus and the articles changed since its revision into a new Corpus
whose index is a `LiveIndex`: the same interface as `bot.index.Index` (rerank, policy and
answer read it unchanged), over main + deltas. Nothing is rebuilt but the delta of what
changed: the changed articles are indexed alone (`Index.build` over them), and the passages
they replace stop matching through the dead mask.

The current document frequencies are kept up to date without scanning the main index: an
article's old passages are tokenised again (a small `Index.build` of them) and their counts
taken off. With no delta the plain `Index` and its precomputed weights serve; the deltas'
postings are weighted with the current statistics (bot/live_postings.py). The Service folds
the deltas into a fresh full index in the background, or, to keep the layers few without
building the corpus again, into one delta: `compact`.

What changed since a corpus was loaded is read from the store's change stamps
(`what_changed`): only the articles stamped after the corpus's stamp, so a change costs the
same on a corpus of a thousand articles or of a million.

This module holds what changed and the merge (`apply`, `resume`, `compact`); the layers are
in bot/live_layers.py, the query side in bot/live_index.py and bot/live_postings.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from itertools import compress

import numpy as np

from bot.corpus import Corpus, PassageTexts
from bot.errors import EmptyCorpusError, FootnoteError
from bot.index import Index
from bot.live_index import LiveIndex
from bot.live_layers import Layer, StackedTexts, Vocab, first_passages
from bot.models import StoredArticle
from bot.sanitize import safe_url


class Mismatch(FootnoteError):
    """The loaded index does not fit what it is told (a word of an indexed passage it does
    not know): rebuild instead."""


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
    layer = Layer(index, metas, texts.freeze(), keep, first_passages(metas), None)
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
                            first_passages(metas), to_local))
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
                            first_passages(metas), to_local))
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
