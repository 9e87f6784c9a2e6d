"""Article -> extractive summary: a few of its own sentences, verbatim, in article order.

Pure and deterministic. Sentences are ranked by centrality (PageRank over BM25 similarity
between sentences, the TextRank/LexRank family), blended with a position prior (news leads
and op-ed theses sit early) and a title prior, then picked greedily with a redundancy check.
`about` turns it into a query-focused summary. The similarity graph is kept factored as
sparse BM25 weights, so time and memory grow linearly with the article, not with its square.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from bot.errors import ArticleTooLong
from bot.postings import build_postings
from bot.text import TermIds, sentence_spans, tokenize, truncate

if TYPE_CHECKING:  # scipy is imported where used: a start that only answers skips it (0.3 s)
    from scipy import sparse

DEFAULT_SENTENCES = 3
# A summary takes at most PER_PARAGRAPH sentences of one paragraph while others have some to
# give, in an article of SPREAD_PARAGRAPHS paragraphs or more: an explainer's long first
# paragraph is its setting, not the whole of its gist.
PER_PARAGRAPH = 2
SPREAD_PARAGRAPHS = 3
MAX_SENTENCES = 10
MIN_WORDS = 8  # shorter fragments (datelines, bylines, captions) are never picked alone
# A sentence's end: a full stop, a question or exclamation mark, an ellipsis, a colon, maybe
# inside quotes or brackets.
_ENDED = re.compile(r"[.!?\u2026:;][\"'\u201d\u2019)\]]*\s*$")
MAX_WORDS = 80
REDUNDANCY = 0.55  # skip a sentence sharing more than this share of its words with a pick
# Sentences ranked per article: about 15 MB of news prose, far above any real article. Past
# it the lead and an even spread of the rest are ranked, so the cost stays bounded.
MAX_CONSIDERED = 100_000
LEAD = 1_000
# Longer text is refused, not summarised: reading it alone would take tens of seconds.
MAX_ARTICLE_CHARS = 10_000_000

# Blend weights, tuned on the CNN/DM validation items (benchmarks/summaries.py).
W_CENTRAL = 1.0
W_POSITION = 8.0
W_TITLE = 0.3
POSITION_DECAY = 0.35
QUESTION_PENALTY = 6.0
# A sentence whose subject or speaker is only a pronoun ("'The dam will give electricity,'
# she said", "He added that ...") names no one when the sentence before it is not shown: it
# is picked only after it, or when nothing else is left.
# So does one that goes on from the sentence before ("It is also the wrong answer.", "It
# weakens our case", "This means …", "The first is …", "Second, move the fight to Brussels.";
# not "It is time to …", "It takes two hours", "This is the first time", "Second World War").
_PRONOUN_LED = re.compile(r"^\W*(?:he|she|they|his|her|their)\b|[,\u201d\"]\s*(?:he|she|they)\s+"
                          r"(?:said|says|added|adds|told|tells|warned|argued|noted|insisted)\b|"
                          r"^\W*it\s+(?:is|was)\s+(?:also|not|only|just|the\s+(?:wrong|right|same|"
                          r"real|main|other))\b|"
                          r"^\W*it\s+(?!(?:is|was|has|takes|seems|appears|remains|happens|"
                          r"matters|depends|costs|looks)\b)[a-z]+s\b|"
                          r"^\W*(?:this|that)\s+(?:means|meant)\b|"
                          r"^\W*(?:the\s+)?(?:first|second|third|fourth|last|other)\s+(?:is|was|one)\b|"
                          r"^\W*(?:second(?:ly)?|third(?:ly)?|fourth|finally|lastly)\s*[,:]",
                          re.I)


# An op-ed's argument is its gist as much as its opening: a summary of three sentences or
# more holds one sentence that recommends in the author's own voice ("Australia should pair
# the ballot with a skills fund", "my recommendation is …"; outside quotation marks), when
# the article's second half holds at least OPINION_SENTENCES of them (an op-ed's, not a
# report's: one news article in twenty has that many on CNN/DM and XSum).
# An author who argues in the first person ("I argue that Norway should …", "I propose three
# things"), or a title that says it is one ("Opinion: …"), makes it an op-ed whatever its
# second half holds; its argument may then stand anywhere.
OPINION_SENTENCES = 2
_FIRST_PERSON = re.compile(r"\b(?:I|we)\s+(?:recommend|propose|urge|argue|contend)\b|"
                           r"\bmy\s+(?:recommendation|proposal|argument)\b", re.I)
_OPINION_TITLE = re.compile(r"\W*(?:opinion|op-?ed|comment|commentary|editorial|column|"
                            r"viewpoint|perspective)\s*(?::|\||\s[-\u2013\u2014]\s)", re.I)
_RECOMMENDS = re.compile(r"(?<=\w )(?:should|must|ought\s+to|needs?\s+to)\b|"
                         r"(?<=\w, )(?:should|must)\b(?!\s+(?:the|a|an|this|that|these|those|it|"
                         r"they|he|she|we|you|i|there|prices|rates)\b)|"
                         r"\b(?:I|we)\s+(?:recommend|propose|urge|believe|argue)\b|"
                         r"\bmy\s+(?:recommendation|proposal|argument)\b", re.I)
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]")
# ... and neither reported ("the minister said the bank should …") nor part of a quotation
# the sentence splitter cut ("“We must act now." of a quote running on).
_REPORTED = re.compile(r"\b(?:said|says|say|told|tells|according\s+to|argued|argues|warned|"
                       r"warns|added|adds|insisted|insists)\b|[\"\u201c\u201d]", re.I)


def _argues(text: str) -> bool:
    """Does the sentence recommend in its author's voice (not inside a quotation, not
    reported, not led by a pronoun whose sentence before is not shown)?"""
    rest = _QUOTED.sub(" ", text)
    return bool(_RECOMMENDS.search(rest)) and not _REPORTED.search(rest) and \
        not _PRONOUN_LED.search(text)


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    order: int  # position among the sentences ranked
    terms: tuple[int, ...]  # `tokenize`'s stems, as ids into the article's vocabulary


def _considered(total: int) -> np.ndarray | None:
    """Which sentences are ranked when there are more than MAX_CONSIDERED (None: all): the
    lead, then an even spread over the rest, so every part of the article still counts."""
    if total <= MAX_CONSIDERED:
        return None
    spread = np.linspace(LEAD, total - 1, MAX_CONSIDERED - LEAD).round().astype(np.int64)
    return np.concatenate([np.arange(LEAD), spread])


QUOTE_SENTENCES = 3  # a quotation spanning at most this many sentences is kept whole


def whole_quotes(para: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence spans with a quotation that runs on into the next sentences joined to
    them (up to QUOTE_SENTENCES): '"In July alone we lost 38 GWh.' alone is a fragment
    with its quotation mark left open, '... That is money we will never see."' is not. (The
    sentences of a longer one stay apart; the summary puts off the one left open.)"""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        a, b = spans[i]
        end = next((j for j in range(i, min(i + QUOTE_SENTENCES, len(spans)))
                    if not _open_quote(para[a:spans[j][1]])), i)
        out.append((a, spans[end][1]))
        i = end + 1
    return out


