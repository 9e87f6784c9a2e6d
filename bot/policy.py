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
"wondering", "read") weigh little.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot import english, typos
from bot.index import Index, article_passages
from bot.rerank import Ranked
from bot.text import COUNTRIES, METONYMS, tokenize, word_spans
from bot.typos import COMMON_ZIPF, common_spelling, common_words
from bot.typos import zipf as _zipf

ANSWERED, CLOSEST, NONE = "answered", "closest", "none"
PARAMS_PATH = Path(__file__).with_name("policy_params.json")

# Passages at which the corpus idf and the background prior weigh the same: a 6-passage site
# leans on the prior, a 10k-passage one on its own statistics.
PRIOR_PASSAGES = 200
# Words of conversation, not of the topic: they keep a small weight so "hey bot, why ..."
# is judged on the rest.
CHATTER_WEIGHT = 0.15
CHATTER = frozenset(
    tokenize(
        """hey hi hello hiya yo greetings bot footnote thanks thank please pls question
        questions quick wondering wonder curious know knows knew tell telling explain
        read reading heard hear hearing saw see seen article articles anyone somebody
        someone guys folks ok okay um well really actually exactly basically just
        remind confused understand idea care mean ask asking lol nah yeah yep ok stuff
        thing things sort kind bit lot loads anyway literally totally rn tbh btw pretty
        noob reckon author writer piece site story post blog something anything
        everything interesting cool q ngl imo idk thx ty else whatever even quote quoted quotes
        quoting mention mentioned mentions according main supposedly apparently
        reportedly allegedly bloke blokes guy chap fella dude sorry dumb stupid silly"""
    )
)
# Phrases of conversation whose words are topic words elsewhere ("which islands are we
# talking about": not negotiations; "what did the leaders talk about" is about talks): their
# words weigh as chatter.
# So do a question's references back to the article's two sides ("the tension between the two
# countries", "both leaders", "each other"): they name whoever the article is about, and a
# passage that happens to say "the two countries" is no more about the question. "What is
# causing …" asks why, as "why" does: an answer gives the cause, it rarely says "causing"
# (but "a virus causing which disease" is about the virus's doing).
_CHAT_PHRASES = re.compile(r"\b(?:we|you|i)(?:'re|'m|re|m)?\s+(?:\w+\s+)?talk(?:ing|in)?\s+"
                           r"(?:about|abt|bout)\b|\bgoing on\b|\bfind out\b|\bmake sense\b|"
                           r"\bwait\b|\b(?:the\s+(?:two|2)|both(?:\s+the)?)\s+(?:countries|"
                           r"nations|states|sides|parties|governments|leaders|men|camps)\b|"
                           r"\beach\s+other\b|\bone\s+another\b|(?:(?<=\bwhat's\s)|(?<=\bwhats\s)|"
                           r"(?<=\bwhat\sis\s)|(?<=\bthat's\s)|(?<=\bthats\s)|(?<=\bthing\s)|"
                           r"(?<=\bthings\s)|(?<=\bfactor\s))causing\b|(?:(?<=ese\s)|(?<=an\s)|"
                           r"(?<=sh\s)|(?<=ch\s)|(?<=i\s)|(?<=\bother\s)|(?<=\bopposing\s))"
                           r"sides?\b", re.I)
# A preamble before a colon or a dash ("For my uni essay on Japan-Russia relations: why …",
# "quick q - …") says who asks and why; the question after it is what is judged, so words
# only the preamble holds weigh this share.
PREAMBLE_WEIGHT = 0.15
_SEPARATOR = re.compile(r"(?::|\s[-\u2013\u2014]+)\s+")
_ASKING = re.compile(r"(?:who|whom|whose|what|whats|which|when|whens|where|wheres|why|how|is|"
                     r"are|was|were|do|does|did|can|could|would|will|should|has|have|had)\b",
                     re.I)
