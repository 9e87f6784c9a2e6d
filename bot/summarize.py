"""Article -> extractive summary: a few of its own sentences, verbatim, in article order.

Pure and deterministic. Sentences are ranked by centrality (PageRank over BM25 similarity
between sentences, the TextRank/LexRank family), blended with a position prior (news leads
and op-ed theses sit early) and a title prior, then picked greedily with a redundancy check.
`about` turns it into a query-focused summary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

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


def _graph(sents: list[Sentence]) -> sparse.csr_matrix:
    """BM25 weights of each sentence's terms, term-major (vocab x n): the similarity graph's
    factor. Sentence i as a query scores sentence j by sum over i's distinct terms t of
    W[t, j], so the n x n similarity is Q.T @ W with Q the pattern of W; it is never built."""
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in s.tokens] for s in sents]
    flat = np.fromiter((t for row in ids for t in row), dtype=np.int32)
    lengths = np.fromiter((len(r) for r in ids), dtype=np.int64, count=len(ids))
    del ids
    post = build_postings(flat, lengths, len(vocab), 1.2, 0.75)
    # A negative idf (a term in most sentences of a tiny, repetitive text) is dropped rather
    # than allowed to cancel other terms' similarity: the dense matrix clipped sums at zero.
    data = np.maximum(post.data, 0.0)
    return sparse.csr_matrix((data, post.indices, post.indptr), shape=(len(vocab), len(sents)))


def _centrality(sents: list[Sentence], damping: float = 0.85, iters: int = 60) -> np.ndarray:
    """PageRank over the symmetric BM25 similarity graph, by sparse products with its factors.

    sim = Q.T @ W (each sentence as a query against the others), the graph is
    S = (sim + sim.T) / 2 with a zero diagonal, rows normalised; a row with no neighbour jumps
    uniformly. Every product below touches each posting once: cost and memory are linear in
    the article's length, where the dense n x n matrix was quadratic.
    """
    n = len(sents)
    w = _graph(sents)
    q = w.copy()
    q.data = np.ones_like(q.data)
    wt, qt = w.T.tocsr(), q.T.tocsr()
    diag = np.bincount(w.indices, weights=w.data, minlength=n)  # sim[i, i]

    def sym(x: np.ndarray) -> np.ndarray:  # x @ S
        return 0.5 * (wt @ (q @ x) + qt @ (w @ x)) - x * diag

    rows = sym(np.ones(n))
    # A sentence sharing no weighted term with another has an empty row; rounding in the
    # sums above must not turn its exact zero into a tiny positive degree.
    shared = (qt @ (np.asarray((w > 0).sum(axis=1)).ravel() >= 2)) > 0
    rows = np.where(shared, rows, 0.0)
    linked = rows > 0
    inv = np.divide(1.0, rows, out=np.zeros(n), where=linked)
    rank = np.full(n, 1.0 / n)
    for _ in range(iters):
        new = (1 - damping) / n + damping * (sym(rank * inv) + rank[~linked].sum() / n)
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
    central = _centrality(sents) * n if n > 1 else np.ones(1)
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