# A quotation mark that opens one: at the start, or after a space, a bracket or a dash, and
# before what it quotes ("Never.", "...closed.", "'Tis").
_OPENING = re.compile(r'(?:^|(?<=[\s(\[\u2014\u2013-]))["\u201c](?=\S)')


def _open_quote(text: str) -> bool:
    """Is a quotation left open in the text: one opened, and an odd number of double
    quotation marks, straight or curly ("“… see.\"" is closed; the inch mark of a 2" pipe
    opens nothing)?"""
    marks = text.count('"') + text.count("\u201c") + text.count("\u201d")
    return marks % 2 == 1 and bool(_OPENING.search(text))


def sentences_of(
    paragraphs: list[str] | tuple[str, ...], vocab: dict[str, int] | None = None
) -> list[Sentence]:
    """The article's sentences, verbatim, with paragraph and position; their terms are ids
    into `vocab` (filled in first-appearance order). All of them up to MAX_CONSIDERED."""
    ids = TermIds({} if vocab is None else vocab)
    spans = [whole_quotes(para, sentence_spans(para)) for para in paragraphs]
    keep = _considered(sum(len(x) for x in spans))
    wanted = None if keep is None else set(keep.tolist())
    out: list[Sentence] = []
    k = 0
    for p, (para, para_spans) in enumerate(zip(paragraphs, spans, strict=True)):
        if wanted is not None:
            chosen = [x for i, x in enumerate(para_spans, k) if i in wanted]
            k += len(para_spans)
            para_spans = chosen
        for (a, b), terms in zip(para_spans, ids.spans(para, para_spans), strict=True):
            text = para[a:b].strip()
            if text:
                out.append(Sentence(text, p, len(out), tuple(terms)))
    return out


