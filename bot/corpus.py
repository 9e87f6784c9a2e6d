"""A loaded corpus: article metadata, passage texts and the index, swapped as one unit.

Passage texts are kept as one UTF-8 buffer with offsets: at 100k passages that is about a
third of the memory of 100k Python strings (non-ASCII text makes a str 2-4 bytes a char).
"""

from __future__ import annotations

import contextlib
import mmap
import re
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import IO

import numpy as np

from bot.acronyms import names as acronym_names
from bot.acronyms import phrase as acronym_phrase
from bot.index import Index
from bot.models import StoredArticle
from bot.postings import Blocks
from bot.text.passages import read_at
from bot.titles import TitleMatcher
from bot.verbatim import holds as holds_saying

# Sites up to this size have their acronyms looked up: reading them costs ~0.2 ms a passage
# (about 1 s here, once, on the first question holding an unknown acronym; 21 s at 100k).
ACRONYM_PASSAGES = 5_000
SAYINGS_KEPT = 1_000  # sayings looked for (`Corpus.passage_saying`) remembered at once
# A site of this many articles or fewer: a handful, whose acronyms are looked for also as
# the names they spell out (bot/answer/).
FEW_ARTICLES = 20
STORE_BYTES = 1 << 20  # written and read at a time to and from the texts' temporary file


class PassageTexts:
    """Append-only collection of passage texts in one buffer.

    `spill`: a folder where the texts are written, as they are added, to an unnamed
    temporary file that `freeze` maps (read-only), instead of a buffer in memory: a build
    then does not hold them (~85 MB at 100k passages) while it tokenizes and lays out its
    matrices, and serving reads their pages as quotes need them. Should the file fail (no
    room), the texts go on in memory as without it."""

    def __init__(self, spill: Path | None = None) -> None:
        self._buf = bytearray()
        self._offsets = [0]
        self.offsets: np.ndarray | None = None
        self.data: bytes | bytearray | memoryview | mmap.mmap = b""  # a view: from a cache
        self._file: IO[bytes] | None = None
        self._written = 0  # bytes of texts in the file; the rest are in `_buf`
        if spill is not None:
            with contextlib.suppress(OSError):  # in memory, then
                # Unbuffered: the texts go out a megabyte at a time from `_buf`, which keeps
                # them until they are all written.
                self._file = tempfile.TemporaryFile(dir=spill, buffering=0)  # noqa: SIM115
                # Closed (so removed) with the texts: the corpus holding them is dropped
                # whole when a newer one replaces it, never closed.
                weakref.finalize(self, self._file.close)

    def add(self, text: str) -> None:
        self._buf += text.encode("utf-8", errors="surrogatepass")
        # `_buf` holds what the file does not (all of them, without a file)
        self._offsets.append((self._written if self._file else 0) + len(self._buf))
        if self._file is not None and len(self._buf) >= STORE_BYTES:
            self._write_out()

    def _write_out(self) -> None:
        """`_buf` appended to the file; on failure, the file read back before `_buf` and
        let go (every text is then in memory)."""
        assert self._file is not None
        try:
            with memoryview(self._buf) as view:
                done = 0
                while done < len(view):  # a raw write may take less than given
                    done += self._file.write(view[done:]) or 0
            self._written += len(self._buf)
            self._buf = bytearray()
        except OSError:
            self._to_memory()

    def _to_memory(self) -> None:
        assert self._file is not None
        file, self._file = self._file, None
        held = read_at(file, 0, self._written)  # OSError if it cannot be read
        held += self._buf  # (a new buffer: a failed write may still hold a view of `_buf`)
        self._buf = held
        file.close()

    def freeze(self) -> PassageTexts:
        if self.offsets is not None:
            return self  # frozen already, or read from a cache (bot/corpus_cache.py)
        if self._file is not None:
            self._write_out()
        if self._file is not None and self._offsets[-1]:
            try:
                self.data = mmap.mmap(self._file.fileno(), self._offsets[-1],
                                      access=mmap.ACCESS_READ)
            except OSError:
                self._to_memory()
        if self._file is None:
            self.data = self._buf  # no copy: at 100k passages that would be ~75 MB more
        self.offsets = np.array(self._offsets, dtype=np.int64)
        self._buf, self._offsets = bytearray(), [0]
        return self

    def stored(self) -> np.ndarray | Blocks:
        """The frozen texts' bytes for writing to a file: read from their temporary file a
        slice at a time when they have one (through the mapping every page read would count
        as the process's memory), else the buffer itself."""
        assert self.offsets is not None
        size = int(self.offsets[-1])
        file = self._file
        if file is None or not size:
            return np.frombuffer(self.data, dtype=np.uint8)

        def slices() -> Iterator[np.ndarray]:
            for at in range(0, size, STORE_BYTES):
                yield np.frombuffer(read_at(file, at, min(STORE_BYTES, size - at)), np.uint8)

        return Blocks(np.dtype(np.uint8), size, slices())

    def __getitem__(self, pid: int) -> str:
        assert self.offsets is not None
        a, b = self.offsets[pid], self.offsets[pid + 1]
        return str(self.data[a:b], "utf-8", "surrogatepass")


