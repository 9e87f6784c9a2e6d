"""Quoted words in a question ("who said 'if we don't do it, then who will?'"): the passage
that holds them verbatim answers it, though every word of the quote may be a stopword that
retrieval and the policy cannot see."""

from __future__ import annotations

import re

import numpy as np

from bot.rerank import Ranked
from bot.text import sentence_spans, tokenize
from bot.text.phrases import QUOTED as _QUOTED

_NOT_WORD = re.compile(r"[^\w]+")
MIN_WORDS = 3  # "the islands" in quotes is emphasis; a quoted saying is longer
# Readers quote from memory ("that 'peace treaty before the end of the year' remark" for
# "a peace treaty before the end of this year"): a sentence holding this share of a quote's
# content words, MIN_LOOSE of them or more, holds the saying loosely.
LOOSE_SHARE = 0.75
MIN_LOOSE = 3


def plain(text: str) -> str:
    """Lowercase words separated by single spaces, apostrophes dropped ("don't" = "dont")."""
    text = text.lower().replace("\u2019", "").replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def quoted(question: str) -> list[str]:
    """The quoted stretches of a question of MIN_WORDS words or more, as `plain` text."""
    out = []
    for m in _QUOTED.finditer(question):
        phrase = plain(m.group(1) or m.group(2) or "")
        if len(phrase.split()) >= MIN_WORDS:
            out.append(phrase)
    return out


# A saying cited without quote marks ("who said the if we dont do it then who will line"):
# the words between "the" and "line", "quote", "remark" …
_CITED = re.compile(r"\b(?:the|that|this|his|her|their)\s+(?P<q>[\w'\u2019 ,]+?)\s+"
                    r"(?:line|quote|remark|comment|phrase|saying|bit)\b", re.I)
# ... or, when there is none, all that follows "who said" ("who said if we dont do it then
# who will").
_SAID = re.compile(r"\bwho\s+(?:said|says|asked|wrote|tweeted|declared)\s+(?:that\s+)?"
                   r"(?P<q>[\w'\u2019 ,]+?)\s*[?.!]*\s*$", re.I)


def cited(question: str) -> list[str]:
    """The sayings a question cites without quote marks, of MIN_WORDS words or more, as
    `plain` text; only one a passage holds word for word counts (they are not looked for
    otherwise: "the first line" is no saying)."""
    found = list(_CITED.finditer(question)) or list(_SAID.finditer(question))
    return [p for p in (plain(m.group("q")) for m in found) if len(p.split()) >= MIN_WORDS]


def holds(text: str, phrases: list[str]) -> bool:
    """Does the text hold one of the (plain) phrases, word for word?"""
    padded = f" {plain(text)} "
    return any(f" {p} " in padded for p in phrases)


def loosely_held(text: str, spans: list[tuple[int, int]], phrases: list[str],
                 chatter: frozenset[str] = frozenset()) -> bool:
    """Does a sentence of the text hold LOOSE_SHARE of the content words of a quote of
    MIN_LOOSE content words or more (a saying quoted from memory), `chatter` aside ("let's
    just sign it")?"""
    wanted = [set(tokenize(p)) - chatter for p in phrases]
    wanted = [w for w in wanted if len(w) >= MIN_LOOSE]
    if not wanted:
        return False
    for a, b in spans or [(0, len(text))]:
        held = set(tokenize(text[a:b]))
        if any(len(w & held) >= LOOSE_SHARE * len(w) for w in wanted):
            return True
    return False


def prefer(ranked: Ranked, texts: list[str], phrases: list[str]) -> tuple[Ranked, bool]:
    """The ranking with the passages holding a quoted phrase first (each group in its
    order), and whether any does: word for word, else a saying of small words spoken
    loosely (`spoken_loosely`). `texts`: the candidates' passages, in ranked order."""
    found = np.array([holds(t, phrases) for t in texts], dtype=bool)
    if not found.any():
        found = np.array([spoken_loosely(t, phrases) for t in texts], dtype=bool)
    return ranked.first(found), bool(found.any())


# A saying of small words quoted from memory ("if not us then who" for "If we don't do it,
# then who will?"): its words, negations and pronouns folded, in a quotation of the passage.
MIN_SPOKEN = 4  # words of such a saying
SPOKEN_SHARE = 0.8
_QUOTE_MARKS = re.compile("[\"\u201c\u201d\u2018\u2019']")
_FOLDED = {"us": "we", "our": "we", "ours": "we", "them": "they", "their": "they",
           "him": "he", "his": "he", "me": "i", "my": "i"}
# "don't" is "do not", "can't" "can not", "won't" "will not": read before `plain` drops the
# apostrophes.
_CANT_WONT = re.compile(r"\b(ca|wo)n['\u2019]t\b", re.I)
_NEGATION = re.compile(r"n['\u2019]t\b", re.I)


def _spoken_words(text: str) -> set[str]:
    text = _CANT_WONT.sub(lambda m: "can not" if m.group(1).lower() == "ca" else "will not",
                          text)
    return {_FOLDED.get(w, w) for w in plain(_NEGATION.sub(" not", text)).split()}


def spoken_loosely(text: str, phrases: list[str]) -> bool:
    """Does a quotation in the text say one of the phrases that are mostly small words (too
    few content words to be held loosely: `loosely_held`) in other small words? SPOKEN_SHARE
    of the phrase's words, in a sentence holding quote marks."""
    wanted = [_spoken_words(p) for p in phrases
              if len(p.split()) >= MIN_SPOKEN and len(tokenize(p)) < MIN_LOOSE]
    if not wanted:
        return False
    for a, b in sentence_spans(text) or [(0, len(text))]:
        sentence = text[a:b]
        if not _QUOTE_MARKS.search(sentence):
            continue
        held = _spoken_words(sentence)
        if any(len(w & held) >= SPOKEN_SHARE * len(w) for w in wanted):
            return True
    return False
