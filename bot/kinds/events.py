"""Whether a passage gives what is not a figure: a name (who, where), a list of names, a
time that dates the question's event, a later outcome, a saying, an attribute (its check:
bot/kinds/offices.py); and the bars on another numbered thing ("WW1" against "World War
II") and on a doer left unnamed."""

from __future__ import annotations

import re
from functools import cache

from bot import english
from bot.kinds.offices import holds_office, names_holder
from bot.kinds.patterns import CAPITAL, MONTH, OPENING, ORDINAL, WORDS
from bot.kinds.questions import Asked
from bot.text import IRREGULAR, tokenize

COMMON_ZIPF = 4.5
# A name answering who / where stands in a sentence holding at least half as many of the
# question's words as the best one. (A date may stand in any sentence holding one of them:
# "Around 1294, a French version was prepared"; SQuAD gold paragraphs pass for 96% of
# "when" questions so, 94% when it must hold a third as many as the best.)
NAME_SHARE = 0.5
# An event of this many words or more ("step down as leader") none of which the passage holds
# is not what it dates (one word alone is too often paraphrased: "founded", "established").
EVENT_WORDS = 2
OTHER = ("name", "time", "outcome", "names", "attribute", "death", "saying", "winning")
# A win or a defeat told of: "won", "victory", "defeated", "surrendered", "lost the vote",
# "elected" (an election won: "voters elected Dana Okonkwo-Reyes as president");
# a prize given ("was awarded the Nobel Prize", "named MVP").
_WON = re.compile(r"\b(?:w(?:on|in|ins|inning|inners?)|victor(?:y|ies|ious|s)?|defeat(?:s|ed)?|"
                  r"beat(?:s|en)?|lost|los(?:e|es|ing)|surrender(?:s|ed)?|triumph(?:s|ed)?|"
                  r"conquer(?:s|ed)?|prevail(?:s|ed)?|capitulat(?:e|ed|ion)|landslide|"
                  r"award(?:s|ed)?|receiv(?:e|es|ed)|earn(?:s|ed)?|named|honou?r(?:s|ed)?|"
                  r"clinch(?:es|ed)?|secur(?:e|es|ed)|champions?|titles?|medals?|"
                  r"retreat(?:s|ed)?|repel(?:s|led)?|routed|(?:re-?)?elected|unseated|ousted|"
                  r"voted\s+(?:in|out))\b", re.I)
# Speech reported: a verb of saying, or words quoted.
_SAID = re.compile(
    # (not "state" or "demand": nouns as often, "the state oil company", "petrol demand")
    r"\b(?:sa(?:y|ys|id|ying)|t(?:ell|ells|old)|stat(?:ed|ing|ement)|claim(?:s|ed)?|"
    r"argu(?:e|es|ed|ing)|warn(?:s|ed)?|announc(?:e|es|ed|ing)|declar(?:e|es|ed|ing)|"
    r"insist(?:s|ed)?|add(?:s|ed)|not(?:e|es|ed)|call(?:s|ed)|describ(?:e|es|ed)|"
    r"confirm(?:s|ed)?|ask(?:s|ed)|repl(?:y|ies|ied)|urg(?:e|es|ed)|promis(?:e|es|ed)|"
    r"pledg(?:e|es|ed)|vow(?:s|ed)?|den(?:y|ies|ied)|admit(?:s|ted)?|acknowledg(?:e|es|ed)|"
    r"accus(?:e|es|ed)|critici[sz](?:e|es|ed)|prais(?:e|es|ed)|suggest(?:s|ed)?|"
    r"explain(?:s|ed)?|sp(?:eak|eaks|oke|eaking)|remarks?|interview|according\s+to|"
    r"recall(?:s|ed)?|predict(?:s|ed)?|demanded|respond(?:s|ed)?|"
    # reactions are sayings too ("rights groups condemned the detentions")
    r"condemn(?:s|ed)?|denounc(?:e|es|ed)|welcom(?:e|es|ed)|hail(?:s|ed)?|slam(?:s|med)?|"
    r"dismiss(?:es|ed)?)\b|"
    r"[\"\u201c\u201d]", re.I)
# A list of names ("Iturup, Kunashir, Shikotan and the Habomais"): what "what are the names
# of …" asks for (bot/kinds/questions.py).
_PROPER = r"[A-Z][\w'\u2019-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'\u2019-]*)*"
_LIST = re.compile(rf"{_PROPER}(?:\s*,\s*{_PROPER})*\s*,?\s+(?:and|or|&)\s+(?:the\s+)?{_PROPER}|"
                   rf"{_PROPER}(?:\s*,\s*{_PROPER}){{2,}}")
MIN_LISTED = 2
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PERIOD = (r"(?:day|week|weekend|month|year|decade|century|season|spring|summer|autumn|fall|"
           r"winter|morning|afternoon|evening|night|quarter|term)s?")
