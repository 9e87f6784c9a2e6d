"""Which of a question's ranked passages are shown: each text once (the copy with a link of
its own), and not all from one article when another answers too."""

from __future__ import annotations

import numpy as np

from bot.corpus import Corpus
from bot.rerank import Ranked

# Another article answers too when its passage's support (the share of the question's weight
# that it holds, blended with the share held by its best sentence) reaches this. A share, not
# a raw score, so the rule does not depend on the corpus size or the question length.
MIN_COVERAGE = 0.5


def distinct(corpus: Corpus, ids: np.ndarray, top: int) -> list[int]:
    """The best `top` passages, each text once: the same article stored twice (a saved file
    and its page's URL) would show one paragraph two or three times. Of the copies, one
    with a link of its own is shown."""
    chosen: dict[str, int] = {}
    for pid in map(int, ids):
        text = _plain(corpus, pid)
        if text not in chosen:
            if len(chosen) == top:
                continue  # later copies of those chosen may still bring their link
            chosen[text] = pid
        elif not corpus.passage(chosen[text])[0].url and corpus.passage(pid)[0].url:
            chosen[text] = pid
    return list(chosen.values())


def diversify(corpus: Corpus, ranked: Ranked, total: float, chosen: list[int]) -> list[int]:
    """Not all hits from one article, unless no other article answers too (its support, the
    blend of the question's weight it holds and its best sentence holds, reaches
    MIN_COVERAGE)."""
    art_of = corpus.article_position
    if len({art_of(p) for p in chosen}) > 1:
        return chosen
    support = (0.7 * ranked.held + 0.3 * ranked.in_sentence) / (total or 1.0)
    shown = {_plain(corpus, p) for p in chosen}
    for j in range(len(chosen), len(ranked.ids)):
        pid = int(ranked.ids[j])
        if art_of(pid) != art_of(chosen[0]) and support[j] >= MIN_COVERAGE and \
                _plain(corpus, pid) not in shown:
            return [*chosen[:-1], pid]
    return chosen


def _plain(corpus: Corpus, pid: int) -> str:
    """A passage's text, its spacing made plain (to tell the same passage stored twice);
    read without making its article's object (an archive's start makes none)."""
    return " ".join(corpus.texts[pid].split())
