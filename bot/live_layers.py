"""The layers of a live index (bot/live.py): each layer is an index and the articles it
was built from, with a mask of those still alive; the main index is the first layer, every
delta another. Also what lays the layers end to end: one vocabulary (the main index's ids,
then the words only deltas hold), and arrays and passage texts indexed as one.

Apart from the merge (bot/live.py) and the query side (bot/live_index.py,
bot/live_postings.py): plain containers that both build on, with no BM25 in them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain

import numpy as np

from bot.corpus import PassageTexts
from bot.index import Index
from bot.models import StoredArticle


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


def first_passages(metas: list[StoredArticle]) -> np.ndarray:
    """The first passage (local id) of each article, from their passage counts."""
    counts = np.array([a.passages for a in metas], dtype=np.int64)
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64) if len(counts) \
        else counts