def collect(articles: Iterable[StoredArticle], metas: list[StoredArticle], texts: PassageTexts
            ) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Stream (title, paragraphs) to the index while keeping light metadata and texts."""
    for art in articles:
        metas.append(replace(art, paragraphs=(), passages=len(art.paragraphs)))
        for p in art.paragraphs:
            texts.add(p)
        yield art.title, art.paragraphs


@dataclass(frozen=True)
class Corpus:
    articles: Sequence[StoredArticle]  # metadata only (see `full`), in index order
    index: Index
    texts: PassageTexts
    first_passage: np.ndarray  # passage id of each article's first paragraph
    ids: np.ndarray  # store id of each article, ascending (the store's order)
    revision: int = 0
    stamp: int | None = None  # the store's change stamp it is up to; None: not known

    @classmethod
    def make(cls, metas: Sequence[StoredArticle], index: Index, texts: PassageTexts,
             revision: int = 0, counts: np.ndarray | None = None,
             ids: np.ndarray | None = None) -> Corpus:
        """Freeze the texts and index the articles' first passages. `counts` (passages of
        each article) and `ids` (store ids) when known already, else read from `metas`:
        the articles of a corpus cache are made on first use, not here."""
        if counts is None:
            counts = np.array([a.passages for a in metas], dtype=np.int64)
        if ids is None:
            ids = np.array([a.id for a in metas], dtype=np.int64)
        counts, ids = counts.astype(np.int64, copy=False), ids.astype(np.int64, copy=False)
        first = np.concatenate(([0], np.cumsum(counts)[:-1])) if len(counts) else counts
        return cls(metas, index, texts.freeze(), first, ids, revision)

    def article_position(self, pid: int) -> int:
        """Position in `articles` of the article passage `pid` belongs to."""
        return int(self.index.passage_article[pid])

    def passage(self, pid: int) -> tuple[StoredArticle, int, str]:
        """(article, paragraph index, text) of passage `pid`."""
        art = self.articles[int(self.index.passage_article[pid])]
        return art, int(self.index.passage_para[pid]), self.texts[int(pid)]

    def full(self, art: StoredArticle) -> StoredArticle:
        """The article with its paragraphs, for summaries."""
        pos = self.position(art.id)
        start = int(self.first_passage[pos])
        return replace(art, paragraphs=tuple(self.texts[start + i] for i in range(art.passages)))

    def position(self, article_id: int) -> int:
        """Index of an article (by store id) in `articles`."""
        order, ids = self._by_id
        i = int(np.searchsorted(ids, article_id))
        if i >= len(ids) or ids[i] != article_id:
            raise KeyError(article_id)
        return i if order is None else int(order[i])

    @cached_property
    def _by_id(self) -> tuple[np.ndarray | None, np.ndarray]:
        """(positions in id order, ids sorted); None: `ids` is sorted already (the store's
        order: only a corpus with deltas, bot/live.py, holds its changed articles last)."""
        ids = self.ids
        if len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1])):
            return None, ids
        order = np.argsort(ids, kind="stable")
        return order, ids[order]

    @cached_property
    def newest_date(self) -> str:
        """The newest article's date (ISO 8601, as the store keeps it), "" when none is
        dated: what questions about the recent past are read against on a site that no
        longer publishes (bot/kinds/recency.py). Made on first use."""
        return max((a.date for a in self.articles if a.date), default="")

    @cached_property
    def title_matcher(self) -> TitleMatcher:
        """The titles for suggestions (made on first use: most questions need none)."""
        titles = getattr(self.articles, "titles", None)  # a corpus cache's: no article made
        return TitleMatcher(titles() if titles else (a.title for a in self.articles))

    @cached_property
    def acronyms(self) -> dict[str, str]:
        """The acronyms of the names the titles and passages spell out (bot/acronyms.py),
        made on first use; none past ACRONYM_PASSAGES (reading every passage would cost a
        question seconds there)."""
        if self.index.size > ACRONYM_PASSAGES:
            return {}
        texts = self._all_texts()
        # A title capitalises every word: its "names" ("Cost of Cheap Chicken") give way to
        # the passages' own (the Conseil du Café-Cacao, "CCC").
        clashes: set[str] = set()
        own = acronym_names(texts, clashes)
        titled = acronym_names(self.title_matcher.titles)
        return {**{k: v for k, v in titled.items() if k not in clashes}, **own}

    def acronym_phrase(self, key: str) -> str | None:
        """The site's one phrase of common words with the initials `key` (bot/acronyms.py
        `phrase`), looked for once per key; none past ACRONYM_PASSAGES."""
        known = self.__dict__.setdefault("_acronym_phrases", {})
        if key not in known:
            known[key] = (acronym_phrase(key, self._all_texts())
                          if self.index.size <= ACRONYM_PASSAGES else None)
        return known[key]

    def holds_phrase(self, words: str) -> bool:
        """Does a passage hold these words side by side (any case)? Looked for once per
        phrase; never past ACRONYM_PASSAGES."""
        known = self.__dict__.setdefault("_phrases", {})
        if words not in known:
            pattern = _side_by_side(words)
            known[words] = self.index.size <= ACRONYM_PASSAGES and any(
                map(pattern.search, self._all_texts()))
        return known[words]

    def holds_alone(self, name: str, acronym: str) -> bool:
        """Does a passage spell out `name` without writing `acronym` (any case)? Looked for
        once per pair; never past ACRONYM_PASSAGES."""
        known = self.__dict__.setdefault("_alone", {})
        if (name, acronym) not in known:
            spelled = _side_by_side(name)
            short = re.compile(rf"(?<!\w){re.escape(acronym)}(?!\w)", re.I)
            known[name, acronym] = self.index.size <= ACRONYM_PASSAGES and any(
                spelled.search(t) and not short.search(t) for t in self._all_texts())
        return known[name, acronym]

    def writes_lower(self, word: str) -> bool:
        """Does a passage write this word in lower case ("cod", a fish; not "COD")? Looked
        for once per word; never past ACRONYM_PASSAGES."""
        known = self.__dict__.setdefault("_lower", {})
        if word not in known:
            pattern = re.compile(rf"(?<![\w'\u2019-]){re.escape(word)}(?![\w'\u2019-])")
            known[word] = self.index.size <= ACRONYM_PASSAGES and any(
                map(pattern.search, self._all_texts()))
        return known[word]

    def passage_saying(self, phrases: tuple[str, ...]) -> int | None:
        """The first passage holding one of these (`verbatim.plain`) phrases word for word, or
        None; looked for once per phrase, never past ACRONYM_PASSAGES ("who said if we dont
        do it then who will": words retrieval cannot see)."""
        if self.index.size > ACRONYM_PASSAGES:
            return None
        known = self.__dict__.setdefault("_sayings", {})
        if phrases not in known:
            if len(known) >= SAYINGS_KEPT:  # a bot that runs for months asks many
                known.clear()
            known[phrases] = next((i for i, t in enumerate(self._all_texts())
                                   if holds_saying(t, list(phrases))), None)
        return known[phrases]

    def _all_texts(self) -> Iterator[str]:
        """Every passage's text, in passage order (what the lookups of a small site read)."""
        return (self.texts[i] for i in range(self.index.size))

    def sentence_spans(self, pid: int) -> list[tuple[int, int]]:
        """Sentence offsets of passage `pid`, as indexed."""
        a, b = self.index.sent_ptr[pid], self.index.sent_ptr[pid + 1]
        # tolist: Python ints at once, five times quicker than a loop over numpy rows
        return list(map(tuple, self.index.sent_spans[a:b].tolist()))


def _side_by_side(words: str) -> re.Pattern:
    """These words side by side, any case, hyphens or spaces between them."""
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(map(re.escape, words.split())) + r"(?!\w)",
                      re.I)
