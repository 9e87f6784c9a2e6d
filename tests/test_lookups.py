"""The answer's lookups taken the quick way (one search a word for all the hits, one for all
the number words, scalar searches for the best passage, short texts' stems kept) give what
the plain way gives, float for float, on a built index and on a live one."""

from __future__ import annotations

import numpy as np
import pytest

from bot import live, rerank
from bot.index import Index
from bot.models import Article
from bot.quotes import quote_weights, sentence_terms, sentence_weights
from bot.text import NUMBER_WORDS, sentence_spans, tokenize
from bot.text import tokens as tokens_module
from tests.services import without_idle_merge

DOCS = [
    ("Kuril islands", ["Four small islands lie north of Hokkaido. Japan calls them the "
                       "Northern Territories. Russia holds all four islands since 1945.",
                       "The dispute blocks a peace treaty. Talks stalled in 2019."]),
    ("Navy", ["The Pacific fleet sails from Vladivostok. Two submarines patrol the Kurils.",
              "Sixty ships took part. The drills lasted three days. Nobody was hurt."]),
    ("Treaty", ["Japan and Russia never signed a peace treaty after the war."]),
]
QUESTIONS = ["how many islands does russia hold", "why was no peace treaty signed",
             "which fleet patrols the kuril islands islands", "when did the talks stall",
             "how many ships took part in the drills"]


def plain_sentence_weights(text: str, spans, weights: dict[str, float]) -> list[float]:
    """What make_quote computes when the index does not tell it: each sentence tokenized."""
    out = []
    for a, b in spans:
        words = set(tokenize(text[a:b]))
        out.append(sum(w for t, w in weights.items() if t in words))
    return out


def test_the_hits_sentence_weights_are_those_of_their_tokens():
    index = Index.build(DOCS)
    texts = [(title, p) for title, paras in DOCS for p in paras]
    pids = [3, 0, 4, 1]  # any order, as the hits come
    for question in QUESTIONS:
        weights = {t: 1.0 + 0.37 * i for i, t in enumerate(dict.fromkeys(tokenize(question)))}
        weights["unknownword"] = 2.5  # a word no passage holds
        for pid, holding in zip(pids, sentence_terms(index, pids, weights), strict=True):
            title, text = texts[pid]
            spans = sentence_spans(text)
            qw = quote_weights(weights, title)
            assert sentence_weights(holding, len(spans), qw) == plain_sentence_weights(
                text, spans, qw)


def _old_number_words_in(index: Index, sent_ids: np.ndarray) -> np.ndarray:
    out = np.zeros(len(sent_ids), bool)
    for t in rerank.NUMBER_TOKENS:
        term = index.vocab.get(t)
        if term is not None:
            out |= index.members(index.sentences.row(term)[0], sent_ids)[0]
    return out


def test_the_sentences_holding_a_number_word_are_found_once_for_the_index():
    index = Index.build(DOCS)
    every = np.arange(len(index.sent_spans))
    found = rerank.number_words_in(index, every)
    assert found.tolist() == _old_number_words_in(index, every).tolist()
    assert found.sum() >= 4  # four (twice), two, sixty, three
    assert rerank.number_word_sentences(index) is rerank.number_word_sentences(index)
    some = np.array([1, 2, 5, 7])
    assert rerank.number_words_in(index, some).tolist() == _old_number_words_in(
        index, some).tolist()
    assert NUMBER_WORDS  # the words folded to digits are what is looked for


def test_the_best_passages_lookups_equal_the_array_ones():
    index = Index.build(DOCS)
    for question in QUESTIONS:
        tokens = tokenize(question)
        known = [t for t in dict.fromkeys(tokens) if t in index.vocab]
        every = index.bm25_scores(tokens)
        for p in range(index.size):
            assert index.bm25_scores_of(tokens, np.array([p]))[0] == every[p]  # exactly
            holds = {t for t in known if p in index.passages.row(index.vocab[t])[0]}
            assert index.terms_in(known, p) == holds
        many = index.bm25_scores_of(tokens, np.arange(index.size))
        assert many.tolist() == every.tolist()


def test_a_short_texts_stems_are_kept_and_never_shared():
    tokens_module._short_cache.clear()
    first = tokenize("Islands")
    first.append("mutated")
    assert tokenize("Islands") == ["island"] == tokenize("islands")
    assert "Islands" in tokens_module._short_cache
    long_text = "The islands are disputed by Japan and Russia."
    assert tokenize(long_text) == ["island", "disput", "japan", "russia"]
    assert long_text not in tokens_module._short_cache


@pytest.fixture
def live_service(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)
    with without_idle_merge(tmp_path / "s.sqlite3", tmp_path / "index") as svc:
        yield svc


def test_on_a_live_index_too(live_service):
    store = live_service.stores.articles
    arts = [Article(t, tuple(p), url=f"https://example.org/{i}") for i, (t, p) in enumerate(DOCS)]
    store.ingest(arts[:2], "src")
    live_service.ask("why no peace treaty")
    store.ingest(arts[2:], "src")
    live_service.reload()
    corpus = live_service.corpus()
    index = corpus.index
    assert isinstance(index, live.LiveIndex)
    pids = list(range(index.size))
    every = np.arange(len(index.sent_spans))
    assert rerank.number_words_in(index, every).tolist() == _old_number_words_in(
        index, every).tolist()
    for question in QUESTIONS:
        weights = {t: 1.0 + 0.37 * i for i, t in enumerate(dict.fromkeys(tokenize(question)))}
        for pid, holding in zip(pids, sentence_terms(index, pids, weights), strict=True):
            _, _, text = corpus.passage(pid)
            spans = corpus.sentence_spans(pid)
            assert sentence_weights(holding, len(spans), weights) == plain_sentence_weights(
                text, spans, weights)
        tokens = tokenize(question)
        every_bm25 = index.bm25_scores(tokens)
        for p in pids:
            assert index.bm25_scores_of(tokens, np.array([p]))[0] == every_bm25[p]
