"""A whole corpus -> the token arrays `bot.index.Index.build` needs, chunk by chunk.

The same arrays as tokenizing paragraph by paragraph (`sentence_spans`, then `TermIds.spans`
per sentence; the title's ids before each passage's), made with the vectorised tokenizer
(bot/text/chunk_words.py) and sentence splitter (bot/text/chunk_sentences.py) over chunks of
about CHUNK paragraphs. A paragraph that normalisation changes (NFKC, or a capital sigma or
dotted I lowercased in context) is rare and taken apart in Python exactly as `TermIds.spans`
does: its sentences become pieces of their own.
"""

from __future__ import annotations

import ctypes
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from bot.prefetch import prefetched
from bot.text.chunk import DIGIT, Chunk, prepare
from bot.text.chunk_sentences import chunk_sentences
from bot.text.chunk_words import ChunkWords
from bot.text.sentences import sentence_spans
from bot.text.tokens import normalize

CHUNK = 4096  # paragraphs tokenized together: bounds the temporary arrays
try:  # the C library the process already uses (no search for it, no subprocess)
    _TRIM = ctypes.CDLL(None).malloc_trim
except (OSError, AttributeError):  # not glibc
    _TRIM = None
_DIGIT = re.compile(r"\d")


@dataclass
class PassageTokens:
    """Index.build's arrays: passages (title + paragraph) and their sentences."""

    p_terms: np.ndarray | Spilled  # int32 term ids of every passage, laid end to end
    p_lens: np.ndarray  # int64 tokens per passage
    s_terms: np.ndarray | Spilled  # int32 term ids of every sentence, laid end to end
    s_lens: np.ndarray  # int64 tokens per sentence
    s_spans: np.ndarray  # int32 (n, 2) character offsets of each sentence in its paragraph
    s_num: np.ndarray  # bool: does the sentence hold a digit
    sent_ptr: np.ndarray  # int64 sentences of passage p: sent_ptr[p]:sent_ptr[p+1]
    p_art: np.ndarray  # int32 position of the passage's article
    p_para: np.ndarray  # int32 paragraph index within the article


class Spilled:
    """A 1-d int32 array kept in an unnamed temporary file, read a slice at a time (into
    memory of its own: no mapping, so the pages it was read from never count as the
    process's). What the build's whole-corpus token arrays become when it writes the index
    to a file: at 100k passages, ~80 MB that the postings then read a chunk at a time."""

    dtype = np.dtype(np.int32)

    def __init__(self, folder: Path) -> None:
        # Unnamed: gone from the folder at once, and with the process however it ends.
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  # closed by close()
        self._size = 0

    def append(self, values: np.ndarray) -> None:
        self._file.write(memoryview(np.ascontiguousarray(values, self.dtype)).cast("B"))
        self._size += len(values)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, where: slice) -> np.ndarray:
        start, stop, step = where.indices(self._size)
        if step != 1:
            raise IndexError("only plain slices are read back")
        size = self.dtype.itemsize
        return np.frombuffer(read_at(self._file, start * size, max(stop - start, 0) * size),
                             self.dtype)

    def close(self) -> None:
        self._file.close()


def read_at(file: IO[bytes], offset: int, size: int) -> bytearray:
    """`size` bytes of a file from `offset` (what was written through it included), into
    memory of their own."""
    out = bytearray(size)
    file.flush()
    fd, done = file.fileno(), 0
    while done < size:  # pread may return less than asked
        got = os.preadv(fd, [memoryview(out)[done:]], offset + done)
        if got <= 0:
            raise OSError(f"temporary file ends at {offset + done}, {size - done} bytes short")
        done += got
    return out


