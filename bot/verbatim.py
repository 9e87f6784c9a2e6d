"""Quoted words in a question ("who said 'if we don't do it, then who will?'"): the passage
that holds them verbatim answers it, though every word of the quote may be a stopword that
retrieval and the policy cannot see."""

from __future__ import annotations

import re

import numpy as np

from bot.rerank import Ranked

_QUOTED = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]([^\"\u201c\u201d\u00ab\u00bb]+)"
                     r"[\"\u201c\u201d\u00ab\u00bb]|(?<!\w)['\u2018\u2019](.+?)['\u2019](?!\w)")
_NOT_WORD = re.compile(r"[^\w]+")
MIN_WORDS = 3  # "the islands" in quotes is emphasis; a quoted saying is longer


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


def holds(text: str, phrases: list[str]) -> bool:
    """Does the text hold one of the (plain) phrases, word for word?"""
    padded = f" {plain(text)} "
    return any(f" {p} " in padded for p in phrases)


def prefer(ranked: Ranked, texts: list[str], phrases: list[str]) -> tuple[Ranked, bool]:
    """The ranking with the passages holding a quoted phrase first (each group in its
    order), and whether any does. `texts`: the candidates' passages, in ranked order."""
    found = np.array([holds(t, phrases) for t in texts], dtype=bool)
    return ranked.first(found), bool(found.any())
