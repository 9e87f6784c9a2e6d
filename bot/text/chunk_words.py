"""Term ids of a whole chunk of texts at once, equal to `TermIds.text` on each.

The words are the runs the word regex would find, found with numpy over the chunk's byte
classes (bot/text/chunk.py): word characters, and a joining character (' - U+2010 U+2011)
between two of them. A word of up to 16 bytes is its own key (two little-endian 64-bit
integers, zero-padded: a word never holds a zero byte), looked up in an open-addressing
hash table of numpy arrays; only a word never seen before goes through Python (decoded,
apostrophes folded, lowercased, stemmed by `TermIds`, which keeps the vocabulary in order
of first appearance). Longer words are rare and looked up in a dict. No Python object is
made per word. Where the compiled loops were built (bot/kernels.py), the words are found
and looked up in one pass over the bytes instead, with the same table and the same result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot import kernels
from bot.text.chunk import _FOLD, ALNUM, JOIN, WIDTH, Chunk
from bot.text.tokens import TermIds

_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
# By a word's length up to 16 bytes: the masks of its first and its second 8 bytes.
_MASK0 = _MASKS[np.minimum(np.arange(17), 8)]
_MASK1 = _MASKS[np.clip(np.arange(17) - 8, 0, 8)]
_EMPTY = -(2**62)  # a free slot
_PENDING = _EMPTY + 1  # a slot taken by a word whose code is being worked out
_C1 = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xC2B2AE3D27D4EB4F)
_C3 = np.uint64(0x165667B19E3779F9)


class _Table:
    """(k0, k1) -> code, open addressing with linear probing, all in numpy arrays."""

    def __init__(self, bits: int = 16) -> None:
        self.bits = bits
        self.k0 = np.zeros(1 << bits, dtype=np.uint64)
        self.k1 = np.zeros(1 << bits, dtype=np.uint64)
        self.code = np.full(1 << bits, _EMPTY, dtype=np.int64)
        self.used = 0

    def _hash(self, k0: np.ndarray, k1: np.ndarray) -> np.ndarray:
        h = k0 * _C1
        t = k1 * _C2
        h ^= t
        np.right_shift(h, np.uint64(29), out=t)  # in place: no temporary per step
        h ^= t
        h *= _C3
        return h

    def _slots(self, h: np.ndarray) -> np.ndarray:
        """Slots of the hashes (`h` is overwritten: its top bits, as int64)."""
        return np.right_shift(h, np.uint64(64 - self.bits), out=h).view(np.int64)

    def lookup(self, k0: np.ndarray, k1: np.ndarray) -> np.ndarray:
        """The code of each key, _EMPTY where the table does not hold it."""
        slot = self._slots(self._hash(k0, k1))
        out = self.code.take(slot)
        other = self.k0.take(slot) != k0
        other |= self.k1.take(slot) != k1
        other &= out != _EMPTY
        todo = np.flatnonzero(other)
        del other
        out[todo] = _EMPTY
        mask = (1 << self.bits) - 1
        while len(todo):  # another key holds the slot: probe on
            slot[todo] = (slot[todo] + 1) & mask
            s = slot[todo]
            code = self.code[s]
            hit = (code != _EMPTY) & (self.k0[s] == k0[todo]) & (self.k1[s] == k1[todo])
            out[todo[hit]] = code[hit]
            todo = todo[(code != _EMPTY) & ~hit]
        return out

    def insert(self, k0: np.ndarray, k1: np.ndarray) -> np.ndarray:
        """The slot of each key, taking free slots (code _PENDING) for keys not held yet;
        equal keys get one slot."""
        h = self._hash(k0, k1)
        distinct = np.sort(h)
        n_new = int(np.count_nonzero(distinct[1:] != distinct[:-1])) + 1 if len(h) else 0
        del distinct
        if (self.used + n_new) * 2 > len(self.code):
            self._grow(self.used + n_new)
        slot = self._slots(h)  # after growing: the slots depend on the table's size
        out = np.full(len(k0), -1, dtype=np.int64)
        todo = np.arange(len(k0))
        mask = (1 << self.bits) - 1
        claim = np.empty(len(self.code), dtype=np.int64)  # only the pages written are used
        while len(todo):
            s = slot[todo]
            code = self.code[s]
            free = code == _EMPTY
            same = ~free & (self.k0[s] == k0[todo]) & (self.k1[s] == k1[todo])
            out[todo[same]] = s[same]
            # Of the keys aiming at one free slot one takes it (whichever the scatter kept);
            # the others look at that slot again.
            fs, fi = s[free], todo[free]
            claim[fs] = fi
            won = claim[fs] == fi
            taken, by = fs[won], fi[won]
            self.k0[taken], self.k1[taken], self.code[taken] = k0[by], k1[by], _PENDING
            self.used += len(taken)
            out[by] = taken
            moved = todo[~free & ~same]
            slot[moved] = (slot[moved] + 1) & mask
            todo = np.concatenate([moved, fi[~won]])
        return out

    def _grow(self, need: int) -> None:
        held = np.flatnonzero(self.code != _EMPTY)
        k0, k1, code = self.k0[held], self.k1[held], self.code[held]
        bits = self.bits
        while (1 << bits) < 2 * need + 1024:
            bits += 1
        self.__init__(bits)
        self.code[self.insert(k0, k1)] = code


@dataclass
class Words:
    """The term ids of a chunk, laid end to end, and where each comes from."""

    ids: np.ndarray  # int32 term ids in text order
    starts: np.ndarray  # int64 byte offset of every word (stopwords too), ascending
    tokens_to: np.ndarray  # int64, len(starts) + 1: ids of words before word i

    def before(self, pos: np.ndarray) -> np.ndarray:
        """How many ids come from words starting before each byte position."""
        return self.tokens_to[np.searchsorted(self.starts, pos)]


class ChunkWords(TermIds):
    """`TermIds` for a whole `Chunk` at once."""

    def __init__(self, vocab: dict[str, int]) -> None:
        super().__init__(vocab)
        self._table = _Table()
        self._long: dict[bytes, int] = {}  # words of more than 16 bytes
        self._multi_flat = np.zeros(0, dtype=np.int64)  # the ids of every multi, laid out
        self._multi_ptr = np.zeros(1, dtype=np.int64)

    def _code_of(self, word: bytes) -> int:
        norm = _FOLD.sub("'", word.decode("utf-8", "surrogatepass")).lower()
        code = self._codes.get(norm)
        return code if code is not None else self._add(norm)

    def scan(self, chunk: Chunk) -> Words:
        """The term ids of every text of the chunk, in order."""
        found = kernels.scan_words(chunk.raw, chunk.cls, self._table)
        if found is None:
            starts, ends = _words(chunk)
            codes = self._table.lookup(*_keys(chunk, starts, ends - starts))
        else:
            starts, ends, codes = found
        codes = self._new_words(chunk, starts, ends, codes)
        ids, per_word = self._expand(codes)
        tokens_to = np.zeros(len(starts) + 1, dtype=np.int64)
        np.cumsum(per_word, out=tokens_to[1:])
        return Words(ids, starts, tokens_to)

    def _new_words(self, chunk: Chunk, starts: np.ndarray, ends: np.ndarray,
                   codes: np.ndarray) -> np.ndarray:
        """The codes, with the words the table lacked (_EMPTY) and the long ones filled in."""
        size = ends - starts
        missing = codes == _EMPTY
        long = size > 16
        long_at = np.flatnonzero(long) if long.any() else np.zeros(0, np.int64)
        if len(long_at):
            missing[long_at] = False
        miss = np.flatnonzero(missing)
        del missing
        slots = (self._table.insert(*_keys(chunk, starts[miss], size[miss])) if len(miss)
                 else miss)
        # Words never seen, in order of first appearance: the vocabulary grows in that order.
        new: list[tuple[int, int, bytes | None]] = []
        if len(miss):
            taken = np.flatnonzero(self._table.code == _PENDING)
            first = np.full(len(self._table.code), len(miss), dtype=np.int64)
            np.minimum.at(first, slots, np.arange(len(miss)))
            where = miss[first[taken]]
            new += zip(where.tolist(), taken.tolist(), [None] * len(taken), strict=True)
        raw = chunk.raw
        long_words = [raw[a:z] for a, z in zip(starts[long_at].tolist(),
                                               ends[long_at].tolist(), strict=True)]
        seen = set()
        for i, w in zip(long_at.tolist(), long_words, strict=True):
            if w not in self._long and w not in seen:
                seen.add(w)
                new.append((i, -1, w))
        new.sort()
        for i, slot, w in new:
            if w is None:
                self._table.code[slot] = self._code_of(raw[int(starts[i]): int(ends[i])])
            else:
                self._long[w] = self._code_of(w)
        if len(miss):
            codes[miss] = self._table.code[slots]
        if len(long_at):
            codes[long_at] = [self._long[w] for w in long_words]
        return codes

    def _expand(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Word codes -> (term ids, ids per word): stopwords give none, compounds several."""
        per_word = (codes >= 0).astype(np.int64)
        multi = np.flatnonzero(codes <= -2)
        if not len(multi):
            return codes[codes >= 0].astype(np.int32), per_word
        self._sync_multi()
        which = -2 - codes[multi]
        sizes = np.diff(self._multi_ptr)[which]
        per_word[multi] = sizes
        flat = np.repeat(codes.astype(np.int32), per_word)
        # Only the compounds' places are rewritten: each with its ids, in order.
        at = np.cumsum(per_word) - per_word
        rank = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        flat[np.repeat(at[multi], sizes) + rank] = self._multi_flat[
            np.repeat(self._multi_ptr[which], sizes) + rank]
        return flat, per_word

    def _sync_multi(self) -> None:
        """Lay out the compounds' ids as arrays, for the vectorised expansion."""
        if len(self._multi_ptr) - 1 == len(self._multi):
            return
        sizes = [len(m) for m in self._multi]
        self._multi_ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self._multi_ptr[1:])
        self._multi_flat = np.fromiter((i for m in self._multi for i in m), dtype=np.int64,
                                       count=int(self._multi_ptr[-1]))


