import json
from itertools import pairwise

import pytest

from bot.__main__ import main
from bot.models import Article
from bot.summarize import score_sentences, sentences_of, summarize
from tests import test_discord
from tests.fake_discord.server import interaction, option, slash

OPED = [
    "Why should anyone care about a dam? Imagine a river that simply stops.",
    "The Grand Ethiopian Renaissance Dam is reshaping water politics on the Nile.",
    "Egypt depends on the Nile for nearly all of its water, and fears the dam will cut its "
    "share during droughts.",
    "Ethiopia sees the dam as the engine of its development and a source of electricity for "
    "millions of people.",
    "Talks on filling the dam have stalled repeatedly since 2011.",
    "A binding agreement on drought rules for the dam is the only way to avoid a water war.",
]


def test_summary_is_verbatim_in_order_and_deterministic():
    first = summarize("The Nile dam dispute", OPED, 3)
    assert first == summarize("The Nile dam dispute", OPED, 3)
    assert len(first) == 3
    text = " ".join(OPED)
    positions = [text.index(s) for s in first]
    assert positions == sorted(positions)
    # The rhetorical-question hook is not the gist.
    assert not any(s.endswith("?") for s in first)


def test_a_quotation_over_two_sentences_is_summarised_whole_never_left_open():
    paragraphs = [
        "Solar developers in Uzbekistan say the grid cannot take their power.",
        '"On some days we switch off a fifth of our output," Karimova said. "In July alone '
        'we lost 38 gigawatt-hours of solar power. That is money we will never see." The '
        "solar lines to Tashkent are full in the afternoon.",
    ]
    picked = summarize("Solar power lost on the grid", paragraphs, 4)
    assert any(s.startswith('"In July alone') for s in picked)
    for s in picked:  # every quotation a sentence opens, it closes
        assert s.count('"') % 2 == 0, s
    # A quotation left open for more sentences than that is not glued on for ever.
    long = '"One. Two. Three. Four. Five." Six.'
    assert len(sentences_of([long])) > 1


def test_a_long_quotation_is_one_unit_never_summarised_by_its_opening_sentence():
    paragraphs = [
        "Aishath Nadheema has spent twenty years building sea walls across the Maldives, "
        "where most land sits less than one metre above sea level.",
        "She spoke to us in Male about raised islands and disappearing beaches.",
        '"People abroad imagine a single dramatic day when the islands go under. That is not '
        "how it works. The beaches thin, the wells turn salty, the roads flood at high tide. "
        "Families move to the capital one by one. The islands empty long before they drown. "
        'That is the real danger for the Maldives."',
        "The ministry plans to raise four more islands by 2030 with sand pumped from lagoons.",
    ]
    picked = summarize("A Maldivian engineer on rising seas", paragraphs, 3)
    for s in picked:  # no sentence of it with its quotation mark left open
        assert s.count('"') % 2 == 0, s
    # Curly to open and straight to close is one quotation; an inch mark opens none.
    mixed = '\u201cWe lost 38 GWh. That is money we will never see." The lines are full.'
    assert [s.text for s in sentences_of([mixed])][0].endswith('never see."')
    assert len(sentences_of(['A 2" pipe burst. A 3" pipe held. Both were old.'])) == 3


def test_a_summary_takes_at_most_two_sentences_of_one_paragraph_while_others_give():
    paragraphs = [
        "Two weeks after Niger declared a cholera outbreak in Agadez, cases of cholera in the "
        "city are falling. The cholera outbreak has killed 31 people in Agadez since "
        "February. Cholera cases in Agadez peaked in the first week of March. The cholera "
        "ward in Agadez has emptied by half.",
        "Vaccination against cholera began on 15 March with 180,000 doses, fewer than Niger "
        "asked for.",
        "The source of the cholera outbreak was a contaminated borehole near the bus station "
        "in Agadez.",
    ]
    picked = summarize("Agadez cholera outbreak slows", paragraphs, 3)
    first = [x for x in picked if x in paragraphs[0]]
    assert len(picked) == 3 and len(first) <= 2
    # With nothing else to give, one paragraph gives them all.
    assert len(summarize("Agadez cholera outbreak slows", paragraphs[:1], 3)) == 3
    # A summary about a topic takes what is said of it, however it is spread.
    about = summarize("Agadez cholera outbreak slows", paragraphs, 3, about="cholera ward peak")
    assert sum(x in paragraphs[0] for x in about) == 3


