"""A reader's phrases given the word articles use ("when did the talks kick off?" -> "when
did the talks begin?"): articles mostly write "began" and "declined" where readers say
"kicked off" and "turned down", and BM25 sees one word at a time.

Only the question is rewritten (no rebuild of the index), and it keeps its own words when
the site uses them: news writes "stepped down" and "in office" as often as readers do (the
news dev set's articles hold 154 phrases of the tables), so there "kick off" asks for
"kick" and "begin" both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from bot.text.tokens import tokenize
from bot.text.words import IRREGULAR, METONYMS, PHRASAL_VERBS, PHRASES, READER_WORDS

OBJECT_WORDS = 2  # words a particle may stand after its verb ("turned the offer down")
# A quoted stretch of a question ("…", «…», '…'; its words in group 1 or 2): the reader's
# citation of the article, left as typed here and looked for word for word (bot/verbatim.py).
QUOTED = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]([^\"\u201c\u201d\u00ab\u00bb]+)"
                    r"[\"\u201c\u201d\u00ab\u00bb]|(?<!\w)['\u2018\u2019](.+?)['\u2019](?!\w)")


# "Geographically speaking", "roughly speaking": a manner of asking, no speech asked about;
# "in the first place": originally, no place and nothing first.
_ASIDE = re.compile(r",?\s*\b\w+ly\s+speaking\b|\s*\bin\s+the\s+first\s+place\b|"
                    # "asking for my tito in the provinces": who asks, not what
                    r"[,.;]?\s*\b(?:just\s+)?asking\s+for\s+(?:a|my|our)\b[^.?!,;]*", re.I)


def inflections(verb: str) -> set[str]:
    """The forms of a plain verb: "wrap" -> wrap, wraps, wrapped, wrapping; irregular past
    forms from IRREGULAR ("take" -> took, taken)."""
    stem = verb[:-1] if verb.endswith("e") else verb
    double = verb + verb[-1] if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", verb) else verb
    forms = {verb, verb + "s", verb + "es", stem + "ed", stem + "ing", double + "ed",
             double + "ing"}
    return forms | {past for past, plain in IRREGULAR.items() if plain == verb}


@cache
def _table() -> tuple[re.Pattern, dict[tuple[str, str], str]]:
    heads: dict[tuple[str, str], str] = {}
    for phrase, word in PHRASAL_VERBS.items():
        verb, particle = phrase.split("_")
        for form in inflections(verb):
            heads[form, particle] = word
    verbs = "|".join(sorted({v for v, _ in heads}, key=len, reverse=True))
    particles = "|".join(sorted({p for _, p in heads}))
    # "a carve-up", "the kick-off": the noun of a phrasal verb is hyphenated.
    others = "|".join(p.replace("_", r"[\s-]+") for p in sorted(PHRASES, key=len, reverse=True))
    pattern = re.compile(  # the phrases first: "took over from" before "took over"
        rf"\b(?P<phrase>{others})\b|\b(?P<verb>{verbs})(?P<object>(?:\s+[\w'\u2019-]+)"
        rf"{{0,{OBJECT_WORDS}}}?)[\s-]+(?P<particle>{particles})\b", re.I)
    return pattern, heads


def _fold(m: re.Match, heads: dict[tuple[str, str], str], known: Callable[[str], bool]) -> str:
    if m.group("phrase"):
        word = PHRASES["_".join(re.split(r"[\s-]+", m.group("phrase").lower()))]
    else:
        word = heads.get((m.group("verb").lower(), m.group("particle").lower()))
        if word is None:  # a verb and a particle that make no phrase of the table; the
            # words after the verb may hold one ("the strike kick off": "kick off")
            text, cut = m.group(0), m.end("verb") - m.start()
            return text[:cut] + _table()[0].sub(lambda n: _fold(n, heads, known), text[cut:])
    word = word.replace("+", " ")
    own = tokenize(m.group("phrase") or m.group("verb"))
    if own and all(map(known, own)):
        return f"{m.group(0)} {word}"
    return f"{word}{m.group('object') or ''}"


# "FY2026", "FY 26": the fiscal year articles spell out.
_FISCAL = re.compile(r"\bFY\s?'?(\d{4}|\d{2})\b", re.I)


def _fiscal_year(m: re.Match) -> str:
    year = m.group(1)
    return "fiscal year " + (year if len(year) == 4 else "20" + year)


def fold_phrases(question: str, known: Callable[[str], bool] = lambda stem: False) -> str:
    """The question with the plain word of PHRASAL_VERBS and PHRASES for each of its phrasal
    verbs and phrases: after it when the site knows its words (`known`, of a stem), else in
    its place (a word no article holds only dilutes the question). Quoted words are left
    as typed."""
    pattern, heads = _table()
    question = _FISCAL.sub(_fiscal_year, _ASIDE.sub("", question))
    return _outside_quotes(question, lambda text: pattern.sub(
        lambda m: _fold(m, heads, known), text))


def _outside_quotes(question: str, fold: Callable[[str], str]) -> str:
    """The question with `fold` applied to its text outside quotes (quoted words are the
    reader's citation, looked for as typed)."""
    out, last = [], 0
    for q in [*QUOTED.finditer(question), None]:
        end = q.start() if q is not None else len(question)
        out.append(fold(question[last:end]))
        if q is not None:
            out.append(q.group(0))
            last = q.end()
    return "".join(out)


@cache
def _reader_words() -> dict[str, tuple[tuple[str, str], ...]]:
    """Stem -> (word, its stem) of the other words of its READER_WORDS groups."""
    out: dict[str, list[tuple[str, str]]] = {}
    for group in READER_WORDS:
        stems = [tokenize(w) for w in group]
        for stem in {s[0] for s in stems if len(s) == 1}:
            out.setdefault(stem, []).extend(
                (w, s[0]) for w, s in zip(group, stems, strict=True)
                if len(s) == 1 and s[0] != stem and (w, s[0]) not in out.get(stem, []))
    return {k: tuple(v) for k, v in out.items()}


_LETTERS = re.compile(r"[A-Za-z]+")


def fold_reader_words(question: str, known: Callable[[str], bool]) -> str:
    """The question with each word no article holds given as the words of its READER_WORDS
    group the site does hold ("who quit" -> "who resign" on a site that writes
    "resigned"); words the site holds, and words of no group, as typed."""
    table = _reader_words()

    def fold(m: re.Match) -> str:
        stems = tokenize(m.group(0))
        if len(stems) != 1 or known(stems[0]) or stems[0] not in table:
            return m.group(0)
        found = {stem: w for w, stem in reversed(table[stems[0]]) if known(stem)}
        return " ".join(reversed(found.values())) if found else m.group(0)

    return _outside_quotes(question, lambda text: _LETTERS.sub(fold, text))


# A people's or a region's adjective and its name, for places the demonym table does not
# hold ("Marovian" and "Marovia", "Tigrayan" and "Tigray", "Kashmiri" and "Kashmir"):
# endings taken off or put on a word the site does not know (readers type in lower case).
_DEMONYM_ENDINGS = (("n", ""), ("an", ""), ("i", ""), ("", "n"), ("", "an"), ("", "i"))
_PLACE_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
DEMONYM_ZIPF = 3.6  # a word this common in English is no place's word ("median", "taxi", "mini");
# places' own are rarer ("Kashmiri" 3.0, "Somali" 3.5, "Transnistria" 2.4)


def fold_demonyms(question: str, known: Callable[[str], bool],
                  zipf: Callable[[str], float]) -> str:
    """The question with each word the site does not know given as the place
    or people's word it does ("the Marovian election" on a site that writes "Marovia");
    `zipf`: a word's frequency in English. Words the site knows are kept."""
    def fold(m: re.Match) -> str:
        word = m.group(0)
        stems = tokenize(word)
        if len(stems) != 1 or known(stems[0]) or zipf(word.lower()) >= DEMONYM_ZIPF:
            return word
        for cut, add in _DEMONYM_ENDINGS:
            if cut and not word.endswith(cut):
                continue
            other = word[: len(word) - len(cut)] + add
            found = tokenize(other)
            if len(found) == 1 and known(found[0]):
                return other
        return word

    return _outside_quotes(question, lambda text: _PLACE_WORD.sub(fold, text))


def fold_capitals(question: str, known: Callable[[str], bool]) -> str:
    """The question with each capital the site never names given as its country ("what does
    the Kremlin want" on a site that only says Russia: "what does the Russia want"). One the
    site names is kept: it is searched as itself and its country (bot/text/tokens.py)."""
    def country(m: re.Match) -> str:
        city = m.group(0).lower()
        if city not in METONYMS or known(tokenize(city)[0]):
            return m.group(0)
        name = METONYMS[city]
        return name.capitalize() if m.group(0)[0].isupper() else name

    return _LETTERS.sub(country, question)


_PERCENT = re.compile(r"\bpercent(?:age)?s?\b|(?<=\d)\s?%", re.I)


def fold_percent(question: str, known: Callable[[str], bool]) -> str:
    """The question's "percentage", "percent" or "%" in the site's own form: "per cent" on a
    site that writes it so (British news), "percent" on one that writes that; as typed on
    one that writes neither, or the reader's own word ("what percentage of …")."""
    def form(m: re.Match) -> str:
        word = tokenize(m.group(0))
        if word and known(word[0]):
            return m.group(0)
        lead = " " if m.group(0).endswith("%") else ""  # "40%": "40 per cent"
        if known("percent"):
            return lead + "percent"
        return lead + "per cent" if known("cent") else m.group(0)

    return _PERCENT.sub(form, question)
