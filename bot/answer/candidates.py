"""Passages added to a question's candidates though retrieval did not bring them: the first
of an article the question names by its place, the one holding a saying it cites, the last
of the best article (how an article ends); and which passages end their article."""

from __future__ import annotations

import numpy as np

from bot.corpus import Corpus
from bot.index import article_passages
from bot.quotes import sentence_terms, sentence_weights
from bot.rerank import Ranked


def with_passage(index, ranked: Ranked, article: int, weights: dict[str, float]) -> Ranked:
    """The ranking with the article's first passage among its candidates (at the end) when
    none of the article's passages is."""
    if (index.passage_article[ranked.ids] == article).any():
        return ranked
    return _appended(index, ranked, int(article_passages(index, np.array([article]))[0][0]),
                     weights)


def with_saying(corpus: Corpus, ranked: Ranked, phrases: tuple[str, ...],
                weights: dict[str, float]) -> Ranked:
    """The ranking with the passage that holds the saying among its candidates (at the end)
    when none of them does (on a site of up to ACRONYM_PASSAGES passages)."""
    pid = corpus.passage_saying(phrases)
    if pid is None or pid in ranked.ids:
        return ranked
    return _appended(corpus.index, ranked, pid, weights)


def with_last(index, ranked: Ranked, weights: dict[str, float]) -> Ranked:
    """The ranking with the best article's last passage among its candidates (at the end),
    though it may hold none of the question's words."""
    last = int(article_passages(index, index.passage_article[ranked.ids[:1]])[1][0]) - 1
    if last in ranked.ids:
        return ranked
    count = int(index.sent_ptr[last + 1] - index.sent_ptr[last])
    best = max(sentence_weights(sentence_terms(index, [last], weights)[0], count, weights),
               default=0.0)
    return _appended(index, ranked, last, weights, best)


def _appended(index, ranked: Ranked, pid: int, weights: dict[str, float],
              in_sentence: float = 0.0) -> Ranked:
    """The ranking with passage `pid` last, holding its share of the question's weight."""
    held = sum(weights[t] for t in index.terms_in([t for t in weights if t in index.vocab], pid))
    return Ranked(np.append(ranked.ids, pid).astype(np.int64), np.append(ranked.scores, 0.0),
                  np.append(ranked.held, held), np.append(ranked.in_sentence, in_sentence))


def ends_article(index, ids: np.ndarray) -> np.ndarray:
    """Whether each passage is the last of its article."""
    return article_passages(index, index.passage_article[ids])[1] == ids + 1
