"""Whether a passage gives the figure a question asks for: a count, a sum, a measure, a
date, an age, a size, next to what the question counts or measures."""

from __future__ import annotations

import re
from functools import cache

from bot.kinds.amounts import (
    LARGE_SUM,
    MONEY_FIGURE,
    PERCENTAGE,
    QUANTITY,
    SUM,
    WORDED_MONEY,
    WORDED_SUM,
)
from bot.kinds.counting import (
    CITY_OF,
    DWELLING,
    DWELT,
    PEOPLE,
    POPULATION,
    counted,
    counts_other,
)
from bot.kinds.patterns import MONTH, ORDINAL, WORDS
from bot.kinds.questions import Asked
from bot.kinds.rates import CHANGE, SPEED, gives_speed
from bot.text import tokenize

_NUMBER_NAMES = frozenset("""one two three four five six seven eight nine ten eleven twelve
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
    sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion
    billions trillion trillions dozen dozens half twice double single zero third thirds
    quarter quarters fifth fifths sixth sixths seventh eighth ninth tenth tenths""".split())
_AMOUNT = re.compile(r"[$\u00a3\u20ac\u00a5]?\d")
# What answers "which year / date / month / decade / century" (case kept: "may" is a verb).
_DATES = {
    "year": re.compile(r"(?:1\d{3}|20\d{2})s?"),
    "decade": re.compile(r"(?:1\d{3}|20\d{2})s?"),
    "century": re.compile(rf"{ORDINAL}|(?:1\d{{3}}|20\d{{2}})s?"),
    "month": re.compile(MONTH),
    "date": re.compile(rf"{MONTH}|{ORDINAL}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"),
    # "What time of year", "which season": a month or a season ("fall" is mostly a verb).
    "season": re.compile(rf"{MONTH}|(?i:spring|summer|autumn|winter|monsoon)"),
}
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_MONTH = re.compile(MONTH)
_YEARS = re.compile(r"(?:1\d{3}|20\d{2})[-\u2013](?:1\d{3}|20\d{2}|\d{2})")  # a span of years
WINDOW = 4  # words between a figure and what it is about ("four small islands")
# A year gives an age after one of these, this many words before it at most.
_SINCE_YEAR = frozenset("""born founded built established opened created formed launched
    completed constructed erected started begun began inaugurated dating dates since""".split())
SINCE_BEFORE = 4
AGE_BEFORE = 8  # words from "age" to its figure ("the average age of a cane grower is 55")
# A gathering's size is its head count ("how big was the protest": "put the crowd at 60,000").
GATHERINGS = frozenset(tokenize("protest protests rally march demonstration crowd turnout"))
_HEAD_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d{3,}")  # a crowd is hundreds or more
# A part of something said as a share ("about two-thirds of Guyana's territory").
_PART = re.compile(r"\d\s?(?:%|per\s?cent\b)|\b(?:half|third|thirds|quarter|quarters|fifth|"
                   r"fifths|tenth|tenths|majority|most|all)\b", re.I)
_AGE = re.compile(r"(?:years?|months?|weeks?|days?|decades?|centur\w*)[\s-]+old\b", re.I)
# "How big / large / small", "what is the size of": a size, asked of one thing.
SIZE = frozenset(("big", "large", "small", "size"))
_SIZE_UNIT = re.compile(r"(?:square|sq|km|\w*met(?:re|er)s?\b|(?:kilo|milli|micro|nano)?grams?\b|"
                        r"mile|acre|hectare|feet|foot|ft|yard|ton|tonne|kg|kilo|pound|lb|inch|"
                        r"cm|mm|gallon|\w*lit(?:re|er)s?\b|barrel|percent|per cent|%|times|"
                        r"million|billion|trillion|thousand|hundred|strong|personnel|troops|"
                        r"soldiers|ships|vessels|members|people|employees|staff|residents|"
                        r"inhabitants)", re.I)

# Measures that are lengths, and the units that say a figure is one ("145 metres", "5km").
# ("How high" and "how far" also ask for a temperature, a rank, a time: not checked.)
LENGTH = frozenset(("tall", "deep", "wide", "height", "length", "width", "depth", "distance"))
_LENGTHS = r"(?:kilo|centi|milli)?met(?:re|er)s?|feet|foot|miles?|yards?"
_LENGTH_UNIT = re.compile(rf"[\d.,]+\s?[-\s]?(?:km|m|cm|mm|ft|mi|nm|{_LENGTHS}|inch(?:es)?|"
                          rf"nautical)\b|\w+\s(?:{_LENGTHS})\b", re.I)
