"""Incremental BM25: raw term counts kept in segments, rank-bm25's statistics applied per query.

Every BM25Okapi weight depends on N, the document frequencies and the average length, so a
weight frozen at build time goes stale the moment one passage is added. Here a segment keeps
only raw counts (term frequencies, passage lengths); the current N, df, average length and
rank-bm25's epsilon floor are applied when a query is scored, with numpy, over just the
postings of the question's words. So adding an article is a small new delta segment,
removing one clears bits in a deleted bitmap, and `merge` folds deltas into the main segment,
all while scores stay equal to `rank_bm25.BM25Okapi(current corpus).get_scores`.

Readers never lock: each change builds a new immutable `State` and swaps it in, so a search
sees one consistent corpus. Changes (and a merge's final swap) are serialised by one lock.
Not wired into the bot yet: `bot.index.Index` still serves questions.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import islice
from pathlib import Path

import numpy as np

from bot.retrieval.scoring import EXHAUSTIVE_MAX, State, score_all, search_pruned, top_k
from bot.retrieval.segment import (
    FIELDS,
    Piece,
    Segment,
    build_segment,
    count,
    merge_segments,
)
from bot.retrieval.tokens import ChunkTermIds

K1 = 0.9  # the same defaults as bot.index
B = 0.4
FORMAT = 1  # bump when the saved layout or the tokenizer changes
CHUNK = 8192  # passages tokenised and counted together: bounds the temporary arrays


def _grown(df: np.ndarray, n_terms: int) -> np.ndarray:
    if len(df) >= n_terms:
        return df.copy()
    out = np.zeros(n_terms, dtype=np.int64)
    out[: len(df)] = df
    return out


class SegmentIndex:
    """First-stage BM25 retriever over passages that can be added and removed one by one.

    Scores equal rank-bm25's `BM25Okapi(live passages' tokens, k1, b).get_scores`."""

    def __init__(self, vocab: dict[str, int] | None = None, k1: float = K1, b: float = B
                 ) -> None:
        self.vocab: dict[str, int] = vocab if vocab is not None else {}
        self.k1, self.b = k1, b
        self._ids_of = ChunkTermIds(self.vocab)
        self._lock = threading.Lock()  # changes, one at a time
        self._merging = threading.Lock()  # one merge at a time
        self._state = State((), (), np.zeros(len(self.vocab), dtype=np.int64), 0, 0, 0.0)

    # -- reading
    @property
    def size(self) -> int:
        """Live passages."""
        return self._state.n_docs

    @property
    def segment_sizes(self) -> list[int]:
        """Docs per segment (live or not), main segment first."""
        return [s.size for s in self._state.segments]

    def ids(self) -> np.ndarray:
        """Every live passage id, in no particular order."""
        s = self._state
        return np.concatenate([seg.ids[live] for seg, live in zip(s.segments, s.live,
                                                                    strict=True)] or
                              [np.zeros(0, np.int64)])

    def term_ids(self, tokens: Sequence[str] | np.ndarray) -> np.ndarray:
        """Query tokens (stems from bot.text.tokenize) or term ids -> known term ids, repeats
        kept (rank-bm25 counts them)."""
        if isinstance(tokens, np.ndarray):
            return tokens.astype(np.int64)
        vocab = self.vocab
        return np.array([vocab[t] for t in tokens if t in vocab], dtype=np.int64)

    def scores(self, tokens: Sequence[str] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ids, BM25Okapi scores) of every live passage holding a query term; any other
        passage scores exactly 0."""
        s = self._state
        tids = self._known(s, tokens)
        if not len(tids) or not s.total_len:  # no live passage holds any word
            return np.zeros(0, np.int64), np.zeros(0)
        return score_all(s, tids, self.k1, self.b)

    def search(self, tokens: Sequence[str] | np.ndarray, k: int = 10
               ) -> tuple[np.ndarray, np.ndarray]:
        """Best k live passages holding a query term: (ids, scores), best first, ties by id.

        Not "score > 0": in a small corpus a word in half the passages has idf 0 or below.
        Equal to the best k of `scores`, but usually without scoring every posting of the
        question's commonest words (see `scoring.search_pruned`)."""
        s = self._state
        tids = self._known(s, tokens)
        if not len(tids) or not s.total_len or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0)
        found = None
        if int(s.df[tids].sum()) > EXHAUSTIVE_MAX:
            found = search_pruned(s, tids, self.k1, self.b, k)
        return found if found is not None else top_k(*score_all(s, tids, self.k1, self.b), k)

    def _known(self, s: State, tokens: Sequence[str] | np.ndarray) -> np.ndarray:
        tids = self.term_ids(tokens)
        return tids[(tids >= 0) & (tids < len(s.df))]  # words added after `s` was made

    # -- changing
    def add(self, ids: Sequence[int] | np.ndarray, texts: Iterable[str]) -> None:
        """Make passages searchable: one new delta segment. `texts[i]` is passage `ids[i]`'s
        text (title included, if it should count); an id already live is an error."""
        ids = np.asarray(ids, dtype=np.int64)
        with self._lock:
            self._check_new(self._state, ids)
            seg = self._tokenize_segment(ids, texts)
            self._state = self._appended(self._state, seg)

    def add_stream(self, docs: Iterable[tuple[int, str]]) -> None:
        """Like `add`, from a stream of (id, text), counted CHUNK passages at a time so a big
        corpus never sits in memory as Python objects."""
        with self._lock:
            ids, pieces, lengths = [], [], []
            done = 0
            it = iter(docs)
            while batch := list(islice(it, CHUNK)):
                chunk_ids, texts = zip(*batch, strict=True)
                del batch
                piece, lens = self._count(texts, first_doc=done)
                done += len(lens)
                ids.append(np.array(chunk_ids, dtype=np.int64))
                pieces.append(piece)
                lengths.append(lens)
            seg = build_segment(np.concatenate(ids or [np.zeros(0, np.int64)]), pieces,
                                np.concatenate(lengths or [np.zeros(0, np.int32)]))
            self._check_new(self._state, seg.ids)
            self._state = self._appended(self._state, seg)

    def remove(self, ids: Sequence[int] | np.ndarray) -> int:
        """Stop matching these passages at once; returns how many were live."""
        with self._lock:
            self._state, removed = self._removed(self._state, np.asarray(ids, dtype=np.int64))
            return removed

    def replace(self, old_ids: Sequence[int] | np.ndarray, new_ids: Sequence[int] | np.ndarray,
                texts: Iterable[str]) -> None:
        """A changed article: its old passages removed and its new ones added, in one step
        as far as searches go (both changes are swapped in together)."""
        new = np.asarray(new_ids, dtype=np.int64)
        with self._lock:
            seg = self._tokenize_segment(new, texts)
            state, _ = self._removed(self._state, np.asarray(old_ids, dtype=np.int64))
            self._check_new(state, new)
            self._state = self._appended(state, seg)

    @staticmethod
    def _check_new(s: State, ids: np.ndarray) -> None:
        if len(np.unique(ids)) != len(ids):
            raise ValueError("passage ids repeat within one add")
        for seg, live in zip(s.segments, s.live, strict=True):
            local = seg.locate(ids)
            if live[local].any():
                raise ValueError(f"passage {int(seg.ids[local[live[local]][0]])} is already "
                                 "indexed; remove it first (or use replace)")

    def _count(self, texts: Sequence[str], first_doc: int
               ) -> tuple[Piece, np.ndarray]:
        flat, lengths = self._ids_of.many(texts)
        return count(flat, lengths, first_doc), lengths

    def _tokenize_segment(self, ids: np.ndarray, texts: Iterable[str]) -> Segment:
        texts = list(texts)
        if len(texts) != len(ids):
            raise ValueError("one text per passage id")
        pieces, lengths = [], []
        for start in range(0, len(texts), CHUNK):
            piece, lens = self._count(texts[start: start + CHUNK], first_doc=start)
            pieces.append(piece)
            lengths.append(lens)
        return build_segment(ids, pieces, np.concatenate(lengths or [np.zeros(0, np.int32)]))

    def _appended(self, s: State, seg: Segment) -> State:
        if not seg.size:  # nothing to add: no empty segment kept
            return s
        df = _grown(s.df, len(self.vocab))
        terms, counts = seg.term_df()
        df[terms] += counts
        return s.with_stats(
            df, s.n_docs + seg.size, s.total_len + int(seg.lengths.sum(dtype=np.int64)),
            segments=s.segments + (seg,), live=s.live + (np.ones(seg.size, dtype=bool),),
        )

    @staticmethod
    def _removed(s: State, ids: np.ndarray) -> tuple[State, int]:
        df = s.df.copy()
        n_docs, total_len, removed = s.n_docs, s.total_len, 0
        lives = list(s.live)
        for i, seg in enumerate(s.segments):
            local = seg.locate(ids)
            local = local[lives[i][local]]
            if not len(local):
                continue
            lives[i] = lives[i].copy()  # copy on write: running searches keep the old one
            lives[i][local] = False
            np.subtract.at(df, seg.terms_of(local), 1)
            n_docs -= len(local)
            total_len -= int(seg.lengths[local].sum(dtype=np.int64))
            removed += len(local)
        return s.with_stats(df, n_docs, total_len, live=tuple(lives)), removed

    # -- merging
    def merge(self) -> None:
        """Fold every segment into one main segment without the removed passages.

        Safe beside searches and changes (call it from a worker thread): the heavy part works
        on a snapshot; passages removed meanwhile are removed from the result at the swap."""
        with self._merging:
            with self._lock:
                snap = self._state
            if len(snap.segments) <= 1 and all(live.all() for live in snap.live):
                return
            merged = merge_segments(snap.segments, snap.live)
            with self._lock:
                now = self._state
                n = len(snap.segments)
                # Only appends happen meanwhile: the snapshot's segments lead the current list.
                assert all(a is b for a, b in zip(now.segments, snap.segments, strict=False))
                live = np.ones(merged.size, dtype=bool)
                gone = [seg.ids[old & ~new] for seg, old, new in
                        zip(snap.segments, snap.live, now.live[:n], strict=True)]
                if gone and sum(len(g) for g in gone):
                    live[merged.locate(np.concatenate(gone))] = False
                self._state = replace(now, segments=(merged,) + now.segments[n:],
                                      live=(live,) + now.live[n:])

    def needs_merge(self, max_deltas: int = 8, max_share: float = 0.1) -> bool:
        """Many deltas, or deltas and removed passages past a share of the main segment."""
        s = self._state
        if len(s.segments) <= 1:
            return bool(s.live) and not s.live[0].all()
        main = s.segments[0].size
        dead = sum(int((~live).sum()) for live in s.live)
        extra = sum(seg.size for seg in s.segments[1:]) + dead
        return len(s.segments) - 1 > max_deltas or extra > max_share * main

    # -- persistence
    def save(self, folder: Path) -> None:
        """Write the index into `folder` (replaced atomically: a new folder, then renames)."""
        folder = Path(folder)
        with self._lock:  # the vocabulary grows during an add: copy it with its state
            s = self._state
            words = list(self.vocab)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "vocab.txt").write_text("\n".join(words), encoding="utf-8")
        np.save(tmp / "df.npy", s.df)
        for i, (seg, live) in enumerate(zip(s.segments, s.live, strict=True)):
            for name in FIELDS:
                np.save(tmp / f"{i}.{name}.npy", getattr(seg, name))
            np.save(tmp / f"{i}.live.npy", live)
        meta = {"format": FORMAT, "k1": self.k1, "b": self.b, "segments": len(s.segments),
                "n_docs": s.n_docs, "total_len": s.total_len, "vocab": len(words)}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, mmap: bool = True) -> SegmentIndex:
        """Read an index written by `save`; arrays are memory-mapped unless `mmap` is False.
        Raises ValueError for another format."""
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"index format {meta.get('format')}, expected {FORMAT}")
        words = (folder / "vocab.txt").read_text(encoding="utf-8")
        vocab = {w: i for i, w in enumerate(words.split("\n"))} if meta["vocab"] else {}
        index = cls(vocab, meta["k1"], meta["b"])
        mode = "r" if mmap else None
        segments, lives = [], []
        for i in range(meta["segments"]):
            # Plain ndarray views of the mappings: np.memmap's slicing costs more than the
            # arithmetic on a short posting list.
            segments.append(Segment(*(np.load(folder / f"{i}.{n}.npy", mmap_mode=mode)
                                      .view(np.ndarray) for n in FIELDS)))
            lives.append(np.load(folder / f"{i}.live.npy"))  # small, and copied on change
        df = np.load(folder / "df.npy")
        index._state = State(tuple(segments), tuple(lives), df, meta["n_docs"],
                              meta["total_len"], State.average_idf(df, meta["n_docs"]))
        return index