def _graph(sents: list[Sentence], n_terms: int) -> sparse.csr_matrix:
    """BM25 weights of each sentence's terms, term-major (vocab x n): the similarity graph's
    factor. Sentence i as a query scores sentence j by sum over i's distinct terms t of
    W[t, j], so the n x n similarity is Q.T @ W with Q the pattern of W; it is never built."""
    from scipy import sparse

    flat = np.fromiter(chain.from_iterable(s.terms for s in sents), dtype=np.int32)
    lengths = np.fromiter((len(s.terms) for s in sents), dtype=np.int64, count=len(sents))
    post = build_postings(flat, lengths, n_terms, 1.2, 0.75)
    # A negative idf (a term in most sentences of a tiny, repetitive text; none of the 501
    # CNN/DM and XSum articles has one) is dropped rather than allowed to cancel other terms'
    # similarity. The dense matrix clipped whole sums at zero instead, which a factored
    # product cannot do; where no idf is negative the two are the same.
    data = np.maximum(post.data, 0.0)
    return sparse.csr_matrix((data, post.indices, post.indptr), shape=(n_terms, len(sents)))


def _centrality(w: sparse.csr_matrix, damping: float = 0.85, iters: int = 60) -> np.ndarray:
    """PageRank over the symmetric BM25 similarity graph, by sparse products with its factors.

    sim = Q.T @ W (each sentence as a query against the others), the graph is
    S = (sim + sim.T) / 2 with a zero diagonal, rows normalised; a row with no neighbour jumps
    uniformly. Every product below touches each posting once: cost and memory are linear in
    the article's length, where the dense n x n matrix was quadratic.
    """
    n = w.shape[1]
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