def _keys(chunk: Chunk, starts: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each word's key: its first 16 bytes as two little-endian integers, zero-padded."""
    view = np.ndarray(shape=(len(chunk.raw) - 7,), dtype="<u8", buffer=chunk.raw, strides=(1,))
    # A longer word is keyed by its first 16 bytes too (its code comes from a dict, whatever
    # its key finds in the table, and its key is never inserted).
    n16 = np.minimum(size, 16)
    k0 = view[starts]
    k0 &= _MASK0.take(n16)
    k1 = view[starts + 8]
    k1 &= _MASK1.take(n16)
    return k0, k1


def _words(chunk: Chunk) -> tuple[np.ndarray, np.ndarray]:
    """Byte (start, end) of every word: the runs `bot.text.tokens._WORD` matches."""
    cls = chunk.cls
    word = (cls & ALNUM).view(bool)
    join = chunk.where(JOIN)
    if len(join):
        b = chunk.bytes[join]
        join = join[(b < 0x80) | (b >= 0xC0)]  # where each joining character starts
        width = WIDTH[chunk.bytes[join]]
        ok = word[join - 1] & word[join + width]  # a word character on either side
        join, width = join[ok], width[ok]
        for k in range(3):
            word[join[width > k] + k] = True
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    return edges[0::2], edges[1::2]