# A figure of time: "70 years", "two full decades", "a 25-minute".
_DURATION = re.compile(r"[\w.,]+[\s-]+(?:\w+[\s-]+)?(?:years?|yrs?|months?|weeks?|days?|"
                       r"hours?|minutes?|mins?|seconds?|decades?|centur(?:y|ies))\b", re.I)
# A sentence opening with one of these is about what the sentence before it names.
_PRONOUN = re.compile(r"(?:he|she|it|they|his|her|its|their|this|these)$", re.I)
# Units a reader may name beside a size ("like 150k tonnes"): what measures it, not another
# thing counted.
UNITS = frozenset(tokenize("""tonnes tons tonne ton kilometres kilometers km metres meters
    miles hectares acres barrels litres liters gallons kilograms kg pounds square feet"""))


def _measured(words: list[str], stems: list[set[str]], i: int) -> bool:
    """Is the figure at `i` a measure by its unit ("500-metre", "12 tonnes")?"""
    return bool(_LENGTH_UNIT.match(" ".join(words[i: i + 3]))) or any(
        s & UNITS for s in stems[i: i + 2])


def _dated(words: list[str], i: int) -> bool:
    """Is words[i] a year after a preposition or a month ("took four islands in 1950",
    "an insurgency since October 2017, and Rwandan troops"): no count."""
    return bool(_YEAR.fullmatch(words[i]) and i and (
        words[i - 1].lower() in _BEFORE_YEAR or _MONTH.fullmatch(words[i - 1])))


_TIME_UNIT = re.compile(r"(?:years?|months?|weeks?|days?|hours?|decades?|centur(?:y|ies))",
                        re.I)


_TIME_STEMS = frozenset(tokenize("year month week day hour decade century"))


def _timed(words: list[str], i: int) -> bool:
    """Is words[i] a day of a month ("banned on 1 January") or a span of time ("two years
    earlier", "13 days after Hurricane Selma"): no amount of what "how much" asks of, nor a
    count of the people "how many" asks of (unless it asks how many days)."""
    after = words[i + 1] if i + 1 < len(words) else ""
    return bool(_MONTH.fullmatch(after) or _TIME_UNIT.fullmatch(after))


_SHARE = re.compile(r"(\d[\d.,]*)\s?(?:%|per\s?cent\b)(?:\s+of\s+(?:the\s+|all\s+)?"
                    r"([\w-]+(?:\s+[\w-]+)?))?", re.I)


def _shares(sentence: str, counted_stems: frozenset[str]) -> frozenset[str]:
    """The figures of a sentence that are shares of something other than what is counted:
    "80% of teachers in state schools" says not how many schools there are ("3% of
    respondents" may say how many respondents did)."""
    return frozenset(m.group(1).rstrip(".,") for m in _SHARE.finditer(sentence)
                     if not (m.group(2) and set(tokenize(m.group(2))) & counted_stems))


def _sums(sentence: str) -> frozenset[str]:
    """The figures of a sentence that are sums of money."""
    out = set()
    for m in MONEY_FIGURE.finditer(sentence):
        figure = next(g for g in m.groups() if g).rstrip(".,")
        out.update((figure, m.group(0).split()[0].rstrip(".,")))  # "$3" as a word is too
    return frozenset(out)


YEARS = frozenset(tokenize("years"))
_BEFORE_YEAR = frozenset("in since until till during".split())
_LASTED = frozenset(tokenize("last lasted"))  # "how long did the blockade last"


