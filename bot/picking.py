"""Picking an article from what a user typed: URL, exact or fuzzy title, or a description."""

from __future__ import annotations

import re

from bot import policy, rerank, typos
from bot.answer import check_question
from bot.corpus import Corpus
from bot.errors import AmbiguousArticle, ArticleNotFound
from bot.models import StoredArticle
from bot.references import title_words
from bot.text import COUNTRIES, normalize, tokenize

STRONG_TITLE = 90  # fuzzy title score that counts as naming the article
CLOSE = 0.9  # a runner-up within this share of the best makes the choice ambiguous
# A description names an article when the article holds half of the description's weight
# (its words anywhere in it): looser than answering a question, since the user is choosing
# among titles.
PICK_MIN_COVERAGE = 0.5
# A description's word in no article and no title that weighs this much (rare in English:
# "kuril") or is a name ("taiwan") says the reader means an article the site does not have.
RARE_WEIGHT = 9.5
TITLES_READ = 5000  # sites up to this many articles: their titles' words are read too


# A link pasted without its scheme ("example.org/2024/the-article", "127.0.0.1:8080/x"): a
# host with a dot, then a path, and no spaces.
_BARE_LINK = re.compile(r"[\w-]+(?:\.[\w-]+)+(?::\d+)?/\S*")


def _norm_url(url: str) -> str:
    return url.strip().rstrip("/").split("#")[0].lower().removeprefix("https://").removeprefix("http://")


def pick_article(corpus: Corpus, ref: str) -> StoredArticle:
    """The one article `ref` designates; AmbiguousArticle or ArticleNotFound otherwise."""
    ref = check_question(ref, "article description")
    arts = corpus.articles
    m = re.fullmatch(r"(?:id|#):?\s*(\d+)", ref.strip(), re.I)
    if m:  # what an ambiguity message offers when titles are the same
        try:
            return arts[corpus.position(int(m.group(1)))]
        except KeyError:
            raise ArticleNotFound(f"No article has the id {m.group(1)}.") from None
    if ref.startswith(("http://", "https://")) or _BARE_LINK.fullmatch(ref.strip()):
        want = _norm_url(ref)
        for art in arts:
            if want in (_norm_url(art.url), _norm_url(art.link.url)):
                return art
        raise ArticleNotFound(f"No article has the link {ref}.")
    key = normalize(ref).strip()
    exact = [a for a in arts if normalize(a.title).strip() == key]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        if len({a.text_hash for a in exact}) == 1:
            return exact[0]  # the same text stored twice: either one is the article
        raise AmbiguousArticle(ref, exact[:10])
    typed = set(tokenize(ref))
    if not typed:  # "the", "a": a fuzzy match would pick whichever title is shortest
        raise ArticleNotFound(f"{ref!r} names no article: give a few words of its title.")
    titled = _titles_holding(arts, typed, ref)
    if titled:
        return titled
    from rapidfuzz import fuzz, process, utils  # here: a start that only answers skips it

    titles = [a.title for a in arts]
    fuzzy = process.extract(
        ref, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=5
    )
    strong = [(arts[i], s) for _, s, i in fuzzy if s >= STRONG_TITLE]
    if strong:
        best = strong[0][1]
        close = [a for a, s in strong if s >= best - 2]
        if len(close) == 1:
            return close[0]
        raise AmbiguousArticle(ref, close[:10])
    # A description: the article whose passages best match it, judged on the whole article
    # with the answer policy's word weights (a background prior, so "japan" still counts on
    # a site where every article names it; "the one about …" counts for little) and with
    # typos corrected.
    index = corpus.index
    tokens = typos.correct_typos(index, tokenize(ref), ref)
    if not tokens:
        raise ArticleNotFound(f"No article matches {ref!r}.")
    weights = policy.question_weights(index, ref, tokens)
    in_titles = set().union(*(title_words(a.title) for a in arts)) \
        if len(arts) <= TITLES_READ else set()
    absent = [t for t in weights if t not in index.vocab and t not in in_titles]
    if any(t in COUNTRIES or weights[t] >= RARE_WEIGHT for t in absent):
        # "taiwan strait" is no article of a site that never names Taiwan, however much it
        # writes of straits. (Not any capitalised word: "Monday's piece", "by Smith".)
        raise ArticleNotFound(f"No article matches {ref!r}.")
    # Words no article holds say nothing of which article is meant ("the gang crackdown"
    # on a site that writes "state of exception"): judged on the others.
    total = sum(w for t, w in weights.items() if t not in absent) or 1.0
    ranked = rerank.rank(index, tokens, k=200, weights=weights)
    best_by_article: dict[int, float] = {}
    for pid, score in zip(ranked.ids, ranked.scores, strict=True):
        best_by_article.setdefault(corpus.article_position(int(pid)), float(score))
    known = [t for t in weights if t in index.vocab]
    held = {pos: sum(weights[t] for t in index.article_terms(known, pos)) / total
            for pos in best_by_article}
    fits = sorted((pos for pos in best_by_article if held[pos] >= PICK_MIN_COVERAGE),
                  key=lambda pos: (-held[pos], -best_by_article[pos]))
    if fits:
        top = fits[0]
        close = [arts[pos] for pos in fits if held[pos] >= CLOSE * held[top]
                 and best_by_article[pos] >= CLOSE * best_by_article[top]]
        if len(close) == 1:
            # Words it lacks that another article holds ("sahel rice": the Sahel article,
            # or the one on rice?): the reader may mean either.
            lacking = set(known) - index.article_terms(known, top)
            others = [arts[pos] for pos in best_by_article if pos != top
                      and lacking & title_words(arts[pos].title)]
            if not others:
                return close[0]
            close += others
        raise AmbiguousArticle(ref, close[:10])
    raise ArticleNotFound(f"No article matches {ref!r}.")


