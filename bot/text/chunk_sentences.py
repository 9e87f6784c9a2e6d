"""`sentence_spans` for every text of a `Chunk` at once, with numpy.

A boundary of `sentence_spans` is a run of . ! ? U+2026, closing quotes or brackets, white
space, then an opening quote or bracket and a capital (or just a capital); a full stop after
an abbreviation or an initial is none. Whether a full stop ends a sentence depends only on
the word before it within 24 characters (bounding that window by the sentence's start, as
`sentence_spans` does, reads the same word: a sentence starts right after white space), so
every boundary is decided on its own, in bulk. A window holding a non-ASCII character (where
bytes are not characters) is decided in Python, as `sentence_spans` decides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.text.chunk import CAP, CLOSE, OPEN, PUNCT, SPACE, Chunk
from bot.text.sentences import _OPENERS, ABBREVIATIONS

_WINDOW = 24  # characters looked back for the word before a full stop, as sentence_spans


def _pack(word: bytes) -> int:
    return int.from_bytes(word, "little")


_LONGEST = 8  # an abbreviation is packed into one 64-bit key
_ABBREVIATIONS = np.array(sorted(_pack(a.encode()) for a in ABBREVIATIONS
                                 if len(a.encode()) <= _LONGEST), dtype=np.uint64)
assert len(_ABBREVIATIONS) == len(ABBREVIATIONS)  # every abbreviation fits one key
_LOWER = np.arange(256, dtype=np.uint64)
_LOWER[ord("A"): ord("Z") + 1] += 32
_ALPHA = np.zeros(256, dtype=bool)
_ALPHA[ord("a"): ord("z") + 1] = _ALPHA[ord("A"): ord("Z") + 1] = True


@dataclass
class Spans:
    """Sentences of some texts of a chunk, in order: per text a count, per sentence the
    character offsets within its text and the byte offsets within the chunk."""

    count: np.ndarray  # int64 sentences of each text asked for (0: white space only)
    chars: np.ndarray  # int64 (n, 2) start, end in characters, within the text
    bytes: np.ndarray  # int64 (n, 2) start, end in bytes, within the chunk


def _advance(chunk: Chunk, pos: np.ndarray, klass: int) -> np.ndarray:
    """From each position, past every character of the class."""
    pos = pos.copy()
    todo = np.flatnonzero(chunk.cls[pos] & klass)
    while len(todo):
        pos[todo] += chunk.width_at(pos[todo])
        todo = todo[(chunk.cls[pos[todo]] & klass) != 0]
    return pos


def _retreat(chunk: Chunk, end: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """From each end, back past the white space (to `floor` at most)."""
    end = end.copy()
    todo = np.arange(len(end))
    while len(todo):
        q = end[todo] - 1
        cont = (chunk.bytes[q] & 0xC0) == 0x80
        while cont.any():  # back to the first byte of a multi-byte character
            q[cont] -= 1
            cont = (chunk.bytes[q] & 0xC0) == 0x80
        go = (q >= floor[todo]) & ((chunk.cls[q] & SPACE) != 0)
        todo = todo[go]
        end[todo] = q[go]
    return end


def chunk_sentences(chunk: Chunk, texts: Sequence[str], which: np.ndarray) -> Spans:
    """The sentence spans of `texts[i]` for each i in `which` (texts as written, as the chunk
    holds them), equal to `sentence_spans`."""
    t_start, t_end = chunk.starts[which], chunk.ends[which]
    lead = _advance(chunk, t_start, SPACE)
    tail = np.maximum(_retreat(chunk, t_end, t_start), lead)
    mark, cut, text = _boundaries(chunk, texts, which)
    # Sentences of text k: lead..cut[0], mark[0]..cut[1], ..., mark[-1]..tail.
    inner = np.bincount(text, minlength=len(which))
    count = np.where(tail > lead, inner + 1, 0)
    first = np.cumsum(count) - count  # index of each text's first sentence
    n = int(count.sum())
    starts, ends = np.empty(n, np.int64), np.empty(n, np.int64)
    solid = count > 0
    starts[first[solid]] = lead[solid]
    ends[first[solid] + count[solid] - 1] = tail[solid]
    rank = np.arange(len(text)) - (np.cumsum(inner) - inner)[text]  # boundary's rank in text
    at = first[text] + rank
    ends[at] = cut
    starts[at + 1] = mark
    owner = np.repeat(which, count)
    base = chunk.chars_before(chunk.starts[owner])
    b = np.stack([starts, ends], axis=1)
    chars = np.stack([chunk.chars_before(starts) - base, chunk.chars_before(ends) - base], 1)
    return Spans(count, chars, b)


def _boundaries(chunk: Chunk, texts: Sequence[str], which: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(next sentence's start, this one's end, position in `which`) of every boundary, in
    byte offsets, in order."""
    none = np.zeros(0, np.int64)
    punct = chunk.where(PUNCT)
    if not len(punct):
        return none, none, none
    run = np.ones(len(punct), dtype=bool)
    run[1:] = punct[1:] != punct[:-1] + 1
    start = punct[run]  # a run of . ! ? U+2026: a boundary is decided at its first character
    text = chunk.text_of(start)
    inside = np.zeros(len(chunk.starts), dtype=bool)
    inside[which] = True
    keep = inside[text]
    start, text = start[keep], text[keep]
    stop = _advance(chunk, _advance(chunk, start, PUNCT), CLOSE)  # end of group 1
    spaced = (chunk.cls[stop] & SPACE) != 0
    start, text, stop = start[spaced], text[spaced], stop[spaced]
    mark = _advance(chunk, stop, SPACE)
    c = chunk.cls[mark]
    after = chunk.cls[mark + chunk.width_at(mark)]
    ok = ((c & CAP) != 0) | (((c & OPEN) != 0) & ((after & CAP) != 0))
    start, text, stop, mark = start[ok], text[ok], stop[ok], mark[ok]
    b = chunk.bytes
    dot = (b[start] == ord(".")) & ~((b[start + 1] == ord(".")) & (b[start + 2] == ord(".")))
    dots = np.flatnonzero(dot)
    abbrev = _abbreviated(chunk, texts, start[dots], text[dots])
    keep = np.ones(len(start), dtype=bool)
    keep[dots[abbrev]] = False
    pos = np.searchsorted(which, text[keep])
    return mark[keep], stop[keep], pos


