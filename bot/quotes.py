"""Quotes: a passage whole, or its sentences that hold the question's words (and their
neighbours, where the answer most often stands), verbatim; and the weight each sentence of a
passage holds, read from the index's sentence postings."""

from __future__ import annotations

import re

import numpy as np

from bot.pruning import find
from bot.references import title_words
from bot.text import tokenize, word_spans

# A passage up to WHOLE_PASSAGE_CHARS is quoted whole; a longer one by its best sentences
# within QUOTE_CHARS (SQuAD: the answer is in the top quote of 98.2% of right top-1 hits;
# 96.7% at 600/450).
QUOTE_CHARS = 520
WHOLE_PASSAGE_CHARS = 700
GAP = " \u2026 "
TITLE_WORD_SHARE = 0.25  # a title word's weight when choosing the sentences to quote


# "Why …?" is answered by a reason: a sentence that gives one ("because", "due to", "which
# form the basis of tensions", "aren't willing to negotiate") is quoted beside the sentences
# that hold the question's words, though it may hold none of them.
ASKS_WHY = re.compile(r"\bwhy\b|\bhow\s+come\b|\bwhat(?:'s|\s+is|\s+was)?\s+(?:the\s+)?"
                      r"(?:reason|cause)\b", re.I)
_REASON = re.compile(r"\b(?:because|due\s+to|owing\s+to|thanks\s+to|as\s+a\s+result|reasons?|"
                     r"basis|caused|causing|causes?\s+of|stems?\s+from|led\s+to|leads?\s+to|blame[sd]?|"
                     r"in\s+order\s+to|so\s+that|for\s+fear|unwilling|(?:not|n['\u2019]t)\s+"
                     r"willing|refus(?:e|es|ed|ing|al)|declin(?:e|es|ed|ing)|reject(?:s|ed|ing)?|"
                     r"dispute[sd]?|sticking\s+point|obstacles?|stumbling\s+block)\b", re.I)
REASON_SHARE = 0.6  # of the best sentence's weight, added to a sentence that gives a reason


def with_reasons(held: list[float], text: str, spans: list[tuple[int, int]]) -> list[float]:
    """Each sentence's weight for quoting, a sentence that gives a reason raised (for a "why"
    question)."""
    bonus = REASON_SHARE * max(held, default=0.0)
    return [h + bonus * bool(_REASON.search(text, a, b)) for h, (a, b) in
            zip(held, spans, strict=True)]


def quote_weights(weights: dict[str, float], title: str = "") -> dict[str, float]:
    """The question's word weights for choosing sentences to quote. Words of the article's
    title count for little: the title already says them, and they recur in every sentence,
    so they would pick sentences that merely repeat them."""
    if not title:
        return weights
    in_title = title_words(title)
    return {t: w * TITLE_WORD_SHARE if t in in_title else w for t, w in weights.items()}


def make_quote(text: str, spans: list[tuple[int, int]], weights: dict[str, float],
               title: str = "", held: list[float] | None = None) -> str:
    """The passage itself, or its best sentences (in order) within QUOTE_CHARS, verbatim.

    `held`: the weight (`quote_weights`) each sentence holds, when the index knows it
    already; else each sentence is tokenized here."""
    if len(text) <= WHOLE_PASSAGE_CHARS:
        return text.strip()
    weights = quote_weights(weights, title)
    if len(spans) <= 1:
        return _window(text, weights)
    if held is None:
        held = []
        for a, b in spans:
            words = set(tokenize(text[a:b]))
            held.append(sum(w for t, w in weights.items() if t in words))
    scored = [(h, i) for i, h in enumerate(held)]
    best = max(scored, key=lambda s: (s[0], -s[1]))[1]
    chosen = {best}
    used = spans[best][1] - spans[best][0]
    # The answer is most often in the best sentence, in another that holds the question's
    # words, or next to the best: the other matching sentences, best first, then its
    # neighbours (the neighbours first: SQuAD's answer in the top quote 98.0%, against
    # 98.3% this way; fourteenth session).
    ranked = [i for s, i in sorted(scored, key=lambda s: (-s[0], s[1])) if s > 0]
    for i in ranked + [best + 1, best - 1]:
        if i in chosen or not 0 <= i < len(spans):
            continue
        length = spans[i][1] - spans[i][0]
        if used + length + len(GAP) <= QUOTE_CHARS:
            chosen.add(i)
            used += length + len(GAP)
    pieces: list[str] = []
    run_start = prev = None
    for i in sorted(chosen):
        if prev is not None and i == prev + 1:
            prev = i
            continue
        if run_start is not None:
            pieces.append(text[spans[run_start][0] : spans[prev][1]])
        run_start = prev = i
    pieces.append(text[spans[run_start][0] : spans[prev][1]])
    if len(pieces) == 1 and len(pieces[0]) > 2 * QUOTE_CHARS:  # one endless sentence
        return _window(pieces[0], weights)
    return GAP.join(p.strip() for p in pieces)


def _window(text: str, weights: dict[str, float]) -> str:
    """A verbatim stretch of about QUOTE_CHARS around the first question word, cut between
    words (for text without usable sentence breaks)."""
    if len(text) <= 2 * QUOTE_CHARS:
        return text.strip()
    first = next((a for a, _, stem in word_spans(text) if stem in weights), 0)
    start = max(0, first - QUOTE_CHARS // 4)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + QUOTE_CHARS)
    cut = text.rfind(" ", start, end)
    if end < len(text) and cut > start:
        end = cut
    return text[start:end].strip()


def sentence_terms(index, pids: list[int], words) -> list[list[tuple[str, list[int]]]]:
    """For each passage of `pids`: (word, the sentences holding it, numbered from the
    passage's first) for each of the `words` the index knows, in their order. Read from the
    index's sentence postings (the same tokens `make_quote` would find, without tokenizing
    the passages again): a passage's sentences are consecutive ids, so those holding a word
    are the stretch of its posting between the passage's first and last, found for all the
    passages by one binary search a word."""
    bounds = np.array([(index.sent_ptr[p], index.sent_ptr[p + 1]) for p in pids],
                      dtype=np.int64).reshape(-1)
    firsts = bounds[::2].tolist()
    out: list[list[tuple[str, list[int]]]] = [[] for _ in pids]
    for t in words:
        term = index.vocab.get(t)
        if term is None:
            continue
        idx = index.sentences.row(term)[0]
        at = find(idx, bounds).tolist()
        for i, first in enumerate(firsts):
            lo, hi = at[2 * i], at[2 * i + 1]
            out[i].append((t, [s - first for s in idx[lo:hi].tolist()] if hi > lo else []))
    return out


def sentence_weights(holding: list[tuple[str, list[int]]], count: int,
                     weights: dict[str, float]) -> list[float]:
    """The weight each of a passage's `count` sentences holds: the weights of the words
    (`sentence_terms`) it holds, added in the words' order."""
    out = [0.0] * count
    for t, sentences in holding:
        w = weights[t]
        for i in sentences:
            out[i] += w
    return out