def _titles_holding(arts: list[StoredArticle], typed: set[str], ref: str
                    ) -> StoredArticle | None:
    """The one article whose title holds every word typed ("explainer", "nickel ban");
    AmbiguousArticle when several titles do; None when none does. A word of a title names
    its article before any word of a body, and before a fuzzy match of the whole title,
    which scores a short word by its partial likeness to long titles."""
    holding = [a for a in arts if typed <= title_words(a.title)]
    if not holding:
        return None
    if len(holding) > 1:  # "the water wars": "Water wars", not "Water wars in Central Asia"
        said = _plain_words(ref)
        holding = [a for a in holding if _plain_words(a.title) == said] or holding
    if len(holding) == 1 or len({a.text_hash for a in holding}) == 1:
        return holding[0]
    raise AmbiguousArticle(ref, holding[:10])


def _plain_words(text: str) -> set[str]:
    """Its words, stemmed, all but "the", "a" and "an" ("What is cholera?" is not just
    "cholera")."""
    words = set(re.findall(r"[^\W_]+", normalize(text).lower())) - {"the", "a", "an"}
    return {stem for w in words for stem in (tokenize(w) or [w])}  # "war" is "wars"


def complete_titles(corpus: Corpus, partial: str, limit: int = 25) -> list[StoredArticle]:
    """Autocomplete: titles containing the typed words (prefixes count), then fuzzy ones."""
    arts = corpus.articles
    typed = normalize(partial).split()
    if not typed:
        return sorted(arts, key=lambda a: (a.date, a.id), reverse=True)[:limit]
    from rapidfuzz import fuzz, utils

    scored = []
    for art in arts:
        words = normalize(art.title).split()
        prefix_hits = sum(any(w.startswith(t) for w in words) for t in typed)
        fz = fuzz.WRatio(" ".join(typed), normalize(art.title), processor=utils.default_process)
        if prefix_hits or fz >= 60:
            scored.append((prefix_hits, fz, art))
    scored.sort(key=lambda x: (-x[0], -x[1], x[2].title))
    return [a for _, _, a in scored[:limit]]
