"""Which article a question points at in the reader's own terms: a preamble naming its title
("the Yemen deadlock piece - …"), its topic ("does the yemen article say …"), or its place
("the second article on the page"). `bot.answer` puts that article's passages first."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from bot.corpus import Corpus
from bot.policy import ASKED, CHATTER, preamble
from bot.text import tokenize


@lru_cache(maxsize=4096)
def title_words(title: str) -> frozenset[str]:
    """The stems of a title, kept: each hit's title is read twice, and a site's questions
    keep landing on the same articles."""
    return frozenset(tokenize(title))


def _titles(corpus: Corpus, ids: np.ndarray) -> list[str]:
    """The title of each candidate's article (from the cache's column when the articles
    come from it: their objects are made only for what an answer quotes)."""
    column = corpus.articles.titles() if hasattr(corpus.articles, "titles") else None
    return [column[pos] if column is not None else corpus.articles[pos].title
            for pos in (corpus.article_position(int(p)) for p in ids)]


TITLED_SHARE = 0.5  # of a preamble's words, in a title: the preamble names that article


def titled_preamble(corpus: Corpus, question: str, ids: np.ndarray) -> frozenset[str]:
    """The words of a preamble ("the Yemen deadlock piece - what does it say …") that stand
    in the title of a candidate's article."""
    before = preamble(question)
    if not before or not len(ids):
        return frozenset()
    words = set(tokenize(before)) - CHATTER
    named = words.intersection(set().union(*map(title_words, set(_titles(corpus, ids)))))
    # Most of its words: it names the article ("for my essay on post-war diplomacy" only
    # shares "war" with a title).
    return frozenset(named) if len(named) >= TITLED_SHARE * len(words) else frozenset()


# "the Yemen article", "that piece on Japan and Russia": a reader names an article by its
# topic, in words of its title.
_REFERS = re.compile(
    r"\b(?:the|that|this|your|ur)\s+(?P<before>(?:[\w'\u2019/-]+\s+){1,3}?)"
    r"(?:article|piece|story|post|op-?ed|blog|essay|report|one)s?\b|"
    r"\b(?:article|piece|story|post|op-?ed|blog|essay|report)\s+(?:on|about)\s+(?:the\s+)?"
    r"(?P<after>[\w'\u2019-]+(?:\s+[\w'\u2019-]+){0,2})", re.I)


def named_article(corpus: Corpus, question: str, ids: np.ndarray) -> np.ndarray | None:
    """Which candidates come from the article the question names by its topic ("does the
    yemen article say …": the article titled "The Not-So-Yemeni Deadlock"), or None when it
    names none: all the words naming it stand in the title. A bare topic typed as a search
    ("cholera", "the court ruling") names the articles whose titles hold all its words."""
    namings = [_naming(m) for m in _REFERS.finditer(question)]
    if searched(question) and not _titled(corpus, ids[:1], frozenset(tokenize(question))):
        namings.append(frozenset(tokenize(question)) - CHATTER)
    for words in namings:
        if not words:
            continue
        chosen = np.array([words <= title_words(t) for t in _titles(corpus, ids)], dtype=bool)
        if chosen.any():
            return chosen
    return None


SEARCH_WORDS = 4
_WORD = re.compile(r"[\w'\u2019-]+")


def searched(question: str) -> bool:
    """Is it a search typed bare ("cholera", "the court ruling?"): up to SEARCH_WORDS words,
    no question word?"""
    return len(_WORD.findall(question)) <= SEARCH_WORDS and not ASKED.match(question)


def _titled(corpus: Corpus, ids: np.ndarray, words: frozenset[str]) -> bool:
    """Is the best candidate's article already one whose title holds the words (then its
    own best passage stays first)?"""
    return bool(words) and any(words <= title_words(t) for t in _titles(corpus, ids))


# "the second article on the page", "the one under the Japan article": an
# article by its place among the site's articles (the order they were stored in).
# ("The first one" is left alone: "was he the first one to propose it?")
_PLACED = re.compile(r"\b(?P<which>first|second|third|fourth|fifth|last|other)\s+"
                     r"(?:article|piece|story|post|op-?ed)\b|\bthe (?P<other>other) one\b|"
                     r"\b(?:under|after|below|following)\s+the\s+"
                     r"(?:[\w'\u2019/-]+\s+){1,3}?(?:article|piece|story|post|one)\b",
                     re.I)
