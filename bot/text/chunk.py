"""Many texts as one UTF-8 byte array with a class per byte, for the vectorised tokenizer
(bot/text/chunk_words.py) and sentence splitter (bot/text/chunk_sentences.py).

Python work per character or per word is what made a corpus build slow (a regex call per
paragraph, a dict lookup per word). Here a chunk of texts is encoded once, every byte gets
the classes of its character from a lookup table (numpy), and only the few non-ASCII
characters are decoded, each distinct one classified once by the very regexes and string
methods the reference tokenizer uses. So the classes agree with the reference by
construction, not by a hand-written table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from bot.text.tokens import _APOSTROPHES as _FOLD

# Classes of a character (bits of one byte). The word classes are those of the character
# once normalised (curly apostrophes folded, lowercased: lowercasing never changes whether a
# character is alphanumeric, checked for every code point in the tests); the sentence classes
# are those of the character as written.
ALNUM = 1  # [^\W_]: a word character
JOIN = 2  # joins two words into one: ' - U+2010 U+2011 (after folding apostrophes)
PUNCT = 4  # ends a sentence: . ! ? U+2026
DIGIT = 8  # \d
SPACE = 16  # \s (the same characters as str.isspace)
CLOSE = 32  # may close a sentence after its punctuation: " ' U+201D U+2019 ) ]
OPEN = 64  # may open a sentence before its capital: " ' U+201C U+2018 ( [
CAP = 128  # may start a sentence: A-Z 0-9 U+00C0-U+024F

_ALNUM = re.compile(r"[^\W_]")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s")
_CAP = re.compile("[A-Z0-9\u00c0-\u024f]")
_UNKNOWN = 255  # never a real class (no character is both ALNUM and SPACE)
# Characters whose lowercase depends on their context (final sigma) or is longer than one
# character (dotted I): a text holding one is lowercased whole, as the reference does.
CONTEXT_CASE = ("\u03a3", "\u0130")


def classify(ch: str) -> int:
    """The class bits of one character (see above)."""
    folded = _FOLD.sub("'", ch)
    bits = 0
    if _ALNUM.fullmatch(folded):
        bits |= ALNUM
    if folded in ("'", "-", "\u2010", "\u2011"):
        bits |= JOIN
    if ch in ".!?\u2026":
        bits |= PUNCT
    if _DIGIT.fullmatch(ch):
        bits |= DIGIT
    if _SPACE.fullmatch(ch):
        bits |= SPACE
    if ch in "\"'\u201d\u2019)]":
        bits |= CLOSE
    if ch in "\"'\u201c\u2018([":
        bits |= OPEN
    if _CAP.fullmatch(ch):
        bits |= CAP
    return bits


_BYTE_CLASS = np.array([classify(chr(b)) if b < 128 else 0 for b in range(256)], np.uint8)
_WIDE_CLASS = np.full(0x110000, _UNKNOWN, dtype=np.uint8)  # filled as characters are met
# Bytes a UTF-8 character starting with this byte takes (continuation bytes: 1, never asked).
WIDTH = np.array([1] * 0xC0 + [2] * 0x20 + [3] * 0x10 + [4] * 0x10, dtype=np.int64)
PAD = 24  # zero bytes after the last text: reads of 16 bytes past any word stay inside


def prepare(text: str) -> tuple[str, bool]:
    """A text as the chunk holds it, and whether that is the text as written: NFKC applied
    (rarely needed), and lowercased whole if a character's lowercase depends on context.
    Otherwise case and apostrophes are folded word by word, later (it is the same)."""
    if not unicodedata.is_normalized("NFKC", text):
        out = unicodedata.normalize("NFKC", text)
    else:
        out = text
    if CONTEXT_CASE[0] in out or CONTEXT_CASE[1] in out:
        out = _FOLD.sub("'", out).lower()
    return out, out is text


class Chunk:
    """Texts laid end to end as UTF-8, one zero byte before each; a class per byte."""

    def __init__(self, texts: Sequence[str]) -> None:
        encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
        sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        self.starts = np.cumsum(sizes + 1) - sizes  # byte offset of each text
        self.ends = self.starts + sizes
        buf = b"\x00" + b"\x00".join(encoded) + b"\x00" * PAD
        del encoded
        self.raw = buf
        self.bytes = np.frombuffer(buf, dtype=np.uint8)
        self.cls = _BYTE_CLASS[self.bytes]
        self._sparse: np.ndarray | None = None
        self.high = np.flatnonzero(self.bytes >= 0x80)  # bytes of non-ASCII characters
        if len(self.high):
            self._wide(self.high)
        else:
            self.cont = self.high  # positions of continuation bytes (none)

    def _wide(self, high: np.ndarray) -> None:
        """Decode the non-ASCII characters and give all their bytes the character's class."""
        b = self.bytes
        lead_byte = b[high] >= 0xC0
        self.cont = high[~lead_byte]
        lead = high[lead_byte]
        width = WIDTH[b[lead]]
        cp = (b[lead].astype(np.int64) & (0xFF >> (width + 1))) if len(lead) else lead
        for j in range(1, 4):
            more = width > j
            cp[more] = (cp[more] << 6) | (b[lead[more] + j] & 0x3F)
        cp = np.minimum(cp, 0x10FFFF)  # a malformed sequence cannot occur (we encoded it)
        klass = _WIDE_CLASS[cp]
        unknown = klass == _UNKNOWN
        if unknown.any():
            for c in np.unique(cp[unknown]).tolist():
                _WIDE_CLASS[c] = classify(chr(c))
            klass = _WIDE_CLASS[cp]
        for j in range(4):
            more = width > j
            self.cls[lead[more] + j] = klass[more]

    def where(self, klass: int) -> np.ndarray:
        """Byte positions of the characters of a class among JOIN, PUNCT and DIGIT (rare
        ones: the chunk is scanned once for all three)."""
        if self._sparse is None:
            self._sparse = np.flatnonzero(self.cls & (JOIN | PUNCT | DIGIT))
        return self._sparse[(self.cls[self._sparse] & klass) != 0]

    def width_at(self, pos: np.ndarray) -> np.ndarray:
        """Byte length of the characters starting at `pos`."""
        return WIDTH[self.bytes[pos]]

    def chars_before(self, pos: np.ndarray) -> np.ndarray:
        """Characters (not bytes) before each byte position, the leading zero byte included."""
        if not len(self.cont):
            return pos
        return pos - np.searchsorted(self.cont, pos)

    def text_of(self, pos: np.ndarray) -> np.ndarray:
        """Index of the text holding each byte position (positions ascending or not)."""
        return np.searchsorted(self.starts, pos, side="right") - 1
