"""What a question names, and whether the site covers it: names and countries, lower-case
words that may be names, years. A question naming what no article mentions asks about what
the site does not cover, whatever else matches (the bars in bot/policy/__init__.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot import english, typos
from bot.index import Index
from bot.policy.weights import CHATTER
from bot.text import COUNTRIES, METONYMS, sentence_spans, tokenize
from bot.typos import zipf as _zipf

# A capitalised word inside a sentence ("the Senkaku Islands", "Sudan") names what the
# question is about: when the best article does not hold it, the question is about something
# else, however many common words match.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'\u2019-]*")
# A name in the possessive ("China's navy", "Biden's plan") is what the question is about,
# wherever it stands: an article without it answers about someone else's navy or plan.
_POSSESSIVE = re.compile(r"\b([A-Z][\w-]*)['\u2019]s\b")
SUBJECT_ZIPF = 5.5  # a capitalised word this common is no name ("Today's", "Let's")
NAME_ZIPF = 5.0  # a name this common may be written otherwise ("America": the United States)
# Abbreviations of common nouns, typed in capitals but no names: an article may write "a
# lawmaker" for the reader's "MP", "the economy's output" for "GDP".
_GENERIC = frozenset("""mp mps gdp gnp vat ngo ngos lng lpg ev evs ipo hq tv pr hr gmo gmos sme
    smes fdi cpi pm pms ceo ceos cfo fx""".split())
_GENERIC_STEMS = frozenset(tokenize(" ".join(_GENERIC)))
_ALIASED = frozenset(tokenize("america britain england europe"))  # often named otherwise
# Countries a site names in other words than the reader's capitals.
_US = (("america",), ("unit", "state"), ("u",))  # "u": the "U.S." of news style
_UK = (("britain",), ("unit", "kingdom"), ("england",), ("scotland",), ("wales",))
_OTHER_NAMES = {
    "us": _US, "usa": _US, "america": _US, "uk": _UK, "gb": _UK, "britain": _UK,
    "tory": (("conserv",),), "tories": (("conserv",),),
}


def _other_names(word: str) -> tuple[tuple[str, ...], ...]:
    """The stems of the other names a name goes by ("US", "U.S.": America, the United
    States)."""
    return _OTHER_NAMES.get(word.lower().replace(".", ""), ())


# Capitalised but no name to look for in the article: a weekday or a month ("on Wednesday":
# the article says "Feb. 12", or no date at all), a continent's adjective ("which European
# nation": the article names Italy).
_INCIDENTAL = frozenset(tokenize(
    "monday tuesday wednesday thursday friday saturday sunday january february april june "
    "july august september october november december european african asian"))
# A run of capitalised words inside a sentence ("House Speaker Nancy Pelosi", "New York
# City", "Texas-Mexico"): one name, however many words.
_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'\u2019-]*(?:[ \t]+[A-Z][\w'\u2019-]*)*")
_HYPHEN = re.compile(r"[-\u2010\u2011]")
# The reader's own context before the question ("Ok so I've been following the Balkans a
# bit, does Montenegro use the euro?"): what it names is not what is asked about.
_OWN_CONTEXT = re.compile(
    r"[^?,]*\b(?:i|i'm|im|i've|ive|i'd|my|me)\b[^?,]*,\s*(?=(?:so\s+|but\s+|and\s+)?"
    r"(?:who|whom|whose|what|whats|what's|which|when|where|why|how|is|are|was|were|do|does|"
    r"did|can|could|would|will|should|has|have|had)\b)", re.I)
_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b")  # "the 1980s" too
# A word typed in lower case that English seldom uses and that is not inflected or derived
# as a verb, an adjective, an adverb or an abstract noun ("hokkaido", "yalta", "gallium",
# "mpox"): a place, a thing, a name the reader did not capitalise. ("lowballing",
# "perennially", "conscription" are the reader's own words for what an article says.)
_LOWER = re.compile(r"(?<![\w'\u2019-])[a-z]{3,}(?![\w'\u2019-])")
_INFLECTED = re.compile(r"(?:ing|ed|ly|is(?:e|es|ed)|iz(?:e|es|ed)|able|ible|ous|ful|ive|ic|al|"
                        r"ish|less|ness|ment|er|est|s|tion|sion|ance|ence|ancy|ency|ity|ism|"
                        r"ist|ship|hood|ure|ery)$")
THING_ZIPF = 3.0
# The community the bot serves, named as the place the reader asks in.
COMMUNITY = re.compile(r"\b(?:this|our|ur|the)\s+(?:discord(?:\s+server)?|server|channel|"
                       r"guild)\b|\b(?:with|use|using|in|of|does|can|is)\s+(?:this|the|ur|your)"
                       r"\s+bot\b", re.I)


@cache
def _known_zipf(word: str) -> float:
    return english.known_zipf(word)


def name_stems(question: str) -> frozenset[str]:
    """Stems of the capitalised words inside the question's sentences (names, mostly), and
    of the countries it names however it is typed ("are china and japan in a dispute");
    not those of the reader's own context before it (`_own_context_end`)."""
    question = question[_own_context_end(question):]
    out: set[str] = set()
    for m in _NAME.finditer(question.strip()):
        out.update(tokenize(m.group(0)))
    out.update(t for t in tokenize(question) if t in COUNTRIES)
    return frozenset(out - CHATTER - _GENERIC_STEMS)