@cache
def _unit_stems(unit: str) -> frozenset[str]:
    return frozenset(tokenize(unit))


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
    if ask.traded and not ask.traded & set(tokenize(text)):
        joined = re.sub(r"[\s-]+", "", text.lower())  # "fresh water" for "freshwater"
        if not any(t in joined for t in ask.traded):
            return False  # "how much coffee does Kenya export": a passage never saying coffee
    spans = spans or [(0, len(text))]
    if ask.unit == "rate":
        return _rated(text, spans, ask.named)
    if ask.unit == "produced":  # an amount produced is a quantity, not its worth
        return bool(QUANTITY.search(text))
    if ask.unit == "share":  # "what share of the vote": a percentage, whatever it is of
        return bool(PERCENTAGE.search(text))
    text_stems: set[str] | None = None

    def named_in_text() -> bool:  # does the passage name what is counted? (read once)
        nonlocal text_stems
        if text_stems is None:
            text_stems = set(tokenize(text))
        return bool(counted(ask.named) & text_stems)

    for at, (a, b) in enumerate(spans):
        if ask.kind == "sum" and ask.unit == "money" and not (ask.named | ask.others) & CHANGE:
            # a sum of money ("how much does it owe"), not a share ("80 per cent"), unless a
            # change is asked of ("how much did prices rise": "by 75 per cent")
            if MONEY_FIGURE.search(text, a, b) or LARGE_SUM.search(text, a, b) or \
                    WORDED_MONEY.search(text, a, b):
                return True
            continue
        if ask.kind == "sum" and (SUM.search(text, a, b) or QUANTITY.search(text, a, b)
                                  or WORDED_SUM.search(text, a, b)):
            return True  # "how much water": "300 cubic metres a second", beside it or not
        if ask.unit == "part" and _PART.search(text, a, b) and ask.named & set(
                tokenize(text[a:b])):
            return True
        words = WORDS.findall(text[a:b])
        shares = _shares(text[a:b], counted(ask.named)) | _sums(text[a:b]) \
            if ask.kind == "count" else frozenset()
        figures = [i for i, w in enumerate(words) if _is_figure(w, ask)
                   and not (ask.kind == "count" and (_dated(words, i) or w in shares))
                   and not (ask.kind in ("count", "sum") and _timed(words, i)
                            and not ask.named & _TIME_STEMS)
                   # "relaxed it in 2017" is no amount ("2000 food parcels" is one)
                   and not (ask.kind == "sum" and _dated(words, i))]
        if not figures:
            continue  # most sentences: nothing to tokenize
        stems = [set(tokenize(w)) for w in words]
        # "He has fifteen days": the sentence is about the one the sentence before names.
        whole = stems + ([set(tokenize(text[spans[at - 1][0]: spans[at - 1][1]]))]
                         if at and _PRONOUN.match(words[0]) else [])
        for i in figures:
            if ask.unit == "old":  # an age: years ("aged 70", "70-year-old", "born in 1952")
                # ... of what is named, not of something beside it: "the Laos-China railway
                # that opened in December 2021" gives no age of the Lao central bank's
                # governor (half of the named words, at least, in the sentence).
                if _aged(words, i) and (not ask.named or 2 * len(
                        ask.named & set().union(*whole)) >= len(ask.named)):
                    return True
                continue
            if stems[i] & ask.others:
                continue
            if ask.unit != "century" and words[i + 1: i + 2] and words[i + 1].lower().startswith(
                    "centur"):
                continue  # "the 19th century" is no date, and no count or size of anything
            if ask.kind == "count" and words[i + 1: i + 2] and words[i + 1].lower() in (
                    "each", "apiece") and any(
                        s & (ask.others if ask.unit == "each" or not ask.named
                             else counted(ask.named)) for s in stems):
                # "taking control of two each": a share of the islands the sentence is
                # about (not an answer to "how many soldiers are on the islands")
                return True
            near = stems[max(0, i - WINDOW): i + WINDOW + 1]
            if ask.kind == "count" and POPULATION & ask.others and not any(
                    s & PEOPLE for s in stems):
                continue  # a population counts people, not the megawatts of its country
            if ask.kind == "count" and ask.named & DWELLING:  # ("a city of 300,000 people")
                # ... not a measure ("to live in a 500-metre-tall wall" counts no one)
                if (any(s & DWELT for s in whole) or CITY_OF.search(text, a, b)) and any(
                        s & (DWELT | PEOPLE) for s in near) and not _measured(words, stems, i):
                    return True
                continue
            if ask.unit == "total":  # the counted thing right after its figure
                if any(s & counted(ask.named) for s in stems[i + 1: i + 4]):
                    return True
                continue
            if ask.kind in ("count", "sum") and (
                not ask.named or any(s & counted(ask.named) for s in near)
            ):
                return True
            if _YEARS.fullmatch(words[i]) and (
                    (ask.unit in ("long", "old") and any(s & ask.named for s in stems))
                    or (ask.kind == "count" and ask.named >= YEARS
                        and any(s & ask.others for s in stems))):
                return True  # "the 2014-2023 civil war" says how long (how many years) it lasted
            if ask.unit == "long":  # a time or a length: "two each" is neither
                if _LENGTH_UNIT.match(" ".join(words[i: i + 3])):
                    return True  # a length is one by its unit, wherever it stands
                if _DURATION.match(" ".join(words[i: i + 3])):
                    # "a 30-second commercial": a time of the thing it stands before
                    if any(s & (ask.named | ask.others) for s in whole):
                        return True
                    continue
                if not _YEAR.match(words[i]):
                    continue
                if ask.named & _LASTED and sum(bool(_YEAR.match(w)) for w in words) < 2:
                    continue  # how long it lasted: a span ("from 1939 to 1945"), not a year
            # "four small islands" counts islands: not a measure of them, nor a count of
            # anything else the question names.
            # ("145 metres tall" measures: the measure's own word may follow its figure.)
            # A height, a depth, a distance is a length: "how tall is the dam" is not
            # answered by its 6,450 megawatts; "430 metres underground" is one by its unit,
            # whatever word of the question follows it.
            if ask.unit in LENGTH:
                if _LENGTH_UNIT.match(" ".join(words[i: i + 3])):
                    return True
                continue
            if ask.unit in SPEED:  # a rate, in a sentence about the question
                if gives_speed(" ".join(words[i: i + 7]), text[a:b], ask.named | ask.others) \
                        and any(s & (ask.named | ask.others) for s in whole):
                    return True
                continue
            counts = (ask.named | ask.others) - _unit_stems(ask.unit) - UNITS \
                if ask.kind == "measure" else ask.others
            if any(s & counts for s in stems[i + 1: i + 3]):
                continue
            if ask.kind == "count" and ask.named and counts_other(
                    words[i + 1: i + 2], ask.named | ask.others) and named_in_text():
                # "300 farmers with their tractors at the border": no count of the tractors
                # asked. (Where the passage never names the thing asked, the figure's word may
                # be the article's own for it: "4,000 brigadistas" for "how many volunteers".)
                continue
            # A size ("how big is the navy") is a measure of the thing asked: a figure by
            # its words, or one with a unit of size ("1,300 km", "2 million tonnes"); not
            # any figure of a sentence that names it ("four small islands").
            if ask.unit in SIZE and ask.named & GATHERINGS:
                if _HEAD_COUNT.fullmatch(words[i]) and not _YEAR.fullmatch(words[i]) and any(
                        s & counted(ask.named) for s in whole):
                    return True
                continue
            if ask.unit in SIZE and not (any(s & ask.named for s in near) or _SIZE_UNIT.match(
                    " ".join(words[i + 1: i + 3]))):
                continue
            # A date or a measure may stand anywhere in a sentence about the question ("The
            # game was played on February 7, 2016, at …"); a count stands by its words.
            about = whole if ask.kind in ("date", "measure") else near
            if any(s & (ask.named | ask.others) for s in about):
                return True
    return False