MIN_ASKED_WORDS = 3
_ASKED = re.compile(r"\W*(?:(?:so|and|but|ok|okay|wait|hey|hi|yo|then|um+|hmm+|bot)\b\W*)*"
                    + _ASKING.pattern, re.I)
FEATURES = (
    "cov", "sent_cov", "art_cov", "margin", "missing_max", "oov", "bm25_rel", "length",
    "name_missing", "wrong_kind", "wrong_type", "agree", "subject_missing",
)
AGREE_TOP = 5  # the best passages whose agreement (one article or several) is a feature
# A capitalised word inside a sentence ("the Senkaku Islands", "Sudan") names what the
# question is about: when the best article does not hold it, the question is about something
# else, however many common words match.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'\u2019-]*")
# A name in the possessive ("China's navy", "Biden's plan") is what the question is about,
# wherever it stands: an article without it answers about someone else's navy or plan.
_POSSESSIVE = re.compile(r"\b([A-Z][\w-]*)['\u2019]s\b")
SUBJECT_ZIPF = 5.5  # a capitalised word this common is no name ("Today's", "Let's")
NAME_ZIPF = 5.0  # a name this common may be written otherwise ("America": the United States)
# Abbreviations of common nouns, typed in capitals but no names: an article may write "a
# lawmaker" for the reader's "MP", "the economy's output" for "GDP".
_GENERIC = frozenset("""mp mps gdp gnp vat ngo ngos lng lpg ev evs ipo hq tv pr hr gmo gmos sme
    smes fdi cpi pm pms ceo ceos cfo fx""".split())
_ALIASED = frozenset(tokenize("america britain england europe"))  # often named otherwise
# Countries a site names in other words than the reader's capitals.
_OTHER_NAMES = {
    "us": (("america",), ("unit", "state")), "usa": (("america",), ("unit", "state")),
    "uk": (("britain",), ("unit", "kingdom")), "gb": (("britain",),),
}
_HYPHEN = re.compile(r"[-\u2010\u2011]")
_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b")  # "the 1980s" too
# A word typed in lower case that English seldom uses and that is not inflected or derived
# as a verb, an adjective, an adverb or an abstract noun ("hokkaido", "yalta", "gallium",
# "mpox"): a place, a thing, a name the reader did not capitalise. ("lowballing",
# "perennially", "conscription" are the reader's own words for what an article says.)
_LOWER = re.compile(r"(?<![\w'\u2019-])[a-z]{3,}(?![\w'\u2019-])")
_INFLECTED = re.compile(r"(?:ing|ed|ly|is(?:e|es|ed)|iz(?:e|es|ed)|able|ible|ous|ful|ive|ic|al|"
                        r"ish|less|ness|ment|er|est|s|tion|sion|ance|ence|ancy|ency|ity|ism|"
                        r"ist|ship|hood|ure|ery)$")
THING_ZIPF = 3.0
# The community the bot serves, named as the place the reader asks in.
_COMMUNITY = re.compile(r"\b(?:this|our|ur|the)\s+(?:discord(?:\s+server)?|server|channel|"
                        r"guild)\b|\b(?:with|use|using|in|of|does|can|is)\s+(?:this|the|ur|your)"
                        r"\s+bot\b", re.I)


@cache
def _known_zipf(word: str) -> float:
    return english.known_zipf(word)


def background_idf(word: str, spell: bool = False) -> float:
    """An idf-like weight from English word frequency (zipf scale: 7 is "the", 3 is rare):
    roughly the idf the word would have in a large collection of 100-word passages. A word
    English does not know that is a slip of a common one ("argueing", "artical") weighs as
    that word (`spell`: looked up only for words the site lacks, where it matters): a typo
    is not the rarest word of the question."""
    zipf = _zipf(word)
    if spell and zipf < COMMON_ZIPF:
        zipf = max(zipf, _zipf(common_spelling(word)))
    if len(word) >= 3 and word[:1].isdigit():
        # A year or a figure is common in English text at large but names one event in
        # a site's articles ("back in 2016, what did …").
        zipf = min(zipf, YEAR_ZIPF)
    return min(12.0, max(0.2, (7.0 - zipf) * math.log(10)))


