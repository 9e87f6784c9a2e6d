"""Sentences, whitespace and cuts: verbatim offsets, grapheme-safe truncation."""

from __future__ import annotations

import re

import regex

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st jr sr gen col lt sgt capt cmdr adm maj sen rep gov pres rev hon fr
    vs etc inc ltd co corp no nos vol pp fig al approx dept est univ ave blvd mt ft jan feb
    mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m d.c u.s.a
    """.split()
)

# A boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then what
# can start a sentence (an optional opening quote/bracket, a capital or a digit).
_BOUNDARY = re.compile(
    r"([.!?\u2026]+[\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])"
)
_OPENERS = "\"'(\u201c\u2018["


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences; returns (start, end) offsets, so pieces stay verbatim.

    Copes with titles ("Mr. Putin"), initials ("J. K."), dotted abbreviations ("U.S."),
    decimals (no space after the dot) and quotations ending a sentence ('."').
    """
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _BOUNDARY.finditer(text):
        punct = m.group(1)
        if punct[0] == "." and not punct.startswith("..."):
            # The word before the dot; only the last few characters are looked at.
            before = text[max(start, m.start() - 24) : m.start()].rsplit(None, 1)
            word = before[-1].lstrip(_OPENERS).lower() if before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        stop = m.end(1)
        if stop > start:
            spans.append((start, stop))
        start = m.end()
    tail = text[start:].rstrip()
    if tail:
        spans.append((start, start + len(tail)))
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each a verbatim slice of it."""
    return [text[a:b] for a, b in sentence_spans(text)]


def clean_whitespace(text: str) -> str:
    """Trim and collapse runs of line breaks inside a paragraph into spaces."""
    return re.sub(r"\s*\n\s*", " ", text.strip())


_GRAPHEME = regex.compile(r"\X")


def truncate(text: str, limit: int, ellipsis: str = "\u2026") -> str:
    """Cut `text` to at most `limit` characters on a word boundary, with an ellipsis.

    The cut falls between grapheme clusters (`\\X`), so an emoji sequence joined by U+200D,
    a flag or a letter with its combining marks is kept whole or dropped whole. Text without
    spaces (CJK, one very long word) is cut at the last whole grapheme that fits.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return ellipsis[:limit]
    room = limit - len(ellipsis)
    end = 0  # end of the last whole grapheme that fits
    space = -1  # start of the last whitespace grapheme that fits
    for m in _GRAPHEME.finditer(text, 0, room + 1):
        if m.end() > room:
            break
        if m.group()[0].isspace():
            space = m.start()
        end = m.end()
    if space > limit // 2:
        end = space
    return text[:end].rstrip() + ellipsis
