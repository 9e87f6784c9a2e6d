"""Whether a passage gives an attribute asked of something ("who is the president of
Kessa", "who heads the court", "who succeeded Abe", "what's the capital of Japan"): the
attribute's word, and for an office, whose office it is and who holds it, named together."""

from __future__ import annotations

import re

from bot.kinds.patterns import MONTH, WORDS
from bot.kinds.questions import Asked
from bot.text import COUNTRIES, tokenize

# Who came after or before whom, however it is put.
SUCCESSION = frozenset(tokenize("succeed successor predecessor replace"))
# ... also as a place taken ("Russian instructors have taken their place"; "took over the
# wall" is no succession).
_TOOK_PLACE = re.compile(r"\b(?:take|takes|took|taken|taking)\s+(?:their|its|his|her|the)\s+"
                         r"place\b|\bin\s+(?:their|its|his|her)\s+place\b", re.I)
HEAD = frozenset(tokenize("head"))
# Who heads a body, however the site titles them: a central bank's governor, a city's mayor,
# a commission's commissioner, a province's premier.
LEADS = frozenset(tokenize("""head heads headed leader leaders leads led lead chief president
    chair chairs chaired chairman chairwoman director presides presided preside boss governor
    mayor premier commissioner""")) | HEAD
# Words of an office and the name of whoever holds it stand this close ("President Abe",
# "the energy minister, Alexandre Silveira", "Priya Nandakumar, who leads the committee"):
# "a government that wants to be a climate leader" names no one.
HOLDER_WINDOW = 5
_MONTH_WORD = re.compile(MONTH + r"$")
# The words of a country's long name that say nothing alone: "the president of the USA"
# (united, states) is not named by a sentence where Abe "stated" something.
_PLAIN_HOLDER = frozenset(tokenize("united states kingdom republic democratic federal union"))
_THEIRS = re.compile(r"\b(?:its|his|her|their)\s+(?:[\w-]+\s+)?(?:president|minister|"
                     r"governor|mayor|leader|head|director|chair\w*|secretary|ceo|chief)",
                     re.I)
# A capitalised word right before another: an office written as a title ("President Boric").
_TITLE = re.compile(r"\b([A-Z][a-z]+)\s+(?=[A-Z][a-z])")


def holds_office(text: str, spans: list[tuple[int, int]], ask: Asked, title: str = "") -> bool:
    """Does the passage give the attribute asked (`ask.kind == "attribute"`)? `title`: its
    article's (an office's holder may be named only there)."""
    held = set(tokenize(text))
    if ask.unit == "succession":
        return bool(held & SUCCESSION) or bool(_TOOK_PLACE.search(text))
    if not ask.holder:
        return bool(held & LEADS) if ask.named == HEAD else ask.named <= held
    # An office of someone: named with them in one sentence; or in one next to it, or in
    # the article's title when the office is written as a title before a name ("President
    # Gabriel Boric" in "Chile Rejects …", not "its president, Arturo …"), when no other
    # country is named in its sentence or the one before ("Egypt, which … . President
    # el-Sisi has …": Egypt's, not Sudan's, which the sentence after names); or as "its /
    # his president" in a passage that names them ("Greece's energy minister" does not say
    # who Turkey's is). And whoever holds it is named beside its word (`_holder_named`).
    spans = spans or [(0, len(text))]
    said = [set(tokenize(text[a:b])) for a, b in spans]
    office = ask.named
    if ask.named == HEAD:  # "the head of the court": its chief, who leads it
        said = [words | HEAD if words & LEADS else words for words in said]
        office = ask.named | LEADS
    titled = ask.holder & set(tokenize(title))

    def near(i: int) -> bool:
        if names_holder(ask.holder, said[i]):
            # ... beside the office's title when the sentence names another country too
            # ("President Vučić has framed it as the Serbs' survival in Kosovo" is Serbia's;
            # who is in charge, however titled, is not held to it: "Burkina Faso's Captain
            # Ibrahim Traoré, and Niger's General …").
            return ask.named == HEAD or not (COUNTRIES - ask.holder) & said[i] or _beside(
                text[spans[i][0]:spans[i][1]], office, ask.holder)
        if (COUNTRIES - ask.holder) & (said[i] | (said[i - 1] if i else set())):
            return False
        return any(names_holder(ask.holder, x) for x in said[max(0, i - 1): i + 2]) or (
            bool(titled and _titled(text[spans[i][0]:spans[i][1]], ask.named)))

    return any(ask.named <= words and (
        near(i) or (_THEIRS.search(text, *spans[i]) and names_holder(ask.holder, held)))
        and _holder_named([text[a:b] for a, b in spans[i:i + 2]], office, ask.holder)
        for i, words in enumerate(said))


BESIDE = 3  # words between an office and whose it is ("Kosovo's acting president")


def _beside(sentence: str, office: frozenset[str], holder: frozenset[str]) -> bool:
    """Is the holder, of the countries within BESIDE words of a word of the office, the
    nearest one ("Kosovo's acting president"; not "Serbian President Vučić said Kosovo …")?"""
    stems = [set(tokenize(w)) for w in WORDS.findall(sentence)]
    for i in (i for i, s in enumerate(stems) if s & office):
        near = [j for j in range(max(0, i - BESIDE), min(len(stems), i + BESIDE + 1))
                if stems[j] & (COUNTRIES | holder)]
        if near and stems[min(near, key=lambda j: abs(j - i))] & holder:
            return True
    return False


def names_holder(holder: frozenset[str], words: set[str]) -> bool:
    """Does a sentence (its words) name whose office is asked, or who spoke: all the
    holder's words, or one of them that is not a plain part of a long name
    (`_PLAIN_HOLDER`)?"""
    return holder <= words or bool((holder & words) - _PLAIN_HOLDER)


def _holder_named(sentences: list[str], office: frozenset[str], holder: frozenset[str]
                  ) -> bool:
    """Does a capitalised word other than the holder's (a name: not a month, not opening a
    sentence) stand within HOLDER_WINDOW words of a word of the office, in its sentence (the
    first) or the next ("brought down a prime minister. A new government under Duro
    Macut")?"""
    words: list[str] = []
    opening: set[int] = set()
    for sentence in sentences:
        opening.add(len(words))
        words += WORDS.findall(sentence)
    stems = [frozenset(tokenize(w)) for w in words]
    end = len(WORDS.findall(sentences[0])) if sentences else 0
    capital = [i not in opening and w[:1].isupper() for i, w in enumerate(words)]
    named = [i for i, w in enumerate(words) if capital[i]
             and not _MONTH_WORD.match(w) and not stems[i] & (holder | office)]
    # An office's word that ends a name is no office ("the car carrier Galaxy Leader").
    offices = [j for j in range(end) if stems[j] & office
               and not (capital[j] and j and capital[j - 1]
                        and not (j + 1 < len(words) and capital[j + 1]))]
    return any(abs(i - j) <= HOLDER_WINDOW for j in offices for i in named)


def _titled(sentence: str, office: frozenset[str]) -> bool:
    """Is the office written as a title before a name in the sentence?"""
    return any(office & set(tokenize(m.group(1))) for m in _TITLE.finditer(sentence))