def written_as_names(question: str, text: str) -> frozenset[str]:
    """Stems of the words the reader typed in lower case that the passage writes as names,
    capitalised inside its sentences and never in lower case ("what did abe have for
    breakfast": "President Abe"): a reader seldom capitalises, the site does."""
    typed = set(_LOWER.findall(question))
    if not typed:
        return frozenset()
    written = {_POSSESSIVE_END.sub("", m.group(0)).lower() for m in _NAME.finditer(text)}
    plain = set(_LOWER.findall(text))
    return frozenset(t for w in typed & written - plain for t in tokenize(w)) - CHATTER


_POSSESSIVE_END = re.compile(r"['\u2019]s$")


def names_dropped(question: str, before: set[str], first: set[str]) -> bool:
    """Does a passage put first (whose terms are `first`) lack a name that the one it
    displaced (`before`) held? The names of the question's last sentence, where it asks
    ("The Senate passed the bill. How many Republicans backed it?": the passages are of one
    article, which names the Senate), each run of them held by any of its words ("Stanley
    Cup" for "the NHL Stanley Cup Finals"), and the words typed in lower case that may be
    names (`_thing`: "north jeolla")."""
    spans = sentence_spans(question) or [(0, len(question))]
    asked = [(a, b) for a, b in spans if "?" in question[a:b]] or spans
    asking = question[slice(*asked[-1])]
    runs = [[t for w in words for t in tokenize(w)] for words in _name_runs(asking)]
    runs += [tokenize(w) for w in _LOWER.findall(asking) if _thing(w)]
    return any(set(run) & before and not set(run) & first for run in runs)


@cache
def _thing(word: str) -> bool:
    """Might the lower-case word be a name or a thing (`_LOWER`)? Kept: questions repeat
    their words."""
    return not _INFLECTED.search(word) and _known_zipf(word) < THING_ZIPF and not _compound(word)


def _compound(word: str) -> bool:
    """Is the word two English words run together ("doghouse", "superband")? A coinage of
    the reader's, no name."""
    return any(_known_zipf(word[:i]) >= THING_ZIPF and _known_zipf(word[i:]) >= THING_ZIPF
               for i in range(3, len(word) - 2))


def _own_context_end(question: str) -> int:
    """Where the reader's first-person context before the question ends (0: none, or when
    the question after it names nothing itself: "I was reading about Greenland, who owns
    it now?" asks about Greenland)."""
    m = _OWN_CONTEXT.match(question)
    return m.end() if m and _NAME.search(question[m.end():].strip()) else 0


def unknown_name(index: Index, question: str, tokens: list[str] | None = None) -> bool:
    """Does the question name something or a year no article mentions ("what did Abe say
    about North Korea")? Then it asks about what the site does not cover, whatever else
    matches. Names as `name_stems` finds them, each part of a hyphenated one on its own
    ("Japan-Russia"), typos corrected; not names common in English ("America": the site may
    say "the United States"), unless typed in capitals ("US"); and years ("the 1956
    declaration"). `tokens`: the question's tokens as `correct_typos` corrected them (the
    corrections are read from them, not looked for again: that search is over the whole
    vocabulary)."""
    asking = question[_own_context_end(question):]  # "I've been following the Balkans, …"
    parts = [p for m in _NAME.finditer(asking.strip()) for p in _HYPHEN.split(m.group(0))]
    years = _YEAR.findall(asking)  # "the 1956 declaration": a year names an event too
    countries = _countries(index, question, tokens or tokenize(question))
    # ("evr", "abot": a letter dropped from "ever", "about", no name)
    things = [w for w in _LOWER.findall(asking) if _thing(w) and not typos.dropped_letter(w)]
    subject = _lower_subject(asking)
    if subject and subject not in things:  # "did biden meet putin": no English word there
        things.append(subject)
    if not (parts or years or countries or things):  # most questions: nothing to look up
        return False
    raw = tokenize(question)
    fixed = dict(zip(raw, tokens, strict=True)) if tokens and len(tokens) == len(raw) else {}
    for word in things:
        stems = [fixed.get(t, t) for t in tokenize(word) if t not in CHATTER]
        if stems and not any(t in index.vocab or typos.near_known(index, t) for t in stems):
            return True
    parts += countries
    for part in parts + years:
        if part.lower() in _GENERIC:
            continue
        if part in years or part in countries and part not in _ALIASED:
            pass  # a year, a country: names however common ("what about China")
        elif _known_zipf(part.lower()) >= NAME_ZIPF and not part.isupper():
            continue  # (not "US" or "PM": names typed in capitals)
        stems = [fixed.get(t, t) for t in tokenize(part) if t not in CHATTER]
        if any(all(t in index.vocab for t in alias) for alias in _other_names(part)):
            continue  # "US" on a site that says "American" or "the United States"
        known = [t in index.vocab for t in stems]
        # "UK" (united kingdom) is known when both its words are; "Moscow" (moscow, russia)
        # when either is.
        if stems and not (any(known) if part.lower() in METONYMS else all(known)):
            return True
    return False


