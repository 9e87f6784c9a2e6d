"""The kind of answer a question asks for, and whether a passage can hold it.

"How many people died in the Hiroshima bombing?" asks for a count of people; a passage that
names the bombing but counts islands ("four small islands", a few words on) does not answer
it, however many words it shares. The same holds for measures ("how big are the islands",
"how long has it been") and dates ("in which year was the forum held", "on what date"): the
passage needs a number, or a year, month or date, next to the question's words, that the
question did not give itself. Only these kinds are checked: a lexical check can see that a
figure is missing, not that a name, an outcome or a reason is.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.text import tokenize

_ASKS = re.compile(
    r"\b(?:how\s+(?:(?P<count>many)|(?P<sum>much)|(?P<measure>big|large|long|far|tall|high|"
    r"old|wide|deep|heavy|fast|often|small|expensive))|(?:what|which)\s+(?:exact\s+)?"
    r"(?P<date>year|date|month|decade|century))\b(?P<rest>(?:(?!\bhow\b)[^?.!])*)",
    re.I,
)
# "How much" is answered by any sum of money or share ("$2 million", "40%"), whatever it is
# next to: "how much money is being spent on …" rarely says "money" beside the sum.
_SUM = re.compile(r"[$\u00a3\u20ac\u00a5]\s?\d|\d\s?(?:%|percent\b|per cent\b)|\b\d[\d,.]*\s?"
                  r"(?:dollars|pounds|euros|yen|yuan|rupees)\b", re.I)
_AUXILIARY = re.compile(r"\s*(?:do|does|did|is|are|was|were|has|have|had|will|would|can|"
                        r"could|should|might|must)\b")
_MONEY = re.compile(r"\b(?:cost|costs|pay|paid|pays|spend|spent|spends|worth|earn\w*|raise[ds]?|"
                    r"charge[ds]?|fund\w*|owe[ds]?|price[ds]?|sell|sold|buy|bought|value[ds]?|"
                    r"invest\w*|lose|lost|save[ds]?|weigh\w*|grow|grew|rise|rose|fall|fell)\b")
_SKIP = frozenset("more less fewer other different".split())
_NUMBER_NAMES = frozenset("""one two three four five six seven eight nine ten eleven twelve
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
    sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion
    billions trillion trillions dozen dozens half twice double single zero third thirds
    quarter quarters fifth fifths sixth sixths seventh eighth ninth tenth tenths""".split())
_AMOUNT = re.compile(r"[$\u00a3\u20ac\u00a5]?\d")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)")
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)"
# What answers "which year / date / month / decade / century" (case kept: "may" is a verb).
_DATES = {
    "year": re.compile(r"(?:1\d{3}|20\d{2})s?"),
    "decade": re.compile(r"(?:1\d{3}|20\d{2})s?"),
    "century": re.compile(rf"{_ORDINAL}|(?:1\d{{3}}|20\d{{2}})s?"),
    "month": re.compile(_MONTH),
    "date": re.compile(rf"{_MONTH}|{_ORDINAL}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"),
}
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_WORDS = re.compile(r"[\w$\u00a3\u20ac\u00a5%.,'\u2019-]*\w")
WINDOW = 4  # words between a figure and what it is about ("four small islands")


class Asked(NamedTuple):
    """A question asking for a figure: its kind (count, sum, measure or date), the stems of
    what it is about (the words right after "how many …" up to the first stopword) and of
    the question's other words, and for a date or a measure its unit (year, date, month …;
    big, long, old …)."""

    kind: str
    named: frozenset[str]
    others: frozenset[str]
    unit: str = ""


def asked(question: str) -> list[Asked]:
    """The figures a question asks for ("how big is the fleet, like how many subs?": a
    measure and a count); none for most questions."""
    return [_asked(question, m) for m in _ASKS.finditer(question) if not _degree(m)]


def _degree(m: re.Match) -> bool:
    """"How much does Japan care …" asks how far, not for a sum: "how much" then a verb,
    and no word of money in the question."""
    if not m.group("sum"):
        return False
    rest = m.group("rest").lower()
    return bool(_AUXILIARY.match(rest)) and not _MONEY.search(rest)


def _asked(question: str, m: re.Match) -> Asked:
    kind = next(k for k in ("count", "sum", "measure", "date") if m.group(k))
    phrase: list[str] = []
    for w in _WORDS.findall(m.group("rest")):
        stems = tokenize(w)
        if not stems and w.lower() not in _SKIP:
            if phrase:
                break
            continue
        phrase += stems
    named = frozenset(phrase)
    unit = (m.group("date") or m.group("measure") or "").lower()
    return Asked(kind, named, frozenset(tokenize(question)) - named, unit)


def _is_figure(word: str, ask: Asked) -> bool:
    kind = ask.kind
    if kind == "date":
        return bool(_DATES[ask.unit].fullmatch(word.rstrip(".,")))
    if kind == "measure" and ask.unit not in ("long", "old") and _YEAR.fullmatch(word):
        # "In 1945" dates a sentence, it measures no size ("how long": "from 1892 to 1894").
        return False
    return bool(_AMOUNT.match(word)) or word.lower() in _NUMBER_NAMES


def holds(text: str, spans: list[tuple[int, int]], ask: Asked) -> bool:
    """Does a sentence of the passage give the figure asked for: next to what the question
    counts, or next to another of its words without counting some other thing the question
    names? A figure the question itself gives ("in 1945") does not count."""
    for a, b in spans or [(0, len(text))]:
        if ask.kind == "sum" and _SUM.search(text, a, b):
            return True
        words = _WORDS.findall(text[a:b])
        figures = [i for i, w in enumerate(words) if _is_figure(w, ask)]
        if not figures:
            continue  # most sentences: nothing to tokenize
        stems = [set(tokenize(w)) for w in words]
        for i in figures:
            if stems[i] & ask.others:
                continue
            if ask.unit == "date" and words[i + 1: i + 2] and words[i + 1].lower().startswith(
                    "centur"):
                continue  # "the 19th century" is no date
            near = stems[max(0, i - WINDOW): i + WINDOW + 1]
            if ask.kind in ("count", "sum") and (
                not ask.named or any(s & ask.named for s in near)
            ):
                return True
            # "four small islands" counts islands: not a measure of them, nor a count of
            # anything else the question names.
            counts = ask.named | ask.others if ask.kind == "measure" else ask.others
            if any(s & counts for s in stems[i + 1: i + 3]):
                continue
            # A date or a measure may stand anywhere in a sentence about the question ("The
            # game was played on February 7, 2016, at …"); a count stands by its words.
            about = stems if ask.kind in ("date", "measure") else near
            if any(s & (ask.named | ask.others) for s in about):
                return True
    return False


def answers_kind(question: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """Can the passage hold the kind of answer the question asks for?"""
    return all(holds(text, spans, ask) for ask in asked(question))
