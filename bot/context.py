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

import numpy as np

from bot.index import Index, article_passages

SHORT_PASSAGE = 2  # sentences: a news paragraph
NEWS_LAYOUT = 2.5  # an article whose paragraphs average at most this many sentences
# On a site of a handful of articles, readers ask about any part of one they have read; the
# pull of the lead grows with the number of articles that compete (log-scaled), in full
# from ARCHIVE articles (the news set: 398; its half and 100-article subsets are unchanged).
ARCHIVE = 100


def position_prior(index: Index, cand: np.ndarray) -> np.ndarray:
    """-log(1 + paragraph index) for each candidate that is a short passage of a
    news-style article, 0 for the others (an article's passages are consecutive ids); less
    on a site of fewer than ARCHIVE articles."""
    arts = index.passage_article[cand]
    lo, hi = article_passages(index, arts)
    ptr = index.sent_ptr
    layout = (ptr[hi] - ptr[lo]) / np.maximum(hi - lo, 1)
    news = (ptr[cand + 1] - ptr[cand] <= SHORT_PASSAGE) & (layout <= NEWS_LAYOUT)
    articles = int(index.passage_article[-1]) + 1 if index.size else 1
    scale = min(1.0, np.log1p(articles) / np.log1p(ARCHIVE))
    return np.where(news, -np.log1p(index.passage_para[cand]), 0.0) * scale
