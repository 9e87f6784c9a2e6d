"""A reader's phrases folded to the words articles use ("when did the talks kick off?" ->
"when did the talks begin?"), in questions only: articles write "began" and "declined"
where readers say "kicked off" and "turned down", and BM25 sees one word at a time.

Only the question is rewritten: the index keeps each article's own words (an article that
says "kicked off" is still found by "kick"), so folding needs no rebuild of the index.
"""

from __future__ import annotations

import re
from functools import cache

from bot.text.words import IRREGULAR, PHRASAL_VERBS, PHRASES

OBJECT_WORDS = 2  # words a particle may stand after its verb ("turned the offer down")
# Quoted words are the reader's citation of the article: left as typed.
_QUOTE = re.compile(r"[\"\u201c\u201d\u00ab\u00bb][^\"\u201c\u201d\u00ab\u00bb]*[\"\u201c\u201d"
                    r"\u00ab\u00bb]|(?<!\w)['\u2018\u2019].+?['\u2019](?!\w)")


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
    others = "|".join(p.replace("_", r"\s+") for p in sorted(PHRASES, key=len, reverse=True))
    pattern = re.compile(
        rf"\b(?P<verb>{verbs})(?P<object>(?:\s+[\w'\u2019-]+){{0,{OBJECT_WORDS}}}?)\s+"
        rf"(?P<particle>{particles})\b|\b(?P<phrase>{others})\b", re.I)
    return pattern, heads


def _fold(m: re.Match, heads: dict[tuple[str, str], str]) -> str:
    if m.group("phrase"):
        return PHRASES["_".join(m.group("phrase").lower().split())].replace("+", " ")
    word = heads.get((m.group("verb").lower(), m.group("particle").lower()))
    if word is None:  # a verb and a particle that make no phrase of the table
        return m.group(0)
    return f"{word.replace('+', ' ')}{m.group('object')}"


def fold_phrases(question: str) -> str:
    """The question with its phrasal verbs and phrases as the plain words of PHRASAL_VERBS
    and PHRASES; quoted words are left as typed."""
    pattern, heads = _table()
    out, last = [], 0
    for q in [*_QUOTE.finditer(question), None]:
        end = q.start() if q is not None else len(question)
        out.append(pattern.sub(lambda m: _fold(m, heads), question[last:end]))
        if q is not None:
            out.append(q.group(0))
            last = q.end()
    return "".join(out)
