"""Re-ranking is apart from retrieval: any first stage with `retrieve(tokens, k)` can supply
the candidates, and the index's own BM25 is only the default."""

from __future__ import annotations

import numpy as np

from bot import rerank
from bot.index import Index
from bot.text import tokenize

DOCS = [
    ("Navy", ["The Pacific fleet sails from Vladivostok.", "Submarines patrol the Kuril Islands."]),
    ("Treaty", ["Japan and Russia never signed a peace treaty.", "The islands are disputed."]),
    ("Yemen", ["The civil war in Yemen began in 2014."]),
]


class OddOnly:
    """Another engine: only odd passage ids, in reverse order, with made-up scores."""

    def __init__(self, index: Index) -> None:
        self.index = index

    def retrieve(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        ids, scores = self.index.retrieve(tokens, k)
        keep = ids % 2 == 1
        return ids[keep][::-1], np.ones(int(keep.sum()))


def test_the_first_stage_is_a_seam():
    index = Index.build(DOCS)
    tokens = tokenize("which islands are disputed between japan and russia")
    default = rerank.rank(index, tokens, k=5)
    assert {int(i) for i in default.ids} == {1, 2, 3}  # passages holding a question word
    other = rerank.rank(index, tokens, k=5, retriever=OddOnly(index))
    assert [int(i) for i in other.ids] and all(int(i) % 2 == 1 for i in other.ids)
    assert int(other.ids[0]) == 3  # "The islands are disputed." re-ranked first by features


def test_retrieve_returns_the_best_bm25_candidates():
    index = Index.build(DOCS)
    tokens = tokenize("Kuril Islands fleet")
    ids, scores = index.retrieve(tokens, 2)
    full = index.bm25_scores(tokens)
    assert sorted(scores.tolist(), reverse=True) == sorted(full, reverse=True)[:2]
    assert np.allclose(full[ids], scores)
