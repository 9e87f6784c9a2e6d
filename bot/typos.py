"""Words a reader mistyped: one edit from a word the site uses ("islnads"), one letter
short of a demonym ("portugese"), or a slip of a common English word ("argueing", which then
weighs as "arguing"). Read by the answer policy (bot/policy/) and the question path."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot import english
from bot.index import Index
from bot.text import DEMONYMS, tokenize, word_spans

TYPO_MIN = 5  # an unknown word this long may be a typo of a known one (one edit away)
COMMON_ZIPF = 3.0  # a word at least this frequent in English is a word, not a typo
SPLIT_MIN = 3  # letters of each of two words run together ("datacentre")


@cache
def zipf(word: str) -> float:
    """`english.zipf`, kept: a site's questions repeat their words."""
    return english.zipf(word)


# A word of English's commonest this frequent ("ever", "about", "what"): chat drops a letter
# of one ("evr", "abot") more often than it names something that short and rare.
SLIP_ZIPF = 5.0
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=4096)  # questions repeat their words; a bot runs for months
def dropped_letter(word: str) -> str:
    """The very common English word (SLIP_ZIPF) the word is with one letter put back ("evr":
    "ever"), or ""."""
    for i in range(len(word) + 1):
        for c in _LETTERS:
            whole = word[:i] + c + word[i:]
            if zipf(whole) >= SLIP_ZIPF:
                return whole
    return ""


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
    kin = {t: k for t in tokens if t not in index.vocab and t in surface
           and (k := _kin(index, surface[t])) is not None}
    if kin:  # "detaining" where the site says "detention"
        tokens = [kin.get(t, t) for t in tokens]
    split = {t: pair for t in tokens if t not in index.vocab and t in surface
             and (pair := _two_words(index, surface[t])) is not None}
    if split:  # "datacentre" where the site says "data centre"
        tokens = [w for t in tokens for w in split.get(t, (t,))]
    unknown = [t for t in tokens if t not in index.vocab and len(t) >= TYPO_MIN and t.isalpha()
               and zipf(surface.get(t, t)) < COMMON_ZIPF]
    if not unknown:
        return tokens
    fixed = {}
    for t in unknown:
        found = _nearest(index, t)
        if found is not None and found[0] == t[0]:
            fixed[t] = found
        elif t in surface:  # "electon": the stem is two edits from "elect", the word one
            spelled = tokenize(common_spelling(surface[t]))
            if len(spelled) == 1 and spelled[0] in index.vocab:
                fixed[t] = spelled[0]
    return [fixed.get(t, t) for t in tokens]


# A verb and its noun (and back) that stemming keeps apart: detain / detention, decide /
# decision, invade / invasion, explode / explosion, suspend / suspension, and a doer and
# the deed (strikers / strike). Tried only for a word the site does not use.
_KIN = [(re.compile(a), b) for a, b in (
    (r"(\w{2,})ain(?:s|ed|ing)?$", r"\1ention"), (r"(\w{2,})(?:ides?|ided|iding)$", r"\1ision"),
    (r"(\w{2,})(?:ades?|aded|ading)$", r"\1asion"), (r"(\w{2,})(?:odes?|oded|oding)$", r"\1osion"),
    (r"(\w{2,})end(?:s|ed|ing)?$", r"\1ension"), (r"(\w{2,})entions?$", r"\1ain"),
    (r"(\w{2,})isions?$", r"\1ide"), (r"(\w{2,})asions?$", r"\1ade"),
    (r"(\w{2,})osions?$", r"\1ode"), (r"(\w{2,})ensions?$", r"\1end"),
    (r"(\w{3,})ers?$", r"\1e"), (r"(\w{3,})ers?$", r"\1"),
)]
_NO_KIN = frozenset("contain contains contained containing contention attention".split())
_KIN_WORDS = {"fail": "failure", "close": "closure", "seize": "seizure", "expose": "exposure",
              "depart": "departure", "disclose": "disclosure", "proceed": "procedure"}
_KIN_WORDS |= {v: k for k, v in _KIN_WORDS.items()}


def _kin(index: Index, word: str) -> str | None:
    """The stem of the word's verb or noun (`_KIN`) when the site uses it, else None."""
    if word in _NO_KIN:
        return None
    base = re.sub(r"(?:s|ed|ing|d)$", "", word)
    tries = [_KIN_WORDS[w] for w in (word, base, base + "e") if w in _KIN_WORDS]
    tries += [pattern.sub(into, word, count=1) for pattern, into in _KIN if pattern.match(word)]
    for form in tries:
        stems = tokenize(form)
        if len(stems) == 1 and stems[0] in index.vocab:
            return stems[0]
    return None


def _two_words(index: Index, word: str) -> tuple[str, str] | None:
    """The stems of the two words the site writes side by side that the reader ran
    together ("datacentres", "ceasefire"), or None."""
    if len(word) < 2 * SPLIT_MIN or not word.isalpha():
        return None
    vocab = index.vocab
    for cut in range(SPLIT_MIN, len(word) - SPLIT_MIN + 1):
        first, second = tokenize(word[:cut]), tokenize(word[cut:])
        if (len(first) == len(second) == 1 and first[0] in vocab and second[0] in vocab
                and index.bigram_row(vocab[first[0]], vocab[second[0]]) is not None):
            return first[0], second[0]
    return None


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
