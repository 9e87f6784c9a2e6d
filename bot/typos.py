"""Words a reader mistyped: one edit from a word the site uses ("islnads"), one letter
short of a demonym ("portugese"), or a slip of a common English word ("argueing", which then
weighs as "arguing"). Read by the answer policy (bot/policy.py) and the question path."""

from __future__ import annotations

from functools import cache

from bot import english
from bot.index import Index
from bot.text import DEMONYMS, tokenize, word_spans

TYPO_MIN = 5  # an unknown word this long may be a typo of a known one (one edit away)
COMMON_ZIPF = 3.0  # a word at least this frequent in English is a word, not a typo


@cache
def zipf(word: str) -> float:
    """`english.zipf`, kept: a site's questions repeat their words."""
    return english.zipf(word)


@cache
def common_words() -> dict[tuple[str, int], list[str]]:
    """Common English words by (first letter, length): a typo keeps its first letter."""
    out: dict[tuple[str, int], list[str]] = {}
    for w in english.common_words():
        out.setdefault((w[0], len(w)), []).append(w)
    return out


@cache
def common_spelling(word: str) -> str:
    """The common English word one edit (two for long words) from an unknown one, or ""."""
    if len(word) < TYPO_MIN or not word.isalpha():
        return ""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    edits = 2 if len(word) >= 7 else 1
    by_start = common_words()
    near = [w for n in range(len(word) - edits, len(word) + edits + 1)
            for w in by_start.get((word[0], n), ())]
    found = process.extractOne(word, near, scorer=OSA.distance, score_cutoff=edits)
    return found[0] if found is not None else ""


# Demonyms with one letter left out ("portugese", "phillipino"), to the demonym: a slip the
# site's words cannot correct (its text says "Portugal").
_DEMONYM_SLIPS = {w[:i] + w[i + 1:]: w for w in sorted(DEMONYMS, reverse=True) if len(w) >= 6
                  for i in range(len(w))}


def correct_typos(index: Index, tokens: list[str], text: str = "") -> list[str]:
    """Unknown words one edit (or a swap of neighbours) from a known one, replaced by it:
    readers type "islnads". Only alphabetic words of TYPO_MIN letters or more. `text`: what
    was tokenized, whose words (not their stems) say which are English."""
    # A common English word the site does not use ("expert", "treaty", whose stem "treati"
    # is no word) is not a typo of one it does ("export", "treat").
    surface: dict[str, str] = {}
    for a, b, stem in word_spans(text):
        surface.setdefault(stem, text[a:b].lower())
    slips = {t: tokenize(_DEMONYM_SLIPS[surface[t]])[0] for t in tokens
             if t not in index.vocab and surface.get(t) in _DEMONYM_SLIPS}
    if slips:  # "portugese": Portuguese, so Portugal
        tokens = [slips.get(t, t) for t in tokens]
    unknown = [t for t in tokens if t not in index.vocab and len(t) >= TYPO_MIN and t.isalpha()
               and zipf(surface.get(t, t)) < COMMON_ZIPF]
    if not unknown:
        return tokens
    fixed = {}
    for t in unknown:
        found = _nearest(index, t)
        if found is not None and found[0] == t[0]:
            fixed[t] = found
    return [fixed.get(t, t) for t in tokens]


def near_known(index: Index, stem: str) -> bool:
    """Is the stem one edit (or a swap of neighbours) from a word the site uses, whatever its
    length: a slip ("hivse"), not a word of its own?"""
    return _nearest(index, stem) is not None


def _nearest(index: Index, stem: str) -> str | None:
    """A word of the site one edit (or a swap of neighbours) from the stem, or None."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extractOne(stem, index.vocab_list(), scorer=OSA.distance, score_cutoff=1)
    return None if found is None else found[0]
