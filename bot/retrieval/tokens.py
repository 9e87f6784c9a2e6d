"""Whole chunks of passages -> term ids, exactly as `bot.text.tokenize` + a vocabulary would.

`TermIds.text` runs the word regex over every paragraph; over a big corpus that regex is most
of the build. Words never contain whitespace, so a text split on whitespace gives raw tokens
("(NFL)", "season.", "don't") whose words are those the regex finds in them; a corpus repeats
its raw tokens a lot, so each distinct raw token goes through the regex and the stemmer once
and every later occurrence is one dict lookup (done by `map`, in C). The results are numpy
arrays: no Python object per token outlives a chunk.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

from bot.text.tokens import _WORD, TermIds, normalize

_SEP = "\x00"  # between passages: whitespace-delimited, and never part of a word
_SEP_CODE = -(2**40)


def _nfkc(text: str) -> str:
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize(
        "NFKC", text)


class _RawCodes(dict):
    """raw token -> id, -1 (no word), or <= -2 (several words); filled on first sight."""

    def __init__(self, owner: ChunkTermIds) -> None:
        super().__init__({_SEP: _SEP_CODE})
        self.owner = owner

    def __missing__(self, raw: str) -> int:
        code = self[raw] = self.owner._raw_code(raw)
        return code


class ChunkTermIds(TermIds):
    """`TermIds` for many passages at once: (flat term ids, tokens per passage)."""

    def __init__(self, vocab: dict[str, int]) -> None:
        super().__init__(vocab)
        self._raw = _RawCodes(self)
        self._multi_flat = np.zeros(0, dtype=np.int64)  # the ids of every multi, laid out
        self._multi_ptr = np.zeros(1, dtype=np.int64)

    def _raw_code(self, raw: str) -> int:
        ids = self._ids(_WORD.findall(raw))  # raw is normalised already, like TermIds.text's
        if not ids:
            return -1
        if len(ids) == 1:
            return ids[0]
        self._multi.append(ids)
        return -1 - len(self._multi)

    def many(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids of `texts` laid end to end (int32), and each text's token count."""
        # NFKC text by text (it is rarely needed, and costly), then the rest of `normalize`
        # once over the chunk: lowercasing and folding apostrophes work character by
        # character, and the separators keep words apart.
        joined = f" {_SEP} ".join(map(_nfkc, texts))
        if joined.count(_SEP) != max(len(texts) - 1, 0):  # a text holds NUL itself
            joined = f" {_SEP} ".join(_nfkc(t).replace(_SEP, " ") for t in texts)
        raws = normalize(joined).split()
        del joined
        found = np.fromiter(map(self._raw.__getitem__, raws), dtype=np.int64, count=len(raws))
        del raws
        sep = found == _SEP_CODE
        doc = np.cumsum(sep)  # passage of each raw token (a separator opens the next one)
        multi = found <= -2
        multi &= ~sep
        if not multi.any():
            keep = found >= 0
            flat = found[keep]
            lengths = np.bincount(doc[keep], minlength=len(texts))
            return flat.astype(np.int32), lengths.astype(np.int32)
        self._sync_multi()
        which = np.where(multi, -2 - found, 0)  # multi index of multi tokens
        count = np.where(found >= 0, 1, 0)
        count[multi] = np.diff(self._multi_ptr)[which[multi]]
        flat = np.repeat(found, count)
        owner = np.repeat(np.arange(len(found)), count)
        pos_in = np.arange(len(flat)) - np.repeat(np.cumsum(count) - count, count)
        expand = multi[owner]
        flat[expand] = self._multi_flat[self._multi_ptr[which[owner[expand]]] + pos_in[expand]]
        lengths = np.bincount(doc[owner], minlength=len(texts))
        return flat.astype(np.int32), lengths.astype(np.int32)

    def _sync_multi(self) -> None:
        """Lay out the multi-word raw tokens' ids as arrays, for the vectorised expansion."""
        if len(self._multi_ptr) - 1 == len(self._multi):
            return
        sizes = [len(m) for m in self._multi]
        self._multi_ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self._multi_ptr[1:])
        self._multi_flat = np.fromiter((i for m in self._multi for i in m), dtype=np.int64,
                                       count=int(self._multi_ptr[-1]))