def test_sentence_count_and_char_budget():
    assert len(summarize("T", OPED, 1)) == 1
    assert len(summarize("T", OPED, 10)) <= len(OPED) * 2
    short = summarize("T", OPED, 5, max_chars=200)
    assert sum(len(s) for s in short) <= 200 or len(short) == 1


def test_about_focuses_on_the_topic():
    picked = summarize("The Nile dam dispute", OPED, 1, about="electricity development")
    assert picked == [
        "Ethiopia sees the dam as the engine of its development and a source of electricity "
        "for millions of people."
    ]


def test_seed_summary_gist_and_teaser(seed_service):
    japan = seed_service.summary("Japan Russia peace treaty")
    assert japan.title.startswith("Japan And Russia") and not japan.partial
    assert len(japan.sentences) == 3
    assert "peace treaty" in " ".join(japan.sentences)
    yemen = seed_service.summary("The Not-So-Yemeni Deadlock")
    assert yemen.partial


def test_summary_cache_is_keyed_by_text(picking_service, monkeypatch):
    import bot.service as service_mod

    calls = []
    real = service_mod.summarize
    monkeypatch.setattr(service_mod, "summarize", lambda *a, **k: calls.append(1) or real(*a, **k))
    s = picking_service
    s.summary("Elections in Kenya")
    s.summary("Elections in Kenya")
    assert len(calls) == 1
    s.stores.articles.ingest([Article("Elections in Kenya", ("Kenya voted again in a rerun.",),
                            url="https://e.org/kenya")], "t")
    s.reload()
    again = s.summary("Elections in Kenya")
    assert len(calls) == 2 and again.sentences == ("Kenya voted again in a rerun.",)