def _abbreviated(chunk: Chunk, texts: Sequence[str], dot: np.ndarray, text: np.ndarray
                 ) -> np.ndarray:
    """Is the word before each full stop an abbreviation or an initial ("Mr.", "J.")?"""
    out = np.zeros(len(dot), dtype=bool)
    floor = np.maximum(chunk.starts[text], dot - _WINDOW)
    high = chunk.high  # bytes are characters only without these
    wide = np.flatnonzero(np.searchsorted(high, dot) > np.searchsorted(high, floor))
    if len(wide):
        at = chunk.chars_before(dot[wide]) - chunk.chars_before(chunk.starts[text[wide]])
        out[wide] = [_abbreviated_slow(texts[t], s)
                     for t, s in zip(text[wide].tolist(), at.tolist(), strict=True)]
    ascii_ = np.ones(len(dot), dtype=bool)
    ascii_[wide] = False
    ascii_ = np.flatnonzero(ascii_)
    dot, floor = dot[ascii_], floor[ascii_]
    cls = chunk.cls
    end = _retreat(chunk, dot, floor)  # the word's end: trailing white space skipped
    begin = end.copy()
    todo = np.flatnonzero(begin > floor)
    while len(todo):
        q = begin[todo] - 1
        go = (q >= floor[todo]) & ((cls[q] & SPACE) == 0)
        todo = todo[go]
        begin[todo] = q[go]
    begin = _advance_to(chunk, begin, end)  # opening quotes and brackets stripped
    size = end - begin
    short = np.flatnonzero((size >= 1) & (size <= _LONGEST))
    key = np.zeros(len(short), dtype=np.uint64)
    for k in range(_LONGEST):
        has = size[short] > k
        key[has] |= _LOWER[chunk.bytes[begin[short[has]] + k]] << np.uint64(8 * k)
    pos = np.minimum(np.searchsorted(_ABBREVIATIONS, key), len(_ABBREVIATIONS) - 1)
    found = _ABBREVIATIONS[pos] == key
    found |= (size[short] == 1) & _ALPHA[chunk.bytes[begin[short]]]
    out[ascii_[short[found]]] = True
    return out


def _advance_to(chunk: Chunk, pos: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Past opening quotes and brackets (ASCII here), up to `limit`."""
    pos = pos.copy()
    todo = np.flatnonzero((pos < limit) & ((chunk.cls[pos] & OPEN) != 0))
    while len(todo):
        pos[todo] += 1
        todo = todo[(pos[todo] < limit[todo]) & ((chunk.cls[pos[todo]] & OPEN) != 0)]
    return pos


def _abbreviated_slow(text: str, s: int) -> bool:
    """`sentence_spans`'s own test of the full stop at character `s` of `text`, for a window
    with non-ASCII characters."""
    before = text[max(0, s - _WINDOW): s].rsplit(None, 1)
    word = before[-1].lstrip(_OPENERS).lower() if before else ""
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
