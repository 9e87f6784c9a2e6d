"""The answer policy: how sure are we that the best passage answers the question?

Retrieval (bot/index.py) ranks passages; this module judges the ranking. A few scale-free
features of the best passage (shares of the question's weight it holds, the margin to the
best passage of another article, whether the next best passages come from its article, words
no article holds, the question's length, the kind of answer asked for) go through a
small logistic model fitted by benchmarks/fit_confidence.py; its parameters are data
(bot/policy_params.json). The result is a confidence in [0, 1] (calibrated: the share of
top-1 passages that are right, measured on held-out questions) and one of three outcomes:

* answered: confident; the passages are shown as the answer;
* closest: something in the articles is about the question, but maybe not its answer;
* none: nothing is about the question; only article titles are suggested.

Word weights blend the corpus's idf with a background English word frequency (wordfreq), so
that a two-article site still weighs "Kuril" above "recently", and chatty words ("hey",
"wondering", "read") weigh little (bot/policy/weights.py); names the question gives that no
article mentions bar an answer (bot/policy/names.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot.index import Index, article_passages
from bot.policy.names import (
    COMMUNITY,
    figures,
    figures_missing,
    missing_names,
    name_aliases,
    name_stems,
    names_dropped,
    subject_elsewhere,
    subject_stems,
    unknown_name,
    written_as_names,
    year_elsewhere,
)
from bot.policy.scope import outside
from bot.policy.weights import (
    ASKED,
    CHATTER,
    CHATTER_WEIGHT,
    COMMONEST_ZIPF,
    background_idf,
    preamble,
    question_weights,
)
from bot.rerank import Ranked
from bot.text import tokenize
from bot.typos import common_words
from bot.typos import zipf as _zipf

__all__ = [
    "ANSWERED", "CHATTER", "CHATTER_WEIGHT", "CLOSEST", "FEATURES", "NONE", "Assessment",
    "agreement", "answer_bar", "assess", "background_idf", "below_answered", "confidence",
    "features",
    "figures", "figures_missing", "names_dropped",
    "name_stems", "outcome", "params", "preamble", "question_weights", "subject_stems",
    "unknown_name", "verbatim", "warm", "written_as_names",
]

ANSWERED, CLOSEST, NONE = "answered", "closest", "none"
# The fitted parameters stay beside the package (bot/policy_params.json, package data).
PARAMS_PATH = Path(__file__).parent.parent / "policy_params.json"

FEATURES = (
    "cov", "sent_cov", "art_cov", "margin", "missing_max", "oov", "bm25_rel", "length",
    "name_missing", "wrong_kind", "wrong_type", "agree", "subject_missing", "figure_missing",
    "stale", "fresh",
)
AGREE_TOP = 5  # the best passages whose agreement (one article or several) is a feature
# Words that ask about a name itself ("what happened in Vladivostok", "what's the deal with
# the forum", "any news on Abe"), not about something the site may not hold.
ABOUT_THE_NAME = frozenset(tokenize(
    "happen happened happening occur occurred go going went news latest update updates deal "
    "situation story up"))


@dataclass(frozen=True)
class Assessment:
    confidence: float
    status: str
    features: dict[str, float]


@cache
def params() -> dict:
    return json.loads(PARAMS_PATH.read_text(encoding="utf-8"))


def warm() -> None:
    """Load what a process's first question would (the English word frequencies, the
    common words typos are looked up among, the fitted parameters: 1.5-2 s on 2 cores), so
    that a bot spends it at start, not in a reader's wait."""
    _zipf("the")
    common_words()
    params()


def features(index: Index, tokens: list[str], ranked: Ranked, weights: dict[str, float],
             names: frozenset[str] = frozenset(), kind_ok: bool = True, type_ok: bool = True,
             subject: frozenset[str] = frozenset(), question: str = "",
             figure_missing: float = 0.0, stale: bool | None = None) -> dict[str, float]:
    """Scale-free features of the best passage (ranked with these weights); `kind_ok`:
    it can hold the figure, time or outcome asked for (`bot.kinds.answers_kind`);
    `type_ok`: the name a who / where question asks for (`bot.kinds.answers_type`);
    `subject`: the names it holds in the possessive (`subject_stems`); `question`: its text,
    whose names are looked for name by name (`missing_names`; without it, `names` stem by
    stem); `figure_missing`: the share of the figures it gives that the best passage's
    article never writes (`figures_missing`); `stale`: the question asks about the recent
    past and the best passage's article is dated outside it (True) or inside it (False);
    None: it asks about no time, or the article is undated (`bot.kinds.recency`)."""
    total = sum(weights.values()) or 1.0
    cand = ranked.ids
    held, in_sentence = ranked.held, ranked.in_sentence
    arts = index.passage_article[cand]
    other = held[arts != arts[0]]
    known = [t for t in weights if t in index.vocab]
    top_terms = index.terms_in(known, int(cand[0]))
    missing = [w for t, w in weights.items() if t not in top_terms]
    in_article = index.article_terms(known, int(arts[0]))
    idf_sum = sum(float(index.passages.idf[index.vocab[t]]) for t in tokens if t in index.vocab)
    bm25 = float(index.bm25_scores_of(tokens, cand[:1])[0])
    return {
        "cov": held[0] / total,
        "sent_cov": in_sentence[0] / total,
        "art_cov": sum(weights[t] for t in in_article) / total,
        "margin": (held[0] - (other.max() if len(other) else 0.0)) / total,
        "missing_max": max(missing, default=0.0) / total,
        "oov": sum(w for t, w in weights.items() if t not in index.vocab) / total,
        # A site so small that BM25's idf says nothing (a word in half of four passages
        # weighs 0): the share of the question's weight held stands in.
        "bm25_rel": min(2.0, bm25 / idf_sum) if idf_sum > 0 else held[0] / total,
        "length": math.log1p(len(weights)),
        "name_missing": (missing_names(question, weights, in_article | index.article_terms(
            [t for t in name_aliases(question) if t in index.vocab], int(arts[0])))
            if question else sum(weights.get(t, 0.0) for t in names if t not in in_article)
        ) / total,
        "wrong_kind": 0.0 if kind_ok else 1.0,
        "wrong_type": 0.0 if type_ok else 1.0,
        "agree": agreement(index, arts),
        "subject_missing": float(any(t not in in_article for t in subject)),
        "figure_missing": figure_missing,
        "stale": float(stale is True),
        "fresh": float(stale is False),
    }


