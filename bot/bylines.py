"""Bylines: an article that opens on its author's name ("By Nour al-Hashimi, columnist").
Readers ask who wrote it, and name its author instead of the article ("what is al-hashimi
arguing?"): the byline answers the one, the article the other."""

from __future__ import annotations

import re

from bot import english
from bot.corpus import Corpus
from bot.index import Index
from bot.references import POINTED_ARTICLES, pointed_article
from bot.text import tokenize

# A byline paragraph: "By Nour al-Hashimi, columnist", "by Jane Doe", "By Émile Zola". A
# person's name of two words or more, each capitalised but for particles ("al", "de", "van"),
# its surname no common English word (not "By Sarah Green", "By Theresa May": their words
# are asked about for themselves) and no word of a desk ("By The Editorial Board", "By Our
# Correspondent"); not "By March, the lake had dried" (one word).
_BYLINE = re.compile(r"\s*(?:[Bb]y|BY)\s+(?P<name>[^\W\d_][\w'\u2019.-]*"
                     r"(?:\s+[^\W\d_][\w'\u2019.-]*){1,3})"
                     r"\s*(?:(?:[,|\u2013\u2014]|\s-\s).{0,60})?\s*$", re.S)
BYLINE_CHARS = 100
_PARTICLES = frozenset("al el ad as ash at ben bin ibn de da di du van von der den la le".split())
_DESK = frozenset("the our staff editorial board correspondent correspondents reporter "
                  "reporters desk team news agency agencies bureau editor editors writers "
                  "foreign special political economics".split())
SURNAME_ZIPF = 4.0  # a surname this common in English is a word asked about for itself


def byline(text: str) -> str | None:
    """The author's name of a byline paragraph ("By Nour al-Hashimi, columnist"), or None."""
    m = _BYLINE.fullmatch(text) if len(text) <= BYLINE_CHARS else None
    if not m:
        return None
    words = m.group("name").split()
    for w in words:
        head = w.split("-")[0].lower()
        if head in _DESK or not (w[0].isupper() or head in _PARTICLES):
            return None
    surname = re.split(r"[-\u2010]", words[-1])[-1]
    if english.known_zipf(surname.lower()) >= SURNAME_ZIPF:
        return None
    return m.group("name")


# "Who wrote the opinion piece?", "who's the author of the rice one", "whose op-ed is it":
# an article's writer (not "who wrote the new constitution", "who is behind the coup").
_PIECE = r"(?:article|piece|op-?ed|column|essay|post|story|editorial|blog|report|it|this|that)"
ASKS_AUTHOR = re.compile(
    rf"\bwho\s+(?:wrote|writes|penned|authored)\s+(?:the\s+|this\s+|that\s+)?(?:[\w'-]+\s+){{0,3}}?"
    rf"{_PIECE}\b|"
    r"\bwho(?:'s|\u2019s|s|\s+is|\s+was)\s+(?:the\s+)?(?:author|writer|columnist)\b|"
    rf"\bwhose\s+{_PIECE}\b|"
    r"\b(?:author|writer|columnist)(?:'s|\u2019s|s)?\s+name\b|\bwho\s+(?:is|was)\s+it\s+by\b",
    re.I)


def asks_author(question: str) -> bool:
    """Does the question ask who wrote an article?"""
    return bool(ASKS_AUTHOR.search(question))


def bylined(corpus: Corpus, question: str) -> int | None:
    """The first passage of the article a "who wrote it?" question points at, when that
    passage is its byline ("By Nour al-Hashimi, columnist"); on a site of one bylined
    article, that one. None for any other question."""
    if not asks_author(question) or len(corpus.articles) > POINTED_ARTICLES:
        return None
    signed = {pos: int(corpus.first_passage[pos]) for pos, _, _ in _bylines(corpus)}
    at = pointed_article(corpus, question)
    if at is not None:
        return signed.get(at)
    return next(iter(signed.values())) if len(signed) == 1 else None


def _bylines(corpus: Corpus) -> list[tuple[int, str, re.Pattern]]:
    """(article position, author's name, the pattern of the name as a question writes it) of
    each article opening with a byline whose author no other passage names (an author in the
    news, "By Antony Blinken" on a site quoting Blinken, is asked about as the news); read
    once per corpus (a refresh swaps the corpus whole)."""
    known = corpus.__dict__.get("_bylines")
    if known is None:
        known = []
        for pos in range(len(corpus.articles)):
            first = int(corpus.first_passage[pos])
            name = byline(corpus.texts[first])
            if not name:
                continue
            words = name.split()
            # The surname, maybe after the first names ("al-hashimi", "nour al-hashimi").
            pattern = re.compile(
                r"(?<![\w'\u2019-])(?:" + r"\s+".join(map(re.escape, words[:-1])) + r"\s+)?"
                + re.escape(words[-1]).replace(r"\-", r"[-\s]?") + r"(?:['\u2019]s)?(?![\w-])",
                re.I)
            if _named_once(corpus.index, words[-1]):
                known.append((pos, name, pattern))
        corpus.__dict__["_bylines"] = known
    return known


def _named_once(index: Index, surname: str) -> bool:
    """Is the surname's rarest word in one passage only (its byline)?"""
    ids = [index.vocab[t] for t in tokenize(surname) if t in index.vocab]
    return bool(ids) and int(min(index.passages.df[i] for i in ids)) <= 1


def by_author(corpus: Corpus, question: str) -> tuple[str, int] | None:
    """A question naming the author of one article by its byline ("what is nour al-hashimi
    arguing?"): the question with the name given as "the author", and that article's
    position; None for any other (and on a site of more than POINTED_ARTICLES)."""
    if len(corpus.articles) > POINTED_ARTICLES:
        return None
    found = [(pos, pattern) for pos, _, pattern in _bylines(corpus) if pattern.search(question)]
    if len(found) != 1:
        return None
    pos, pattern = found[0]
    return " ".join(pattern.sub("the author", question, count=1).split()), pos
