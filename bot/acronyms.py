"""Acronyms readers type for names an article spells out: "IMF" for the International
Monetary Fund, "GERD" for the Grand Ethiopian Renaissance Dam, "MPC" for the Monetary Policy
Committee. An article often writes the name in full and never its acronym, and BM25 sees
"imf" as a word no passage holds.

The site's names are runs of capitalised words (with "of", "the", "for", "and" between
them); every stretch of two or more of them gives its initials. A question word the index
does not know, of ACRONYM_LETTERS letters, typed in capitals or no English word, that is
the initials of one of them is read as that name. Only the question is rewritten (the index
is not rebuilt).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from bot import english, organisations
from bot.text import STOPWORDS

ACRONYM_LETTERS = (2, 6)  # shortest and longest acronym looked up
_CAPITALISED = r"[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*"  # "Co-operation" is one word
_JOINING = r"(?:of|the|for|and|on|in|de|du|&)"
# A name: capitalised words, maybe with joining words between two of them ("Court of Justice
# of the European Union").
_NAME = re.compile(rf"{_CAPITALISED}(?:(?:\s+{_JOINING}){{0,2}}[\s-]+{_CAPITALISED})+")
_PART = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*|&")
# A word, without the possessive or the plural of an acronym ("the FFA's", "NGOs").
_WORD = re.compile(r"(?<![\w'\u2019.-])[^\W\d_]+?(?=(?:['\u2019]s|(?<=[A-Z])s)?(?![\w'\u2019-]))")
# "DLCO-EA" for the Desert Locust Control Organization for Eastern Africa.
_HYPHENATED = re.compile(r"(?<![\w'\u2019.-])[A-Z]{2,}(?:-[A-Z]{1,4})+(?![\w'\u2019-])")
_LONGEST = 8  # capitalised words of a name looked at: "The Bank of Ghana's Monetary …"
# A word typed in lower case is taken for an acronym only when it is no English word ("imf",
# "gerd"; not "tall", "dam").
WORD_ZIPF = 4.0
# Chat words, never a name's initials ("set a reminder with this bot": not the Bank of
# Tunisia).
_CHAT = frozenset("""bot bots lol lmao btw imo imho tbh idk ngl thx pls plz omg fyi afaik iirc
    rn ty np smh irl tho ppl ur""".split())


def names(texts: Iterable[str], clashes: set[str] | None = None) -> dict[str, str]:
    """Lowercase initials -> the name they stand for (the first seen; an acronym two names
    share is kept for neither, "PM" for "Prime Minister" and "Pacific Monitor"; those are
    added to `clashes`)."""
    out: dict[str, str] = {}
    clashes = set() if clashes is None else clashes
    low, high = ACRONYM_LETTERS
    for text in texts:
        for m in _NAME.finditer(text):
            parts = _PART.findall(m.group(0))
            capital = [i for i, p in enumerate(parts) if p[0].isupper()]
            capital = capital[:_LONGEST]
            for a in range(len(capital)):
                if parts[capital[a]].lower() in _SKIPPED:
                    continue  # "The Mekong River Commission" is the Mekong River Commission
                for b in range(a + low - 1, min(len(capital), a + high)):
                    words = parts[capital[a]: capital[b] + 1]
                    name = " ".join(words)
                    short = "".join(parts[i][0] for i in capital[a: b + 1]).lower()
                    # "DOH" for the Department of Health, "BoE": a small word's letter too
                    full = "".join(w[0] for w in words if w.lower() not in _SKIPPED).lower()
                    # "CCC" for the Conseil du Café-Cacao: each part of a hyphenated word
                    split = "".join(x[0] for i in capital[a: b + 1]
                                    for x in parts[i].split("-") if x).lower()
                    for key in {short, full, split}:
                        _add(out, clashes, key, name)
    return out


_SKIPPED = frozenset(("the", "&"))  # never an acronym's letter ("of", "for", "and" may be)


def _add(out: dict[str, str], clashes: set[str], key: str, name: str) -> None:
    if key in clashes:
        return
    if key in out and out[key].lower() != name.lower():
        clashes.add(key)
        del out[key]
    else:
        out.setdefault(key, name)


def expand(question: str, table: Callable[[], dict[str, str]],
           known: Callable[[str], bool],
           phrase: Callable[[str], str | None] = lambda key: None,
           held: Callable[[str], bool] = lambda name: False, both: bool = False,
           alone: Callable[[str, str], bool] = lambda name, acronym: True,
           as_word: Callable[[str], bool] = lambda word: False) -> str:
    """The question with each acronym the index does not know (`known`, of a lowercase
    word) replaced by the name it stands for (no passage holds the acronym), and (`both`)
    each one it knows that the site also spells out followed by that name, where a passage
    spells it out without the acronym (`alone(name, acronym)`; a name written only beside
    its acronym, "Taiwan Semiconductor Manufacturing Company (TSMC)", would only weigh that
    one passage twice; a word typed in lower case that the site writes in lower case,
    `as_word`, is that word: "cod" of a site on fisheries, not its Chief of Defence).
    `table` is
    asked only when the question holds such a word (making it reads the whole site);
    `phrase`, for an acronym no name stands for, the site's one phrase of common words
    with its initials ("SGR": the standard gauge railway); then the name of an
    international body the site writes side by side (`held`: "UNHCR", the UN refugee
    agency, bot/organisations.py)."""
    low, high = ACRONYM_LETTERS
    words = [m for m in _WORD.finditer(question)
             if low <= len(m.group(0)) <= high and m.group(0).lower() not in _CHAT
             and (m.group(0).isupper() or english.known_zipf(m.group(0).lower()) < WORD_ZIPF)]
    found = [(m, False) for m in words if not known(m.group(0).lower())]
    found += [(m, False) for m in _HYPHENATED.finditer(question)
              if not known(m.group(0).lower())]
    if both:  # one the site uses and also spells out ("ECOWAS" in one paragraph, "the
        # Economic Community of West African States" in another): both
        found += [(m, True) for m in words if known(m.group(0).lower())
                  and (m.group(0).isupper() or not as_word(m.group(0).lower()))]
    if not found:
        return question
    acronyms = table()

    def named(key: str) -> str | None:  # "meps", "ngos": a plural typed in lower case
        return acronyms.get(key) or (acronyms.get(key[:-1]) if key.endswith("s") and
                                     len(key) > low else None)

    out, last = [], 0
    for m, kept in sorted(found, key=lambda f: f[0].start()):
        key = m.group(0).lower().replace("-", "")  # "DLCO-EA"
        if kept:
            name = named(key)
            name = f"{m.group(0)} ({name})" if name and alone(name, m.group(0)) else None
        else:
            name = named(key) or phrase(key) or organisations.name_for(key, held)
        if name is None:
            continue
        out += [question[last: m.start()], name]
        last = m.end()
    return "".join(out) + question[last:]


PHRASE_LETTERS = 3  # a phrase of common words is looked for by initials this long or longer


def phrase(key: str, texts: Iterable[str]) -> str | None:
    """The one phrase of lower-case words (a hyphen joins two: "non-revenue water") whose
    initials are `key` in the texts ("sgr": "standard gauge railway", "eez": "exclusive
    economic zone"), or None when there is none, or more than one, or the key is short."""
    if len(key) < PHRASE_LETTERS or not key.isalpha():
        return None
    word = r"[{}{}][a-z]{{2,}}"
    pattern = re.compile(r"(?<![\w-])" + r"[\s-]+".join(
        word.format(c, c.upper()) for c in key) + r"(?![\w-])")
    found = Counter(m.group(0).lower() for text in texts for m in pattern.finditer(text))
    ranked = [(n, f) for f, n in found.items()
              if not any(w in STOPWORDS for w in re.split(r"[\s-]+", f))]
    ranked.sort(reverse=True)
    # The only one, or one the site repeats more than any other: three common words with
    # those initials may stand side by side once by chance ("said great results").
    if len(ranked) == 1 or (len(ranked) > 1 and ranked[0][0] >= 2 and ranked[0][0] > ranked[1][0]):
        return re.sub(r"\s+", " ", ranked[0][1])
    return None
