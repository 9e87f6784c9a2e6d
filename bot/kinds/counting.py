"""What a count counts: the thing a question names under the other names articles count it
by ("how many ships": "26 vessels"; "how many people": "8,750 Tuvaluans"), a population
("how many people live in Raqqa"), and a count of something else ("300 farmers")."""

from __future__ import annotations

import re

from bot.text import COUNTRIES, DEMONYMS, tokenize

POPULATION = frozenset(tokenize("population"))
PEOPLE = frozenset(tokenize("people population inhabitants residents citizens persons"))
# "How many people live in Raqqa" asks a population: a figure of people who live there, not
# of "1.5 million people at risk".
DWELLING = frozenset(tokenize("live lives living reside resides residing inhabit inhabits"))
DWELT = DWELLING | frozenset(tokenize("population inhabitants residents home"))
CITY_OF = re.compile(r"\b(?:city|town|village|country|nation|region|capital|island|state|"
                     r"province)\s+of\s+(?:about|some|around|roughly|nearly|almost|over|"
                     r"more\s+than|just\s+over|close\s+to)?\s*\d", re.I)
# Words after a figure that count nothing ("10 times", "5 percent", "3 years")
_NO_COUNT = frozenset(tokenize("times percent per cent years months weeks days hours minutes "
                               "seconds decades centuries miles kilometres metres tonnes tons "
                               "dollars euros pounds points votes seats members others more"))


def counted(named: frozenset[str]) -> frozenset[str]:
    """What a count counts, without the countries that qualify it: "how many Soviet troops"
    counts troops, and "Russia invaded Japan and took four small islands" counts none; and
    the words an article counts the same things by ("how many ships": "26 vessels")."""
    things = (named - COUNTRIES) or named
    alike = things.union(*(_ALIKE.get(t, ()) for t in things))
    # "how many people": "8,750 Tuvaluans", "two million Syrians" count people too.
    return alike | _PEOPLES if alike & PEOPLE else alike


# Things counted under other names: a reader's word and the article's.
_ALIKE_GROUPS = (
    "ship vessel boat", "firm company business enterprise corporation",
    "soldier troop", "plane aircraft jet airliner", "car vehicle",
    "home house household dwelling", "country nation state", "student pupil",
    "child kid schoolchild schoolchildren", "job post position",
    "die death dead fatality kill", "protest protester demonstrator marcher crowd",
    "factory plant mill", "lorry truck",
    "people person individual resident citizen inhabitant worker employee adult villager "
    "civilian refugee migrant passenger voter patient victim survivor",
    "worker employee staff labourer",
)


def _alike(groups: tuple[str, ...]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for group in groups:
        stems = frozenset(tokenize(group))
        for t in stems:
            out[t] = out.get(t, frozenset()) | stems
    return out


_ALIKE = _alike(_ALIKE_GROUPS)
_PEOPLES = frozenset(t for name in DEMONYMS for t in tokenize(name))  # "Tuvaluan", "Syrian" …


def counts_other(after: list[str], asked: frozenset[str]) -> bool:
    """Is the word after a count a plural noun of something the question does not name
    ("300 farmers" for "how many tractors")? It counts that, not what is asked."""
    if not after or not after[0].isalpha() or not after[0].islower():
        return False
    word = after[0]
    stems = set(tokenize(word))
    return (len(word) > 3 and word.endswith("s") and not word.endswith("ss") and bool(stems)
            and not stems & (asked | counted(asked) | _NO_COUNT))