def test_summary_cli_json_contract(capsys):
    assert main(["summary", "--json", "--sentences", "2", "Japan Russia peace treaty"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "url", "partial", "sentences"}
    assert len(data["sentences"]) == 2 and data["partial"] is False


def test_summary_cli_all_is_json_lines(capsys, tmp_path):
    corpus = tmp_path / "c.jsonl"
    lines = (json.dumps({"title": f"T{i}", "paragraphs": OPED}) for i in range(3))
    corpus.write_text("\n".join(lines))
    assert main(["summary", "--all", "--corpus", str(corpus), "--sentences", "2"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["title"] for x in lines] == ["T0", "T1", "T2"]
    assert all(len(x["sentences"]) == 2 for x in lines)


def test_summary_cli_ambiguous_and_missing(capsys, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"title": "Dams of the Nile", "text": "Dams hold water."})
                      + "\n" + json.dumps({"title": "Dams of the Mekong",
                                           "text": "Dams hold water."}) + "\n")
    assert main(["summary", "--corpus", str(corpus), "Dams"]) == 2
    err = capsys.readouterr().err
    assert "Dams of the Nile" in err and "Dams of the Mekong" in err
    assert main(["summary", "--corpus", str(corpus), "volcanoes of Iceland"]) == 2
    assert "No article matches" in capsys.readouterr().err
    # With --json, the error is JSON on stdout too, the choices with it.
    assert main(["summary", "--json", "--corpus", str(corpus), "volcanoes of Iceland"]) == 2
    assert json.loads(capsys.readouterr().out)["error"].startswith("No article matches")
    assert main(["summary", "--json", "--corpus", str(corpus), "Dams"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert {c["title"] for c in out["candidates"]} == {"Dams of the Nile", "Dams of the Mekong"}


# Pinned from the dense-matrix ranking (before sentence similarity went sparse), re-pinned
# whenever the tokenizer changes (index FORMAT 5: demonyms, capitals, a few synonyms, number
# words, British spellings; FORMAT 11: discuss, keen, expert, press, deal folded; FORMAT 15:
# a capital is itself and its country; the picks did not move): on articles of normal size
# the scores, and so the picks, must not move.
JAPAN_SCORES = [
    9.816762, 6.968262, 5.39676, 3.215382, 3.305031, 2.782566, 2.289874, 1.952357, 1.568444,
    0.891633, 1.368686, 1.449715, 0.852625, 1.020338, 0.9316, 0.851634, 0.985327, 1.368367,
    0.972414, 1.144203, 1.433723, 0.927626, 0.546646, 0.637139, 0.799616, 0.845882, 1.148208,
    1.390404,
]
OPED_SCORES = [2.86482, 5.808236, 5.466915, 4.244261, 3.007222, 2.193228, 2.167624]
JAPAN_FIVE = [
    "Almost 70 years after the end of World War II, Russia and Japan still haven’t signed a "
    "peace treaty.",
    "The warring parties signed a mutual agreement to a ceasefire, but never entered into peace "
    "negotiations.",
    # At most two of one paragraph while others have some to give (PER_PARAGRAPH).
    "“Let’s conclude a peace treaty before the end of this year, without any pre-conditions,” "
    "said President Putin, speaking at the Eastern Economic Forum in Vladivostok, Russia "
    "earlier this month.",
    "When the Japanese President spoke to the media he stated that “without infringing upon "
    "the rights of either side, we are doing our best with [Mr. Putin] to reach our common aim "
    "— to sign a peace treaty.”",
    # An op-ed's summary holds its argument (`_with_argument`).
    "Putin should reconsider a sharing of territory, which will open trade deals between the "
    "nations and expand Putin’s proposed North/South energy infrastructure.",
]


@pytest.fixture
def japan():
    from bot.service import SEEDS_DIR
    from bot.sources.files import load_paths

    return next(a for a in load_paths([SEEDS_DIR]).articles if a.title.startswith("Japan"))


def test_scores_and_picks_match_the_pinned_dense_ranking(japan):
    scores = score_sentences(japan.title, sentences_of(japan.paragraphs, vocab := {}), vocab)
    assert [round(float(x), 6) for x in scores] == JAPAN_SCORES
    oped = score_sentences("", sentences_of(OPED, vocab := {}), vocab)
    assert [round(float(x), 6) for x in oped] == OPED_SCORES
    assert summarize(japan.title, japan.paragraphs, 5) == JAPAN_FIVE


def _article(n_sentences: int, seed: int = 7) -> list[str]:
    """Sentences of made-up words, a few very common ones among them, 20 to a paragraph."""
    import random

    rnd = random.Random(seed)
    common = [f"common{i}" for i in range(20)]  # each in a large share of all sentences
    rare = [f"word{i}x" for i in range(1500)]
    sents = [
        "Sentence " + " ".join(rnd.choice(common if rnd.random() < 0.3 else rare)
                               for _ in range(rnd.randint(8, 20))) + "."
        for _ in range(n_sentences)
    ]
    return [" ".join(sents[i : i + 20]) for i in range(0, n_sentences, 20)]


def test_large_article_memory_stays_linear_not_quadratic():
    import tracemalloc

    paras = _article(5_000)  # about 700 kB; one dense 5,000 x 5,000 float matrix is 200 MB
    tracemalloc.start()
    try:
        picked = summarize("Sentence common3", paras, 3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(picked) == 3
    # Bound by structure: far below one n x n float array (the old algorithm built several).
    assert peak < 5_000 * 5_000 * 8 / 10


def test_similarity_graph_holds_one_entry_per_sentence_term():
    from bot.summarize import _graph

    sents = sentences_of(_article(3_000), vocab := {})
    graph = _graph(sents, len(vocab))
    assert graph.shape == (len(vocab), len(sents))
    assert graph.nnz == sum(len(set(s.terms)) for s in sents)  # linear, not n x n


def test_summary_is_deterministic_on_a_long_article():
    paras = _article(2_000, seed=3)
    first = summarize("Sentence", paras, 5)
    assert first == summarize("Sentence", paras, 5)
    scores = [score_sentences("Sentence", s := sentences_of(paras, v := {}), v) for _ in "ab"]
    assert len(s) == 2_000 and (scores[0] == scores[1]).all()


def test_past_the_bound_the_lead_and_an_even_spread_are_ranked(monkeypatch):
    import bot.summarize as summarize_mod

    monkeypatch.setattr(summarize_mod, "MAX_CONSIDERED", 40)
    monkeypatch.setattr(summarize_mod, "LEAD", 10)
    paras = [" ".join(f"Sentence {p * 10 + i} is here." for i in range(10)) for p in range(20)]
    sents = sentences_of(paras)
    assert len(sents) == 40 and [s.order for s in sents] == list(range(40))
    numbers = [int(s.text.split()[1]) for s in sents]
    assert numbers[:10] == list(range(10)) and numbers[-1] == 199  # the end still counts
    assert all(0 < b - a <= 7 for a, b in pairwise(numbers))  # in order, evenly spread
    assert sents[-1].paragraph == 19
    assert len(summarize("T", paras, 3)) == 3


def test_too_long_article_is_refused_clearly(monkeypatch, picking_service, tmp_path, capsys):
    import bot.summarize as summarize_mod
    from bot.errors import ArticleTooLong

    monkeypatch.setattr(summarize_mod, "MAX_ARTICLE_CHARS", 300)
    with pytest.raises(ArticleTooLong, match="too long to summarise: 3,000 characters"):
        summarize("Long", ["x" * 3000])
    long = Article("Elections in Kenya", ("Kenya voted. " * 40,), url="https://e.org/kenya")
    picking_service.stores.articles.ingest([long], "t")
    picking_service.reload()
    with pytest.raises(ArticleTooLong, match="Elections in Kenya is too long"):
        picking_service.summary("Elections in Kenya")
    # `summary --all` reports the refused article and goes on with the next one.
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"title": "Long one", "text": "Words here. " * 50}) + "\n"
                      + json.dumps({"title": "Short one", "paragraphs": OPED[:2]}) + "\n")
    assert main(["summary", "--all", "--corpus", str(corpus), "--sentences", "1"]) == 0
    long_rec, short_rec = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    assert "too long" in long_rec["error"] and "sentences" not in long_rec
    assert len(short_rec["sentences"]) == 1


