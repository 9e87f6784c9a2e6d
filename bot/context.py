"""Re-ranking evidence from where a candidate stands in its article.

News is written as an inverted pyramid: the event, who and where come first, and a quiz
question about it is mostly answered early in the article. Wikipedia-style pages (SQuAD)
are not: their answers sit anywhere. The two are told apart by their layout, not by a
setting: news paragraphs run to a sentence or two (the news dev set's articles average 1.5
sentences a paragraph, SQuAD's 5), so only a short passage of an article made of short
paragraphs is weighed by its position (benchmarks/fit_rerank.py, README "Real readers'
questions").
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from bot.index import Index, article_passages
from bot.pruning import find

SHORT_PASSAGE = 2  # sentences: a news paragraph
NEWS_LAYOUT = 2.5  # an article whose paragraphs average at most this many sentences
# On a site of a handful of articles, readers ask about any part of one they have read; the
# pull of the lead grows with the number of articles that compete (log-scaled), in full
# from ARCHIVE articles (the news set: 398; its half and 100-article subsets are unchanged).
ARCHIVE = 100
# Words weighing less (English's commonest, zipf above about 6: "make", "mean", "side") do
# not count in `within_article`: rare in one article by chance, they would pick its
# paragraph ("why do the islands mean so much to the Japanese side?").
WITHIN_MIN_WEIGHT = 2.0


def position_prior(index: Index, cand: np.ndarray) -> np.ndarray:
    """-log(1 + paragraph index) for each candidate that is a short passage of a
    news-style article, 0 for the others (an article's passages are consecutive ids); less
    on a site of fewer than ARCHIVE articles."""
    arts = index.passage_article[cand]
    lo, hi = article_passages(index, arts)
    ptr = index.sent_ptr
    layout = (ptr[hi] - ptr[lo]) / np.maximum(hi - lo, 1)
    news = (ptr[cand + 1] - ptr[cand] <= SHORT_PASSAGE) & (layout <= NEWS_LAYOUT)
    return np.where(news, -np.log1p(index.passage_para[cand]), 0.0) * archive_share(index)


def articles(index: Index) -> int:
    """How many articles the site has (at least 1)."""
    return int(index.passage_article[-1]) + 1 if index.size else 1


def archive_share(index: Index) -> float:
    """How much the site is an archive (1 from ARCHIVE articles) rather than a handful of
    articles (log-scaled)."""
    return min(1.0, float(np.log1p(articles(index)) / np.log1p(ARCHIVE)))


def within_article(index: Index, weights: dict[str, float], cand: np.ndarray) -> np.ndarray:
    """The question weight each candidate holds, each word weighed by how few of its
    article's paragraphs hold it (1 for one paragraph, near 0 for all of them), as a share
    of the question's weight; none on an archive.

    On a site of a handful of articles an article's topic words ("Amazon", "fund") are rare
    site-wide, so its lead, which names them most, outranks the paragraph that holds what
    was asked ("which countries gave money"). Within the article those words are in every
    paragraph and say nothing; the words of the question that few paragraphs hold point to
    the one that answers. An archive's questions are about events its leads report (the
    news set: R@1 0.452 -> 0.420 with this at full weight), so it fades as `position_prior`
    grows."""
    scale = 1.0 - archive_share(index)
    out = np.zeros(len(cand))
    total = sum(weights.values())
    if scale <= 0.0 or not total or not len(cand):
        return out
    lo, hi = article_passages(index, index.passage_article[cand])
    size = (hi - lo).astype(float)
    # idf within the article, relative to a word of one paragraph: log((n+1)/(df+0.5)) /
    # log((n+1)/1.5).
    one = np.log((size + 1.0) / 1.5)
    for w, held, idx in in_articles(index, weights, cand):
        if w < WITHIN_MIN_WEIGHT:
            continue  # "side", "make": a common word in one paragraph picks nothing
        hit = index.members(idx, cand)[0]
        out[hit] += w * (np.log((size[hit] + 1.0) / (held[hit] + 0.5)) / one[hit])
    return out * (scale / total)


def in_articles(index: Index, weights: dict[str, float], cand: np.ndarray
                ) -> Iterator[tuple[float, np.ndarray, np.ndarray]]:
    """For each question word the site holds: its weight, how many passages of each
    candidate's article hold it, and its postings (an article's passages are consecutive
    ids: one search for both ends of every article)."""
    bounds = np.concatenate(article_passages(index, index.passage_article[cand]))
    n = len(cand)
    for t, w in weights.items():
        term = index.vocab.get(t)
        if term is None:
            continue
        idx = index.passages.row(term)[0]
        if not len(idx):
            continue
        at = find(idx, bounds)
        yield w, at[n:] - at[:n], idx
