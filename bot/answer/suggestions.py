"""Article titles suggested when the articles do not answer: those of the best partial
matches, else the titles most like the question."""

from __future__ import annotations

from bot.corpus import Corpus

# A question word this heavy (rarer in English, or on the site, than "today", "week" or
# "night") is one an article may be suggested for; sharing only lighter ones, an article is
# noise to a question about something else ("what's the weather today?").
SUGGEST_MIN_WEIGHT = 3.4


def shares_a_weighty_word(index, weights: dict[str, float]) -> bool:
    """Does some article hold a question word of weight (SUGGEST_MIN_WEIGHT)?"""
    return any(w >= SUGGEST_MIN_WEIGHT and t in index.vocab for t, w in weights.items())


def suggest(corpus: Corpus, question: str, ranked: list[int], limit: int = 3) -> tuple[str, ...]:
    """Nearest article titles: those of the best partial matches, else by title likeness
    (bot/titles.py)."""
    titles: list[str] = []
    for pid in ranked:
        title = corpus.articles[corpus.article_position(pid)].title
        if title not in titles:
            titles.append(title)
        if len(titles) == limit:
            return tuple(titles)
    return (*titles, *corpus.title_matcher.nearest(question, limit - len(titles), titles))
