"""Article titles nearest a question, for suggestions, without matching every title.

rapidfuzz's token_set_ratio over 100k titles took ~24 ms a question (a quarter of the
refused questions of a 1M-passage corpus fell back to it). The titles are matched once each
(a site repeats titles: the same article stored twice, series), and on a site with many
titles only those sharing one of the question's rarer words are matched: a title sharing
none of them is rated on its letters alone (token_set_ratio finds no common word), a
suggestion that is noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

_WORD = re.compile(r"[^\W_]+")
# Up to this many distinct titles, all are matched (about 1 ms); past it, the titles sharing
# the question's rarest words, up to this many.
MATCH_ALL = 5_000


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class TitleMatcher:
    """The distinct titles (first seen first) and, when there are many, which titles hold
    each word (a sorted row of title numbers per word)."""

    def __init__(self, titles: Iterable[str]) -> None:
        self.titles = list(dict.fromkeys(titles))
        self._vocab: dict[str, int] = {}
        self._ptr = self._rows = np.zeros(0, np.int32)
        if len(self.titles) <= MATCH_ALL:
            return
        words, holders = [], []
        for i, title in enumerate(self.titles):
            for w in _words(title):
                words.append(self._vocab.setdefault(w, len(self._vocab)))
                holders.append(i)
        word_of = np.array(words, np.int32)
        order = np.argsort(word_of, kind="stable")  # each row ascending: titles in order
        self._rows = np.array(holders, np.int32)[order]
        self._ptr = np.concatenate(([0], np.cumsum(np.bincount(word_of,
                                                               minlength=len(self._vocab)))))

    def candidates(self, question: str) -> list[str]:
        """The titles worth matching against the question, in their order: all of them, or
        those holding its rarest words (rarest first while they hold at most MATCH_ALL)."""
        if len(self.titles) <= MATCH_ALL:
            return self.titles
        known = [self._vocab[w] for w in _words(question) if w in self._vocab]
        known.sort(key=lambda t: self._ptr[t + 1] - self._ptr[t])
        rows, held = [], 0
        for t in known:
            held += int(self._ptr[t + 1] - self._ptr[t])
            if held > MATCH_ALL:
                break
            rows.append(self._rows[self._ptr[t]:self._ptr[t + 1]])
        if not rows:
            return []
        return [self.titles[i] for i in np.unique(np.concatenate(rows)).tolist()]

    def nearest(self, question: str, limit: int, skip: Iterable[str] = ()) -> list[str]:
        """Up to `limit` titles most like the question (token_set_ratio), other than `skip`."""
        if limit <= 0:
            return []
        from rapidfuzz import fuzz, process  # here: a start that only answers skips it

        skip = set(skip)
        choices = [t for t in self.candidates(question) if t not in skip]
        return [title for title, _, _ in process.extract(
            question, choices, scorer=fuzz.token_set_ratio, limit=limit)]
