"""What a start needs besides the index, cached next to it: the passage texts (one UTF-8
buffer and its offsets) and the articles' metadata (columns), with the store's change stamp
they are up to.

Without it a start reads every article and passage row of the store (at 1M passages, 84% of
a start: 20 s of CPU). With it a start reads this file and asks the store only for the
articles stamped after it (bot/live.py `what_changed`), so another process's ingest or a
removed article is applied, never served stale. The file is bound to its index by the
index's (store id, checksum) stamps: a file written for another index is not used. Any
damage is a CacheError (the Service then reads the store and writes it again).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from bot.corpus import PassageTexts
from bot.errors import CacheError
from bot.index import FORMAT, Index
from bot.index_files import UNREADABLE, save_arrays
from bot.mapped import Arrays
from bot.models import Link, StoredArticle

LAYOUT = 1  # bump when the arrays below change; a file of another layout is read again
STRINGS = ("title", "url", "date", "author", "source", "text_hash")
FIELDS = ("id", "title", "url", "date", "author", "partial", "source", "text_hash", "passages")


def path_for(index_dir: Path, revision: int) -> Path:
    """The cache file of the corpus at `revision` (beside `index-v{FORMAT}-{revision}.npz`)."""
    return Path(index_dir) / f"corpus-v{FORMAT}-{revision}.npz"


def newest(index_dir: Path, revision: int) -> tuple[Path, int] | None:
    """The corpus cache of the highest revision up to `revision` whose index is still
    cached beside it, and that revision."""
    best: tuple[Path, int] | None = None
    for path in Path(index_dir).glob(f"corpus-v{FORMAT}-*.npz"):
        try:
            r = int(path.stem.rsplit("-", 1)[1])
        except ValueError:
            continue
        if r <= revision and (best is None or r > best[1]) and index_path(path).exists():
            best = (path, r)
    return best


def index_path(path: Path) -> Path:
    """The index file a corpus cache file belongs to."""
    return path.with_name(path.name.replace("corpus-", "index-", 1))


@dataclass
class Cached:
    """A corpus cache as read: metadata columns, the passage texts, the stamp."""

    ids: np.ndarray
    passages: np.ndarray
    partial: np.ndarray
    strings: list[list[str]]  # one list per name in STRINGS
    texts: PassageTexts
    stamp: int

    def articles(self, link: Callable[[str, str, str], Link]) -> CachedArticles:
        """The articles' metadata (no paragraphs), each made on first use;
        `link(url, title, source)` makes their links."""
        return CachedArticles(self, link)


class CachedArticles(Sequence[StoredArticle]):
    """The cached articles as a read-only list whose objects are made on first use: a start
    makes none of them (100k articles took 0.85 s of a 1M-passage start), a question makes
    the few its answer quotes, and whatever goes through them all (picking an article by
    title, listing them) makes the rest once.

    Made without the dataclass's __init__ (its frozen setattr per field and its
    __post_init__ cost three times as much); the values are those it would set, of the types
    it would hold (checked by `load`). Two threads making the same article at once make two
    equal objects, one of which is kept: harmless."""

    def __init__(self, cached: Cached, link: Callable[[str, str, str], Link]) -> None:
        self._columns = (cached.ids.tolist(), *cached.strings[:4], cached.partial.tolist(),
                         *cached.strings[4:], cached.passages.tolist())
        self._link = link
        self._made: list[StoredArticle | None] = [None] * len(cached.ids)
        self._all = False  # every one made (never undone: a slot once set stays set)

    def __len__(self) -> int:
        return len(self._made)

    def titles(self) -> list[str]:
        """Every article's title, without making the articles."""
        return self._columns[1]

    @overload
    def __getitem__(self, i: int) -> StoredArticle: ...

    @overload
    def __getitem__(self, i: slice) -> list[StoredArticle]: ...

    def __getitem__(self, i: int | slice) -> StoredArticle | list[StoredArticle]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        art = self._made[i]  # IndexError as a list's
        if art is None:
            art = self._made[i] = self._make(i % len(self._made))
        return art

    def __iter__(self) -> Iterator[StoredArticle]:
        if not self._all:
            for i, art in enumerate(self._made):
                if art is None:
                    self._made[i] = self._make(i)
            self._all = True
        return iter(self._made)  # type: ignore[arg-type]  # every one made

    def __eq__(self, other: object) -> bool:  # as the list of them would be
        if isinstance(other, CachedArticles | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list's

    def _make(self, i: int) -> StoredArticle:
        values = [col[i] for col in self._columns]
        art = object.__new__(StoredArticle)
        d = art.__dict__
        d.update(zip(FIELDS, values, strict=True))
        d["paragraphs"] = ()
        d["link"] = self._link(values[2], values[1], values[6])
        return art


def save(path: Path, metas: list[StoredArticle], texts: PassageTexts, stamps: np.ndarray,
         stamp: int) -> None:
    """Write the corpus cache atomically; `stamps`: its index's, `stamp`: the store's change
    stamp read before the articles were."""
    assert texts.offsets is not None
    strings = [[getattr(a, name) for a in metas] for name in STRINGS]
    arrays = {
        "layout": np.array(LAYOUT),
        "stamp": np.array(stamp, dtype=np.int64),
        "stamps": stamps,
        "ids": np.array([a.id for a in metas], dtype=np.int64),
        "passages": np.array([a.passages for a in metas], dtype=np.int64),
        "partial": np.array([a.partial for a in metas], dtype=bool),
        "strings": np.frombuffer(json.dumps(strings).encode("utf-8", "surrogatepass"),
                                 dtype=np.uint8),
        "offsets": texts.offsets,
        "texts": texts.stored(),
    }
    save_arrays(path, arrays)  # no copy of the texts, as np.savez's 16 MB at a time


def load(path: Path, index: Index) -> Cached:
    """Read a corpus cache written for `index`; CacheError if it is damaged in any way or
    was written for another index."""
    try:
        with open(path, "rb") as f, Arrays(f) as z:  # the texts mapped, not copied
            if int(z["layout"]) != LAYOUT:
                raise CacheError(f"layout {int(z['layout'])}, not {LAYOUT}")
            if index.stamps is None or not np.array_equal(z["stamps"], index.stamps):
                raise CacheError("written for another index")
            strings = json.loads(z["strings"].tobytes().decode("utf-8", "surrogatepass"))
            texts = PassageTexts()
            texts.data, texts.offsets = z["texts"].data, z["offsets"]
            cached = Cached(z["ids"], z["passages"], z["partial"], strings, texts,
                            int(z["stamp"]))
        _check(cached, index)
    except CacheError:
        raise
    except UNREADABLE as e:
        raise CacheError(f"{type(e).__name__}: {e}") from None
    return cached


def _check(c: Cached, index: Index) -> None:
    """CacheError unless the arrays fit together and fit the index."""
    n = len(c.ids)
    off = c.texts.offsets
    assert off is not None
    if not (c.ids.shape == c.passages.shape == c.partial.shape == (n,)
            and np.array_equal(c.ids, index.stamps[:, 0])
            and len(c.strings) == len(STRINGS)
            and all(isinstance(col, list) and len(col) == n and set(map(type, col)) <= {str}
                    for col in c.strings)
            and int(c.passages.sum()) == index.size
            and bool(np.array_equal(np.repeat(np.arange(n), c.passages),
                                    index.passage_article))
            and off.ndim == 1 and off.shape[0] == index.size + 1 and off.dtype.kind == "i"
            and int(off[0]) == 0 and int(off[-1]) == len(c.texts.data)
            and bool(np.all(off[1:] >= off[:-1]))):
        raise CacheError("the cached articles do not fit the index")
