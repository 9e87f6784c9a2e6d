"""BM25 over passages: rank-bm25's BM25Okapi scores, precomputed into a sparse matrix.

Every (term, passage) weight is computed once at build time with exactly rank-bm25's
formula, so a query only adds up a few posting lists instead of scoring every passage in
Python. The title counts as part of each of its passages. Two more matrices, over sentences
and over adjacent word pairs, are kept for the re-ranking of the best candidates
(bot/rerank.py); the answer policy (bot/policy/) judges the result. This module only
builds (the arrays: bot/index_build.py), stores (the cache file: bot/index_files.py) and
looks up: `retrieve` is the first stage, the seam another engine (bot/retrieval/,
tantivy) would fill.
"""

from __future__ import annotations

import json
import logging
import math
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

import numpy as np

from bot import index_files, kernels, pruning
from bot.errors import CacheError
from bot.index_build import build_arrays
from bot.index_files import (
    UNREADABLE,
    params_bytes,
    postings_arrays,
    save_arrays,
    vocab_bytes,
    write_atomically,
)
from bot.mapped import Arrays
from bot.postings import Postings

log = logging.getLogger(__name__)

K1 = 0.9
B = 0.4
FORMAT = 26  # bump when the saved layout or the tokenizer changes; old cache files are rebuilt
EMPTY = np.zeros(0, dtype=np.int64)
ARRAYS = (
    "passage_article", "passage_para", "sent_ptr", "sent_spans", "bigram_keys", "sent_number",
)


