"""Re-ranking evidence from a candidate's neighbours in its article.

News paragraphs run to one or two sentences, so the sentence a quiz question was written
from often sits beside the one that repeats its words (the lead states the event, the next
paragraph names who). A candidate whose previous or next paragraph also holds much of the
question is more likely the place the question is about (benchmarks/fit_rerank.py).
"""

from __future__ import annotations

import numpy as np

from bot.index import Index


def neighbour_share(index: Index, weights: dict[str, float], cand: np.ndarray) -> np.ndarray:
    """Per candidate, the larger of the question weight its previous and its next passage
    hold (the same article's only: an article's passages are consecutive ids)."""
    last = len(index.passage_article) - 1
    arts = index.passage_article[cand]
    prev, nxt = np.maximum(cand - 1, 0), np.minimum(cand + 1, last)
    has_prev = (cand > 0) & (index.passage_article[prev] == arts)
    has_next = (cand < last) & (index.passage_article[nxt] == arts)
    before, after = np.zeros(len(cand)), np.zeros(len(cand))
    for t, w in weights.items():
        term = index.vocab.get(t)
        if term is None:
            continue
        idx = index.passages.row(term)[0]
        before[index.members(idx, prev)[0] & has_prev] += w
        after[index.members(idx, nxt)[0] & has_next] += w
    return np.maximum(before, after)
