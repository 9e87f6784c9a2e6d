"""Re-ranking: the first stage's candidates ordered by features of the question's words in
each passage, its sentences and its word pairs (tuned on SQuAD v1.1 dev and the news
questions, benchmarks/retrieval.py and benchmarks/news.py).

Apart from retrieval (bot/index.py: any object with `retrieve(tokens, k)` can supply the
candidates) and from the answer policy (bot/policy/: it judges what this returns).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.context import archive_share, in_articles, position_prior, within_article
from bot.index import Index
from bot.text import NUMBER_WORDS

CANDIDATES = 50  # passages re-ranked with the features below
# The re-ranking score is a weighted sum of the features below, fitted held out by
# benchmarks/fit_rerank.py on SQuAD v1.1 dev and each half of the news quiz set:
# * lexical ones, each relative to the best candidate's (so that a long question's large
#   BM25 does not drown the others: news quiz questions run to 40 words): the candidate's
#   BM25 and its best sentence's, both with the question's word weights (corpus idf blended
#   with English word frequency, bot/policy/) in place of the corpus idf, each distinct
#   word once (on a six-passage site the idf is noise: "actually" in one passage outweighed
#   "Kuril" in two, and a sentence's idf dwarfed its passage's); the BM25 of the question's
#   word pairs found side by side (weighing pairs the same way measured worse);
# * shares of the question's weight: held by the passage, by its best sentence, for
#   "when / how many" questions by a sentence with a number, and by its whole article (a
#   question's words spread over one article point to it);
# * the lead: news and op-eds state their point early, so an article's first paragraphs;
#   and in news-style articles (short paragraphs), the position itself (bot/context.py);
# * on a site of a handful of articles, the weight held of the question's words that few
#   paragraphs of the candidate's article hold (bot/context.py `within_article`; fades to
#   nothing on an archive). Its weight was set by hand on the reader sets, not fitted:
#   sites 586 -> 592 of 796 answered with a right passage first, seed sets 541 -> 539 of
#   600 (README "Tenth session").
WEIGHTS = {
    "bm25": 9.0,
    "sentence": 2.7,
    "bigram": 4.5,
    "coverage": 8.0,
    "sentence_coverage": 4.0,
    "number": 4.0,
    "lead": 2.0,
    "article_coverage": 4.0,
    "position": 2.0,
    "within_article": 20.0,
}
LEAD_PARAGRAPHS = 2  # paragraph indices 0..2
# With word vectors (bot/vectors.py, the optional `vectors` extra), fitted held out the same
# way: the lexical features weigh 7/9 of the above, and the best VECTOR_CANDIDATES gain
# SEMANTIC x the cosine between the question and their closest sentence (a quiz question is
# written from one sentence, in other words than it), and are ordered again among themselves.
VECTOR_LEXICAL = 7.0 / 9.0
SEMANTIC = 8.0
VECTOR_CANDIDATES = 10
LEXICAL = ("bm25", "sentence", "bigram")
NUMBER_TOKENS = frozenset(NUMBER_WORDS.values())


class Retriever(Protocol):
    """The first stage: (passage ids, scores) of the k best candidates, any order."""

    def retrieve(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class Ranked:
    """Passages best first, their scores, and the question weight each holds (whole passage
    and best sentence; unnormalised)."""

    ids: np.ndarray
    scores: np.ndarray
    held: np.ndarray
    in_sentence: np.ndarray

    def first(self, chosen: np.ndarray) -> Ranked:
        """The same passages with the `chosen` ones (a boolean mask) first; each group
        keeps its order."""
        order = np.concatenate([np.flatnonzero(chosen), np.flatnonzero(~chosen)])
        return Ranked(self.ids[order], self.scores[order], self.held[order],
                      self.in_sentence[order])


def rank(index: Index, tokens: list[str], k: int = 10, numeric: bool = False,
         weights: dict[str, float] | None = None, retriever: Retriever | None = None,
         semantic: Callable[[np.ndarray], np.ndarray] | None = None) -> Ranked:
    """Best passages for the tokens, best first, with the question weight each holds (whole
    and in its best sentence), which the answer policy reads.

    The retriever (default: the index's own BM25) picks the candidates; the features below
    order them. `numeric`: the question asks for a number or a date. `weights`: each
    question word's weight in the coverage features (default: its idf in this corpus).
    `semantic`: passage ids -> the question's cosine with their closest sentence (word
    vectors), for the best VECTOR_CANDIDATES."""
    cand, bm25 = (retriever or index).retrieve(tokens, max(k, CANDIDATES))
    weights = weights or index.query_weights(tokens)
    if not len(cand):
        held = np.zeros(0)
        return Ranked(cand, bm25, held, held)
    f = features(index, tokens, cand, bm25, weights, numeric)
    final = combine(f, with_vectors=semantic is not None)
    order = np.lexsort((cand, -final))
    if semantic is not None:
        top = order[:VECTOR_CANDIDATES]
        final = final.copy()
        final[top] += SEMANTIC * semantic(cand[top])
        order = np.concatenate([top[np.lexsort((cand[top], -final[top]))],
                                order[VECTOR_CANDIDATES:]])
    order = order[:k]
    return Ranked(cand[order], final[order], f["held"][order], f["in_sentence"][order])


def combine(f: dict[str, np.ndarray], with_vectors: bool = False) -> np.ndarray:
    """The weighted sum of the features (WEIGHTS; the lexical ones scaled by VECTOR_LEXICAL
    when word vectors add their own score after)."""
    scale = VECTOR_LEXICAL if with_vectors else 1.0
    return sum(WEIGHTS[name] * (scale if name in LEXICAL else 1.0) * f[name]
               for name in WEIGHTS)


def features(index: Index, tokens: list[str], cand: np.ndarray, bm25: np.ndarray,
             weights: dict[str, float], numeric: bool = False) -> dict[str, np.ndarray]:
    """Every re-ranking feature of the candidates (the keys of WEIGHTS), plus the raw
    question weight each holds ("held", "in_sentence") for the answer policy."""
    total = sum(weights.values()) or 1.0
    held, lexical = weighted_bm25(index, weights, cand)
    best_bm25, best_cov, num_cov = sentence_features(index, cand, weights, numeric)
    top = float(bm25.max()) if len(bm25) and bm25.max() > 0 else 1.0
    top_lexical = float(lexical.max()) if len(lexical) and lexical.max() > 0 else 1.0
    return {
        "bm25": lexical / top_lexical,
        "sentence": best_bm25 / top_lexical,
        "bigram": bigram_scores(index, tokens, cand) / top,
        "coverage": held / total,
        "sentence_coverage": best_cov / total,
        "number": num_cov / total if numeric else np.zeros(len(cand)),
        # The lead's pull fades on a site of a handful of articles, as the position prior's
        # does: readers ask about any paragraph of what they read (bot/context.py).
        "lead": (index.passage_para[cand] <= LEAD_PARAGRAPHS) * archive_share(index),
        "article_coverage": article_coverage(index, weights, cand) / total,
        "position": position_prior(index, cand),
        "within_article": within_article(index, weights, cand),
        "held": held,
        "in_sentence": best_cov,
    }


def search(index: Index, tokens: list[str], k: int = 10, numeric: bool = False,
           weights: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`rank`, as (passage ids, scores), best first."""
    ranked = rank(index, tokens, k, numeric, weights)
    return ranked.ids, ranked.scores


