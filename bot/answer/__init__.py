"""Question -> ranked, quoted passages, or an honest "the articles don't answer this"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import numpy as np

from bot import (
    acronyms,
    english,
    kinds,
    organisations,
    policy,
    rerank,
    stance,
    typos,
    vectors,
    verbatim,
)
from bot.answer.candidates import ends_article, with_last, with_passage, with_saying
from bot.answer.recent import recent_first
from bot.answer.shown import distinct, diversify
from bot.answer.suggestions import shares_a_weighty_word, suggest
from bot.bylines import asks_author, by_author, byline, bylined
from bot.context import articles
from bot.corpus import ACRONYM_PASSAGES, FEW_ARTICLES, Corpus
from bot.errors import QuestionError
from bot.index import article_passages
from bot.kinds import recency
from bot.models import Answer, Hit
from bot.quotes import (
    ASKS_WHY,
    make_quote,
    quote_weights,
    sentence_terms,
    sentence_weights,
    with_reasons,
)
from bot.references import (
    asks_gist,
    named_article,
    placed_article,
    pointed_article,
    titled_preamble,
)
from bot.rerank import Ranked
from bot.text import tokenize
from bot.text.phrases import (
    fold_capitals,
    fold_demonyms,
    fold_percent,
    fold_phrases,
    fold_reader_words,
)

MAX_QUESTION_CHARS = 10_000
QUOTED_SENTENCE = 1000.0  # a sentence holding words the question quotes outweighs any other


# At the start of the question or of one of its sentences or clauses: readers and quizzes
# put context first ("The Senate passed the bill this week. How many Republicans voted for
# it?", "According to a new poll, what percentage ...").
_NUMERIC = re.compile(
    r"(?:^|[.?!:;,]\s+)\W*(?:(?:by |until |till |since )?when|(?:in |by |since )?(?:what|which) "
    r"(?:year|decade|century|date|month|day|percentage|percent|age|number|amount)|"
    r"(?:by )?how (?:many|much|long|old|far|large|big|high|tall|often|fast|deep|wide|heavy))\b",
    re.I,
)


# "How many" and "how much" ask for a quantity wherever they stand ("Liz Truss resigned
# after how many days?", "wait how many islands are there"); a clause-initial "when" or
# "how long" does not always ("I know how long it took, but why …").
_QUANTITY = re.compile(r"\bhow (?:many|much)\b", re.I)


def asks_for_number(question: str) -> bool:
    """Does the question ask for a date or a quantity (English question words)?"""
    return bool(_NUMERIC.search(question) or _QUANTITY.search(question))


# What is checked, and what to say when it is empty: nothing here names one site's topics.
ASKED = {"question": "Ask a question about the site's articles.",
         "query": "Search for what? Give a word or a few.",
         "article description": "Which article? Give a few words of its title, or its URL."}


def check_question(question: str, what: str = "question") -> str:
    """The question (or search query, or article description: `what`), trimmed; a clear
    error when it is empty or far too long."""
    if not isinstance(question, str):
        raise QuestionError(f"The {what} must be text.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"That {what} is too long ({len(question):,} characters; "
            f"the limit is {MAX_QUESTION_CHARS:,})."
        )
    q = " ".join(question.split())
    if not any(ch.isalnum() for ch in q):  # "???", "🙂": no word to look for
        raise QuestionError(ASKED[what])
    return q


def answer(corpus: Corpus, question: str, top: int = 3, when: datetime | None = None
           ) -> Answer:
    """Rank passages for the question; judge how surely the best one answers it
    (bot/policy/): answered, closest or none. `when`: the time it is asked (default now),
    which "this week" and "recently" are read against."""
    asked = check_question(question)
    top = max(1, min(int(top), 50))
    ending = stance.asks_ending(asked)
    # Named by its author's byline ("what is nour al-hashimi arguing?", "what does al-hashimi
    # say about rice?"): that article, asked of "the author" (the name is no word to find).
    authored = by_author(corpus, asked)
    whole = about_article(corpus, asked, top, ending, authored)
    if whole is not None:
        return whole
    index = corpus.index
    # What is searched and judged; `asked` is shown and its quotes are looked for.
    known = index.vocab.__contains__
    q = fold_percent(fold_capitals(fold_reader_words(fold_phrases(
        authored[0] if authored else asked, known), known), known), known)
    q = fold_demonyms(q, known, english.known_zipf)
    q = organisations.abbreviate(q, lambda w: bool(t := tokenize(w)) and all(map(known, t)))
    if index.size <= ACRONYM_PASSAGES:  # (past it the site's names are not read)
        # On a site of a handful of articles an acronym it also spells out is one body
        # written two ways in different paragraphs ("ECOWAS", "the Economic Community of
        # West African States"): both are looked for. On larger ones the acronym is how
        # most passages say it ("NFL"): the long name would only dilute the question (news
        # halves: 4 of 201 in-corpus questions no longer answered; SQuAD's 48 articles:
        # R@1 0.825 -> 0.821).
        q = acronyms.expand(q, lambda: corpus.acronyms,
                            lambda w: all(t in index.vocab for t in tokenize(w)),
                            corpus.acronym_phrase, corpus.holds_phrase,
                            both=articles(index) <= FEW_ARTICLES, alone=corpus.holds_alone,
                            as_word=corpus.writes_lower)
    tokens = typos.correct_typos(index, tokenize(q), q)
    if not tokens:  # no content word: no article to suggest either
        return Answer(asked, False)
    weights = policy.question_weights(index, q, tokens)
    if ending:  # "conclusion" says which passage is asked for, not what it is about
        said = set(typos.correct_typos(index, sorted(stance.ending_words(asked))))
        weights = {t: 0.0 if t in said else w for t, w in weights.items()}
    k, numeric, semantic = max(top * 4, 20), asks_for_number(q), semantic_scorer(corpus, q)
    ranked = rerank.rank(index, tokens, k=k, numeric=numeric, weights=weights,
                         semantic=semantic)
    titled = titled_preamble(corpus, q, ranked.ids)
    if titled:  # the preamble names an article: ranked again with its words weighed in full
        weights = policy.question_weights(index, q, tokens, titled)
        ranked = rerank.rank(index, tokens, k=k, numeric=numeric, weights=weights,
                             semantic=semantic)
    placed = placed_article(corpus, q, ranked.ids)
    if placed is None and authored:
        placed = authored[1]
    if placed is not None:  # "the second article": its passages, or its first, first
        ranked = with_passage(index, ranked, placed, weights)
    phrases = verbatim.quoted(asked)
    cited = [] if phrases else verbatim.cited(asked)
    if phrases or cited:  # a saying whose words retrieval cannot see: its passage is a candidate
        ranked = with_saying(corpus, ranked, tuple(phrases or cited), weights)
    if not len(ranked.ids):
        return Answer(asked, False, terms=tuple(tokens))
    if stance.asks_view(q):
        ranked = stance.prefer_views(ranked, [corpus.passage(int(i))[2] for i in ranked.ids],
                                     index.passage_article[ranked.ids])
    if ending:
        ranked = with_last(index, ranked, weights)
        ranked = stance.prefer_ending(ranked, ends_article(index, ranked.ids))
    named = None if placed is not None else named_article(corpus, q, ranked.ids)
    if placed is not None:
        ranked = ranked.first(index.passage_article[ranked.ids] == placed)
    elif named is not None:
        ranked = ranked.first(named)
    found = False
    if phrases or cited:
        texts = [f"{art.title}\n{text}" for art, _, text in map(corpus.passage, ranked.ids)]
        ranked, found = verbatim.prefer(ranked, texts, phrases or cited)  # a title can be quoted
    days = recency.span(asked)
    at = recency.anchored(when, corpus.newest_date) if days is not None else None
    dropped = False
    if not (phrases or cited) and placed is None and named is None:
        if at is not None:
            ranked = recent_first(
                ranked, lambda pid: corpus.articles[corpus.article_position(pid)].date, at,
                days)
        before, held_before = int(ranked.ids[0]), float(ranked.held[0])
        ranked = kind_first(q, ranked, index.passage_article, _passage_of(corpus))
        first = int(ranked.ids[0])
        # Another article's figure that holds less of the question is shown first but not
        # claimed: it may be of something else the site tells ("a ferry across the river cost
        # 5 dollars" for "what did the new bridge cost").
        dropped = first != before and (
            (index.passage_article[first] != index.passage_article[before]
             and float(ranked.held[0]) < held_before)
            or policy.names_dropped(q, set(tokenize(corpus.passage(before)[2])),
                                    set(tokenize(corpus.passage(first)[2]))))
    ids, scores = ranked.ids, ranked.scores
    best = int(ids[0])
    art, _, text = corpus.passage(best)
    spans = corpus.sentence_spans(best)
    judged = policy.assess(index, tokens, ranked, weights,
                           policy.name_stems(q) | policy.written_as_names(q, text),
                           kinds.answers_kind(q, text, spans, art.title),
                           kinds.answers_type(q, text, spans),
                           policy.subject_stems(q), q, _figures_missing(corpus, q, art),
                           stale=recency.dated_against(art.date, at, days))
    # What it quotes is in a passage word for word, or nowhere; a saying quoted from memory
    # is judged as any question is.
    if phrases and (found or not verbatim.loosely_held(text, spans, phrases, policy.CHATTER)):
        judged = policy.verbatim(judged, found)
    elif cited and found:  # a saying cited without quote marks is looked for only as such
        judged = policy.verbatim(judged, found)
        phrases = cited
    # Shown first, as the closest, not claimed as the answer: a passage put first for the
    # figure asked that leaves out a name the question gives and the passage it displaced
    # holds ("how much is Indonesia's JETP worth": the article's figure for Vietnam's; it
    # may answer another question. Claimed whenever it holds them: on the news questions,
    # half the articles indexed, that is 3 more of 201 answered right and none about an
    # article not indexed answered); a passage that gives no time ahead for "when is the
    # next election?"; what an article is about, of no one article ("the mekong piece" on a
    # site of two: one passage does not say it); who wrote an article with no byline.
    if judged.status == policy.ANSWERED and (
            dropped or kinds.lacks_time_ahead(q, text, spans) or asks_gist(asked) or
            asks_author(asked)):
        judged = replace(judged, confidence=policy.below_answered(
                         judged.confidence, policy.answer_bar(judged.features)),
                         status=policy.CLOSEST)
    if (ending or placed is not None) and judged.status == policy.NONE:
        # The article's last paragraph (or the article asked for by its place) is shown, not
        # claimed as its answer: which article's conclusion was meant, the question may not
        # say.
        judged = replace(judged, confidence=policy.params()["closest_at"], status=policy.CLOSEST)
    answered = judged.status == policy.ANSWERED
    chosen = distinct(corpus, ids, top)
    if answered and top > 1:
        chosen = diversify(corpus, ranked, sum(weights.values()), chosen)
    score_of = {int(i): float(s) for i, s in zip(ids, scores, strict=True)}
    why = bool(ASKS_WHY.search(asked))
    hits = []
    for pid, holding in zip(chosen, sentence_terms(index, chosen, weights), strict=True):
        art, para, text = corpus.passage(pid)
        spans = corpus.sentence_spans(pid)
        held = sentence_weights(holding, len(spans), quote_weights(weights, art.title))
        if phrases:  # the sentence holding the quoted words is quoted first
            held = [h + QUOTED_SENTENCE * verbatim.holds(text[a:b], phrases)
                    for h, (a, b) in zip(held, spans, strict=True)]
        elif why:
            held = with_reasons(held, text, spans)
        hits.append(
            Hit(
                title=art.title, link=art.link, paragraph=para, passage=text,
                quote=make_quote(text, spans, weights, art.title, held),
                score=score_of[pid], partial=art.partial, article_id=art.id,
            )
        )
    suggestions = () if answered or not shares_a_weighty_word(index, weights) else suggest(
        corpus, q, [int(i) for i in ids])
    return Answer(asked, answered, tuple(hits), suggestions, tuple(dict.fromkeys(tokens)),
                  judged.status, judged.confidence)


# "What's the second article about?" is answered by that article's lead: the chance it is
# the passage asked for is as high as any confident answer's.
WHOLE_ARTICLE_CONFIDENCE = 0.9


KIND_RIVALS = 2  # the next best passages that may give the kind the best one lacks
KIND_SCORE = 0.5  # of the best one's re-ranking score, at least
KIND_ANY_ARTICLE = 20  # sites of up to this many articles: a rival from any article


def kind_first(q: str, ranked: Ranked, article_of: np.ndarray,
               passage: Callable[[int], tuple[str, str, list[tuple[int, int]]]]) -> Ranked:
    """The best passage of the best one's article among the next few, with a score close to
    it, that can hold the figure, time or outcome asked for, first, when the best one
    cannot ("how fast is Jakarta sinking": the lead calls it sinking, a later paragraph
    gives the centimetres a year). `article_of`: each passage's article; `passage`: a
    passage id's (title, text, sentence spans)."""
    ids = ranked.ids
    if len(ids) < 2 or not kinds.asked(q):
        return ranked

    def holds(pid: int) -> bool:
        title, text, spans = passage(pid)
        return kinds.answers_kind(q, text, spans, title)

    best = int(ids[0])
    title, text, spans = passage(best)
    if kinds.answers_kind(q, text, spans, title) or kinds.said_under_title(q, text, spans,
                                                                           title):
        return ranked
    floor = KIND_SCORE * float(ranked.scores[0])
    # On a site of a handful of articles, another article's passage may give it: an op-ed's
    # "the money was mostly never spent" before the report's "3 billion was spent".
    anywhere = len(article_of) and int(article_of[-1]) < KIND_ANY_ARTICLE
    for j in range(1, min(len(ids), KIND_RIVALS + 1)):
        pid = int(ids[j])
        if ((anywhere or article_of[pid] == article_of[best])
                and float(ranked.scores[j]) >= floor and holds(pid)):
            return ranked.first(np.arange(len(ids)) == j)
    return ranked


