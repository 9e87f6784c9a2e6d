"""The one tokenizer for passages and questions: normalisation, stems, term ids, word
offsets. What is indexed is exactly what is searched for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import Stemmer

from bot.text.words import IRREGULAR, METONYMS, SHORTHAND, STOPWORDS, american

_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u2032`]")
_WORD = re.compile(r"[^\W_]+(?:['\-\u2010\u2011][^\W_]+)*")
_HYPHENS = re.compile(r"[\-\u2010\u2011]")
# A figure with its scale run together ("$1.9bn", "150k tonnes"): the figure and the scale's
# word, as "$1.9 billion" is read. ("5m" may be metres: left alone.)
_SCALED = re.compile(r"(\d+)(bn|tn|mn|k)")
_SCALES = {"bn": "billion", "tn": "trillion", "mn": "million", "k": "thousand"}
# A decade of the last century as readers shorten it ("since the 90s", "the '70s"): also the
# decade as articles write it, "1990s", beside the figure as written ("in their 60s" may be
# an age, "in the 90s" a temperature). ("the 20s" may be the 2020s: left alone.)
_DECADE = re.compile(r"([3-9]0)'?s")
_stemmer = Stemmer.Stemmer("english")
_stem_cache: dict[str, tuple[str, ...]] = {}
SHORT_TEXT = 24  # characters: a text this short is kept with its stems
_short_cache: dict[str, tuple[str, ...]] = {}


def normalize(text: str) -> str:
    """NFKC, curly apostrophes folded, lowercase."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _APOSTROPHES.sub("'", text).lower()


# Latin letters that are no letter plus a mark, so NFD does not take them apart, but that
# readers type as plain letters all the same ("Akinci" for Akıncı, "Walesa" for Wałęsa,
# "Store" for Støre).
_PLAIN = str.maketrans({"\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d",
                        "\u0127": "h", "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe",
                        "\u00f0": "d", "\u00fe": "th"})


def unaccented(word: str) -> str:
    """The word without the accents of Latin letters: readers type "cafe" and "Grindavik"
    for "café" and "Grindavík". Marks on other scripts stay (a Japanese voicing mark makes
    another word)."""
    if word.isascii():
        return word
    word = word.translate(_PLAIN)
    kept: list[str] = []
    for c in unicodedata.normalize("NFD", word):
        if kept and unicodedata.combining(c) and "a" <= kept[-1] <= "z":
            continue
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


def _stem_one(word: str) -> str:
    word = unaccented(word)
    if word in STOPWORDS:
        return ""
    base = word[:-2] if word.endswith("'s") else word
    base = base.replace("'", "")
    if base in STOPWORDS:
        return ""
    base = american(base)
    return _stemmer.stemWord(IRREGULAR.get(base, base))


def _stem(word: str) -> tuple[str, ...]:
    """Stems of one lowercase word, stopwords dropped. A hyphenated compound gives its parts
    and the joined form, so "pre-conditions" matches "preconditions" and "conditions".
    Cached: corpora repeat words a lot."""
    city = unaccented(word[:-2] if word.endswith("'s") else word)  # "Bogotá" is Bogota
    if word in SHORTHAND:
        stems = SHORTHAND[word]
    elif (decade := _DECADE.fullmatch(word)) is not None:
        stems = (f"{decade.group(1)}s", f"19{decade.group(1)}s")
    elif (scaled := _SCALED.fullmatch(word)) is not None:
        stems = (scaled.group(1), _SCALES[scaled.group(2)])
    elif city in METONYMS:  # the city and its country ("Baku": baku, azerbaijan)
        stems = tuple(dict.fromkeys(t for t in (_stem_one(city), _stem_one(METONYMS[city]))
                                    if t))
    elif _HYPHENS.search(word):
        parts = [p for p in (_stem_one(w) for w in _HYPHENS.split(word)) if p]
        joined = _stem_one(_HYPHENS.sub("", word))
        stems = tuple(parts + ([joined] if joined and joined not in parts else []))
    else:
        one = _stem_one(word)
        stems = (one,) if one else ()
    if len(_stem_cache) < 2_000_000:
        _stem_cache[word] = stems
    return stems


def tokenize(text: str) -> list[str]:
    """Text -> content-word stems, in order. The one tokenizer for passages and questions."""
    short = len(text) <= SHORT_TEXT
    if short:
        # A word or two: the answer's checks tokenize a passage word by word, again for
        # each question; the normalising alone costs more than finding them here.
        found = _short_cache.get(text)
        if found is not None:
            return list(found)
    cache = _stem_cache
    out: list[str] = []
    for word in _WORD.findall(normalize(text)):
        stems = cache.get(word)
        if stems is None:
            stems = _stem(word)
        out.extend(stems)
    if short and len(_short_cache) < 1_000_000:
        _short_cache[text] = tuple(out)
    return out


class TermIds:
    """Text -> vocabulary ids, equal to mapping `tokenize` output, but fast for whole corpora:
    each surface word is stemmed and looked up once, and a paragraph is normalised once."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        self._codes: dict[str, int] = {}  # word -> id, -1 stopword, <= -2 index into _multi
        self._multi: list[list[int]] = []

    def _add(self, word: str) -> int:
        stems = _stem_cache.get(word)
        if stems is None:
            stems = _stem(word)
        vocab = self.vocab
        ids = [vocab.setdefault(s, len(vocab)) for s in stems]
        if not ids:
            code = -1
        elif len(ids) == 1:
            code = ids[0]
        else:
            code = -2 - len(self._multi)
            self._multi.append(ids)
        self._codes[word] = code
        return code

    def _ids(self, words: list[str]) -> list[int]:
        codes = self._codes
        try:
            found = [codes[w] for w in words]
        except KeyError:
            found = [codes[w] if w in codes else self._add(w) for w in words]
        low = min(found, default=0)
        if low >= 0:
            return found
        if low == -1:  # stopwords only to drop (the common case)
            return [c for c in found if c >= 0]
        out: list[int] = []
        for c in found:
            if c >= 0:
                out.append(c)
            elif c <= -2:
                out.extend(self._multi[-2 - c])
        return out

    def text(self, text: str) -> list[int]:
        return self._ids(_WORD.findall(normalize(text)))

    def spans(self, text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
        """Ids of each (start, end) slice of `text`."""
        norm = normalize(text)
        if len(norm) != len(text):  # normalisation moved offsets: slice first (rare)
            return [self.text(text[a:b]) for a, b in spans]
        return [self._ids(_WORD.findall(norm, a, b)) for a, b in spans]


def word_spans(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, stem) for every content word of `text`, offsets into `text` itself.

    NFKC can change lengths, so words are matched on the original text and normalised
    one by one; used to bold the question's words in a quote.
    """
    for m in _WORD.finditer(_APOSTROPHES.sub("'", text)):
        for stem in tokenize(m.group(0)):
            yield m.start(), m.end(), stem