def _countries(index: Index, question: str, tokens: list[str]) -> list[str]:
    """The countries among the question's tokens, but not one only its capital stands for
    when the site names that capital: an article on Bogotá need never say Colombia."""
    implied, named = set(), set()
    for word in question.split():
        stems = tokenize(word)
        if len(stems) == 2 and stems[1] in COUNTRIES and stems[0] not in COUNTRIES \
                and stems[0] in index.vocab:
            implied.add(stems[1])
        else:
            named.update(stems)
    return [t for t in tokens if t in COUNTRIES and (t not in implied or t in named)]


def _name_runs(question: str) -> list[list[str]]:
    """The question's names as runs of capitalised words, each hyphenated part a word of its
    own ("Trump-era": Trump; "Israel-Hamas": Israel, Hamas), without the incidental ones;
    a country typed in lower case is a run of its own."""
    asking = question[_own_context_end(question):].strip()
    runs, seen = [], set()
    for m in _NAME_RUN.finditer(asking):
        words = [p for w in m.group(0).split() for p in _HYPHEN.split(w)
                 if p[:1].isupper() and p.lower() not in _GENERIC
                 and set(tokenize(p)) - CHATTER - _INCIDENTAL]
        if words:
            runs.append(words)
            seen.update(t for w in words for t in tokenize(w))
    runs += [[t] for t in dict.fromkeys(tokenize(asking)) if t in COUNTRIES and t not in seen]
    return runs


def name_aliases(question: str) -> set[str]:
    """The stems of the other names the question's names go by (`_OTHER_NAMES`), for
    `missing_names` to be told which an article holds."""
    return {t for words in _name_runs(question) for w in words
            for alias in _other_names(w) for t in alias}


def missing_names(question: str, weights: dict[str, float], held: set[str]) -> float:
    """The weight of the names the question gives that an article (whose terms among the
    question's are `held`) does not hold. A run of words is one name, held when its last or
    its rarest word is ("Nancy Pelosi" by "Pelosi", "New York City" by "York"), or another
    name for it ("US": "America", "the United States", "U.S."); a hyphenated one by its
    parts ("Texas-Mexico border": Texas and Mexico, never the run-together
    "texasmexico")."""
    missing = 0.0
    for words in _name_runs(question):
        stems = [[t for t in tokenize(w) if t not in CHATTER] for w in words]
        rarest = min(range(len(words)), key=lambda i: _known_zipf(words[i].lower()))
        if any(_held(words[i], stems[i], held) for i in {rarest, len(words) - 1}):
            continue
        missing += sum(weights.get(t, 0.0) for part in stems for t in part if t not in held)
    return missing


def _held(word: str, stems: list[str], held: set[str]) -> bool:
    return bool(stems) and all(t in held for t in stems) or any(
        all(t in held for t in alias)
        for alias in _other_names(word))


# A figure the question gives ("recalled 2.9 million vehicles", "arrested 31 men", "$26
# million"), not one inside a name ("Covid-19", "COP27", "iOS-16"), an ordinal ("the 24th
# state") or a year (`year_elsewhere` reads those).
_FIGURE = re.compile(r"(?<![\w.,\u2010-])(\d[\d,]*(?:\.\d+)?)(?!\w)")
_A_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")  # as written: "1,000" is no year
_WRITTEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def figures(question: str) -> list[str]:
    """The figures the question gives, commas dropped ("1,000" is "1000"), years not."""
    out = [m.group(1).rstrip(",") for m in _FIGURE.finditer(question)]
    return [f.replace(",", "") for f in out if not _A_YEAR.fullmatch(f)]