def _overlap(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _shared(words: str, vocab: dict[str, int], pattern: sparse.csr_matrix) -> np.ndarray:
    """Per sentence, the share of the distinct words of `words` it contains."""
    wanted = set(tokenize(words))
    hit = np.zeros(pattern.shape[1])
    hit[[vocab[w] for w in wanted if w in vocab]] = 1.0
    return (pattern @ hit) / (len(wanted) or 1)


def score_sentences(
    title: str, sents: list[Sentence], vocab: dict[str, int], about: str = ""
) -> np.ndarray:
    """A score per sentence; higher is more summary-worthy. `vocab` is the one `sentences_of`
    filled for these sentences."""
    n = len(sents)
    if n == 0:
        return np.zeros(0)
    w = _graph(sents, len(vocab))
    central = _centrality(w) * n if n > 1 else np.ones(1)
    pattern = w.T.tocsr()
    pattern.data = np.ones_like(pattern.data)  # sentence x term: which terms each one has
    position = np.exp(-POSITION_DECAY * np.arange(n))
    score = W_CENTRAL * central + W_POSITION * position + W_TITLE * _shared(title, vocab, pattern)
    # Rhetorical questions are hooks ("Why should we care?"), not the gist.
    score -= np.array([QUESTION_PENALTY if s.text.rstrip("\"'\u201d\u2019").endswith("?") else 0.0
                       for s in sents])
    if about:
        score = _shared(about, vocab, pattern) * 10 + 0.1 * score
    return score


def _taken(chosen: list[tuple[Sentence, frozenset[int]]], paragraph: int) -> int:
    """How many of the picks are of this paragraph."""
    return sum(c.paragraph == paragraph for c, _ in chosen)


def _follows(s: Sentence, chosen: list[tuple[Sentence, frozenset[int]]]) -> bool:
    """Is the sentence before `s` among those chosen?"""
    return any(c.order == s.order - 1 for c, _ in chosen)


def _pick(s: Sentence, chosen: list[tuple[Sentence, frozenset[int]]], used: int,
          max_chars: int | None) -> int:
    """`s` added to `chosen` unless it repeats one of them or does not fit; the characters
    used after."""
    terms = frozenset(s.terms)
    if any(_overlap(terms, c) > REDUNDANCY for _, c in chosen):
        return used
    if max_chars is not None and used + len(s.text) > max_chars and chosen:
        return used
    chosen.append((s, terms))
    return used + len(s.text) + 1


# An argument picked on its own does not open on "And", "But" or "So" ("And each member
# should adopt a ceiling" stands on the sentence before it).
_GOES_ON = re.compile(r"\W*(?:and|but|so|yet|also|or|nor)\b", re.I)


def _with_argument(chosen: list[tuple[Sentence, frozenset[int]]], sents: list[Sentence],
                   eligible: list[Sentence], scores: np.ndarray, max_chars: int | None,
                   title: str = "", spread: bool = False
                   ) -> list[tuple[Sentence, frozenset[int]]]:
    """An op-ed's picks with its argument in place of a pick that states none: the author's
    own ("My argument is simple: …", "I propose …") even when another pick recommends, else,
    when none does, its best-ranked recommendation of its second half, else any. The pick
    given up is the last-ranked one that recommends nothing (of the argument's own paragraph
    when that paragraph already gave PER_PARAGRAPH, `spread`)."""
    arguing = [s for s in sents if _argues(s.text)]
    own = [s for s in arguing if _FIRST_PERSON.search(s.text)]
    late = [s for s in arguing if 2 * s.order >= len(sents)]
    oped = own or len(late) >= OPINION_SENTENCES or (_OPINION_TITLE.match(title) and arguing)
    if len(chosen) < 3 or not oped or any(_FIRST_PERSON.search(s.text) for s, _ in chosen):
        return chosen
    groups = [own] + ([] if any(_argues(s.text) for s, _ in chosen) else
                      [late if len(late) >= OPINION_SENTENCES else [], arguing])
    allowed = {s.order for s in eligible}
    plain = sorted((c for c in chosen if not _argues(c[0].text)),
                   key=lambda c: scores[c[0].order])
    for group in groups:
        for s in sorted((s for s in group if s.order in allowed
                         and not _PRONOUN_LED.search(s.text) and not _GOES_ON.match(s.text)),
                        key=lambda s: -scores[s.order]):
            # The last-ranked pick, else (the author's own argument) the last-ranked of a
            # paragraph that is full.
            drops = plain[:1]
            if group is own:
                drops += [c for c in plain if c[0].paragraph == s.paragraph][:1]
            for drop in drops:
                kept = [c for c in chosen if c is not drop]
                if spread and _taken(kept, s.paragraph) >= PER_PARAGRAPH:
                    continue
                used = sum(len(c.text) + 1 for c, _ in kept)
                if _pick(s, kept, used, max_chars) > used:
                    return kept
    return chosen


def mentions(title: str, paragraphs: list[str] | tuple[str, ...], about: str) -> bool:
    """Does the article use any word of `about` (stemmed, as the index does)? A topic of
    stopwords only names nothing to look for, so it counts as mentioned."""
    wanted = set(tokenize(about))
    if not wanted:
        return True
    return any(wanted.intersection(tokenize(text)) for text in chain([title], paragraphs))


def summarize(
    title: str,
    paragraphs: list[str] | tuple[str, ...],
    sentences: int = DEFAULT_SENTENCES,
    about: str = "",
    max_chars: int | None = None,
) -> list[str]:
    """The article's most summary-worthy sentences, verbatim and in article order."""
    sentences = max(1, min(int(sentences), MAX_SENTENCES))
    chars = sum(len(p) for p in paragraphs)
    if chars > MAX_ARTICLE_CHARS:
        raise ArticleTooLong(
            f"{title or 'This article'} is too long to summarise: {chars:,} characters, "
            f"over the limit of {MAX_ARTICLE_CHARS:,}."
        )
    vocab: dict[str, int] = {}
    sents = sentences_of(paragraphs, vocab)
    if not sents:
        return []
    scores = score_sentences(title, sents, vocab, about)
    # An article's last sentence that ends without a full stop was cut off (a teaser's "…
    # been witness to a pause in", before its "Read More"): never picked if another can be.
    cut = sents[-1] if len(sents) > 1 and not _ENDED.search(sents[-1].text) else None
    eligible = [s for s in sents if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS
                and s is not cut] or [s for s in sents if s is not cut] or sents
    ranked = sorted(eligible, key=lambda s: (-scores[s.order], s.order))
    chosen: list[tuple[Sentence, frozenset[int]]] = []
    used = 0
    later: list[Sentence] = []  # put off: after their sentence before, or as a last resort
    crowded: list[Sentence] = []  # of a paragraph that gave PER_PARAGRAPH already
    opened: list[Sentence] = []  # a quotation's first sentence, its mark left open
    # (Not for a summary about a topic: one paragraph may be all the article says of it.)
    spread = not about and len({s.paragraph for s in sents}) >= SPREAD_PARAGRAPHS
    for s in ranked:
        if len(chosen) == sentences:
            break
        if spread and _taken(chosen, s.paragraph) >= PER_PARAGRAPH:
            crowded.append(s)
        elif _open_quote(s.text):  # the opening of a long quotation: a last resort
            opened.append(s)
        elif s.order and _PRONOUN_LED.search(s.text) and not _follows(s, chosen):
            later.append(s)
        else:
            used = _pick(s, chosen, used, max_chars)
    # Then those put off, then a crowded paragraph's (the others had no more to give), last
    # of all a long quotation's opening.
    for s in [*sorted(later, key=lambda x: (not _follows(x, chosen), -scores[x.order],
                                            x.order)), *crowded, *opened]:
        if len(chosen) == sentences:
            break
        used = _pick(s, chosen, used, max_chars)
    if sentences >= 3 and not about:
        chosen = _with_argument(chosen, sents, eligible, scores, max_chars, title, spread)
    picked = [s.text for s, _ in sorted(chosen, key=lambda c: c[0].order)]
    if max_chars is not None and len(picked) == 1 and len(picked[0]) > max_chars:
        # No whole sentence fits: the best one, cut between words (marked with "…").
        picked = [truncate(picked[0], max_chars)]
    return picked
