"""Article -> extractive summary: a few of its own sentences, verbatim, in article order.

Pure and deterministic. Sentences are ranked by centrality (PageRank over BM25 similarity
between sentences, the TextRank/LexRank family), blended with a position prior (news leads
and op-ed theses sit early) and a title prior, then picked greedily with a redundancy check.
`about` turns it into a query-focused summary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.postings import build_postings
from bot.text import sentence_spans, tokenize

DEFAULT_SENTENCES = 3
MAX_SENTENCES = 10
MIN_WORDS = 8  # shorter fragments (datelines, bylines, captions) are never picked alone
MAX_WORDS = 80
REDUNDANCY = 0.55  # skip a sentence sharing more than this share of its words with a pick

# Blend weights, tuned on the CNN/DM validation items (benchmarks/summaries.py).
W_CENTRAL = 1.0
W_POSITION = 8.0
W_TITLE = 0.3
POSITION_DECAY = 0.35
QUESTION_PENALTY = 6.0


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    order: int
    tokens: tuple[str, ...]


def sentences_of(paragraphs: list[str] | tuple[str, ...]) -> list[Sentence]:
    """Every sentence of the article, verbatim, with its paragraph and position."""
    out: list[Sentence] = []
    for p, para in enumerate(paragraphs):
        for a, b in sentence_spans(para):
            text = para[a:b].strip()
            if text:
                out.append(Sentence(text, p, len(out), tuple(tokenize(text))))
    return out


def _similarity(sents: list[Sentence]) -> np.ndarray:
    """Symmetric BM25 similarity between sentences (each as a query against the others)."""
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in s.tokens] for s in sents]
    n = len(sents)
    flat = np.array([t for row in ids for t in row], dtype=np.int32)
    lengths = np.array([len(r) for r in ids], dtype=np.int64)
    post = build_postings(flat, lengths, len(vocab), 1.2, 0.75)
    # Dense is fine: articles have at most a few hundred sentences.
    weights = np.zeros((len(vocab), n))
    for t in range(len(vocab)):
        idx, w = post.row(t)
        weights[t, idx] = w
    presence = np.zeros((n, len(vocab)))
    for i, row in enumerate(ids):
        presence[i, row] = 1.0
    sim = presence @ weights
    sim = np.maximum(sim, 0.0)
    sim = (sim + sim.T) / 2
    np.fill_diagonal(sim, 0.0)
    return sim


def _pagerank(sim: np.ndarray, damping: float = 0.85, iters: int = 60) -> np.ndarray:
    n = len(sim)
    rows = sim.sum(axis=1, keepdims=True)
    trans = np.divide(sim, rows, out=np.full_like(sim, 1.0 / n), where=rows > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(iters):
        new = (1 - damping) / n + damping * (rank @ trans)
        if np.abs(new - rank).sum() < 1e-10:
            return new
        rank = new
    return rank


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0


def score_sentences(title: str, sents: list[Sentence], about: str = "") -> np.ndarray:
    """A score per sentence; higher is more summary-worthy."""
    n = len(sents)
    if n == 0:
        return np.zeros(0)
    central = _pagerank(_similarity(sents)) * n if n > 1 else np.ones(1)
    position = np.exp(-POSITION_DECAY * np.arange(n))
    title_words = set(tokenize(title))
    title_sim = np.array(
        [len(title_words & set(s.tokens)) / (len(title_words) or 1) for s in sents]
    )
    score = W_CENTRAL * central + W_POSITION * position + W_TITLE * title_sim
    # Rhetorical questions are hooks ("Why should we care?"), not the gist.
    score -= np.array([QUESTION_PENALTY if s.text.rstrip("\"'\u201d\u2019").endswith("?") else 0.0
                       for s in sents])
    if about:
        q = set(tokenize(about))
        focus = np.array([len(q & set(s.tokens)) / (len(q) or 1) for s in sents])
        score = focus * 10 + 0.1 * score
    return score


def summarize(
    title: str,
    paragraphs: list[str] | tuple[str, ...],
    sentences: int = DEFAULT_SENTENCES,
    about: str = "",
    max_chars: int | None = None,
) -> list[str]:
    """The article's most summary-worthy sentences, verbatim and in article order."""
    sentences = max(1, min(int(sentences), MAX_SENTENCES))
    sents = sentences_of(paragraphs)
    if not sents:
        return []
    scores = score_sentences(title, sents, about)
    eligible = [s for s in sents if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS] or sents
    ranked = sorted(eligible, key=lambda s: (-scores[s.order], s.order))
    chosen: list[Sentence] = []
    used = 0
    for s in ranked:
        if len(chosen) == sentences:
            break
        if any(_overlap(s.tokens, c.tokens) > REDUNDANCY for c in chosen):
            continue
        if max_chars is not None and used + len(s.text) > max_chars and chosen:
            continue
        chosen.append(s)
        used += len(s.text) + 1
    return [s.text for s in sorted(chosen, key=lambda s: s.order)]