# A date or a time, absolute or relative to now ("in 1945", "last week", "two years ago").
_TIME = re.compile(
    rf"\b(?:1\d{{3}}|20\d{{2}})s?\b|\b{MONTH}\b|\b{_WEEKDAY}\b|{ORDINAL} century|"
    rf"\b(?:in|of|by|from|to|around|circa|c\.) \d{{3,4}}\b|"
    rf"\b(?:ago|yesterday|today|tonight|tomorrow|now|currently|recently|formerly|"
    rf"previously|once|then|later|earlier|soon|meanwhile)\b|"
    rf"\b(?:this|last|next|that|the same|the following|the previous|the coming|the past|"
    rf"early|late|mid|the end of|the end of the|the start of|the start of the|the) {_PERIOD}\b"
)
_ABSOLUTE = re.compile(rf"\b(?:1\d{{3}}|20\d{{2}})s?\b|\b{MONTH}\b|{ORDINAL} century")
# A time ahead, as a passage gives the next one of something.
_AHEAD = re.compile(r"\b(?:will|shall|due|scheduled|slated|expect(?:s|ed|ing)?|planned|upcoming|"
                    r"next|projected|forecast|predicted|set\s+(?:to|for)|"
                    r"(?:is|are)\s+to\s+be)\b|['\u2019]ll\b", re.I)
_ORDER_WORDS = frozenset(tokenize("first next upcoming coming originally initially"))
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
# A decision against it is an outcome too, whatever its verb ("did UNESCO end up putting
# Venice on the list?": "the committee decided against the listing").
_DECIDED_AGAINST = re.compile(
    r"\b(?:decided|voted|ruled|came down)\s+against\b|\b(?:decided|chose|opted|voted)\s+not\s+"
    r"to\b|\b(?:rejected|refused|declined|scrapped|shelved|abandoned|vetoed|overturned|"
    r"struck down|voted down|ruled out)\b|"
    # ... or a withdrawal ("SoftBank pulled out in 2022": it never put the money in).
    r"\b(?:pull(?:ed|s)?|back(?:ed|s)?|dropp(?:ed)?|drops?)\s+out\b|\bwithdr[ea]w\w*|"
    r"\bwalk(?:ed|s)?\s+away\b", re.I)


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
    return english.known_zipf(word) >= COMMON_ZIPF


def names_new(sentence: str, words: frozenset[str]) -> bool:
    """Does the sentence hold a name the question does not?"""
    for m in CAPITAL.finditer(sentence):
        stems = tokenize(m.group(0))
        if not stems or words.intersection(stems):
            continue
        if OPENING.match(sentence[: m.start()]) and _common(m.group(0).lower()):
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
        if (_TIME.search(piece) or _dated_after(sentence, b)) and words.intersection(
                tokenize(piece)):
            return True
        rest = rest[:a] + " , " + rest[b:]
    if not anchors and not _TIME.search(sentence):
        return False
    return bool(words.intersection(tokenize(rest)))


def _dated_after(sentence: str, end: int) -> bool:
    """Does a time follow the anchor straight away ("three years since Tunisia reached the
    agreement, in October 2022": it dates the anchor's event)?"""
    lead = _LEAD_IN.match(sentence, end)
    return bool(_TIME.match(sentence, lead.end() if lead else end))


_LEAD_IN = re.compile(r"[\s,]*(?:(?:in|on|by)\s+)?", re.I)


def pending(sentence: str, verbs: frozenset[str]) -> bool:
    """Does the sentence say that what the question asks about has not happened yet
    ("still haven't signed", "yet to reach")?"""
    return any(verbs.intersection(tokenize(m.group(1))) for m in _PENDING.finditer(sentence))


def happened(sentence: str, verbs: frozenset[str]) -> bool:
    """Does the sentence report one of the verbs as done or as not done ("signed", "took",
    "did not join"), or a decision against it ("decided against", "rejected")?"""
    if any(verbs.intersection(tokenize(m.group(1))) for m in _DID_NOT.finditer(sentence)):
        return True
    if _DECIDED_AGAINST.search(sentence):
        return True
    return any((w.endswith("ed") or w in IRREGULAR) and verbs.intersection(tokenize(w))
               for w in re.findall(r"[a-z]+", sentence.lower()))


# A death told of, however: "died", "was shot dead", "his assassination", "passed away".
_DIED = re.compile(r"\b(?:di(?:e|ed|es|ing)|dead|deaths?|kill\w*|assassinat\w*|murder\w*|"
                   r"fatal\w*|funeral|passed\s+away|perish\w*|lost\s+(?:his|her|their)\s+"
                   r"(?:lives?|life)|executed|suicide|drown\w*)\b", re.I)
_OPENS_WITH_PRONOUN = re.compile(r"\W*(?:he|she|they|it)\b", re.I)