_PLACES = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}


def placed_article(corpus: Corpus, question: str, ids: np.ndarray) -> int | None:
    """The position of the article the question names by its place (`_PLACED`), or None.
    "The one under the Japan piece" is the article after the one named by its topic (or
    after the best candidate's). "The other article" is the second of a page of two, unless
    the question names one by its topic ("the other article, the yemen one")."""
    m = _PLACED.search(question)
    n = len(corpus.articles)
    if m is None or n < 2:
        return None
    ids = np.asarray(ids)
    which = (m.group("which") or m.group("other") or "").lower()
    if which == "other":
        return 1 if n == 2 and named_article(corpus, question, ids) is None else None
    if which in _PLACES:
        at = _PLACES[which]
        return at % n if -n <= at < n else None
    if not len(ids):
        return None
    mask = named_article(corpus, question, ids)
    base = ids[mask][0] if mask is not None else ids[0]
    return (int(corpus.index.passage_article[int(base)]) + 1) % n


# "What's the second article about?", "what is the yemen piece about", "tl;dr of the other
# article", "sum up the Japan one": the reader asks for an article's gist, which its opening
# paragraph gives (a news story or an op-ed says in its lead what it is about).
_WORK = r"(?:article|piece|story|post|op-?ed|blog|essay|report|one)s?"
# The words naming an article before its noun ("the second", "the yemen"): no "in" or "of"
# ("what was the pollution incident in the zambia piece about" asks about the incident).
_TOPIC = r"(?:(?!(?:in|on|of|from|at|by|for|with)\b)[\w'\u2019/-]+\s+){0,4}?"
_GIST = re.compile(
    rf"\bwhat(?:'s|\u2019s|s| is| was)?\s+(?:the|that|this|your|ur)\s+{_TOPIC}{_WORK}\b"
    r"[^?.!]{0,40}?\babout\s*(?:[?.!,;:]|$)|"
    # "there's a second article on Yemen, what's it about?"
    rf"\b{_WORK}\b[^?]{{0,80}}?\bwhat(?:'s|\u2019s|s| is)\s+it\s+about\s*(?:[?.!]|$)|"
    rf"\bwhat does (?:the|that|this)\s+[^?.!]{{0,60}}?\b{_WORK}\s+(?:cover|discuss|deal with|"
    r"talk about|say)\s*(?:[?.!,;:]|$)|"
    r"\b(?:summar\w+|gist|tl;?\s?dr|overview|sum up|recap|main (?:point|idea|argument|"
    rf"takeaway)s?)\b[^?.!]{{0,40}}?\b(?:the|that|this|your|ur)\s+[^?.!]{{0,40}}?\b{_WORK}\b",
    re.I)


def asks_gist(question: str) -> bool:
    """Does the question ask what an article is about, as a whole?"""
    return bool(_GIST.search(question))


POINTED_ARTICLES = 300


def pointed_article(corpus: Corpus, question: str) -> int | None:
    """The position of the article the question points at: by its place ("the second
    article"), by its topic ("the guinea-bissau piece": the one title holding the most of
    those words, at least half of them), or, naming none, the site's one article known in
    full (the others, if any, are teasers: "the author's conclusion" can mean only that one).
    None when it points at no one article, and on a site of more than POINTED_ARTICLES (a
    reader points at an article of a page, not of an archive, whose titles are not read for
    it)."""
    if len(corpus.articles) > POINTED_ARTICLES:
        return None
    placed = placed_article(corpus, question, corpus.first_passage)
    if placed is not None:
        return placed
    words = next(filter(None, map(_naming, _REFERS.finditer(question))), None)
    if words:
        held = np.array([len(words & title_words(a.title)) for a in corpus.articles])
        best = int(held.argmax()) if len(held) else 0
        if len(held) and 2 * held[best] >= len(words) and (held == held[best]).sum() == 1:
            return best
        return None
    whole = [i for i, a in enumerate(corpus.articles) if not a.partial]
    return whole[0] if len(whole) == 1 else None


def _naming(m: re.Match) -> set[str]:
    """The words by which a `_REFERS` match names an article ("yemen" in "the yemen
    piece")."""
    words = re.findall(r"[^\W_]+", m.group("before") or m.group("after"))
    return {t for w in words for t in tokenize(w)} - CHATTER  # "guinea-bissau": two words