def _passage_of(corpus: Corpus) -> Callable[[int], tuple[str, str, list[tuple[int, int]]]]:
    def passage(pid: int) -> tuple[str, str, list[tuple[int, int]]]:
        art, _, text = corpus.passage(pid)
        return art.title, text, corpus.sentence_spans(pid)
    return passage


def _figures_missing(corpus: Corpus, question: str, art) -> float:
    """The share of the figures the question gives that the best passage's article never
    writes (`policy.figures_missing`); its text is read only when the question gives one."""
    given = policy.figures(question)
    return policy.figures_missing(given, (art.title, *corpus.full(art).paragraphs)) \
        if given else 0.0


def about_article(corpus: Corpus, asked: str, top: int, ending: bool,
                  authored: tuple[str, int] | None = None) -> Answer | None:
    """A question about one article as a whole ("what's the second article about?", "how
    does the yemen piece end?", "the author's conclusion?" on a site of one full article):
    its opening (or closing) passages, *answered*; asked for the author's view and nothing
    else ("what's the author's take?", "what is nour al-hashimi arguing?"), its passages
    stating one; asked who wrote it, its byline; None for any other question. `ending`: the
    question asks how an article ends (bot/stance.py); `authored`: the question with the
    byline's name given as "the author", and that article (`bylines.by_author`)."""
    signed = bylined(corpus, asked)
    if signed is not None:  # "who wrote the opinion piece?": its byline
        art, para, text = corpus.passage(signed)
        hit = Hit(title=art.title, link=art.link, paragraph=para, passage=text,
                  quote=make_quote(text, corpus.sentence_spans(signed), {}, art.title),
                  score=0.0, partial=art.partial, article_id=art.id)
        return Answer(asked, True, (hit,), (), tuple(dict.fromkeys(tokenize(asked))),
                      policy.ANSWERED, WHOLE_ARTICLE_CONFIDENCE)
    # ("Who wrote the dam article?" of an article with no byline is no view asked for.)
    view = not ending and not asks_author(asked) and stance.asks_whole_view(
        authored[0] if authored else asked)
    if not ending and not view and not asks_gist(asked):
        return None
    at = authored[1] if authored else pointed_article(corpus, asked)
    if at is None:
        return None
    start, end = article_passages(corpus.index, np.array([at]))
    # Its byline ("By Valeria Sandoval") says who wrote it, not what it says.
    pids = [pid for pid in range(int(start[0]), int(end[0]))
            if not byline(corpus.passage(pid)[2])]
    if view:  # its passages that recommend, judge or predict, those doing it most first
        said = {pid: stance.views(corpus.passage(pid)[2]) for pid in pids}
        pids = sorted((pid for pid in pids if said[pid]), key=lambda pid: (-said[pid], pid))
    if not pids:
        return None
    pids = pids[::-1][:top] if ending else pids[:top]
    hits = []
    for pid in pids:
        art, para, text = corpus.passage(pid)
        hits.append(Hit(title=art.title, link=art.link, paragraph=para, passage=text,
                        quote=make_quote(text, corpus.sentence_spans(pid), {}, art.title),
                        score=0.0, partial=art.partial, article_id=art.id))
    return Answer(asked, True, tuple(hits), (), tuple(dict.fromkeys(tokenize(asked))),
                  policy.ANSWERED, WHOLE_ARTICLE_CONFIDENCE)


def semantic_scorer(corpus: Corpus, question: str
                    ) -> Callable[[np.ndarray], np.ndarray] | None:
    """Passage ids -> the question's cosine with each one's closest sentence, with word
    vectors (bot/vectors.py); None unless they are switched on and installed."""
    vecs = vectors.load()
    if vecs is None:
        return None

    def score(ids: np.ndarray) -> np.ndarray:
        sentences = []
        for pid in ids:
            text = corpus.passage(int(pid))[2]
            sentences.append([text[a:b] for a, b in corpus.sentence_spans(int(pid))])
        return vectors.best_sentence_similarity(vecs, question, sentences)

    return score