start_bot = test_discord.start_bot  # the real discord.py client against the fake Discord


async def test_discord_refuses_a_too_long_article_and_keeps_answering(start_bot, monkeypatch):
    import bot.summarize as summarize_mod

    monkeypatch.setattr(summarize_mod, "MAX_ARTICLE_CHARS", 1000)  # the Japan seed is longer
    h = await start_bot()
    p = await h.send(slash("summary", [option("article", "Japan Russia peace treaty")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert "too long to summarise" in json.dumps(fu.body)
    p = await h.send(slash("ask", [option("question", "Kuril Islands Pacific fleet Russia")]))
    (fu,) = await h.fake.wait_for(h.followups(p))
    assert test_discord.embeds_of(fu)  # still answering
    button = next(b for row in fu.body["components"] for b in row["components"]
                  if b.get("label", "").startswith("Summarise Japan"))
    click = interaction(3, {"custom_id": button["custom_id"], "component_type": 2},
                        msg=fu.response)
    await h.send(click)
    (fu2,) = await h.fake.wait_for(h.followups(click))
    assert "too long to summarise" in json.dumps(fu2.body)


def test_chars_is_a_limit_even_when_no_whole_sentence_fits():
    from bot.summarize import summarize

    long_one = ("The ministers of the two countries met for three days in the harbour city "
                "and agreed on a long list of measures for the fishing fleets of the north.")
    picked = summarize("Fishing talks", [long_one, long_one.replace("three", "four")],
                       sentences=1, max_chars=50)
    assert len(picked) == 1 and len(picked[0]) <= 50 and picked[0].endswith("\u2026")
    assert long_one.startswith(picked[0][:-1].rstrip())


def test_a_last_sentence_cut_off_is_not_picked_while_a_whole_one_can_be():
    teaser = ["The 2014-2023 civil war in Yemen represents a complex conflict, with several "
              "competing interests at play. It has, however, been witness to a pause in"]
    assert summarize("The Not-So-Yemeni Deadlock", teaser, 3) == [
        "The 2014-2023 civil war in Yemen represents a complex conflict, with several "
        "competing interests at play."]
    # A whole last sentence, quoted or not, is picked as any other.
    whole = ["Talks resumed in Geneva on Monday after a pause of several weeks over aid.",
             "The envoy said both sides had agreed to a prisoner exchange within the month."]
    assert len(summarize("Talks", whole, 3)) == 2
    quoted = whole[:1] + ["\u201cWe will keep talking until the guns fall silent,\u201d the "
                          "envoy told reporters."]
    assert len(summarize("Talks", quoted, 3)) == 2
    # Only a cut-off sentence: it is all there is.
    assert summarize("Stub", ["It has, however, been witness to a pause in"], 2) == [
        "It has, however, been witness to a pause in"]


def test_a_sentence_naming_its_speaker_only_by_a_pronoun_follows_the_one_naming_them():
    title = "Talvoria's Dam Divides the Valley"
    paras = [
        "Talvoria opened the Kessa dam on the Brenmark border on Monday after six years of "
        "building.",
        # The minister is named in a sentence too short to be picked on its own.
        "Energy minister Ana Velo spoke. \"The dam will give electricity to two million homes "
        "in Talvoria and Brenmark,\" she said.",
        "Brenmark says the dam takes a third of the river's water in the dry season.",
        "Talvoria offered Brenmark extra water in the dry season, but Brenmark rejected the "
        "offer because it was not legally binding.",
    ]
    picked = summarize(title, paras, 3)
    assert not any(s.endswith("she said.") for s in picked)
    assert len(picked) == 3
    # With nothing else to pick it is still picked; after the sentence naming the speaker,
    # it is picked as any other.
    assert any(s.endswith("she said.") for s in summarize(title, paras, 4))
    named = [paras[0], "Energy minister Ana Velo spoke at the opening of the dam beside the "
             "reservoir. \"The dam will give electricity to two million homes,\" she said."]
    assert summarize(title, named, 3) == [named[0], *named[1].split(" \"", 1)[:1],
                                          "\"" + named[1].split(" \"", 1)[1]]


FACTS = [
    "Ethiopia and Djibouti signed the port deal in the capital in March of this year. Ethiopia "
    "will pay 600 million dollars over ten years for its own berth at the port.",
    "Djibouti will build a ninety kilometre road from the port to the border. Trade through "
    "the port has doubled since 2015, and most of it is Ethiopian.",
    "Critics in Mogadishu called the deal a land grab by a landlocked neighbour. The African "
    "Union asked both governments for talks before any construction begins.",
]
OPINION = FACTS + [
    "The deal is a mistake for the whole region. Ethiopia should pursue a regional customs "
    "union instead of a berth of its own. The African Union must broker a trade corridor that "
    "is open to every neighbour on equal terms.",
]
REPORT = FACTS + [
    '"Ethiopia should pursue a regional customs union instead of a berth," said one diplomat. '
    '"The African Union must broker a trade corridor open to every neighbour," said another. '
    "Talks resume in June.",
]


def test_an_op_eds_summary_holds_its_argument_and_a_reports_does_not():
    picked = summarize("The port deal", OPINION, 3)
    assert any("should pursue a regional customs union" in p for p in picked), picked
    assert picked[0].startswith("Ethiopia and Djibouti signed")
    # Recommendations inside quotation marks are others' views: a report's lead stays.
    assert not any("customs union" in p for p in summarize("The port deal", REPORT, 3))
    # A query-focused summary, or one of fewer sentences, is as it was.
    assert summarize("The port deal", OPINION, 2) == summarize("The port deal", FACTS, 2)


def test_an_op_eds_argument_is_its_authors_own_sentence():
    from bot.summarize import _argues

    assert _argues("Australia should pair the visa ballot with a skills fund.")
    assert _argues("My recommendation is that the EU pool its purchases.")
    # A quotation the splitter cut, a saying reported, a pronoun whose sentence is not shown.
    assert not _argues("\u201cWe must get clean water to these families.")
    assert not _argues("The minister said the bank should cut rates.")
    assert not _argues("They should deliver it to the shelters now.")


# The argument stated early, in the author's own voice, then facts: no second half of
# recommendations to tell it is an op-ed by.
EARLY_ARGUMENT = FACTS[:2] + [
    "I argue that Ethiopia should seek a customs union with every neighbour instead of a "
    "berth of its own.",
] + FACTS[2:] + [
    "Trade through the port rose by a fifth last year. Ethiopian trucks wait two days at the "
    "border. The road will be finished in 2027.",
]


def test_an_op_eds_argument_in_its_own_voice_is_kept_wherever_it_stands():
    picked = summarize("The port deal", EARLY_ARGUMENT, 3)
    assert any(p.startswith("I argue that Ethiopia should") for p in picked), picked
    # Without it, a report of the same facts keeps its lead.
    report = summarize("The port deal", FACTS[:2] + FACTS[2:] + EARLY_ARGUMENT[-1:], 3)
    assert not any("customs union" in p for p in report)
    # A title calling it an opinion marks it too.
    marked = FACTS + ["Trade through the port rose by a fifth last year. Ethiopia should seek "
                      "a customs union with every neighbour. The road opens in 2027."]
    assert any("should seek a customs union" in p
               for p in summarize("Opinion: the port deal", marked, 3))
    assert not any("should seek a customs union" in p
                   for p in summarize("The port deal", marked, 3))



def test_an_argument_the_author_states_as_theirs_is_summarised_before_another_pick():
    paragraphs = [
        "Every few years, a Latin American government announces that its natural resources "
        "will finally make it rich. Chile now has a state-controlled lithium champion, and "
        "Argentina is once again promising a stable currency built on shale exports. My "
        "argument is simple: each of these national strategies will fail if it is pursued "
        "alone.",
        "The region's greatest weakness is not a lack of resources but the absence of an "
        "integrated market. Trade between South American countries is a small share of their "
        "total trade.",
        "Brazil and Paraguay have argued over the Itaipu dam's tariff for two years. Chile's "
        "lithium rules change with each government.",
        "If Latin American leaders want their booms to last longer than a single presidential "
        "term, they must build the regional market first.",
    ]
    picked = summarize("Opinion: resource wealth will be wasted without integration",
                       paragraphs, 3)
    assert any(p.startswith("My argument is simple") for p in picked), picked
    assert sum(p in paragraphs[0] for p in picked) <= 2, picked  # still two of a paragraph


def test_a_sentence_that_goes_on_from_the_one_before_is_put_off():
    from bot.summarize import _PRONOUN_LED

    for text in ("It weakens our case in Brussels.", "It is also the wrong answer.",
                 "This means the funds stay frozen.", "The first is the conditionality rule.",
                 "Second, move the fight to Brussels."):
        assert _PRONOUN_LED.search(text), text
    # What stands on its own is not: "it is time to", "this year", "the first unit".
    for text in ("It is time to build silos at Gdansk.", "This year the harvest was large.",
                 "The first unit will supply power in 2036.", "Italy says it wants more.",
                 "Second World War veterans gathered.", "Third-quarter profits fell.",
                 "This is the first time the court ruled.", "It takes two hours to drive."):
        assert not _PRONOUN_LED.search(text), text


def test_a_title_or_a_conditional_that_only_looks_like_an_op_eds_is_none():
    from bot.summarize import _OPINION_TITLE, _argues

    assert _OPINION_TITLE.match("Opinion: East Africa needs rules")
    assert not _OPINION_TITLE.match("Opinion-poll lead narrows for Labour")
    assert not _OPINION_TITLE.match("Comment-free zone: a new law")
    assert _argues("Where herders agree, a fixed share of the revenue, two percent of turnover, "
                   "should go to the district.")
    assert not _argues("However, should the trend continue, prices will rise again.")


def test_an_op_eds_argument_keeps_to_two_sentences_of_a_paragraph_and_stands_alone():
    paragraphs = [
        "Across East Africa, governments are spending more on their creditors than on their "
        "citizens. The region's response has been to negotiate one IMF programme after "
        "another, country by country, each treated as an emergency. That approach has failed. "
        "It is time for the East African Community to adopt a common set of debt rules that "
        "every member must follow.",
        "The numbers make the case. In Kenya, interest payments consume more than a third of "
        "revenue, more than the government spends on health and education combined. Each "
        "crisis is treated as a national accident, yet the causes are shared: expensive "
        "Eurobonds, opaque loans for megaprojects, and budgets built on revenue forecasts that "
        "never materialise.",
        "My proposal is simple. The EAC should create a regional Debt Council with the power to "
        "review every new public loan above $100 million before it is signed. All loan "
        "contracts should be published within 30 days. And each member should adopt a legal "
        "ceiling keeping interest payments below 20 percent of tax revenue, with automatic "
        "spending reviews if the limit is breached.",
        "Rules alone are not enough; countries also need cheaper money. A regional fund of "
        "about $5 billion could lend to members in trouble at rates below the market.",
    ]
    picked = summarize("Opinion: East Africa needs a shared debt rulebook, not another round "
                       "of bailouts", paragraphs, 3)
    # Its argument, but not a third sentence of the lead, nor one opening on "And".
    assert sum(p in paragraphs[0] for p in picked) <= 2, picked
    assert any(p.startswith("The EAC should create a regional Debt Council") for p in picked)
