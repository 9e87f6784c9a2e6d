"""Word vectors in the re-ranking (bot/vectors.py, the optional `vectors` extra): they re-order
only the best few candidates, and without the extra everything works as before."""

from __future__ import annotations

import numpy as np
import pytest

from bot import answer as answer_mod
from bot import policy, rerank, vectors
from bot.index import Index
from bot.text import tokenize

DOCS = [
    ("Fruit", ["Monkeys at the zoo eat bananas every morning.",
               "The zoo opens at nine and closes at five."]),
    ("Markets", ["Stock markets fell sharply on Tuesday.", "The zoo's shares rose."]),
]


def test_semantic_scores_reorder_only_the_best_candidates(monkeypatch):
    index = Index.build(DOCS)
    tokens = tokenize("what does the zoo do")
    plain = rerank.rank(index, tokens, k=10)
    assert len(plain.ids) == 3  # the passages naming the zoo
    # The order by the lexical features alone, as weighed beside vectors.
    lexical = rerank.rank(index, tokens, k=10, semantic=lambda ids: np.zeros(len(ids)))
    last = int(lexical.ids[-1])
    asked = []

    def prefer_last(ids: np.ndarray) -> np.ndarray:
        asked.append(sorted(int(i) for i in ids))
        return (ids == last).astype(float) * 100.0

    boosted = rerank.rank(index, tokens, k=10, semantic=prefer_last)
    assert int(boosted.ids[0]) == last  # a large cosine puts the candidate first
    assert sorted(map(int, boosted.ids)) == sorted(map(int, plain.ids))
    # Only the best VECTOR_CANDIDATES are scored: the last one is out of reach at 2.
    monkeypatch.setattr(rerank, "VECTOR_CANDIDATES", 2)
    asked.clear()
    capped = rerank.rank(index, tokens, k=10, semantic=prefer_last)
    assert asked == [sorted(map(int, lexical.ids[:2]))] and last not in asked[0]
    assert [int(i) for i in capped.ids] == [int(i) for i in lexical.ids]


def test_without_the_extra_answers_are_the_lexical_ones(monkeypatch, seed_service):
    monkeypatch.setenv("FOOTNOTE_VECTORS", "on")  # asked for, but the extra is missing
    monkeypatch.setattr(vectors, "_tried", False)
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors.importlib.util, "find_spec", lambda name: None)
    assert vectors.load() is None
    question = "Which islands are Japan and Russia fighting over?"
    corpus = seed_service.corpus()
    assert answer_mod.semantic_scorer(corpus, question) is None
    ans = seed_service.ask(question, top=3)
    tokens = tokenize(question)
    plain = rerank.rank(corpus.index, tokens, k=20, weights=policy.question_weights(
        corpus.index, question, tokens))
    first = corpus.passage(int(plain.ids[0]))
    assert ans.hits and (ans.hits[0].title, ans.hits[0].paragraph) == (
        first[0].title, first[1])


@pytest.mark.parametrize("setting", [None, "off"])
def test_off_unless_switched_on(monkeypatch, setting):
    monkeypatch.setattr(vectors, "_tried", False)
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.delenv("FOOTNOTE_VECTORS", raising=False)
    if setting:
        monkeypatch.setenv("FOOTNOTE_VECTORS", setting)
    assert vectors.load() is None


@pytest.fixture
def loaded(monkeypatch):
    pytest.importorskip("wordllama")
    monkeypatch.setenv("FOOTNOTE_VECTORS", "on")
    monkeypatch.setattr(vectors, "_tried", False)
    monkeypatch.setattr(vectors, "_model", None)
    vecs = vectors.load()
    assert vecs is not None
    return vecs


def test_the_same_vectors_as_wordllama(loaded):
    import os

    import wordllama
    from wordllama import WordLlama

    wl = WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__), disable_download=True)
    texts = ["Which islands are Japan and Russia fighting over?",
             "The Kremlin leader spoke in Vladivostok, didn't he?"]
    assert np.allclose(loaded.embed(texts), wl.embed(texts, norm=True), atol=1e-5)
    assert not loaded.embed(["", "   "]).any()  # no words, no vector (and no NaN)


def test_a_paraphrase_is_closer_than_an_unrelated_sentence(loaded):
    sims = vectors.best_sentence_similarity(
        loaded, "Which fruit do the monkeys eat?",
        [["Stock markets fell sharply.", "Shares of banks rose."],
         ["The zoo opens at nine.", "Apes there feed on bananas and apples."],
         []])
    assert sims[1] > sims[0]
    assert sims[2] == 0.0


def test_answers_use_the_vectors_when_installed(loaded, seed_service):
    corpus = seed_service.corpus()
    score = answer_mod.semantic_scorer(corpus, "Which islands are disputed?")
    assert score is not None
    sims = score(np.arange(min(3, corpus.index.size)))
    assert sims.shape == (min(3, corpus.index.size),) and (sims > 0).all()