class Index:
    """Searchable passages of a set of articles."""

    def __init__(
        self,
        vocab: dict[str, int],
        passages: Postings,
        sentences: Postings,
        passage_article: np.ndarray,
        passage_para: np.ndarray,
        sent_ptr: np.ndarray,
        sent_spans: np.ndarray,
        bigram_keys: np.ndarray,
        bigrams: Postings,
        sent_number: np.ndarray,
        k1: float = K1,
        b: float = B,
    ) -> None:
        self.vocab = vocab
        self.passages = passages
        self.sentences = sentences
        # Both are binary-searched by every question: a mapped array that is not aligned
        # (bot/mapped.py maps it where the zip member lies) would be copied whole by each
        # np.searchsorted (10 MB of word pairs at 1M passages, milliseconds a lookup).
        self.passage_article = aligned(passage_article)  # the article's position in `articles`
        self.passage_para = passage_para  # paragraph index within the article
        self.sent_ptr = sent_ptr  # sentences of passage p: sent_ptr[p]:sent_ptr[p+1]
        self.sent_spans = sent_spans  # (start, end) char offsets of each sentence
        self.bigram_keys = aligned(bigram_keys)  # sorted (first * vocab size + second) pairs
        self.bigrams = bigrams  # BM25 over each passage's adjacent word pairs
        self.sent_number = sent_number  # does the sentence hold a digit
        self.k1, self.b = k1, b
        # (store id, checksum of its fields) of each article it was built from, when the
        # Service knows them: a cache older than the store starts from them (bot/live.py).
        self.stamps: np.ndarray | None = None
        # Lucene's always-positive idf, for judging how much of a question a passage covers.
        n = passages.n_docs
        self.weight_idf = np.log1p((n - passages.df + 0.5) / (passages.df + 0.5))
        # A word no passage holds weighs like the rarest word the corpus has (df = 1): it
        # counts against answering, but a single unmatched synonym ("navy" for "naval") does
        # not sink an otherwise matching question. Measured in benchmarks/refusal.py.
        self.oov_idf = math.log1p((n - 0.5) / 1.5)

    @property
    def size(self) -> int:
        return self.passages.n_docs

    # -- building
    @classmethod
    def build(cls, docs: Iterable[tuple[str, Sequence[str]]], k1: float = K1, b: float = B,
              path: Path | None = None, stamps: Callable[[], np.ndarray] | None = None
              ) -> Index:
        """Tokenize every passage once and precompute the sparse matrices.

        `docs`: (title, paragraphs) per article, in corpus order; a stream is fine.
        `path`: write the index there as `save` would (atomically), each matrix written and
        dropped as soon as it is made, and return it mapped from the file as `load` does: the
        build then holds one matrix at a time, not the whole index, and the corpus's term
        ids wait in temporary files beside it, not in memory. `stamps`: the articles'
        stamps (bot/live.py), asked for once `docs` is consumed."""
        if path is None:
            arrays: dict[str, np.ndarray] = {}
            build_arrays(docs, k1, b, stamps, arrays.__setitem__, spill=None)
            return cls._from_arrays(arrays)

        def write(f: IO[bytes]) -> None:
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
                writer = index_files.MemberWriter(z)
                try:
                    build_arrays(docs, k1, b, stamps, writer.put, spill=path.parent)
                except BaseException:
                    writer.abort()  # ended before the zip closes; the build's error raised
                    raise
                writer.close()

        write_atomically(path, write)
        return cls.load(path)

    # -- persistence: a restart loads arrays instead of re-tokenizing the corpus
    def save(self, path: Path) -> None:
        """Write the index to `path` atomically (a temporary file, then a rename)."""
        arrays = {"vocab": vocab_bytes(self.vocab)}
        for name in ("passages", "sentences", "bigrams"):
            arrays.update(postings_arrays(name, getattr(self, name)))
        for name in ARRAYS:
            arrays[name] = getattr(self, name)
        if self.stamps is not None:
            arrays["stamps"] = self.stamps
        arrays["params"] = params_bytes(self.k1, self.b)
        save_arrays(path, arrays)

    @classmethod
    def load(cls, path: Path) -> Index:
        """Read an index written by `save`; CacheError if the file is unreadable in any way
        (empty, truncated, CRC-damaged, pickled, arrays that do not fit together)."""
        try:
            # Our own file object, closed however reading fails (numpy's may be left open).
            with open(path, "rb") as f, Arrays(f) as z:  # large arrays mapped, not copied
                index = cls._from_arrays(z)
            _check_shapes(index)
        except CacheError:
            raise
        except UNREADABLE as e:
            raise CacheError(f"{type(e).__name__}: {e}") from None
        return index

    @classmethod
    def _from_arrays(cls, z: Arrays | dict[str, np.ndarray]) -> Index:
        """The index of the arrays `save` writes, by name."""
        words = z["vocab"].tobytes().decode()
        vocab = {w: i for i, w in enumerate(words.split("\n"))} if words else {}
        posts = {}
        for name in ("passages", "sentences", "bigrams"):
            posts[name] = Postings(
                *(z[f"{name}.{f}"] for f in ("indptr", "indices", "data", "idf", "df")),
                int(z[f"{name}.n_docs"]),
                *((z[f"{name}.tf"], z[f"{name}.lengths"]) if name == "passages" else ()),
            )
        k1, b = json.loads(z["params"].tobytes().decode())
        index = cls(
            vocab, posts["passages"], posts["sentences"], z["passage_article"],
            z["passage_para"], z["sent_ptr"], z["sent_spans"], z["bigram_keys"],
            posts["bigrams"], z["sent_number"], float(k1), float(b),
        )
        index.stamps = z.get("stamps")
        return index

    # -- searching
    def term_ids(self, tokens: list[str]) -> list[int]:
        """Known term ids of the tokens, repeats kept (rank-bm25 counts them)."""
        vocab = self.vocab
        return [vocab[t] for t in tokens if t in vocab]

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25Okapi score of every passage: equal to rank-bm25's get_scores."""
        scores = np.zeros(self.size)
        for t in self.term_ids(tokens):
            idx, w = self.passages.row(t)
            scores[idx] += w
        return scores

    def retrieve(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """The first stage (the retriever seam): the k passages with the best BM25 among those
        holding a question word, as (passage ids, BM25 scores), in id order; ties at the k-th
        score go to the lowest ids.

        Not "BM25 > 0": in a tiny corpus a word found in half the passages has idf 0 (or
        below), and its passages must still be candidates. A built index's postings are all
        added up in one compiled loop (bot/kernels.py); without it, or on a live index, a
        big corpus's common words' postings are only looked up for the rare words' passages
        (bot/pruning.py): the same result either way."""
        tids = self.term_ids(tokens)
        found = self.compiled_first_stage(tids, k)
        if found is None:
            found = pruning.top_k(self.pruning_rows(), tids, k)
        if found is not None:
            return found
        scores, touched = self._scores_and_touched(tokens)
        return pruning.best_k(touched, scores[touched], k)

    def compiled_first_stage(self, tids: list[int], k: int
                             ) -> tuple[np.ndarray, np.ndarray] | None:
        """`retrieve`'s result from the compiled loop (bot/kernels.py), None without it."""
        p = self.passages
        return kernels.first_stage(p.indptr, p.indices, p.data, self.size, tids, k)

    def pruning_rows(self) -> pruning.Rows:
        """The passages' postings as pruning reads them (made once)."""
        rows = getattr(self, "_pruning_rows", None)
        if rows is None:
            rows = self._pruning_rows = IndexRows(self.passages)
        return rows

    def _scores_and_touched(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of every passage, and the ids of the passages holding any question word."""
        rows = [self.passages.row(t) for t in self.term_ids(tokens)]
        if not rows:
            return np.zeros(self.size), EMPTY
        docs = np.concatenate([idx for idx, _ in rows])
        # bincount adds each passage's weights in input order (the question's), from 0.0:
        # the same float sums as adding the rows one by one, in one pass.
        scores = np.bincount(docs, np.concatenate([w for _, w in rows]), minlength=self.size)
        seen = np.zeros(self.size, dtype=bool)
        seen[docs] = True
        return scores, np.flatnonzero(seen)

    def query_weights(self, tokens: list[str]) -> dict[str, float]:
        """Each distinct question word's weight: its (always positive) idf."""
        out = {}
        for t in dict.fromkeys(tokens):
            term = self.vocab.get(t)
            out[t] = float(self.weight_idf[term]) if term is not None else self.oov_idf
        return out

    @staticmethod
    def members(idx: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which `ids` are in the sorted posting `idx`, and where."""
        if not len(idx):
            return np.zeros(len(ids), bool), np.zeros(len(ids), np.int64)
        pos = pruning.find(idx, ids)
        pos[pos >= len(idx)] = 0
        return idx[pos] == ids, pos

    # -- what the answer policy (bot/policy/) reads about candidates
    def vocab_list(self) -> list[str]:
        """The vocabulary as a list (for typo lookups), made once."""
        words = getattr(self, "_vocab_list", None)
        if words is None:
            words = self._vocab_list = list(self.vocab)
        return words

    def terms_in(self, terms: list[str], passage: int) -> set[str]:
        """Which of the (known) terms the passage holds."""
        out = set()
        for t in terms:
            idx = self.passages.row(self.vocab[t])[0]
            j = search_one(idx, passage)
            if j < len(idx) and idx[j] == passage:
                out.add(t)
        return out

    def article_terms(self, terms: list[str], article: int) -> set[str]:
        """Which of the (known) terms some passage of the article holds (an article's
        passages are consecutive ids)."""
        lo, hi = pruning.find(self.passage_article, [article, article + 1])
        out = set()
        for t in terms:
            idx = self.passages.row(self.vocab[t])[0]
            j = search_one(idx, lo)
            if j < len(idx) and idx[j] < hi:
                out.add(t)
        return out

    def bigram_row(self, first: int, second: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(passages, BM25) of a pair of adjacent words (term ids), None if no passage
        holds it."""
        key = first * len(self.vocab) + second
        j = int(np.searchsorted(self.bigram_keys, key))
        if j < len(self.bigram_keys) and self.bigram_keys[j] == key:
            return self.bigrams.row(j)
        return None

    def bm25_scores_of(self, tokens: list[str], cand: np.ndarray) -> np.ndarray:
        """BM25 of the candidates only (the same values as bm25_scores)."""
        if len(cand) == 1:  # the answer policy's best passage: no array per word
            total, passage = 0.0, int(cand[0])
            for t in self.term_ids(tokens):
                idx, w = self.passages.row(t)
                j = search_one(idx, passage)
                if j < len(idx) and idx[j] == passage:
                    total += float(w[j])  # the float64 sum `out[hit] += ...` makes
            return np.array([total])
        out = np.zeros(len(cand))
        for t in self.term_ids(tokens):
            idx, w = self.passages.row(t)
            hit, pos = self.members(idx, cand)
            out[hit] += w[pos[hit]]
        return out


class IndexRows:
    """An index's precomputed passage weights as pruning reads them; each word's largest
    weight found on first use and kept (8 bytes a word of the vocabulary)."""

    def __init__(self, postings: Postings) -> None:
        self.postings = postings
        self.size = postings.n_docs
        self.bounds = np.full(len(postings.indptr) - 1, np.nan)  # NaN: not found yet

    def count(self, term: int) -> int:
        return int(self.postings.indptr[term + 1] - self.postings.indptr[term])

    def bound(self, term: int) -> float:
        found = float(self.bounds[term])
        if found != found:  # NaN
            w = self.postings.row(term)[1]
            found = self.bounds[term] = float(w.max()) if len(w) else 0.0
        return found

    def row(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        return self.postings.row(term)

    def at(self, term: int, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        idx, w = self.postings.row(term)
        hit, pos = pruning.lookup(idx, cand)
        return hit, w[pos]


def aligned(a: np.ndarray) -> np.ndarray:
    """The array itself, or an aligned copy of it."""
    return a if a.flags.aligned else a.copy()


def search_one(ordered: np.ndarray, value: int) -> int:
    """np.searchsorted of one id, given in the array's own type: a Python int would have
    numpy cast the whole array (an int32 posting copied for one lookup)."""
    return int(ordered.searchsorted(ordered.dtype.type(value)))


def article_passages(index: Index, arts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, end) passage ids of each article: an article's passages are consecutive ids,
    so its range is found by binary search in `passage_article`."""
    lo = np.searchsorted(index.passage_article, arts)
    hi = np.searchsorted(index.passage_article, arts + 1)
    return lo, hi


def _check_shapes(index: Index) -> None:
    """CacheError unless the loaded arrays fit together as `build` makes them, so a damaged
    cache fails here and not in the middle of a search."""
    n_passages, n_sentences = index.passage_article.shape[0], index.sent_spans.shape[0]
    rows = {"passages": len(index.vocab), "sentences": len(index.vocab),
            "bigrams": index.bigram_keys.shape[0]}
    docs = {"passages": n_passages, "sentences": n_sentences, "bigrams": n_passages}
    for name, n_rows in rows.items():
        p: Postings = getattr(index, name)
        ok = (p.indptr.ndim == 1 and p.indptr.shape[0] == n_rows + 1 and p.n_docs == docs[name]
              and p.indices.shape == p.data.shape and p.idf.shape == p.df.shape == (n_rows,)
              and p.indptr.dtype.kind in "iu" and p.indices.dtype.kind in "iu"
              and p.data.dtype.kind == "f" and int(p.indptr[0]) == 0
              and int(p.indptr[-1]) == p.indices.shape[0]
              and bool(np.all(np.diff(p.indptr) >= 0))
              and (p.indices.size == 0 or 0 <= int(p.indices.min()) <= int(p.indices.max())
                   < p.n_docs))
        if not ok:
            raise CacheError(f"the {name} arrays do not fit together")
    p = index.passages
    if not (p.tf is not None and p.tf.shape == p.indices.shape and p.tf.dtype.kind == "u"
            and p.lengths is not None and p.lengths.shape == (n_passages,)):
        raise CacheError("the passages' term frequencies do not fit together")
    if not (index.passage_para.shape == (n_passages,)
            and index.sent_ptr.shape == (n_passages + 1,)
            and index.sent_spans.ndim == 2 and index.sent_spans.shape[1] == 2
            and index.sent_number.shape == (n_sentences,)
            and int(index.sent_ptr[-1]) == n_sentences):
        raise CacheError("the passage and sentence arrays do not fit together")
    st = index.stamps
    if st is not None and not (st.ndim == 2 and st.shape[1] == 2 and st.dtype.kind == "i" and (
            n_passages == 0 or len(st) > int(index.passage_article.max()))):
        raise CacheError("the article stamps do not fit the passages")