def tokenize_passages(docs: Iterable[tuple[str, Sequence[str]]], vocab: dict[str, int],
                      spill: Path | None = None) -> PassageTokens:
    """`docs`: (title, paragraphs) per article, in corpus order (a stream is fine); new
    words are added to `vocab` in order of first appearance. `spill`: a folder where the
    term ids (`p_terms`, `s_terms`) are kept as `Spilled` files, each chunk's written as it
    is made, instead of whole-corpus arrays."""
    words = ChunkWords(vocab)
    parts: list[PassageTokens] = []
    spilled = {f: Spilled(spill) for f in ("p_terms", "s_terms")} if spill else {}
    batch: list[tuple[str, Sequence[str]]] = []
    first = held = 0

    def add(part: PassageTokens) -> None:
        for f, out in spilled.items():
            out.append(getattr(part, f))
            setattr(part, f, None)
        parts.append(part)

    try:
        for art in prefetched(docs):  # the store read while the chunk before is tokenized
            batch.append(art)
            held += len(art[1])
            if held >= CHUNK:
                add(_chunk(words, batch, first))
                first += len(batch)
                batch, held = [], 0
        if batch or not parts:
            add(_chunk(words, batch, first))
    except BaseException:
        for out in spilled.values():
            out.close()
        raise
    del batch
    ptr = [np.zeros(1, np.int64)]
    done = 0
    for p in parts:
        ptr.append(p.sent_ptr[1:] + done)
        done += int(p.sent_ptr[-1])
    fields: dict[str, np.ndarray | Spilled] = {"sent_ptr": np.concatenate(ptr), **spilled}
    del ptr
    for f in ("p_terms", "s_terms", "p_lens", "s_lens", "s_spans", "s_num", "p_art", "p_para"):
        if f in spilled:
            continue
        fields[f] = np.concatenate([getattr(p, f) for p in parts])
        for p in parts:  # each field's chunks go as soon as they are joined
            setattr(p, f, None)
    parts.clear()
    out = PassageTokens(**fields)
    release_free_memory()
    return out


def release_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc only). The chunks' temporary
    arrays leave ~100 MB free but held at 100k passages (glibc raises its mmap threshold as
    big blocks are freed, so later ones come from the heap), which the postings built next
    would add to the peak."""
    if _TRIM is not None:
        _TRIM(0)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions start..end-1 of every range, laid end to end."""
    size = ends - starts
    return np.repeat(starts - (np.cumsum(size) - size), size) + np.arange(int(size.sum()))


