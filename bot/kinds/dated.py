"""Figures of a time: a question that names a year is answered by that year's figures, not
another's ("how many have died of dengue in 2026" against "in the first half of 2024 … 240
deaths"), and one that asks what happened in fact by what happened, not by a plan, a cap or
a forecast ("how many tonnes did Vietnam actually end up exporting"). Read by
`bot.kinds.answers_kind` for the figure kinds (bot/kinds/figures.py)."""

from __future__ import annotations

import re


def answering_text(question: str, text: str) -> str:
    """The passage with each figure that cannot answer the question blanked out: a plan's
    when the question asks what happened, another year's when it names one."""
    return without_other_years(question, without_plans(text) if asks_actual(question)
                               else text)


# A year, or the decade it starts ("the 2000s", "mid-1994"); not a sum ("$2024").
_A_YEAR = re.compile(r"(?<![\w.,$\u00a3\u20ac])(1[89]\d{2}|20\d{2})(?:['\u2019]?s)?"
                     r"(?![\w%]|[.,]\d)")


def other_year(question: str, text: str) -> bool:
    """Does the passage date what it says by years, none of them a year the question asks
    about ("how many have died of dengue in 2026" against "in the first half of 2024 ...
    240 deaths")? Its figures are of another year. A passage that gives no year may still
    be of the one asked about."""
    asked_years = set(_A_YEAR.findall(question))
    if not asked_years:
        return False
    given = set(_A_YEAR.findall(text))
    return bool(given) and not asked_years & given


# A question of what happened in fact ("how many tonnes did Vietnam actually end up
# exporting", "how many have died so far") is not answered by a plan, a cap or a forecast
# ("it would cap rice exports at 6.2 million tonnes"): such figures are set aside.
_ACTUAL = re.compile(r"\b(?:actually|in\s+(?:the\s+)?end|end(?:ed|s)?\s+up|eventually|"
                     r"ultimately|in\s+practice|in\s+reality|so\s+far|to\s+date)\b", re.I)
_PLANNED = re.compile(r"\b(?:cap(?:ped|s)?|target(?:ed|s)?|limit(?:ed|s)?|quotas?|aim(?:ed|s)?|"
                      r"goals?|forecasts?|project(?:ed|s|ions?)?|expect(?:ed|s)?|plan(?:s|ned)?|"
                      r"would|will|pledg(?:e|ed|es)|promis(?:e|ed|es))\b(?:\W+\w+){0,4}?\W+"
                      r"(\d[\d.,]*(?:\s+(?:million|billion|thousand|trillion))?)", re.I)


# ... unless the question itself asks what would or will be ("how much would the closures
# actually save": the council's claim).
_HYPOTHETICAL = re.compile(r"\b(?:would|could|will|might|may|should|supposed|expected|"
                           r"planned|going\s+to|gonna)\b", re.I)


def asks_actual(question: str) -> bool:
    """Does the question ask for what happened in fact, not what was planned?"""
    return bool(_ACTUAL.search(question)) and not _HYPOTHETICAL.search(question)


def without_plans(text: str) -> str:
    """The text with each figure a plan, cap or forecast gives blanked out."""
    return _PLANNED.sub(_blanked, text)


# A figure dated by the words after it ("8.1 million tonnes in 2024").
_FIGURE_IN_YEAR = re.compile(r"(\d[\d.,]*(?:\s+(?:million|billion|thousand|trillion))?)"
                             r"(?:\s+[a-z]+){0,3}?\s+in\s+((?:19|20)\d{2})\b")


def without_other_years(question: str, text: str) -> str:
    """The text with each figure dated by another year than the question names blanked
    out ("how many tonnes in 2025" against "down from 8.1 million tonnes in 2024")."""
    years = set(_A_YEAR.findall(question))
    if not years:
        return text
    return _FIGURE_IN_YEAR.sub(lambda m: m.group(0) if m.group(2) in years else _blanked(m),
                               text)


def _blanked(m: re.Match) -> str:
    """The match with its figure (group 1) written over with x's of its length, so that
    sentence spans still hold."""
    a, b = m.start(1) - m.start(0), m.end(1) - m.start(0)
    return m.group(0)[:a] + "x" * (b - a) + m.group(0)[b:]
