"""The kind of answer a question asks for, and whether a passage can hold it.

"How many people died in the Hiroshima bombing?" asks for a count of people; a passage that
names the bombing but counts islands ("four small islands", a few words on) does not answer
it, however many words it shares. The same holds for measures ("how big are the islands",
"how long has it been") and dates ("in which year was the forum held", "on what date"): the
passage needs a number, or a year, month or date, next to the question's words, that the
question did not give itself.

Three more kinds are checked the same lexical way:

* when (a bar, like the figures): a date or time expression ("in 1945", "last week", "days
  after …") in a sentence holding the question's words, that dates the question's event
  and is not anchored on it: "days after the United States bombed Hiroshima" dates
  something else, so it does not answer "When was Hiroshima bombed?";
* a later outcome (a bar: "did they end up signing it?", "did it eventually pass?"): a
  passage that says the thing is still pending ("still haven't signed", "yet to reach")
  was written before the outcome, and one that never reports it done does not give it;
* who / where (only a feature of the confidence, `answers_type`): a name the question does
  not hold (a capitalised word) in the sentences most about the question (holding at least
  half as many of its words as the best one): "Where is Russia's Pacific Fleet
  headquartered?" is not answered by "… Russia's Pacific fleet, its Pacific strategy …".

A reason or a description is not checked: a lexical check cannot see that one is missing.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from bot import english
from bot.text import IRREGULAR, tokenize

_ASKS = re.compile(
    r"\b(?:how\s+(?:(?P<count>many)|(?P<sum>much)|(?P<measure>big|large|long|far|tall|high|"
    r"old|wide|deep|heavy|fast|often|small|expensive|hot|cold|warm|cheap))|(?:what|which)\s+(?:exact\s+)?"
    r"(?P<date>year|date|month|decade|century)|(?:what|which)(?:'s|\s+(?:is|was|are|were))?\s+"
    r"(?:the\s+)?(?:best\s+|ideal\s+|right\s+|usual\s+)?(?P<season>time\s+of\s+(?:the\s+)?year|"
    r"(?<=what\s)season|(?<=which\s)season)|(?:what|which)(?:'s|\s+(?:is|was|are|were))\s+"
    r"(?:the\s+)?(?:exact\s+|precise\s+|actual\s+)?(?P<dated>year|date|day|month)\s+(?:of|when|that|"
    r"on which|in which)|(?:what|which)(?:'s|\s+(?:is|was|are|were))?\s+"
    r"(?:the\s+)?(?:total\s+|exact\s+|approximate\s+|current\s+|estimated\s+)?"
    r"(?:(?P<tally>number|population|death toll|headcount)|(?P<quantity>size|height|"
    r"length|width|depth|weight|distance|cost|price|budget|speed))\s+of)\b"
    r"(?P<rest>(?:(?!\bhow\b)[^?.!])*)",
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
# A sum asked of a price ("how much will the plants cost") is money: "two new plants" is no
# answer, "$2bn" or "2.1 billion" is.
_PRICE = re.compile(r"\b(?:cost\w*|pay|paid|pays|spend\w*|spent|worth|price\w*|fund\w*|budget\w*|"
                    r"money|invest\w*|earn\w*|charge[ds]?|owe[ds]?|sell|sold|buy|bought|"
                    r"fine[ds]?|salary|salaries|wage[ds]?)\b", re.I)
_LARGE_SUM = re.compile(r"\d[\d,.]*\s?(?:million|billion|trillion|bn|mn)\b", re.I)
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
    # "What time of year", "which season": a month or a season ("fall" is mostly a verb).
    "season": re.compile(rf"{_MONTH}|(?i:spring|summer|autumn|winter|monsoon)"),
}
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_YEARS = re.compile(r"(?:1\d{3}|20\d{2})[-\u2013](?:1\d{3}|20\d{2}|\d{2})")  # a span of years
_WORDS = re.compile(r"[\w$\u00a3\u20ac\u00a5%.,'\u2019-]*\w")
WINDOW = 4  # words between a figure and what it is about ("four small islands")
_AGE = re.compile(r"(?:years?|months?|weeks?|days?|decades?|centur\w*)[\s-]+old\b", re.I)
# "How big / large / small", "what is the size of": a size, asked of one thing.
SIZE = frozenset(("big", "large", "small", "size"))
_SIZE_UNIT = re.compile(r"(?:square|sq|km|\w*met(?:re|er)s?\b|(?:kilo|milli|micro|nano)?grams?\b|"
                        r"mile|acre|hectare|feet|foot|ft|yard|ton|tonne|kg|kilo|pound|lb|inch|"
                        r"cm|mm|gallon|\w*lit(?:re|er)s?\b|barrel|percent|per cent|%|times|"
                        r"million|billion|trillion|thousand|hundred|strong|personnel|troops|"
                        r"soldiers|ships|vessels|members|people|employees|staff|residents|"
                        r"inhabitants)", re.I)

# "who / where / when" opening the question or one of its clauses ("hey, when did …",
# "Where was Putin when he said …" asks where, not when; "by when must it be paid?" asks
# when).
_WH = re.compile(r"(?:^\W*(?:(?:by|until|till|since|from)\s+)?(?P<wh>who|whom|where|when)"
                 r"(?:'?s)?|(?:[.?!:;,]\s+|\s[-\u2013\u2014]+\s+)"
                 r"\W*(?P<wh2>who|whom|where|when)(?:'?s)?(?=\s+(?:did|does|do|was|were|is|"
                 r"are|will|would|can|could|has|have|had|should)\b))\b", re.I)
_OUTCOME = re.compile(r"\b(?:end(?:ed|s)? up|in the end|eventually|ultimately|wound up|"
                      r"wind up|(?:go|goes|went) on to)\b(?P<rest>[^?.!]*)", re.I)
# A yes / no question ("so did they end up …"): "how did Russia end up with the islands"
# asks how, not for an outcome.
_YES_NO = re.compile(r"(?:^|[.?!:;,]\s+|\s[-\u2013\u2014]+\s+)\W*(?:(?:so|and|but|ok|okay)\s+)?"
                     r"(?:did|do|does|has|have|had|was|were|is|are|will|would)\b", re.I)
# A capitalised word: a name (a person, a place, a body); at the start of a sentence only
# when it is not a common English word ("Tesla", not "However").
_CAPITAL = re.compile(r"(?<![\w'\u2019.-])[A-Z][\w'\u2019.-]*")
_OPENING = re.compile(r"^\W*$")
COMMON_ZIPF = 4.5
# A name answering who / where stands in a sentence holding at least half as many of the
# question's words as the best one. (A date may stand in any sentence holding one of them:
# "Around 1294, a French version was prepared"; SQuAD gold paragraphs pass for 96% of
# "when" questions so, 94% when it must hold a third as many as the best.)
NAME_SHARE = 0.5
# An event of this many words or more ("step down as leader") none of which the passage holds
# is not what it dates (one word alone is too often paraphrased: "founded", "established").
EVENT_WORDS = 2
OTHER = ("name", "time", "outcome", "names", "attribute")  # kinds that are not figures
# An encyclopedia's attribute of a person, a place or a body ("what's the capital of Japan",
# "who succeeded Abe", "where is the fleet headquartered", "which party did he lead"): asked
# of something an article names, it is answered only by a passage that holds the word of
# the attribute itself; one about its holder that never says it answers something else.
_ATTRIBUTE = re.compile(
    r"\b(?:capital|currency|currencies|language|languages|religion|anthem|flag|motto|"
    r"birthday|birthplace|born|wife|husband|spouse|married|(?P<succession>successor|succeed|"
    r"succeeded|predecessor|replace|replaced|t(?:ook|ake|akes|aking) over from)|headquarters|"
    r"headquartered|founder|nationality|originally from|political party|net worth|salary)\b",
    re.I)
_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|which|where|when|how)\b", re.I)
_TYPE_OF = re.compile(r"(?:which|what)(?:\s+(?!(?:is|was|are|were|do|does|did|the|a|an)\b)"
                      r"[\w'\u2019-]+){0,2}\s+$", re.I)
# Who came after or before whom, however it is put.
SUCCESSION = frozenset(tokenize("succeed successor predecessor replace"))
# "What are the names of the four islands?" asks for several names: a list of them ("Iturup,
# Kunashir, Shikotan and the Habomais"), not a passage that names other things of the topic.
# ("What names do the Japanese use for them?" may be answered by one name: not a list.)
_NAMES = re.compile(r"\b(?:what|which|list|give|tell)\b(?:(?!\bhow\b)[^?.!])*?\bnames\s+of\b",
                    re.I)
_PROPER = r"[A-Z][\w'\u2019-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'\u2019-]*)*"
_LIST = re.compile(rf"{_PROPER}(?:\s*,\s*{_PROPER})*\s*,?\s+(?:and|or|&)\s+(?:the\s+)?{_PROPER}|"
                   rf"{_PROPER}(?:\s*,\s*{_PROPER}){{2,}}")
MIN_LISTED = 2
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PERIOD = (r"(?:day|week|weekend|month|year|decade|century|season|spring|summer|autumn|fall|"
           r"winter|morning|afternoon|evening|night|quarter|term)s?")
# A date or a time, absolute or relative to now ("in 1945", "last week", "two years ago").
_TIME = re.compile(
    rf"\b(?:1\d{{3}}|20\d{{2}})s?\b|\b{_MONTH}\b|\b{_WEEKDAY}\b|{_ORDINAL} century|"
    rf"\b(?:in|of|by|from|to|around|circa|c\.) \d{{3,4}}\b|"
    rf"\b(?:ago|yesterday|today|tonight|tomorrow|now|currently|recently|formerly|"
    rf"previously|once|then|later|earlier|soon|meanwhile)\b|"
    rf"\b(?:this|last|next|that|the same|the following|the previous|the coming|the past|"
    rf"early|late|mid|the end of|the end of the|the start of|the start of the|the) {_PERIOD}\b"
)
# "When was the forum first held?" asks for a date: "earlier this month" dates the latest one.
_FIRST = re.compile(r"\b(?:first|originally|initially|founded|established)\b", re.I)
_ABSOLUTE = re.compile(rf"\b(?:1\d{{3}}|20\d{{2}})s?\b|\b{_MONTH}\b|{_ORDINAL} century")
# A time relative to another event ("days after the United States bombed Hiroshima",
# "during the war", "before the end of the year"): the words to the next comma are its
# anchor, and the question's words there are not what it dates.
_RELATIVE = re.compile(r"\b(?:after|before|during|since|until|till|following|prior to|"
                       r"in the wake of|by the end of|at the end of|at the time of|when|"
                       r"while|as soon as)\b(?P<anchor>[^,;:()\u2014]*)", re.I)
# The outcome not reached yet when the passage was written.
_PENDING = re.compile(r"\b(?:still|yet to|not yet|have yet|has yet|had yet|ha(?:ve|s)n['\u2019]?t|"
                      r"ha(?:ve|s) not|will|would|plans? to|committed to|aims? to|hopes? to|"
                      r"intends? to|expected to|set to)\b((?:\s+[\w'\u2019-]+){1,3})", re.I)
# An outcome that did not come about is an outcome too ("Norway did not end up joining").
_DID_NOT = re.compile(r"\b(?:did not|didn['\u2019]?t|never|failed to)\s+(?:end up\s+)?([\w-]+)",
                      re.I)


class Asked(NamedTuple):
    """What a question asks for: its kind (count, sum, measure, date; name, time, outcome),
    the stems of what it is about (for a figure the words right after "how many …" up to
    the first stopword, for an outcome its verb) and of the question's other words (all of
    them for a name or a time), and for a date or a measure its unit (year, date, month …;
    big, long, old …)."""

    kind: str
    named: frozenset[str]
    others: frozenset[str]
    unit: str = ""


def asked(question: str) -> list[Asked]:
    """What a question asks for that a passage can be seen to lack: figures ("how big is
    the fleet, like how many subs?": a measure and a count), a name (who, where), a time
    (when), a later outcome; none for most questions."""
    return list(_asked_all(question))


@lru_cache(maxsize=64)  # asked for the kind check and for the name feature
def _asked_all(question: str) -> tuple[Asked, ...]:
    out = [_asked(question, m) for m in _ASKS.finditer(question) if not _degree(m)]
    wh = _WH.search(question)
    if wh and not out:
        word = (wh.group("wh") or wh.group("wh2")).lower()
        words = frozenset(tokenize(question))
        if word == "when":  # the event dated: the words that are not names
            first = "first" if _FIRST.search(question) else word
            out.append(Asked("time", words - named_in(question), words, first))
        else:
            out.append(Asked("name", frozenset(), words, word))
    if _NAMES.search(question):
        out.append(Asked("names", frozenset(), frozenset(tokenize(question))))
    for m in _ATTRIBUTE.finditer(question):
        if not _asks_attribute(question, m):
            continue
        words = frozenset(tokenize(m.group(0)))
        out.append(Asked("attribute", words, frozenset(tokenize(question)) - words,
                         "succession" if m.group("succession") else ""))
    outcome = _OUTCOME.search(question)
    if outcome and _YES_NO.search(question[: outcome.start()]):
        # The verb is the first word after "end up" ("… end up signing the treaty"), else
        # any of the question's words ("did the bill eventually pass?").
        words = frozenset(tokenize(question))
        verb = next((t for w in outcome.group("rest").split() for t in tokenize(w)), "")
        out.append(Asked("outcome", frozenset([verb] if verb else words), words))
    return tuple(out)


def _asks_attribute(question: str, m: re.Match) -> bool:
    """Is the attribute what the question asks: after a question word of its sentence ("who
    succeeded Abe", "what is the capital of …"), not context before it ("Pelosi's husband
    was attacked. In which city …"), and not the type of a name asked for ("which currency
    fell": the answer says "the pound", maybe never "currency")?"""
    start = max(question.rfind(c, 0, m.start()) for c in ".!?;") + 1
    before = [w for w in _QUESTION_WORD.finditer(question, start, m.start())]
    if not before:
        return False
    return m.group(0).lower() == "political party" or not _TYPE_OF.fullmatch(
        question, before[-1].start(), m.start())


def _degree(m: re.Match) -> bool:
    """"How much does Japan care …" asks how far, not for a sum: "how much" then a verb,
    and no word of money in the question."""
    if not m.group("sum"):
        return False
    rest = m.group("rest").lower()
    return bool(_AUXILIARY.match(rest)) and not _MONEY.search(rest)


def _asked(question: str, m: re.Match) -> Asked:
    # "What is the population of Vladivostok" counts people, "what was the cost of …" asks
    # for a measure, as "how many" and "how big" do.
    kind = "count" if m.group("tally") else "measure" if m.group("quantity") else "date" if (
        m.group("dated") or m.group("season")) else next(
        k for k in ("count", "sum", "measure", "date") if m.group(k))
    phrase: list[str] = []
    for w in _WORDS.findall(m.group("rest")):
        stems = tokenize(w)
        if not stems and w.lower() not in _SKIP:
            if phrase:
                break
            continue
        phrase += stems
    named = frozenset(phrase)
    dated = (m.group("dated") or "").lower().replace("day", "date")
    unit = "season" if m.group("season") else (
        m.group("date") or dated or m.group("measure") or m.group("quantity") or "").lower()
    if kind == "sum" and _PRICE.search(m.group("rest")):
        unit = "money"
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
        if ask.unit == "money":
            if _LARGE_SUM.search(text, a, b):
                return True
            continue
        words = _WORDS.findall(text[a:b])
        figures = [i for i, w in enumerate(words) if _is_figure(w, ask)]
        if not figures:
            continue  # most sentences: nothing to tokenize
        stems = [set(tokenize(w)) for w in words]
        for i in figures:
            if ask.unit == "old":  # an age: years ("aged 70", "70-year-old", "born in 1952")
                if _aged(words, i) and (not ask.named or any(s & ask.named for s in stems)):
                    return True
                continue
            if stems[i] & ask.others:
                continue
            if ask.unit != "century" and words[i + 1: i + 2] and words[i + 1].lower().startswith(
                    "centur"):
                continue  # "the 19th century" is no date, and no count or size of anything
            if ask.kind == "count" and words[i + 1: i + 2] and words[i + 1].lower() in (
                    "each", "apiece") and any(s & (ask.named | ask.others) for s in stems):
                return True  # "taking control of two each": a share, of what the sentence is about
            near = stems[max(0, i - WINDOW): i + WINDOW + 1]
            if ask.kind in ("count", "sum") and (
                not ask.named or any(s & ask.named for s in near)
            ):
                return True
            if ask.unit in ("long", "old") and _YEARS.fullmatch(words[i]) and any(
                    s & ask.named for s in stems):
                return True  # "the 2014-2023 civil war" says how long it lasted
            # "four small islands" counts islands: not a measure of them, nor a count of
            # anything else the question names.
            counts = ask.named | ask.others if ask.kind == "measure" else ask.others
            if any(s & counts for s in stems[i + 1: i + 3]):
                continue
            # A size ("how big is the navy") is a measure of the thing asked: a figure by
            # its words, or one with a unit of size ("1,300 km", "2 million tonnes"); not
            # any figure of a sentence that names it ("four small islands").
            if ask.unit in SIZE and not (any(s & ask.named for s in near) or _SIZE_UNIT.match(
                    " ".join(words[i + 1: i + 3]))):
                continue
            # A date or a measure may stand anywhere in a sentence about the question ("The
            # game was played on February 7, 2016, at …"); a count stands by its words.
            about = stems if ask.kind in ("date", "measure") else near
            if any(s & (ask.named | ask.others) for s in about):
                return True
    return False


def _aged(words: list[str], i: int) -> bool:
    """Is the figure words[i] an age: a year ("born in 1952"), a figure of years old ("300
    years old", "a 58-year-old"), or one after "aged"? ("two years late" is not.)"""
    return bool(_YEAR.fullmatch(words[i]) or _AGE.match(" ".join(words[i + 1: i + 3]))
                or _AGE.search(words[i]) or words[max(0, i - 1)].lower() in ("age", "aged"))


def about(text: str, spans: list[tuple[int, int]], words: frozenset[str], share: float
          ) -> list[tuple[int, int]]:
    """The sentences most about the question: holding at least `share` as many of its
    words as the sentence holding the most."""
    spans = spans or [(0, len(text))]
    counts = [len(words.intersection(tokenize(text[a:b]))) for a, b in spans]
    best = max(counts, default=0)
    return [s for s, c in zip(spans, counts, strict=True) if c and c >= share * best]


@cache
def _common(word: str) -> bool:
    return english.zipf(word) >= COMMON_ZIPF


def named_in(question: str) -> frozenset[str]:
    """Stems of the names a question holds: its capitalised words but the first."""
    out: set[str] = set()
    for m in _CAPITAL.finditer(question):
        if not _OPENING.match(question[: m.start()]):
            out.update(tokenize(m.group(0)))
    return frozenset(out)


def names_new(sentence: str, words: frozenset[str]) -> bool:
    """Does the sentence hold a name the question does not?"""
    for m in _CAPITAL.finditer(sentence):
        stems = tokenize(m.group(0))
        if not stems or words.intersection(stems):
            continue
        if _OPENING.match(sentence[: m.start()]) and _common(m.group(0).lower()):
            continue
        return True
    return False


def lists_names(sentence: str, words: frozenset[str]) -> bool:
    """Does the sentence list MIN_LISTED names or more that the question does not hold?"""
    for m in _LIST.finditer(sentence):
        listed = [n for n in re.split(r"\s*,\s*|\s+(?:and|or|&)\s+", m.group(0)) if n]
        new = [n for n in listed if not words.intersection(tokenize(n))]
        if len(new) >= MIN_LISTED:
            return True
    return False


def dates_it(sentence: str, words: frozenset[str]) -> bool:
    """Does the sentence hold a time that dates the question's event? Not one anchored on
    it: the question's words must stand outside the anchors of relative times, or in an
    anchor that holds a date itself ("When Edward returned in 1041, …")."""
    anchors = [m.span("anchor") for m in _RELATIVE.finditer(sentence)]
    rest = sentence
    for a, b in reversed(anchors):
        piece = sentence[a:b]
        if _TIME.search(piece) and words.intersection(tokenize(piece)):
            return True
        rest = rest[:a] + " , " + rest[b:]
    if not anchors and not _TIME.search(sentence):
        return False
    return bool(words.intersection(tokenize(rest)))


def pending(sentence: str, verbs: frozenset[str]) -> bool:
    """Does the sentence say that what the question asks about has not happened yet
    ("still haven't signed", "yet to reach")?"""
    return any(verbs.intersection(tokenize(m.group(1))) for m in _PENDING.finditer(sentence))


def happened(sentence: str, verbs: frozenset[str]) -> bool:
    """Does the sentence report one of the verbs as done or as not done ("signed", "took",
    "did not join")?"""
    if any(verbs.intersection(tokenize(m.group(1))) for m in _DID_NOT.finditer(sentence)):
        return True
    return any((w.endswith("ed") or w in IRREGULAR) and verbs.intersection(tokenize(w))
               for w in re.findall(r"[a-z]+", sentence.lower()))


def holds_other(text: str, spans: list[tuple[int, int]], ask: Asked) -> bool:
    """A name, a time or an outcome, in the sentences most about the question."""
    if ask.kind == "outcome":
        # A passage that says it has not happened yet was written before the outcome; one
        # that never says it happened does not give it.
        sentences = [text[a:b] for a, b in spans or [(0, len(text))]]
        return (not any(pending(t, ask.named) for t in sentences)
                and any(happened(t, ask.named) for t in sentences))
    if ask.kind == "attribute":
        held = set(tokenize(text))
        return bool(held & SUCCESSION) if ask.unit == "succession" else ask.named <= held
    if ask.kind == "name":
        return any(names_new(text[a:b], ask.others)
                   for a, b in about(text, spans, ask.others, NAME_SHARE))
    if ask.kind == "names":
        return any(lists_names(text[a:b], ask.others)
                   for a, b in about(text, spans, ask.others, NAME_SHARE))
    # When the question names someone or something, the passage must hold a word of its
    # event too ("When did Shinzo Abe step down": not a passage where Abe only "began
    # discussions several years ago"). Then any sentence holding one of the question's
    # words (dates_it checks that): no need to rank the sentences first.
    if len(ask.named) >= EVENT_WORDS and not ask.named.intersection(tokenize(text)):
        return False
    return any(dates_it(text[a:b], ask.others) and (
        ask.unit != "first" or bool(_ABSOLUTE.search(text, a, b)))
        for a, b in spans or [(0, len(text))])


def numbered(text: str) -> set[tuple[str, str]]:
    """(word, number) for each small number (1 or 2 digits: not a year or a figure) right
    after a word, nothing between them ("world war 1", "WW1", "game 7", "apollo 11")."""
    stems = [tokenize(w) or [""] for w in _WORDS.findall(text)]
    flat = [t for group in stems for t in group]
    return {(a, b) for a, b in zip(flat, flat[1:], strict=False)
            if a and b.isdigit() and len(b) <= 2 and not a.isdigit()}


def other_number(question: str, text: str) -> bool:
    """Does the passage give another number where the question gives one ("did Japan and
    Russia fight in WW1" against "World War II")? The number names the thing asked about;
    a passage about the thing of another number is about something else, however little
    a bare digit weighs."""
    asked_pairs = numbered(question)
    if not asked_pairs:
        return False
    given = numbered(text)
    return any(any(a == w and b != n for w, n in given) and (a, b) not in given
               for a, b in asked_pairs)


# A passive without its agent ("Putin was offered a division", "the bill was passed"): the
# doer is not named there.
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?([a-z]+)\b"
                      r"(?P<after>[^.;:!?]*)", re.I)


def agentless(sentence: str, words: frozenset[str]) -> bool:
    """Does the sentence say one of the question's verbs was done without saying by whom?"""
    for m in _PASSIVE.finditer(sentence):
        verb = m.group(1).lower()
        if (verb.endswith(("ed", "en")) or verb in IRREGULAR) and words.intersection(
                tokenize(verb)) and not re.search(r"\bby\b", m.group("after"), re.I):
            return True
    return False


def names_no_doer(text: str, spans: list[tuple[int, int]], ask: Asked) -> bool:
    """"Who offered Putin the split?" against "Putin was offered a division …": the sentences
    about the question hold no new name and say what was done without saying who did it. A
    bar, unlike a missing name alone (SQuAD answers "who" with "a doctor", "teachers")."""
    if ask.unit != "who" or holds_other(text, spans, ask):
        return False
    return any(agentless(text[a:b], ask.others)
               for a, b in about(text, spans, ask.others, NAME_SHARE))


def answers_kind(question: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """Can the passage hold the figure, the time or the outcome the question asks for, of
    the numbered thing it names, or the doer a "who" asks for? (A best passage that cannot
    is never *answered*.)"""
    return not other_number(question, text) and all(
        not names_no_doer(text, spans, ask) if ask.kind == "name" else
        (holds_other if ask.kind in OTHER else holds)(text, spans, ask)
        for ask in asked(question))


def answers_type(question: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """Does the passage hold a name a who / where question can be answered with? Weaker
    evidence than a missing figure or time (SQuAD answers "a doctor", "the park": its gold
    paragraph lacks one for 7% of such questions): a feature of the confidence, not a bar."""
    return all(holds_other(text, spans, ask) for ask in asked(question) if ask.kind == "name")