YEAR_ZIPF = 3.5
COMMONEST_ZIPF = 5.5  # time, day, year, new, people: a word too common to search by alone


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


def preamble(question: str) -> str:
    """The text before the question proper ("For my uni essay on X: why …?" -> "For my uni
    essay on X"), or "": the last colon or spaced dash followed by a question of
    MIN_ASKED_WORDS words or more that starts with a question word or ends with "?". Text
    that is itself a question ("What was the Kremlin's reason for X - was it about the
    military?") is no preamble: the part after the dash narrows it."""
    if _ASKING.match(question.lstrip(" \"'\u201c(")):
        return ""
    for m in reversed(list(_SEPARATOR.finditer(question))):
        before, after = question[: m.start()], question[m.end():]
        if "?" in before or len(after.split()) < MIN_ASKED_WORDS:
            continue
        if _ASKING.match(after) or after.rstrip().endswith("?"):
            return before
    return ""


def question_weights(index: Index, question: str, tokens: list[str],
                     titled: frozenset[str] = frozenset()) -> dict[str, float]:
    """Each distinct question word's weight: corpus idf blended with the background prior,
    chatter words and words only a preamble holds damped (but not those of `titled`: a
    preamble naming an article's title, "the Yemen deadlock piece - …", says which one)."""
    surface: dict[str, str] = {}
    share: dict[str, float] = {}  # a hyphenated word's parts and joined form share its weight
    spans: dict[tuple[int, int], list[str]] = {}
    for a, b, stem in word_spans(question):
        word = question[a:b].lower().replace("\u2019", "'")
        surface.setdefault(stem, word[:-2] if word.endswith("'s") else word)
        spans.setdefault((a, b), []).append(stem)
    for stems in spans.values():
        for stem in stems:
            share[stem] = max(share.get(stem, 0.0), 1.0 / len(stems))
    corpus = index.query_weights(tokens)
    n = index.size
    before = preamble(question)
    aside = set(tokenize(before)) - set(tokenize(question[len(before):])) - titled if before \
        else set()
    chat = set(tokenize(" ".join(m.group(0) for m in _CHAT_PHRASES.finditer(question))))
    if chat:
        chat -= set(tokenize(_CHAT_PHRASES.sub(" ", question)))
    out = {}
    for t, cw in corpus.items():
        bg = background_idf(surface.get(t, t), spell=t not in index.vocab)
        w = (n * cw + PRIOR_PASSAGES * bg) / (n + PRIOR_PASSAGES) * share.get(t, 1.0)
        out[t] = w * CHATTER_WEIGHT if t in CHATTER or t in chat else w
        if t in aside:
            out[t] *= PREAMBLE_WEIGHT
    return out


def name_stems(question: str) -> frozenset[str]:
    """Stems of the capitalised words inside the question's sentences (names, mostly), and
    of the countries it names however it is typed ("are china and japan in a dispute")."""
    out: set[str] = set()
    for m in _NAME.finditer(question.strip()):
        out.update(tokenize(m.group(0)))
    out.update(t for t in tokenize(question) if t in COUNTRIES)
    return frozenset(out - CHATTER)


@cache
def _thing(word: str) -> bool:
    """Might the lower-case word be a name or a thing (`_LOWER`)? Kept: questions repeat
    their words."""
    return not _INFLECTED.search(word) and _known_zipf(word) < THING_ZIPF and not _compound(word)


def _compound(word: str) -> bool:
    """Is the word two English words run together ("doghouse", "superband")? A coinage of
    the reader's, no name."""
    return any(_known_zipf(word[:i]) >= THING_ZIPF and _known_zipf(word[i:]) >= THING_ZIPF
               for i in range(3, len(word) - 2))


