"""Text: the tokenizer, sentence splitter and normalisation, pure functions shared by the
whole core (a package: word lists, tokens, sentences and invisible characters apart)."""

from bot.text.invisible import strip_invisible
from bot.text.sentences import (
    ABBREVIATIONS,
    clean_whitespace,
    sentence_spans,
    split_sentences,
    truncate,
)
from bot.text.tokens import TermIds, normalize, tokenize, word_spans
from bot.text.words import (
    DEMONYMS,
    IRREGULAR,
    METONYMS,
    NUMBER_WORDS,
    OTHER_COUNTRIES,
    SHORTHAND,
    STOPWORDS,
    SYNONYMS,
    american,
)

# The stems of countries and their peoples (a demonym folds to its country): names however
# they are typed ("are china and japan in a dispute").
COUNTRIES = frozenset(tokenize(" ".join({*DEMONYMS.values(), *METONYMS.values(),
                                          *OTHER_COUNTRIES})))

__all__ = [
    "ABBREVIATIONS", "COUNTRIES", "DEMONYMS", "IRREGULAR", "METONYMS", "NUMBER_WORDS", "SHORTHAND",
    "STOPWORDS", "SYNONYMS", "TermIds", "american", "clean_whitespace", "normalize",
    "sentence_spans", "split_sentences", "strip_invisible", "tokenize", "truncate",
    "word_spans",
]