class _Pieces:
    """What a chunk is made of: titles, paragraphs as written, and the sentences of the
    paragraphs normalisation changes, each its own piece."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.title: list[int] = []  # piece of each article's title
        self.clean: list[int] = []  # piece of each paragraph tokenized as written
        self.paras: list[tuple[int, int, int]] = []  # (article, paragraph no, its entry)
        self.odd: list[tuple[int, list[tuple[int, int]], list[bool], bool]] = []

    def add(self, title: str, paragraphs: Sequence[str]) -> None:
        art = len(self.title)
        self.title.append(len(self.texts))
        self.texts.append(prepare(title)[0])
        for no, text in enumerate(paragraphs):
            piece, as_written = prepare(text)
            if as_written:
                self.paras.append((art, no, len(self.clean)))
                self.clean.append(len(self.texts))
                self.texts.append(text)
                continue
            # As TermIds.spans: slices of the normalised text, or if normalising moved the
            # offsets, each sentence normalised on its own.
            spans = sentence_spans(text) or [(0, len(text))]
            norm = normalize(text)
            cut = ([norm[a:b] for a, b in spans] if len(norm) == len(text)
                   else [normalize(text[a:b]) for a, b in spans])
            digits = [_DIGIT.search(text, a, b) is not None for a, b in spans]
            self.paras.append((art, no, -1 - len(self.odd)))
            self.odd.append((len(self.texts), spans, digits, bool(text.strip())))
            self.texts.extend(cut)


def _chunk(words: ChunkWords, docs: Sequence[tuple[str, Sequence[str]]], first: int
           ) -> PassageTokens:
    pieces = _Pieces()
    for title, paragraphs in docs:
        pieces.add(title, paragraphs)
    texts = pieces.texts
    chunk = Chunk(texts)
    found = words.scan(chunk)
    ids = found.ids
    clean = np.array(pieces.clean, dtype=np.int64)
    sp = chunk_sentences(chunk, texts, clean)
    # A blank paragraph is one empty sentence spanning it (as Index.build always did).
    blank = sp.count == 0
    count = np.maximum(sp.count, 1)
    at = np.cumsum(count) - count
    n_clean = int(count.sum())
    s_bytes = np.zeros((n_clean, 2), np.int64)
    s_chars = np.zeros((n_clean, 2), np.int64)
    solid = np.repeat(~blank, count)
    s_bytes[solid], s_chars[solid] = sp.bytes, sp.chars
    s_bytes[at[blank]] = chunk.starts[clean[blank]][:, None]
    s_chars[at[blank], 1] = [len(texts[i]) for i in clean[blank].tolist()]
    s_tok = found.before(s_bytes.ravel()).reshape(-1, 2)
    digits = chunk.where(DIGIT)
    d = np.searchsorted(digits, s_bytes.ravel()).reshape(-1, 2)
    s_num = d[:, 1] > d[:, 0]
    nonblank = ~blank
    p_count = count
    if pieces.odd:  # sentences of the odd paragraphs, after the clean ones; then reordered
        o_count = np.array([len(o[1]) for o in pieces.odd], np.int64)
        o_piece = np.concatenate([np.arange(o[0], o[0] + len(o[1])) for o in pieces.odd])
        o_tok = np.stack([found.before(chunk.starts[o_piece]),
                          found.before(chunk.ends[o_piece])], axis=1)
        s_tok = np.concatenate([s_tok, o_tok])
        s_chars = np.concatenate([s_chars, [s for o in pieces.odd for s in o[1]]])
        s_num = np.concatenate([s_num, [d for o in pieces.odd for d in o[2]]])
        entry = np.array([e for _, _, e in pieces.paras], np.int64)
        odd = entry < 0
        slot = np.where(odd, len(count) + (-1 - entry), entry)  # into clean + odd
        p_count = np.concatenate([count, o_count])[slot]
        p_at = np.concatenate([at, n_clean + np.cumsum(o_count) - o_count])[slot]
        order = _ranges(p_at, p_at + p_count)
        s_tok, s_chars, s_num = s_tok[order], s_chars[order], s_num[order]
        nonblank = np.concatenate([nonblank, [o[3] for o in pieces.odd]])[slot]
    s_lens = s_tok[:, 1] - s_tok[:, 0]
    s_terms = ids[_ranges(s_tok[:, 0], s_tok[:, 1])]
    sent_ptr = np.zeros(len(p_count) + 1, np.int64)
    np.cumsum(p_count, out=sent_ptr[1:])
    # A passage is its article's title (unless the paragraph is blank), then its sentences.
    art = np.array([a for a, _, _ in pieces.paras], np.int64)
    t_piece = np.array(pieces.title, np.int64)[art]
    t_from, t_to = found.before(chunk.starts[t_piece]), found.before(chunk.ends[t_piece])
    t_to = np.where(nonblank, t_to, t_from)
    body_from, body_to = s_tok[sent_ptr[:-1], 0], s_tok[sent_ptr[1:] - 1, 1]
    pairs = np.stack([np.stack([t_from, body_from], 1), np.stack([t_to, body_to], 1)], 2)
    p_terms = ids[_ranges(pairs[:, :, 0].ravel(), pairs[:, :, 1].ravel())]
    p_lens = (t_to - t_from) + (body_to - body_from)
    return PassageTokens(
        p_terms, p_lens, s_terms, s_lens, s_chars.astype(np.int32), s_num, sent_ptr,
        (art + first).astype(np.int32),
        np.array([no for _, no, _ in pieces.paras], np.int32))