def unknown_name(index: Index, question: str, tokens: list[str] | None = None) -> bool:
    """Does the question name something or a year no article mentions ("what did Abe say
    about North Korea")? Then it asks about what the site does not cover, whatever else
    matches. Names as `name_stems` finds them, each part of a hyphenated one on its own
    ("Japan-Russia"), typos corrected; not names common in English ("America": the site may
    say "the United States"), unless typed in capitals ("US"); and years ("the 1956
    declaration"). `tokens`: the question's tokens as `correct_typos` corrected them (the
    corrections are read from them, not looked for again: that search is over the whole
    vocabulary)."""
    parts = [p for m in _NAME.finditer(question.strip()) for p in _HYPHEN.split(m.group(0))]
    years = _YEAR.findall(question)  # "the 1956 declaration": a year names an event too
    countries = _countries(index, question, tokens or tokenize(question))
    things = [w for w in _LOWER.findall(question) if _thing(w)]
    if not (parts or years or countries or things):  # most questions: nothing to look up
        return False
    raw = tokenize(question)
    fixed = dict(zip(raw, tokens, strict=True)) if tokens and len(tokens) == len(raw) else {}
    for word in things:
        stems = [fixed.get(t, t) for t in tokenize(word) if t not in CHATTER]
        if stems and not any(t in index.vocab or typos.near_known(index, t) for t in stems):
            return True
    parts += countries
    for part in parts + years:
        if part.lower() in _GENERIC:
            continue
        if part in years or part in countries and part not in _ALIASED:
            pass  # a year, a country: names however common ("what about China")
        elif _known_zipf(part.lower()) >= NAME_ZIPF and not part.isupper():
            continue  # (not "US" or "PM": names typed in capitals)
        stems = [fixed.get(t, t) for t in tokenize(part) if t not in CHATTER]
        if any(all(t in index.vocab for t in alias) for alias in _OTHER_NAMES.get(
                part.lower().replace(".", ""), ())):
            continue  # "US" on a site that says "American" or "the United States"
        known = [t in index.vocab for t in stems]
        # "UK" (united kingdom) is known when both its words are; "Moscow" (moscow, russia)
        # when either is.
        if stems and not (any(known) if part.lower() in METONYMS else all(known)):
            return True
    return False


def _countries(index: Index, question: str, tokens: list[str]) -> list[str]:
    """The countries among the question's tokens, but not one only its capital stands for
    when the site names that capital: an article on Bogotá need never say Colombia."""
    implied, named = set(), set()
    for word in question.split():
        stems = tokenize(word)
        if len(stems) == 2 and stems[1] in COUNTRIES and stems[0] not in COUNTRIES \
                and stems[0] in index.vocab:
            implied.add(stems[1])
        else:
            named.update(stems)
    return [t for t in tokens if t in COUNTRIES and (t not in implied or t in named)]


def _year_elsewhere(index: Index, question: str, article: int) -> bool:
    """Does the question name a year its best passage's article never mentions ("who won
    the election in 2019" of an article on the 2024 one)? The site may mention it
    elsewhere: `unknown_name` reads the whole site."""
    years = [t for y in _YEAR.findall(question) for t in tokenize(y)]
    known = [t for t in years if t in index.vocab]
    return len(known) < len(years) or bool(known) and not set(known) <= index.article_terms(
        known, article)


def subject_stems(question: str) -> frozenset[str]:
    """Stems of the names the question holds in the possessive ("How big is China's navy"
    -> {"china"}): the subject of the question."""
    out: set[str] = set()
    for m in _POSSESSIVE.finditer(question):
        if _zipf(m.group(1).lower()) < SUBJECT_ZIPF:
            out.update(tokenize(m.group(1)))
    return frozenset(out - CHATTER)


