"""Re-ranking is apart from retrieval: any first stage with `retrieve(tokens, k)` can supply
the candidates, and the index's own BM25 is only the default."""

from __future__ import annotations

import numpy as np

from bot import context, policy, rerank
from bot.index import Index
from bot.text import tokenize

DOCS = [
    ("Navy", ["The Pacific fleet sails from Vladivostok.", "Submarines patrol the Kuril Islands."]),
    ("Treaty", ["Japan and Russia never signed a peace treaty.", "The islands are disputed."]),
    ("Yemen", ["The civil war in Yemen began in 2014."]),
]


class OddOnly:
    """Another engine: only odd passage ids, in reverse order, with made-up scores."""

    def __init__(self, index: Index) -> None:
        self.index = index

    def retrieve(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        ids, scores = self.index.retrieve(tokens, k)
        keep = ids % 2 == 1
        return ids[keep][::-1], np.ones(int(keep.sum()))


def test_the_first_stage_is_a_seam():
    index = Index.build(DOCS)
    tokens = tokenize("which islands are disputed between japan and russia")
    default = rerank.rank(index, tokens, k=5)
    assert {int(i) for i in default.ids} == {1, 2, 3}  # passages holding a question word
    other = rerank.rank(index, tokens, k=5, retriever=OddOnly(index))
    assert [int(i) for i in other.ids] and all(int(i) % 2 == 1 for i in other.ids)
    assert int(other.ids[0]) == 3  # "The islands are disputed." re-ranked first by features


def test_retrieve_returns_the_best_bm25_candidates():
    index = Index.build(DOCS)
    tokens = tokenize("Kuril Islands fleet")
    ids, scores = index.retrieve(tokens, 2)
    full = index.bm25_scores(tokens)
    assert sorted(scores.tolist(), reverse=True) == sorted(full, reverse=True)[:2]
    assert np.allclose(full[ids], scores)


def test_an_article_holding_the_rest_of_the_question_lifts_its_passage():
    # The same sentence in two articles; only Alpha's other paragraph holds the question's
    # other words, so Alpha's copy comes first (Beta's would win the tie on passage id).
    docs = [
        ("Beta", ["The navy patrol sailed out again.", "Cooking recipes for winter soup."]),
        ("Alpha", ["The navy patrol sailed out again.", "The Kuril volcano erupted at dawn."]),
    ]
    index = Index.build(docs)
    ids = [int(i) for i in rerank.rank(index, tokenize("navy patrol near the Kuril volcano"),
                                       k=4).ids]
    assert ids.index(2) < ids.index(0)


# Word soup where, with BM25 added raw, repeating the question's words (as a long question
# does by length) let BM25 outweigh the shares of the question's weight and changed the order.
SOUP = [
    ("Alpha", ["war patrol navy.", "patrol navy navy.",
               "port harbour fleet war peace peace peace talks border russia.",
               "port japan island navy submarine patrol.",
               "kuril russia talks patrol russia patrol talks japan russia war volcano japan."]),
    ("Beta", ["navy kuril treaty talks patrol kuril island navy peace port.",
              "patrol treaty japan island patrol volcano winter patrol volcano submarine border.",
              "patrol submarine war treaty.",
              "navy fleet fleet harbour kuril navy harbour island harbour.",
              "harbour port border patrol navy patrol war submarine fleet submarine."]),
    ("Gamma", ["peace border harbour treaty kuril treaty talks submarine russia russia russia.",
               "border port russia kuril winter harbour port japan."]),
]


def test_the_order_does_not_depend_on_the_questions_bm25_scale():
    index = Index.build(SOUP)
    tokens = tokenize("port winter island talks")
    once = rerank.rank(index, tokens, k=5)
    thrice = rerank.rank(index, tokens * 3, k=5)
    assert [int(i) for i in once.ids] == [int(i) for i in thrice.ids]
    lexical = rerank.features(index, tokens, *index.retrieve(tokens, 50),
                              index.query_weights(tokens))
    assert lexical["bm25"].max() == 1.0  # relative to the best candidate's BM25


SMALL_SITE = [
    ("Harbour", [
        "Actually, the council actually met again on Tuesday, and the mayor actually spoke "
        "about the weather at length.",
        "The council voted to rebuild the harbour wall after the storm destroyed the old pier.",
        "Fishing boats returned to the bay in spring.",
    ]),
    ("Market", ["The market opens on Saturdays in the square."]),
]


def test_on_a_small_site_the_lexical_features_weigh_words_as_english_does():
    # Four passages: "actually" is in one, so its corpus idf is the highest there is, and
    # repeated three times it won BM25's term frequency. Weighed by the question's word
    # weights (background English frequency, chatter damped), the passage about the pier
    # comes first.
    index = Index.build(SMALL_SITE)
    q = "what did the council actually decide about the pier"
    tokens = tokenize(q)
    ranked = rerank.rank(index, tokens, k=4, weights=policy.question_weights(index, q, tokens))
    assert int(ranked.ids[0]) == 1


def test_a_word_in_half_the_passages_keeps_its_term_frequency_part():
    # idf exactly 0 (2 of 4 passages): the saturation is taken as one occurrence's, not 0/0.
    index = Index.build([("A", ["Pier pier works.", "The pier.", "Boats.", "Bay."])])
    term = index.vocab["pier"]
    assert index.passages.idf[term] == 0
    cand, bm25 = index.retrieve(tokenize("pier"), 4)
    f = rerank.features(index, tokenize("pier"), cand, bm25, {"pier": 1.0})
    assert np.isfinite(f["bm25"]).all() and np.isfinite(f["sentence"]).all()
    assert f["bm25"].max() == 1.0


def test_a_number_written_as_a_word_answers_a_how_many_question():
    # Both sentences hold "islands" and "seized"; only the second holds a number, in words.
    docs = [("Islands", ["Troops seized the islands after a long siege in the north.",
                         "Troops seized four islands in the north."])]
    index = Index.build(docs)
    tokens = tokenize("how many islands did the troops seize")
    cand, bm25 = index.retrieve(tokens, 2)
    f = rerank.features(index, tokens, cand, bm25, index.query_weights(tokens), numeric=True)
    number = dict(zip(cand.tolist(), f["number"].tolist(), strict=True))
    assert number[1] > 0 and number[0] == 0


def test_in_a_news_style_article_an_earlier_short_paragraph_comes_first():
    # The same sentence in two articles of one-sentence paragraphs, past their leads: at
    # paragraph 6 of Alpha and 3 of Beta. Beta's comes first (Alpha's would win the tie on
    # passage id); an article of long paragraphs gets no position prior at all.
    filler = [f"Filler paragraph number {w}." for w in
              "one two three four five six seven".split()]
    docs = [
        ("Alpha", filler[:6] + ["The navy patrol sailed out near the Kuril volcano."]),
        ("Beta", filler[:3] + ["The navy patrol sailed out near the Kuril volcano."]),
        ("Gamma", ["One sentence. Two sentences. Three sentences.", "Four. Five. Six."]),
    ]
    index = Index.build(docs)
    prior = context.position_prior(index, np.arange(13))
    assert prior[6] < prior[10] < prior[7] == 0  # paragraphs 6, 3 and 0
    assert prior[11] == prior[12] == 0  # three sentences a paragraph: not news layout
    ids = [int(i) for i in rerank.rank(index, tokenize("navy patrol near the Kuril volcano"),
                                       k=4).ids]
    assert ids[:2] == [10, 6]


def test_the_pull_of_the_lead_grows_with_the_number_of_articles():
    """On a site of a handful of articles readers ask about any part of one; in an archive
    the lead of a news-style article pulls in full."""
    article = [f"Short paragraph number {w}." for w in "one two three four five".split()]
    few = Index.build([(f"Article {i}", article) for i in range(3)])
    many = Index.build([(f"Article {i}", article) for i in range(context.ARCHIVE)])
    at = np.array([3])  # the first article's paragraph 3
    assert 0 > context.position_prior(few, at)[0] > context.position_prior(many, at)[0]
    assert context.position_prior(many, at)[0] == -np.log1p(3)


AMAZON = [
    ("How the Amazon Fund works", [
        "The Amazon Fund pays Brazil to keep the Amazon standing: the Amazon Fund is the "
        "biggest rainforest fund in the world.",
        "Its donors are Norway and Germany.",
        "The Amazon Fund paid for fire brigades across the Amazon last year.",
        "The Amazon Fund's board meets in Rio twice a year to approve Amazon projects.",
        "Critics say the Amazon Fund moves too slowly for the Amazon's farmers."]),
    ("Chile's copper royalty", ["Chile raised its copper royalty in 2023.",
                                "Mines pay more when prices rise."]),
    ("Ireland's data centres", ["Data centres use a fifth of Ireland's electricity.",
                                "The grid operator paused new connections in Dublin."]),
]


def test_on_a_small_site_what_few_paragraphs_hold_outweighs_the_leads_topic_words(
        monkeypatch):
    """'Amazon' and 'fund' are rare on the site but in every paragraph of their article:
    they say which article, not which paragraph. 'donors', in one paragraph, does."""
    index = Index.build(AMAZON)
    question = "which donors pay into the amazon fund"
    tokens = tokenize(question)
    weights = policy.question_weights(index, question, tokens)
    assert int(rerank.rank(index, tokens, k=3, weights=weights).ids[0]) == 1
    monkeypatch.setitem(rerank.WEIGHTS, "within_article", 0.0)
    assert int(rerank.rank(index, tokens, k=3, weights=weights).ids[0]) == 0  # the lead


def test_within_article_weighs_words_by_how_few_of_the_articles_paragraphs_hold_them():
    index = Index.build(AMAZON)
    everywhere = {"amazon": 3.0}  # in four of its five paragraphs
    only_here = {"donor": 3.0}  # in paragraph 1 alone
    cand = np.array([0, 1, 2])
    assert context.within_article(index, only_here, cand)[1] > 0.5
    assert list(context.within_article(index, only_here, cand)[[0, 2]]) == [0.0, 0.0]
    assert 0 < context.within_article(index, everywhere, cand)[0] < 0.2
    # An archive's questions are about what its leads report: nothing there.
    many = Index.build(AMAZON * (context.ARCHIVE // 3 + 1))
    assert not context.within_article(many, only_here, cand).any()
    assert context.archive_share(many) == 1.0 > context.archive_share(index)


def test_the_leads_pull_fades_on_a_site_of_a_handful_of_articles():
    """Readers of a few articles ask about any paragraph; an archive's questions are about
    what its leads report: the lead bonus grows with the site, as the position prior does."""
    question = "which donors pay into the amazon fund"
    tokens = tokenize(question)
    cand = np.array([0, 1, 5])  # the Amazon article's first two paragraphs, Chile's first
    for index in (Index.build(AMAZON), Index.build(AMAZON * (context.ARCHIVE // 3 + 1))):
        weights = policy.question_weights(index, question, tokens)
        lead = rerank.features(index, tokens, cand, np.ones(3), weights)["lead"]
        assert list(lead) == [context.archive_share(index)] * 3
    assert context.archive_share(Index.build(AMAZON)) < 0.5


def test_a_common_word_in_one_paragraph_picks_none():
    """'side' is in one paragraph by chance: English uses it everywhere."""
    index = Index.build(AMAZON + [("Sides", ["The other side of the river is Peru."])])
    cand = np.arange(index.size)
    assert not context.within_article(index, {"side": context.WITHIN_MIN_WEIGHT / 2}, cand).any()
    assert context.within_article(index, {"side": context.WITHIN_MIN_WEIGHT}, cand).any()
