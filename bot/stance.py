"""Questions about the author's view ("what does the author think Putin should do?", "what is
the article arguing for?") and the passages that state one.

An op-ed's argument sits in a few sentences that recommend, judge or predict ("Putin should
reconsider…", "the benefits far outweigh…", "it's ambitious to believe…"), often apart from
the paragraphs that share the most words with the question. For such questions, among the
candidates that are about the question, those stating a view come first.
"""

from __future__ import annotations

import re

import numpy as np

from bot.rerank import Ranked
from bot.text import tokenize

_WORK = r"(?:author|writer|article|artical|piece|op-?ed|columnist|essay|editorial|blog)"
_VIEW = (r"(?:think\w*|reckon\w*|believ\w*|argu\w*|suggest\w*|recommend\w*|conclu\w*|view\w*|"
         r"opinion\w*|position|stance|take|point|propos\w*|advocat\w*|want\w*|call\w* for|"
         r"say|says|said|writ\w*|wrote|advi[cs]\w*|insist\w*|expect\w*|predict\w*|"
         r"fix|fixes|solution\w*|remed\w*|prescri\w*|answer)")
ASKS_VIEW = re.compile(
    rf"\b{_WORK}(?:'s|\u2019s|s)?\b[^?.!]{{0,60}}?\b{_VIEW}\b|\b{_VIEW}\b[^?.!]{{0,30}}\b{_WORK}\b|"
    # "how should ghana fix the dropout", "what should the EU do": a recommendation, the
    # article's own (what a country should do is no fact a report gives).
    r"\b(?:what|how)\s+(?:[\w'\u2019-]+\s+){0,3}?should\b",
    re.I,
)
STATES_VIEW = re.compile(
    # "should" inside a sentence: at its start it is a condition ("Should Japan reclaim…").
    r"(?<=\w )should\b|"
    r"\b(?:must|ought to|needs? to|has to|have to|cannot afford|(?:far )?outweigh\w*|"
    r"it(?:'|\u2019)?s (?:time|clear|vital|essential|crucial|ambitious|unlikely|naive|wrong)|"
    r"it is (?:time|clear|vital|essential|crucial|ambitious|unlikely|naive|wrong)|"
    r"(?:I|we) (?:believe|think|argue|contend|propose|suggest)|in (?:my|our) view|clearly|"
    r"undoubtedly|arguably|will (?:not )?be (?:simple|easy|difficult|hard|impossible))\b",
    re.I,
)
# "What's the author's conclusion?", "how does the piece end?": an op-ed or a blog post
# concludes in its last paragraph, wherever the question's words stand.
_ENDING = (r"(?:conclu\w*|final (?:point|word|thought|verdict|take|message|argument)s?|"
           r"bottom line|sum(?:s|med|ming)? (?:it |things )?up|last (?:point|word|paragraph|"
           r"part|bit|line)s?|ending|at the end(?=\s*(?:[?.!]|$)))")
_WORDS = re.compile(r"\w+")
_WORK_WORD = re.compile(_WORK + r"(?:s)?", re.I)
ASKS_ENDING = re.compile(
    rf"\b{_WORK}(?:'s|\u2019s|s)?\b[^?.!]{{0,60}}?\b{_ENDING}\b|\b{_ENDING}\b[^?.!]{{0,30}}"
    rf"\b{_WORK}\b|\bhow does (?:it|the (?:[\w'-]+ ){{0,3}}{_WORK}\b[^?.!]{{0,40}}?) "
    r"(?:end|finish|close)\b|"
    r"\bin conclusion\b|"
    # "tl;dr of the conclusion pls", "what's the conclusion?": no other subject
    r"\b(?:tl;?\s?dr|sum(?:mary|marise|marize)?|gist)\b[^?.!]{0,20}\bconclusion\b|"
    r"^\W*(?:so\s+|and\s+|ok\s+)?what(?:'s|\u2019s|s| is| was)\s+the conclusion\W*$",
    re.I,
)
# Words that name no topic of a view ("what does the author think should happen overall?").
_NO_TOPIC = frozenset(tokenize(
    "happen happens happened do done overall main whole general generally really actually "
    "think thinks say says take view opinion recommend recommends recommendation argue argues "
    "argument point main key big basically exactly author writer article piece op-ed "
    "columnist essay editorial blog conclusion tl dr short nutshell"))
# Candidates holding at least this share of the best candidate's question weight are about
# the question; among them the ones stating a view come first.
ABOUT_SHARE = 0.5


def asks_view(question: str) -> bool:
    """Does the question ask what the author or the article thinks or argues?"""
    return bool(ASKS_VIEW.search(question))


def asks_whole_view(question: str) -> bool:
    """Does the question ask the author's view and name nothing it is a view of ("what's
    the author's take?", "what does the writer think should happen?")?"""
    if not asks_view(question):
        return False
    rest = set(tokenize(ASKS_VIEW.sub(" ", question)))
    return not rest - _NO_TOPIC


def asks_ending(question: str) -> bool:
    """Does the question ask how the article concludes?"""
    return bool(ASKS_ENDING.search(question))


def ending_words(question: str) -> set[str]:
    """The stems of the words by which the question asks how the article concludes ("final",
    "conclusion"; not "author")."""
    return {t for m in ASKS_ENDING.finditer(question) for w in _WORDS.findall(m.group(0))
            if not _WORK_WORD.fullmatch(w) for t in tokenize(w)}


def prefer_ending(ranked: Ranked, last: np.ndarray) -> Ranked:
    """The ranking with the passages about the question that end their article first.
    `last`: whether each candidate is its article's last passage, in ranked order."""
    if not len(ranked.ids):
        return ranked
    return ranked.first((ranked.held >= ABOUT_SHARE * ranked.held.max()) & last)


def views(text: str) -> int:
    """How often the passage recommends, judges or predicts in its own voice."""
    return len(STATES_VIEW.findall(text))


def prefer_views(ranked: Ranked, texts: list[str], articles: np.ndarray | None = None
                 ) -> Ranked:
    """The ranking with the passages about the question that state a view first; each
    group keeps its order. `texts`: the candidates' passages, in ranked order; `articles`:
    their articles, when the view must be the best passage's article's ("what does the
    author propose to settle the Ruvuma row" is not answered by another article's view on
    settling trade in yuan, however much "settle" weighs)."""
    if not len(ranked.ids):
        return ranked
    about = ranked.held >= ABOUT_SHARE * ranked.held.max()
    if articles is not None:
        about &= articles == articles[0]
    return ranked.first(about & np.array([views(t) > 0 for t in texts], dtype=bool))