def _spoken_by(text: str, spans: list[tuple[int, int]], speaker: frozenset[str]) -> bool:
    """Does a sentence report speech of the speaker: naming one of their words, or opening
    with a pronoun after one that does ("Dangote's refinery … . He said …")? Without a
    speaker, any reported speech."""
    spans = spans or [(0, len(text))]
    named_before = False
    for a, b in spans:
        sentence = text[a:b]
        names = bool(speaker) and names_holder(speaker, set(tokenize(sentence)))
        if _SAID.search(sentence) and (not speaker or names or (
                named_before and _OPENS_WITH_PRONOUN.match(sentence))):
            return True
        named_before = names
    return False


def said_about(text: str, spans: list[tuple[int, int]], ask: Asked, title: str) -> bool:
    """Does the passage report the speaker's speech and name half of what it was about, at
    least, itself or in `title` ("the minister said …" of the reservoir, under "Ethiopia's
    Nile Dam talks collapse")?"""
    return _spoken_by(text, spans, ask.holder) and 2 * len(ask.named.intersection(
        tokenize(f"{title}\n{text}"))) >= len(ask.named)


def holds_other(text: str, spans: list[tuple[int, int]], ask: Asked, title: str = "") -> bool:
    """A name, a time or an outcome, in the sentences most about the question. `title`: the
    passage's article's (an office's holder may be named only there)."""
    if ask.kind == "outcome":
        # A passage that says it has not happened yet was written before the outcome; one
        # that never says it happened does not give it.
        sentences = [text[a:b] for a, b in spans or [(0, len(text))]]
        return (not any(pending(t, ask.named) for t in sentences)
                and any(happened(t, ask.named) for t in sentences))
    if ask.kind == "death":
        return bool(_DIED.search(text))
    if ask.kind == "saying":  # ... and half of what it was said about, at least
        return said_about(text, spans, ask, "")
    if ask.kind == "winning":
        return bool(_WON.search(text))
    if ask.kind == "attribute":
        return holds_office(text, spans, ask, title)
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
    # A question typed in lower case names no one to `asked`: the passage's own names ("Abe"
    # in "when did shinzo abe step down") are who, not what happened.
    event = ask.named - names_in(text)
    if len(event) >= EVENT_WORDS and not event.intersection(tokenize(text)):
        return False
    # A first time ("when did the Northfield library first open") is dated in a sentence
    # that tells of the event, not one that only names the place ("a knitting group that has
    # met there since 1996"). (The next one: `dates_ahead`.)
    if ask.unit != "first":
        return any(dates_it(text[a:b], ask.others) for a, b in spans or [(0, len(text))])
    return _dated_by(text, spans, ask, _ABSOLUTE)


def _dated_by(text: str, spans: list[tuple[int, int]], ask: Asked, dated: re.Pattern) -> bool:
    """Does a sentence date the event with a time of this kind (`dated`) and tell of it (a
    word of the question's that the passage does not write as a name)?"""
    told = ask.others - names_in(text) - _ORDER_WORDS
    return any(dates_it(text[a:b], ask.others) and bool(dated.search(text, a, b))
               and bool(told.intersection(tokenize(text[a:b])))
               for a, b in spans or [(0, len(text))])


def dates_ahead(ask: Asked, text: str, spans: list[tuple[int, int]]) -> bool:
    """The next time of something ("when is the next presidential election") is given by a
    time ahead ("due in 2027", "will be held in May") in a sentence of the event, not by a
    past one."""
    return _dated_by(text, spans, ask, _AHEAD)


def gives_time_ahead(text: str, spans: list[tuple[int, int]]) -> bool:
    """Does a sentence give a time ahead ("the turbines will be running by 2031", "is
    projected to be exhausted by 2055")?"""
    return any(_AHEAD.search(text, a, b) and _TIME.search(text, a, b)
               for a, b in spans or [(0, len(text))])


def names_in(text: str) -> frozenset[str]:
    """Stems of the words a passage writes capitalised (inside its sentences, or opening one
    when they are no common English word) and never in lower case (names: "Abe", not the
    "Islands" of "the Kuril Islands" and "four islands")."""
    out: set[str] = set()
    for m in CAPITAL.finditer(text):
        before = text[: m.start()].rstrip()
        opening = not before or before[-1] in ".!?\"\u201c\u201d'\u2018\u2019:("
        if not opening or not _common(m.group(0).lower()):  # "Hun Manet met …", not "The"
            out.update(tokenize(m.group(0)))
    return frozenset(out - set(tokenize(CAPITAL.sub(" ", text))))


def numbered(text: str) -> set[tuple[str, str]]:
    """(word, number) for each small number (1 or 2 digits: not a year or a figure) right
    after a word, nothing between them ("world war 1", "WW1", "game 7", "apollo 11")."""
    stems = [tokenize(w) or [""] for w in WORDS.findall(text)]
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
