"""The first stage's pruning (bot/pruning.py) finds exactly what scoring every posting finds:
the same passages, the same float scores, ties at the k-th score given to the lowest ids, on
a plain index and on a live one with deltas and dead passages."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from bot import live, pruning
from bot.config import Config
from bot.index import Index
from bot.models import Article
from bot.service import Service
from bot.store import open_stores
from bot.text import tokenize

# Few words, few lengths: many passages tie exactly, and common words hold most postings.
WORDS = "whale harbour copper glacier treaty summit fleet border".split()


@pytest.fixture
def always_prune(monkeypatch):
    """Pruning tried on every question, however few its postings."""
    monkeypatch.setattr(pruning, "EXHAUSTIVE_MAX", 0)
    monkeypatch.setattr(pruning, "CANDIDATE_SHARE", 1.0)


def exhaustive(index: Index, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    scores, touched = index._scores_and_touched(tokens)
    return pruning.best_k(touched, scores[touched], k)


def assert_same(index: Index, tokens: list[str], k: int) -> bool:
    """The pruned first stage equals the exhaustive one (ids and scores bit for bit) and
    `retrieve` returns it; True when pruning answered."""
    want = exhaustive(index, tokens, k)
    found = pruning.top_k(index.pruning_rows(), index.term_ids(tokens), k)
    got = index.retrieve(tokens, k)
    for ids, scores in [got] + ([found] if found is not None else []):
        assert ids.tolist() == want[0].tolist()
        assert scores.tobytes() == want[1].tobytes()
    return found is not None


texts = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join),
                 min_size=2, max_size=60)
questions = st.lists(st.sampled_from([*WORDS, "unknownword"]), min_size=1, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                        HealthCheck.function_scoped_fixture])
@given(texts, st.lists(questions, min_size=1, max_size=5), st.integers(1, 12))
def test_pruned_top_k_equals_scoring_every_posting(always_prune, paragraphs, qs, k):
    index = Index.build([("", paragraphs)])
    for q in qs:
        assert_same(index, tokenize(" ".join(q)), k)


def test_ties_at_the_kth_score_go_to_the_lowest_ids(always_prune):
    """30 identical passages holding the rare word, 90 holding only the common one: pruning
    answers from the rare word's passages, and the 5 kept are the lowest of the tied."""
    paragraphs = ["harbour"] * 140 + ["copper"] * 60 + ["whale copper"] * 30 + ["copper"] * 30
    paragraphs += ["harbour"] * 100
    index = Index.build([("", paragraphs)])
    tokens = tokenize("whale copper")
    assert assert_same(index, tokens, 5)
    ids, scores = index.retrieve(tokens, 5)
    assert ids.tolist() == [200, 201, 202, 203, 204]
    assert len(set(scores.tolist())) == 1
    # Equal to rank-bm25's scores, and no passage left out scores more.
    reference = BM25Okapi([tokenize(p) for p in paragraphs], k1=0.9, b=0.4).get_scores(tokens)
    assert np.max(np.abs(reference[ids] - scores)) <= 1e-9
    assert reference.max() <= scores.min() + 1e-9


def test_pruning_skips_the_common_words_postings(always_prune):
    """The common word is looked up for the rare word's passages only."""
    paragraphs = ["copper"] * 300 + ["whale copper copper"] * 3 + ["whale"] * 3
    paragraphs += ["harbour"] * 400
    index = Index.build([("", paragraphs)])
    rows = index.pruning_rows()
    looked: list[tuple[int, int]] = []
    real_at, real_row = rows.at, rows.row
    rows.at = lambda t, cand: looked.append((t, len(cand))) or real_at(t, cand)
    rows.row = lambda t: looked.append((t, -1)) or real_row(t)
    tokens = tokenize("whale copper")
    found = pruning.top_k(rows, index.term_ids(tokens), 2)
    assert found is not None and found[0].tolist() == exhaustive(index, tokens, 2)[0].tolist()
    copper = index.vocab["copper"]
    assert (copper, -1) not in looked  # its postings never gathered whole
    assert all(n <= 6 for t, n in looked if n >= 0)  # only (some of) the 6 whale passages


@pytest.mark.parametrize("seed", range(3))
def test_a_live_index_prunes_exactly_over_deltas_and_dead_passages(always_prune, tmp_path,
                                                                  monkeypatch, seed):
    monkeypatch.setattr("bot.service.MERGE_SHARE", 1.0)  # deltas only: no merge here
    monkeypatch.setattr("bot.service.MAX_LAYERS", 100)
    rng = random.Random(seed)
    stores = open_stores(tmp_path / "s.sqlite3")
    service = Service(stores, Config(), index_dir=tmp_path / "index")
    service.merge_idle_seconds = 3600.0

    def article(n: int) -> Article:
        paras = tuple(" ".join(rng.choice(WORDS[: rng.randint(2, len(WORDS))])
                               for _ in range(rng.randint(1, 6)))
                      for _ in range(rng.randint(1, 5)))
        return Article(rng.choice(["", "Whale harbour"]), paras, url=f"https://example.org/{n}")

    current = {n: article(n) for n in range(30)}
    stores.articles.ingest(current.values(), "src")
    service.reload()
    pruned = 0
    for step in range(8):
        n = rng.choice(list(current))
        if step % 3 == 2:
            current.pop(n)
            stores.articles.ingest(current.values(), "src", complete=True)
        else:
            n = n if step % 3 else 100 + step  # a change, or a new article
            current[n] = article(n)
            stores.articles.ingest([current[n]], "src")
        index = service.reload().index
        assert isinstance(index, live.LiveIndex)
        dead = np.ones(index.size, dtype=bool)
        for layer, pid0 in zip(index.layers, index.pid0, strict=True):
            dead[pid0:pid0 + layer.index.size] = ~layer.alive_passages
        for _ in range(8):
            tokens = tokenize(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))))
            k = rng.randint(1, 10)
            pruned += assert_same(index, tokens, k)
            assert not dead[index.retrieve(tokens, k)[0]].any()
    assert pruned  # the pruned path was taken, not only the fallback
    if service._merge_timer is not None:
        service._merge_timer.cancel()
    stores.close()