def coverage_of(index: Index, weights: dict[str, float], cand: np.ndarray) -> np.ndarray:
    """The question weight each candidate holds."""
    out = np.zeros(len(cand))
    for t, w in weights.items():
        term = index.vocab.get(t)
        if term is not None:
            out[index.members(index.passages.row(term)[0], cand)[0]] += w
    return out

def bigram_scores(index: Index, tokens: list[str], cand: np.ndarray) -> np.ndarray:
    """BM25 of the question's adjacent word pairs found side by side in each candidate."""
    out = np.zeros(len(cand))
    ids = [index.vocab.get(t) for t in tokens]
    for a, b in zip(ids, ids[1:], strict=False):
        row = None if a is None or b is None else index.bigram_row(a, b)
        if row is not None:
            hit, pos = index.members(row[0], cand)
            out[hit] += row[1][pos[hit]]
    return out

def weighted_bm25(index: Index, weights: dict[str, float], cand: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The question weight each candidate holds (as `coverage_of`), and its BM25 with the
    question's word weights in place of the corpus idf (each distinct word once): the
    term-frequency saturation and length normalisation of BM25, weighed as the coverage
    features weigh words."""
    return _weighted(index.passages, index.vocab, weights, cand)


def _weighted(postings, vocab: dict[str, int], weights: dict[str, float], docs: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Per document of `docs` (passages or sentences): the question weight it holds, and its
    BM25 term-frequency parts weighed with the same word weights."""
    held = np.zeros(len(docs))
    out = np.zeros(len(docs))
    for t, w in weights.items():
        term = vocab.get(t)
        if term is not None:
            hit, tf = postings.tf_at(term, docs)
            held[hit] += w
            out[hit] += w * tf
    return held, out


def sentence_features(index: Index, cand: np.ndarray, weights: dict[str, float],
                      numeric: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate: its best sentence's BM25 (with the word weights, as `weighted_bm25`),
    the weight its best sentence holds, and (`numeric`) the same among sentences holding a
    number, in digits or in words."""
    starts, ends = index.sent_ptr[cand], index.sent_ptr[cand + 1]
    counts = ends - starts
    # Sentence ids of every candidate, laid end to end.
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    sent_ids = np.arange(counts.sum()) + offsets
    cov, bm25 = _weighted(index.sentences, index.vocab, weights, sent_ids)
    num = np.zeros(len(sent_ids))
    if numeric:
        num = np.where(index.sent_number[sent_ids] | number_words_in(index, sent_ids), cov, 0.0)
    out = [np.zeros(len(cand)) for _ in range(3)]
    nonempty = counts > 0
    if nonempty.any():
        seg = np.concatenate(([0], np.cumsum(counts)[:-1]))[nonempty]
        for arr, values in zip(out, (bm25, cov, num), strict=True):
            arr[nonempty] = np.maximum.reduceat(values, seg)
    return out[0], out[1], out[2]


def number_words_in(index: Index, sent_ids: np.ndarray) -> np.ndarray:
    """Which sentences hold a number written as a word ("four small islands": the
    tokenizer folds it to "4", but the index marks only sentences with digits)."""
    return index.members(number_word_sentences(index), sent_ids)[0]


def number_word_sentences(index: Index) -> np.ndarray:
    """The sentences holding a number word (ascending), gathered from the number words'
    postings once per index: one lookup a question, not one a number word."""
    found = getattr(index, "_number_word_sentences", None)
    if found is None:
        seen = np.zeros(len(index.sent_spans), bool)
        for t in NUMBER_TOKENS:
            term = index.vocab.get(t)
            if term is not None:
                seen[index.sentences.row(term)[0]] = True
        found = index._number_word_sentences = np.flatnonzero(seen)
    return found


def article_coverage(index: Index, weights: dict[str, float], cand: np.ndarray
                     ) -> np.ndarray:
    """The question weight each candidate's whole article holds (an article's passages are
    consecutive ids)."""
    out = np.zeros(len(cand))
    for w, held, _ in in_articles(index, weights, cand):
        out[held > 0] += w  # some passage of the article holds the word
    return out


def coverage(index: Index, tokens: list[str], passage: int) -> float:
    """Share of the question's weight (idf of its distinct words) found in the passage."""
    weights = index.query_weights(tokens)
    total = sum(weights.values())
    if not total:
        return 0.0
    return float(coverage_of(index, weights, np.array([passage]))[0]) / total

def support(index: Index, tokens: list[str], passage: int) -> float:
    """How well the passage supports an answer: 0.7 x the question's weight it holds
    plus 0.3 x the weight held by its best single sentence (words found together)."""
    weights = index.query_weights(tokens)
    total = sum(weights.values())
    if not total:
        return 0.0
    cand = np.array([passage])
    held = float(coverage_of(index, weights, cand)[0])
    in_sentence = float(sentence_features(index, cand, weights)[1][0])
    return (0.7 * held + 0.3 * in_sentence) / total