def figures_missing(given: list[str], texts: Iterable[str]) -> float:
    """The share of the figures a question gives (`figures`) that an article's texts never
    write: "which automaker recalled 2.9 million vehicles" of an article on a recall of 1.3
    million is about another recall, however many words match."""
    if not given:
        return 0.0
    written = {m.group(0).rstrip(",").replace(",", "") for text in texts
               for m in _WRITTEN.finditer(text)}
    return sum(f not in written for f in given) / len(given)


def year_elsewhere(index: Index, question: str, article: int) -> bool:
    """Does the question name a year its best passage's article never mentions ("who won
    the election in 2019" of an article on the 2024 one)? The site may mention it
    elsewhere: `unknown_name` reads the whole site."""
    years = [t for y in _YEAR.findall(question) for t in tokenize(y)]
    known = [t for t in years if t in index.vocab]
    return len(known) < len(years) or bool(known) and not set(known) <= index.article_terms(
        known, article)


def subject_stems(question: str) -> frozenset[str]:
    """Stems of the names the question holds in the possessive ("How big is China's navy"
    -> {"china"}): the subject of the question."""
    out: set[str] = set()
    for m in _POSSESSIVE.finditer(question):
        if _zipf(m.group(1).lower()) < SUBJECT_ZIPF:
            out.update(tokenize(m.group(1)))
    return frozenset(out - CHATTER)


# A yes / no question's subject: its first word after the auxiliary ("has the African Union
# suspended …": African; "does Tesla buy …": Tesla).
_YES_NO_SUBJECT = re.compile(
    r"^\W*(?:(?:so|ok|okay|and|but|hey|wait)\W+)*(?:has|have|is|are|was|were|does|do|did|"
    r"will|would|can|could)\s+(?:(?:the|a|an|any|there)\s+)*(?P<subject>[\w'\u2019-]+)", re.I)
YES_NO_NAME_ZIPF = 4.0  # a yes / no question's subject this rare in English is a name


def _lower_subject(question: str) -> str | None:
    """A yes / no question's subject typed in lower case that English seldom uses as a word,
    uninflected ("did biden meet putin", "does zelensky …"): a name the reader did not
    capitalise, found in a subject's place with a laxer bar than `_thing`'s ("biden" is
    commoner in English than most words typed in lower case)."""
    m = _YES_NO_SUBJECT.match(question)
    word = m.group("subject") if m else ""
    if not (word.isascii() and word.isalpha() and word.islower() and len(word) >= 3):
        return None
    if question[m.end():m.end() + 1] == "/":  # "is jasmine/fragrant rice …": either may be said
        return None
    rare = _known_zipf(word) < YES_NO_NAME_ZIPF and not _INFLECTED.search(word)
    return word if rare and not _compound(word) else None


# A question word's subject, a name typed in capitals ("how much lithium does Argentina
# produce": Argentina; "when did Mali leave": Mali).
_WH_SUBJECT = re.compile(
    r"^\W*(?i:(?:(?:so|ok|okay|and|but|hey|wait)\W+)*(?:how\s+(?:much|many)(?:\s+[\w'\u2019-]+)"
    r"{0,3}?|(?:what|which)(?:\s+[\w'\u2019-]+){0,2}?|where|when|why|how)\s+(?:does|did|do|"
    r"has|have|had|is|are|was|were|will|would|can|could)\s+(?:the\s+)?)"
    # (not a possessive: "when did Moldova's talks begin" asks of the talks)
    r"(?P<subject>[A-Z][\w-]*+)(?!['\u2019]s\b)")


def subject_elsewhere(index: Index, question: str, passage: int) -> bool:
    """Does a yes / no question's subject go unsaid in its best passage, or a question
    word's subject named in capitals? ("has the African Union suspended Guinea-Bissau too?"
    of a passage on ECOWAS suspending it; "how much lithium does Argentina produce" of one
    on Bolivia's.) Then the passage says what someone else did."""
    m = _YES_NO_SUBJECT.match(question) or _WH_SUBJECT.match(question)
    if not m:
        return False
    word = m.group("subject")
    # A name (a country, or a word English seldom uses), not "people" or "locals", which a
    # passage says in its own words ("residents").
    said = [t for t in tokenize(word) if t in index.vocab and t not in CHATTER
            and (t in COUNTRIES or _known_zipf(word.lower()) < YES_NO_NAME_ZIPF)]
    aliases = _other_names(word) if word.isupper() else ()
    if aliases:  # "how much did the US pledge": the US however the passage writes it
        known = [t for t in [*tokenize(word), *(t for a in aliases for t in a)]
                 if t in index.vocab]
        held = index.terms_in(known, passage)
        return not any(all(t in held for t in names)
                       for names in [tuple(tokenize(word)), *aliases])
    if not said:
        return False
    return not index.terms_in(said, passage)
