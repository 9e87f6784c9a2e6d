"""What a question asks for (`asked`): a figure, a date or a season, a name, a time, a
later outcome, a list of names, an attribute of something named; read from its wording
alone, before any passage is looked at."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from bot import english
from bot.kinds.amounts import CURRENCIES
from bot.kinds.attributes import ATTRIBUTE, WHO, asks_attribute, office_holder
from bot.kinds.patterns import CAPITAL, OPENING, WORDS
from bot.text import IRREGULAR, tokenize

_ASKS = re.compile(
    r"\b(?:how\s+(?:(?P<count>many)|(?P<sum>much)|(?P<measure>big|large|long|far|tall|high|"
    r"old|wide|deep|heavy|fast|quickly|rapidly|slowly|often|small|expensive|hot|cold|warm|"
    r"cheap|low|full|empty|salty|thick|steep))|(?:what|which)\s+(?:exact\s+)?"
    r"(?P<date>year|date|month|decade|century)|(?:what|which)(?:'s|\s+(?:is|was|are|were))?\s+"
    r"(?:the\s+)?(?:best\s+|ideal\s+|right\s+|usual\s+)?(?P<season>time\s+of\s+(?:the\s+)?year|"
    r"(?<=what\s)season|(?<=which\s)season)|(?:what|which)(?:'s|\s+(?:is|was|are|were))\s+"
    r"(?:the\s+)?(?:exact\s+|precise\s+|actual\s+)?(?P<dated>year|date|day|month)\s+(?:of|when|that|"
    r"on which|in which)|(?:what|which)(?:'s|\s+(?:is|was|are|were))?\s+"
    r"(?:the\s+)?(?:total\s+|exact\s+|approximate\s+|current\s+|estimated\s+)?"
    r"(?:(?P<tally>number|population|death toll|headcount)|(?P<quantity>size|height|"
    r"length|width|depth|weight|distance|cost|price|budget|speed|salary|wage|pay))\s+of|"
    # "what salary do the justices earn", "which fees will students pay": a sum of money
    r"(?:what|which)\s+(?P<paid>salar(?:y|ies)|wages?|fees?|fares?|rents?|pensions?|ransoms?))\b"
    r"(?P<rest>(?:(?!\bhow\b)[^?.!])*)",
    re.I,
)
# Things that are sums of money when "how much" is asked of them.
_PRICED = (r"tickets?|fares?|tolls?|fees?|rents?|salar(?:y|ies)|wages?|fines?|loans?|debts?|"
           r"bribes?|ransoms?|compensation|pensions?|bonus(?:es)?|rewards?|budgets?|"
           # sums given or handed out ("how much did the US pledge", "how much is the
           # allowance": a sum of money, not how far)
           r"allowances?|grants?|subsid(?:y|ies)|payouts?|payments?|pledg(?:e|es|ed|ing)|"
           r"donat(?:e|es|ed|ing|ion|ions)|tax(?:es)?|tariffs?|revenues?|profits?")
_AUXILIARY = re.compile(r"\s*(?:do|does|did|is|are|was|were|has|have|had|will|would|can|"
                        r"could|should|might|must)\b")
_MONEY = re.compile(r"\b(?:cost\w*|pay|paid|pays|paying|spend\w*|spent|worth|earn\w*|"
                    r"rais(?:e[ds]?|ing)|charg(?:e[ds]?|ing)|fund\w*|ow(?:e[ds]?|ing)|pric(?:e[ds]?|ing)|sell\w*|sold|"
                    r"buy\w*|bought|valu(?:e[ds]?|ing)|invest\w*|los(?:e|es|ing|t)|sav(?:e[ds]?|ing)|"
                    r"weigh\w*|grow|grew|rise|rose|fall|fell|ask\w*\s+for|demand\w*|offer\w*|bid|"
                    # What is priced: "how much is the ticket", "how much are the fees".
                    rf"{_PRICED})\b")
# "How much would the closures save": money (not "how much water would it save").
_SAVED = re.compile(_AUXILIARY.pattern + r"[^?.!]*\bsav(?:e[ds]?|ing)\b", re.I)
# A sum asked of a price ("how much will the plants cost") is money: "two new plants" is no
# answer, "$2bn" or "2.1 billion" is.
_PRICE = re.compile(r"\b(?:cost\w*|pay|paid|pays|paying|spend\w*|spent|worth|price\w*|fund\w*|"
                    r"budget\w*|money|invest\w*|earn\w*|charg(?:e[ds]?|ing)|ow(?:e[ds]?|ing)|"
                    r"sell\w*|sold|buy\w*|bought|fine[ds]?|ask\w*\s+for|demand\w*|offer\w*|"
                    rf"{_PRICED})\b", re.I)
_SKIP = frozenset("more less fewer other different".split())
# A currency counted ("how many dollars") is a sum of money; not pounds (a weight) nor won.
_CURRENCY = re.compile(rf"(?!(?:pounds?|won)$)(?:{CURRENCIES})", re.I)
_CASUALTY = frozenset("shot slain hurt".split())  # irregular forms of a casualty
# A verb in the past after the thing counted ends it ("how many troops took part", "how many
# people fled the city"): its word is no part of what is counted. (But a death, a wound or an
# arrest is: "how many people died" counts deaths; and a word in "-ed" ends it only before
# what a verb takes, "fled the city", not "state owned firms" or "speed cameras".)
_PAST = re.compile("|".join(sorted({w for w in IRREGULAR if w.isalpha()} - _CASUALTY, key=len,
                                   reverse=True)), re.I)
_PAST_ED = re.compile(r"(?!(?:di|kill|injur|wound|arrest|detain|evacuat|displac|murder|execut|"
                      r"abduct|kidnapp|rescu|shoot|slay)ed)\w{3,}ed", re.I)
_TAKES = frozenset("the a an in into to from at on by for with over their its his her part out "
                   "up down this that these those".split())
# "who / where / when" opening the question (after "so", "ok", "hey" …) or one of its
# clauses ("hey, when did …",
# "Where was Putin when he said …" asks where, not when; "by when must it be paid?" asks
# when).
_WH = re.compile(r"(?:^\W*(?:(?:so|and|but|ok|okay|hey|also|then|wait|um|like)\b\W*)*"
                 r"(?:(?:by|until|till|since|from)\s+)?(?P<wh>who|whom|where|when)"
                 r"(?:'?s)?|(?:[.?!:;,]\s+|\s[-\u2013\u2014]+\s+)"
                 r"\W*(?P<wh2>who|whom|where|when)(?:'?s)?(?=\s+(?:did|does|do|was|were|is|"
                 r"are|will|would|can|could|has|have|had|should)\b))\b", re.I)
_OUTCOME = re.compile(r"\b(?:end(?:ed|s)? up|in the end|eventually|ultimately|wound up|"
                      r"wind up|(?:go|goes|went) on to)\b(?P<rest>[^?.!]*)", re.I)
# A yes / no question ("so did they end up …"): "how did Russia end up with the islands"
# asks how, not for an outcome.
_YES_NO = re.compile(r"(?:^|[.?!:;,]\s+|\s[-\u2013\u2014]+\s+)\W*(?:(?:so|and|but|ok|okay)\s+)?"
                     r"(?:did|do|does|has|have|had|was|were|is|are|will|would)\b", re.I)
# "What are the names of the four islands?" asks for several names: a list of them ("Iturup,
# Kunashir, Shikotan and the Habomais"), not a passage that names other things of the topic.
# ("What names do the Japanese use for them?" may be answered by one name: not a list.)
_NAMES = re.compile(r"\b(?:what|which|list|give|tell)\b(?:(?!\bhow\b)[^?.!])*?\bnames\s+of\b",
                    re.I)
# "How did Shinzo Abe die?": a death, which a passage that names him but no death does not
# tell of.
_DEATH = re.compile(r"\bhow\s+(?:did|was|were|do|does|had|has)\s+(?:[\w'\u2019-]+\s+){1,4}?"
                    r"(?:die|died|killed|assassinated|murdered)\b|\bwhat\s+killed\b|"
                    r"\bcause\s+of\s+(?:his\s+|her\s+|their\s+)?death\b", re.I)
# "When was the forum first held?" asks for a date: "earlier this month" dates the latest one.
_FIRST = re.compile(r"\b(?:first|originally|initially|founded|established)\b", re.I)


def _when_then(not_after: str = "", stop: str = "") -> str:
    """"when" and up to 80 characters of its clause (not past another question word, nor
    `stop`'s words); `not_after`: words that may not follow "when" straight away. Bounded,
    so a question of many "when"s is read in linear time."""
    guard = r"(?!\s+(?:" + not_after + r")\b)" if not_after else ""
    return (r"\bwhen\b" + guard + r"(?:(?!\b(?:which|what|who|whom|whose|where|how" + stop
            + r")\b)[^?.!,;]){0,80}?")


# "When is the next election?": a time ahead, which a passage of past events does not give.
# ("… thrilled this week when the trailer was released for which upcoming remake?" asks
# which.)
_NEXT = re.compile(_when_then() + r"\b(?:next|upcoming|coming)\b", re.I)
# A time ahead of an event ("when will they join", "when is it expected to open", "when's
# the vote due"): any time ahead the passage gives (its words may not be the question's).
# Not a time past of a saying ("when did Putin say he will withdraw").
# So is one asked in the present going on ("when is greenland holding its referendum",
# "when is the summit taking place"; not "when is the meeting", which may be past).
_AHEAD = re.compile(_when_then("did|had", "|said|say|says|told|announced")
                    + r"\b(?:will|(?:expected|due|set|scheduled|slated|going|planned|"
                    r"supposed)\s+to(?!\s+have\b)|gonna|due)\b|"
                    r"\bwhen(?:'s|\u2019s|s|\s+is|\s+are)\s+(?:[\w'\u2019-]+\s+){1,4}?"
                    r"(?:\w{2,}ing\s+(?:its|their|the|a|an|his|her|this|that|our|another|new)\b|"
                    r"(?:taking\s+place|happening|starting|opening|arriving|launching|ending|"
                    r"closing|finishing)\b)", re.I)
# ("when was the war supposed to have ended": a time past.)


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
    traded: frozenset[str] = frozenset()  # "how much coffee does Kenya export": coffee
    holder: frozenset[str] = frozenset()  # whose office: "Turkey's energy minister": turkey;
    # for a saying, who said it ("what did Aliko Dangote say": aliko, dangot)


def asked(question: str) -> list[Asked]:
    """What a question asks for that a passage can be seen to lack: figures ("how big is
    the fleet, like how many subs?": a measure and a count), a name (who, where), a time
    (when), a later outcome; none for most questions."""
    return list(_asked_all(_CHAT_FORMS.sub(r"\1's", question)))


# What someone said ("what did Kast say about the draft", "what did abe tell reporters"):
# not what an article, its author, a text or figures say, which any passage of it does.
_SAYING = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had)\s+(?P<who>[\w'\u2019. -]{2,40}?)\s+(?:say|said|"
    r"tell|told|claim(?:ed)?|argue[d]?|announce[d]?|repl(?:y|ied)|respond(?:ed)?|promise[d]?|"
    r"warn(?:ed)?|declare[d]?|pledge[d]?|vow(?:ed)?)\b(?:\s+(?:about|on|regarding|concerning|of)\s+"
    r"(?P<topic>[^?.!]+))?", re.I)
# ... and whether they said it ("has Benin said if it will join the pact", "did the
# minister confirm that ...", "did zara's owner say anything about the wage", "has he
# commented on it"): a yes / no answered only by their words. (Not whether they responded
# or reacted: an act may answer.)
_SAID_WHETHER = re.compile(
    r"^\W*(?:(?:so|and|but|ok|wait|hey|bot)\W+)*(?:has|have|had|did|does|do)\s+"
    r"(?P<who>[\w'\u2019. -]{2,40}?)\s+(?:said|say|announced?|confirm(?:ed)?|stated?|"
    r"indicated?|signall?ed|hinted|comment(?:ed)?)\s+"
    r"(?:if|whether|that|anything|something|publicly|on)\b", re.I)
_TEXTS = re.compile(r"\b(?:it|article|author|writer|piece|teaser|text|report|story|bit|post|"
                    r"site|treaty|declaration|law|agreement|deal|bill|constitution|draft|decree|"
                    r"ruling|rules?|plan|document|statement|resolution|study|survey|number|"
                    r"figure|data|statistic|poll|satellite|image|result|record|map|chart|"
                    r"count|estimate|evidence|research)s?\b", re.I)


# "Who runs / chairs / heads / leads X", "who is in charge of X": asks for X's head.
_RUNS = re.compile(r"\bwho(?:'?s|\s+is|\s+will)?\s+(?:currently\s+|now\s+|actually\s+|"
                   r"going\s+to\s+)?(?:runs|chairs|heads|leads|running|chairing|heading|leading|"
                   r"run|chair|head|lead|in\s+charge\s+of)\s+(?P<what>[^?.!,;]+)", re.I)
_HEAD_WORD = frozenset(tokenize("head"))
_LEADER_WORDS = frozenset(tokenize("leader chief boss"))
_WHEN_WORDS = frozenset(tokenize("now currently today btw anymore presently these days"))
SPEAKER_ZIPF = 4.0  # a speaker's word this rare in English is a name ("Dangote", "Sandu")


def _speaker(who: str) -> frozenset[str]:
    """The stems of the speaker's name, when the question names one ("what did Aliko Dangote
    say": aliko, dangot), or of its capitalised words when they are all common ("the United
    States government": unit, state; "Washington"); none for "people", "the president",
    "experts", whom a passage names otherwise."""
    words = re.findall(r"[\w'\u2019-]+", who)
    rare = frozenset(t for w in words if english.known_zipf(w.lower()) < SPEAKER_ZIPF
                     for t in tokenize(w))
    return rare or frozenset(t for w in words if w[:1].isupper() for t in tokenize(w))


def _saying(question: str) -> re.Match | None:
    """What someone said, or whether they said something, as asked (not what a text says),
    or None."""
    m = _SAYING.search(question) or _SAID_WHETHER.search(question)
    return m if m and not _TEXTS.search(m.group("who")) else None


# Who won or lost a war, a vote, a match: a passage that tells no win or defeat cannot say.
_WINNER = re.compile(r"\b(?:who|which\s+(?:side|team|party|country|candidate))\s+(?:won|wins|"
                     r"will\s+win|is\s+winning|lost|loses|will\s+lose|is\s+losing)\b", re.I)


# "whats the population of …", "wheres", "whos": chat drops the apostrophe.
_CHAT_FORMS = re.compile(r"\b(what|where|when|who|how|that)s\b", re.I)


# A figure asked for by its noun alone ("estimated cost of the pipeline?", "death toll in
# the floods?"): read as "what is the …".
_BARE_FIGURE = re.compile(r"^\W*(?=(?:the\s+)?(?:(?:total|exact|approximate|current|estimated)\s+)?"
                          r"(?:number|population|death toll|headcount|size|height|length|width|"
                          r"depth|weight|distance|cost|price|budget|speed)\s+of\b"
                          # ... when the noun is all it asks ("Cost of living protests: who
                          # organised them?" asks who)
                          r"(?:(?!\s[-\u2013\u2014]+\s)[^?:;,])*\?*\s*$)", re.I)


@lru_cache(maxsize=64)  # asked for the kind check and for the name feature
def _asked_all(question: str) -> tuple[Asked, ...]:
    question = _BARE_FIGURE.sub("what is ", question, count=1)
    out = [_asked(question, m) for m in _ASKS.finditer(question)
           if not _degree(m) and not _ELLIPTIC.match(m.group("rest"))]
    wh = _WH.search(question)
    if wh and not out:
        word = (wh.group("wh") or wh.group("wh2")).lower()
        words = frozenset(tokenize(question))
        if word == "when":  # the event dated: the words that are not names
            first = "first" if _FIRST.search(question) else (
                "next" if _NEXT.search(question) else "ahead" if _AHEAD.search(question)
                else word)
            out.append(Asked("time", words - named_in(question), words, first))
        else:
            out.append(Asked("name", frozenset(), words, word))
    if _NAMES.search(question):
        out.append(Asked("names", frozenset(), frozenset(tokenize(question))))
    for m in ATTRIBUTE.finditer(question):
        if not asks_attribute(question, m):
            continue
        words = frozenset(tokenize(m.group(0)))
        if any(a.unit == "money" and words <= a.others for a in out):
            continue  # "what is the salary of a justice": the sum of money already asked
        if words <= _LEADER_WORDS:  # "the leader of the Houthis", "Ibama's chief": its head
            words = _HEAD_WORD
        out.append(Asked("attribute", words, frozenset(tokenize(question)) - words,
                         "succession" if m.group("succession") else "",
                         holder=office_holder(question, m) - words
                         if m.group("office") and WHO.search(question) else frozenset()))
    runs = _RUNS.search(question)
    if runs:  # "who runs Novatek": the head of Novatek, as "who is the head of …" asks
        holder = frozenset(tokenize(runs.group("what"))) - _WHEN_WORDS
        if holder:
            out.append(Asked("attribute", _HEAD_WORD, frozenset(tokenize(question)) - holder,
                             holder=holder))
    if _DEATH.search(question):
        out.append(Asked("death", frozenset(), frozenset(tokenize(question))))
    said = _saying(question)
    if said:
        # What it was said about ("about reunification with Romania"): a passage reporting
        # the speaker's words on none of it reports something else they said.
        topic = said.groupdict().get("topic") or ""
        out.append(Asked("saying", frozenset(tokenize(topic)),
                         frozenset(tokenize(question)),
                         holder=_speaker(said.group("who"))))
    if _WINNER.search(question):
        out.append(Asked("winning", frozenset(), frozenset(tokenize(question))))
    rate = _RATE.search(question)
    share = None if rate else _SHARE_OF.search(question)
    if (rate or share) and not any(a.kind in ("count", "sum", "measure") for a in out):
        named = frozenset(tokenize((rate or share).group("what"))) - _RATE_SKIP
        if named:
            out.append(Asked("count", named, frozenset(tokenize(question)) - named,
                             "rate" if rate else "share"))
    outcome = _OUTCOME.search(question)
    if outcome and _YES_NO.search(question[: outcome.start()]):
        # The verb is the first word after "end up" ("… end up signing the treaty"), else
        # any of the question's words ("did the bill eventually pass?").
        words = frozenset(tokenize(question))
        verb = next((t for w in outcome.group("rest").split() for t in tokenize(w)), "")
        out.append(Asked("outcome", frozenset([verb] if verb else words), words))
    return tuple(out)


# ... but "how much is the quota", "how much is it" ask an amount ("how much is Japan
# worried" still asks how far).
_COPULA = re.compile(r"\s*(?:is|are|was|were)\s+(?:the|a|an|this|that|these|those|its|their|"
                     r"his|her|it|one|each)\b")


def _past(word: str, rest: str) -> bool:
    """Is `word` of the counted phrase a verb in the past, with what it takes after it?"""
    if not (_PAST.fullmatch(word) or _PAST_ED.fullmatch(word)):
        return False
    after = re.search(rf"\b{re.escape(word)}\s+([\w'\u2019-]+)", rest)
    return bool(after) and after.group(1).lower() in _TAKES


def _degree(m: re.Match) -> bool:
    """"How much does Japan care …" asks how far, not for a sum: "how much" then a verb,
    and no word of money in the question."""
    if not m.group("sum"):
        return False
    rest = m.group("rest").lower()
    # ("How much is the mackerel quota" asks an amount: "is" names what it is.)
    return bool(_AUXILIARY.match(rest)) and not _COPULA.match(rest) and \
        not _MONEY.search(rest)


def _asked(question: str, m: re.Match) -> Asked:
    # "What is the population of Vladivostok" counts people, "what was the cost of …" asks
    # for a measure, as "how many" and "how big" do.
    kind = "count" if m.group("tally") else "measure" if m.group("quantity") or m.group(
        "paid") else "date" if (
        m.group("dated") or m.group("season")) else next(
        k for k in ("count", "sum", "measure", "date") if m.group(k))
    phrase: list[str] = []
    counted_words: list[str] = []
    for w in WORDS.findall(m.group("rest")):
        stems = tokenize(w)
        if not stems and w.lower() not in _SKIP:
            if phrase:
                break
            continue
        if phrase and _past(w, m.group("rest")):  # "how many troops took part": troops
            break
        phrase += stems
        counted_words += [w] if stems else []
    named = frozenset(phrase)
    dated = (m.group("dated") or "").lower().replace("day", "date")
    unit = "season" if m.group("season") else (
        m.group("date") or dated or m.group("measure") or m.group("quantity") or "").lower()
    if kind == "sum" and (_PRICE.search(m.group("rest")) or _SAVED.match(m.group("rest"))):
        unit = "money"
    if unit in ("cost", "price", "budget", "salary", "wage", "pay") or m.group("paid"):
        kind, unit = "sum", "money"  # "what's the price of lithium": a sum of money
    if kind == "count" and counted_words and all(map(_CURRENCY.fullmatch, counted_words)):
        kind, unit = "sum", "money"  # "how many dollars can people buy": a sum of money
    if kind == "count" and _TOTAL.search(question):
        unit = "total"
    elif kind == "count" and not unit and _EACH.search(question):
        unit = "each"  # "how many would each country get": a share, "two each"
    if kind == "sum" and not unit and _PART_OF.match(m.group("rest")):
        unit = "part"
    traded = named if kind == "sum" and _TRADED.match(m.group("rest")) else frozenset()
    if traded and not unit and _PRODUCED.match(m.group("rest")):
        unit = "produced"  # "how much cotton did Uzbekistan harvest": tonnes, not dollars
    per = _PER.search(m.group("rest")) if kind == "sum" else None
    if per:  # "how much per kWh is Vietnam paying": a price given per kWh
        traded = traded | (frozenset(tokenize(per.group(1))) - _ANY_UNIT)
    return Asked(kind, named, frozenset(tokenize(question)) - named, unit, traded)


# "... and how many after the change?": the thing counted is the one counted before.
_ELLIPTIC = re.compile(r"\s+(?:after|before|now|then|today|since|later|back)\b", re.I)
# "How much of Guyana's land does Venezuela claim": a part of it, said as a share.
_PART_OF = re.compile(r"\s+of\b", re.I)
# "What's Sri Lanka's inflation rate right now?": a figure of that rate, by its own word
# ("inflation fell to 6.2%"), not any figure of a passage about the country.
_RATE = re.compile(r"\b(?:what|which)(?:(?:'s|s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+|its\s+|"
                   r"their\s+|(?:[\w-]+\s+)?[\w-]+['\u2019]s\s+)?|\s+(?=[\w-]+\s+rates?\s+"
                   r"(?:is|was|are|were|does|did|do|will)\b))"
                   r"(?P<what>(?:[\w-]+\s+){1,3}?)"
                   r"rates?\b(?!\s+of\s+change)"
                   r"(?![^?]*\b(?:based on|caused by|due to|related|correlated|linked|"
                   r"relationship)\b)", re.I)
# ("what interest rate is Bolivia paying": the same, its noun first.)
# "What was Ak Jol's share of the vote", "what percentage of voters …": a rate of it.
_SHARE_OF = re.compile(r"\bwhat(?:'s|\u2019s|s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+|its\s+|"
                       r"their\s+|(?:[\w-]+\s+)?[\w-]+['\u2019]s\s+)?(?:share|percentage|"
                       r"proportion|fraction)\s+of\s+(?:the\s+)?(?P<what>[\w-]+(?:\s+[\w-]+)?)",
                       re.I)
_RATE_SKIP = frozenset(tokenize("current latest official average annual new actual real"))
# "How many teachers are there in total?": all of them, which a figure of some does not say.
_EACH = re.compile(r"\b(?:each|apiece)\b", re.I)
_TOTAL = re.compile(r"\b(?:in\s+total|altogether|in\s+all|overall|total\s+number)\b", re.I)
# "How much coffee does Kenya export", "how much gold does the mine produce": a quantity of
# a good, which a passage that never names the good does not give, whatever its sums.
_PRODUCED = re.compile(r"\s*[a-z-]+\s+(?:does|do|did|will|would|can|could|is|are|was|were|has|"
                       r"have|had|may|might|should)\s+[^?.!]{0,40}?\b(?:produc|grow|grew|harvest|"
                       r"catch|caught|mine|mined|pump|extract|refin)\w*", re.I)
_PER = re.compile(r"\bper\s+([a-z][\w-]*)", re.I)
_ANY_UNIT = frozenset(tokenize("unit head person capita piece item one"))  # said otherwise
_TRADED = re.compile(r"\s*[a-z-]+\s+(?:does|do|did|will|would|can|could|is|are|was|were|has|"
                     r"have|had|may|might|should)\s+[^?.!]{0,40}?\b(?:"
                     r"export|import|produc|grow|harvest|catch|sell|sold|buy|bought|mine|"
                     r"consum|ship|refin|extract|pump)\w*", re.I)


def named_in(question: str) -> frozenset[str]:
    """Stems of the names a question holds: its capitalised words but the first."""
    out: set[str] = set()
    for m in CAPITAL.finditer(question):
        if not OPENING.match(question[: m.start()]):
            out.update(tokenize(m.group(0)))
    return frozenset(out)