def features(index: Index, tokens: list[str], ranked: Ranked, weights: dict[str, float],
             names: frozenset[str] = frozenset(), kind_ok: bool = True, type_ok: bool = True,
             subject: frozenset[str] = frozenset()) -> dict[str, float]:
    """Scale-free features of the best passage (ranked with these weights); `kind_ok`:
    it can hold the figure, time or outcome asked for (`bot.kinds.answers_kind`);
    `type_ok`: the name a who / where question asks for (`bot.kinds.answers_type`);
    `subject`: the names it holds in the possessive (`subject_stems`)."""
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
        "bm25_rel": min(2.0, bm25 / idf_sum) if idf_sum > 0 else 0.0,
        "length": math.log1p(len(weights)),
        "name_missing": sum(weights.get(t, 0.0) for t in names if t not in in_article) / total,
        "wrong_kind": 0.0 if kind_ok else 1.0,
        "wrong_type": 0.0 if type_ok else 1.0,
        "agree": agreement(index, arts),
        "subject_missing": float(any(t not in in_article for t in subject)),
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


def outcome(conf: float, p: dict | None = None) -> str:
    p = p or params()
    if conf >= p["answered_at"]:
        return ANSWERED
    return CLOSEST if conf >= p["closest_at"] else NONE


def below_answered(conf: float) -> float:
    """A confidence kept just below the answer threshold (the outcome: closest or none)."""
    return min(conf, params()["answered_at"] - 0.001)


def verbatim(judged: Assessment, found: bool) -> Assessment:
    """A question quoting words ("who said 'if we don't do it, then who will?'"): when the
    best passage holds them word for word it answers, whatever its words weigh; when no
    passage does, the quote is not in the articles and nothing is *answered*."""
    conf = (max(judged.confidence, params()["answered_at"]) if found
            else below_answered(judged.confidence))
    return Assessment(conf, outcome(conf), {**judged.features, "verbatim": float(found)})


def assess(index: Index, tokens: list[str], ranked: Ranked, weights: dict[str, float],
           names: frozenset[str] = frozenset(), kind_ok: bool = True, type_ok: bool = True,
           subject: frozenset[str] = frozenset(), question: str = "") -> Assessment:
    """Confidence that the best passage answers, and the outcome it leads to. A best
    passage that cannot hold the kind of answer asked for, or a question of one topic
    word, is never *answered*."""
    if not len(ranked.ids):
        return Assessment(0.0, NONE, {})
    feats = features(index, tokens, ranked, weights, names, kind_ok, type_ok, subject)
    conf = confidence(feats)
    # A single topic word ("two", "year", "Kuril", "tell me about the islands") is a search,
    # not a question a passage can be said to answer: its passages are shown as the closest.
    # Asked as a question, its other words refer to what the reader read ("where exactly are
    # these islands?", "who's the academic the article quotes?").
    topic = set(tokens) - CHATTER
    searched = not topic or (len(topic) == 1 and not _ASKED.match(question))
    if not kind_ok or searched or unknown_name(index, question, tokens) or _year_elsewhere(
            index, question, int(index.passage_article[ranked.ids[0]])):
        conf = below_answered(conf)
    # ... and when that one word is among English's commonest ("what time is it", "what's
    # new"), the question holds nothing to look for: no passage is the closest to it.
    # ... and when the question shares only names with the site and its best passage cannot
    # hold the kind of answer asked ("what is the population of Japan" on a site about Japan
    # that never says "population"), nothing is about it.
    # ... and a question about the Discord server itself ("how do I change my nickname on
    # this server?") is about no article.
    asked_about = topic - names
    if (len(topic) == 1 and _zipf(next(iter(topic))) >= COMMONEST_ZIPF) or (
            not kind_ok and asked_about and not any(t in index.vocab for t in asked_about)
    ) or _COMMUNITY.search(question):
        conf = min(conf, params()["closest_at"] / 2)
    return Assessment(conf, outcome(conf), feats)