def _rated(text: str, spans: list[tuple[int, int]], named: frozenset[str]) -> bool:
    """Does the passage give a figure of the rate: in a sentence that names it ("inflation
    fell to 6.2%"; "the policy rate is 29%" for an interest rate), or next to the word
    "rate" in a passage that names it ("… total fertility rate fell to 0.72. The rate had
    risen to 0.75 in 2024")?"""
    said = named.union(*(_RATES.get(t, ()) for t in named))
    sentences = [WORDS.findall(text[a:b]) for a, b in spans]
    stems = [[set(tokenize(w)) for w in words] for words in sentences]
    if not any(s & said for sentence in stems for s in sentence):
        return False
    for (a, b), words, sentence in zip(spans, sentences, stems, strict=True):
        # A year dates the rate and a sum of money is no rate ("the Basic Plan for Low
        # Fertility ... poured 280 trillion won" gives no fertility rate).
        sums = _sums(text[a:b])
        figures = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)
                   and not _YEAR.fullmatch(w) and w not in sums]
        if figures and any(s & said for s in sentence):
            return True
        if any(any(s & _RATE_WORD for s in sentence[max(0, i - WINDOW): i + WINDOW + 1])
               for i in figures):
            return True
    return False


_RATE_WORD = frozenset(tokenize("rate rates"))
# A rate under the names articles give it.
_RATES = {t: frozenset(tokenize(words)) for t, words in (
    ("interest", "interest policy benchmark lending repo"), ("inflat", "inflation prices"),
    ("unemploy", "unemployment jobless"), ("exchang", "exchange dollar euro"),
    ("birth", "birth fertility"))}


def _aged(words: list[str], i: int) -> bool:
    """Is the figure words[i] an age: a year something began in ("born in 1952", "opened in
    December 2021"; not "falling due in 2026"), a figure of years old ("300
    years old", "a 58-year-old"), or one after "aged"? ("two years late" is not.)"""
    return bool((_YEAR.fullmatch(words[i]) and any(
        w.lower() in _SINCE_YEAR for w in words[max(0, i - SINCE_BEFORE): i]))
                or _AGE.match(" ".join(words[i + 1: i + 3]))
                or _AGE.search(words[i]) or words[max(0, i - 1)].lower() in ("age", "aged")
                or any(w.lower() in ("age", "ages") for w in words[max(0, i - AGE_BEFORE): i]))