def agreement(index: Index, arts: np.ndarray) -> float:
    """The share of the next best passages that come from the best one's article (of as
    many as it has, and as were retrieved): the question is about that article, not about a
    topic several articles touch (out-of-corpus questions mostly land on scattered near
    neighbours). An article of one passage, or one passage retrieved: 0.5, no evidence
    either way."""
    lo, hi = article_passages(index, arts[:1])
    possible = min(AGREE_TOP - 1, len(arts) - 1, int(hi[0] - lo[0]) - 1)
    if possible <= 0:
        return 0.5
    return float((arts[1:AGREE_TOP] == arts[0]).sum()) / possible


def confidence(feats: dict[str, float], p: dict | None = None) -> float:
    p = p or params()
    z = p["intercept"] + sum(p["coef"].get(k, 0.0) * feats[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def answer_bar(feats: dict[str, float], p: dict | None = None) -> float:
    """The confidence an answer needs. A question about the recent past whose best
    article's date was checked against it (`stale` or `fresh`) has a threshold of its own,
    fitted on such questions alone: the check has already set last year's story apart."""
    p = p or params()
    if feats.get("stale") or feats.get("fresh"):
        return p.get("dated_answered_at", p["answered_at"])
    return p["answered_at"]


def outcome(conf: float, p: dict | None = None, bar: float | None = None) -> str:
    """answered, closest or none; `bar`: the answer threshold (`answer_bar`)."""
    p = p or params()
    if conf >= (p["answered_at"] if bar is None else bar):
        return ANSWERED
    return CLOSEST if conf >= p["closest_at"] else NONE


def below_answered(conf: float, bar: float | None = None) -> float:
    """A confidence kept just below the answer threshold (the outcome: closest or none)."""
    return min(conf, (params()["answered_at"] if bar is None else bar) - 0.001)


def verbatim(judged: Assessment, found: bool) -> Assessment:
    """A question quoting words ("who said 'if we don't do it, then who will?'"): when the
    best passage holds them word for word it answers, whatever its words weigh; when no
    passage does, the quote is not in the articles and nothing is *answered*."""
    bar = answer_bar(judged.features)
    conf = max(judged.confidence, bar) if found else below_answered(judged.confidence, bar)
    return Assessment(conf, outcome(conf, bar=bar),
                      {**judged.features, "verbatim": float(found)})


def assess(index: Index, tokens: list[str], ranked: Ranked, weights: dict[str, float],
           names: frozenset[str] = frozenset(), kind_ok: bool = True, type_ok: bool = True,
           subject: frozenset[str] = frozenset(), question: str = "",
           figure_missing: float = 0.0, stale: bool | None = None) -> Assessment:
    """Confidence that the best passage answers, and the outcome it leads to. A best
    passage that cannot hold the kind of answer asked for, or a question of one topic
    word, is never *answered*."""
    if not len(ranked.ids):
        return Assessment(0.0, NONE, {})
    feats = features(index, tokens, ranked, weights, names, kind_ok, type_ok, subject,
                     question, figure_missing, stale)
    conf = confidence(feats)
    # A single topic word ("two", "year", "Kuril", "tell me about the islands") is a search,
    # not a question a passage can be said to answer: its passages are shown as the closest.
    # Asked as a question, its other words refer to what the reader read ("where exactly are
    # these islands?", "who's the academic the article quotes?").
    topic = set(tokens) - CHATTER
    searched = not topic or (len(topic) == 1 and not ASKED.match(question))
    # ... nor is one of which the site holds only the names ("what's the weather in Tokyo
    # this weekend" of a site that mentions Tokyo and never the weather). (Asked what
    # happened there, what the news or the deal is, the question is about the name itself.)
    asked_about = topic - names - ABOUT_THE_NAME
    only_names = bool(asked_about) and not any(t in index.vocab for t in asked_about)
    if not kind_ok or searched or only_names or unknown_name(index, question, tokens) or \
            year_elsewhere(index, question, int(index.passage_article[ranked.ids[0]])) or \
            subject_elsewhere(index, question, int(ranked.ids[0])):
        conf = below_answered(conf, answer_bar(feats))
    # ... and when that one word is among English's commonest ("what time is it", "what's
    # new"), the question holds nothing to look for: no passage is the closest to it.
    # ... and when the question shares only names with the site and its best passage cannot
    # hold the kind of answer asked ("what is the population of Japan" on a site about Japan
    # that never says "population"), nothing is about it.
    # ... and a question about the Discord server itself ("how do I change my nickname on
    # this server?") is about no article, nor one of what no article holds (the time now,
    # the weather, a translation: `scope.outside`).
    if (len(topic) == 1 and _zipf(next(iter(topic))) >= COMMONEST_ZIPF) or (
            not kind_ok and only_names) or COMMUNITY.search(question) or outside(question):
        conf = min(conf, params()["closest_at"] / 2)
    return Assessment(conf, outcome(conf, bar=answer_bar(feats)), feats)
