import json

import pytest

from bot.answer import asks_for_number
from bot.errors import QuestionError
from bot.quotes import GAP, QUOTE_CHARS, WHOLE_PASSAGE_CHARS, make_quote
from bot.text import sentence_spans

JAPAN = "Japan And Russia Still Haven’t Signed Peace Treaty 70 Years After WWII"
YEMEN = "The Not-So-Yemeni Deadlock"


@pytest.mark.parametrize(
    "question, title, paragraph",
    [
        ("Where did Putin propose a peace treaty without preconditions?", JAPAN, 1),
        ("why haven't Japan and Russia signed a peace treaty?", JAPAN, 0),
        ("Why are the Kuril Islands important to Russia's navy?", JAPAN, 2),
        ("Was Putin offered a division of the islands?", JAPAN, 3),
        ("What is going on in the civil war in Yemen?", YEMEN, 0),
    ],
)
def test_seed_questions_are_answered_with_the_right_paragraph(seed_service, question, title,
                                                             paragraph):
    ans = seed_service.ask(question)
    assert ans.answered
    assert (ans.hits[0].title, ans.hits[0].paragraph) == (title, paragraph)


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "How do I bake sourdough bread?",
     "asdkjh qwpoeiru zmxncb", "What is the boiling point of water?"],
)
def test_off_topic_questions_are_refused_without_suggestions(seed_service, question):
    # No article shares a word of weight with them: any title suggested would be noise.
    ans = seed_service.ask(question)
    assert ans.status == "none" and ans.suggestions == ()


def test_stopword_only_question_is_refused(seed_service):
    ans = seed_service.ask("what is the of and to")
    assert not ans.answered and ans.hits == ()
    assert ans.suggestions == ()


def test_empty_and_huge_questions_are_clear_errors(seed_service):
    for nothing in ("   ", "???", "!!! ... ,,, ;;", "\U0001f642\U0001f642"):  # no word in it
        with pytest.raises(QuestionError, match="Ask a question"):
            seed_service.ask(nothing)
    assert seed_service.ask("\u5e73\u548c\u6761\u7d04?").question  # CJK words are words
    with pytest.raises(QuestionError, match="too long"):
        seed_service.ask("peace " * 1_000_000)


def test_json_contract(seed_service):
    data = seed_service.ask("Kuril Islands military strategy", top=3).to_json()
    json.dumps(data)
    assert set(data) == {"question", "answered", "status", "confidence", "hits"}
    assert data["answered"] is True and data["status"] == "answered"
    assert 0.0 <= data["confidence"] <= 1.0
    for hit in data["hits"]:
        assert set(hit) == {"title", "url", "paragraph", "passage", "quote", "score"}
        assert isinstance(hit["paragraph"], int) and isinstance(hit["score"], float)
        assert "**" not in hit["quote"]
        for piece in hit["quote"].split(GAP):
            assert piece in hit["passage"]
        assert hit["url"].startswith("https://theowp.org/?s=")
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_links_use_the_site_search_for_articles_without_url(seed_service):
    ans = seed_service.ask("Yemen civil war")
    assert ans.hits[0].url == "https://theowp.org/?s=The+Not-So-Yemeni+Deadlock"
    assert ans.hits[0].partial


def test_long_passage_is_quoted_by_its_best_sentences():
    text = " ".join(f"Sentence number {i} talks about filler topic {i}." for i in range(30))
    text += " The Kuril Islands matter to the Pacific fleet. More filler closes it."
    weights = {"kuril": 3.0, "island": 2.0, "fleet": 2.0}
    quote = make_quote(text, sentence_spans(text), weights)
    assert "The Kuril Islands matter to the Pacific fleet." in quote
    assert len(quote) <= QUOTE_CHARS
    for piece in quote.split(GAP):
        assert piece in text


def test_a_huge_paragraph_without_sentence_breaks_is_quoted_by_a_window():
    text = " ".join(["filler"] * 3000) + " the Kuril Islands dispute " + " ".join(["tail"] * 3000)
    quote = make_quote(text, sentence_spans(text), {"kuril": 3.0, "island": 2.0})
    assert "Kuril Islands" in quote and len(quote) <= QUOTE_CHARS and quote in text


def test_hits_come_from_more_than_one_article_when_both_answer(tmp_path):
    from bot.config import Config
    from bot.service import Service
    from bot.sources.files import load_paths
    from bot.store import open_stores

    (tmp_path / "a.md").write_text(
        "# Dams\n\nThe Nile dam dispute worries Egypt.\n\nThe Nile dam fills slowly.\n\n"
        "Egypt fears the Nile dam.\n"
    )
    (tmp_path / "b.md").write_text("# Rivers\n\nThe Nile dam changes farming downstream.\n")
    store = open_stores(":memory:")
    store.articles.ingest(load_paths([tmp_path]).articles, "t")
    ans = Service(store, Config()).ask("Nile dam", top=3)
    assert ans.answered
    assert {h.title for h in ans.hits} == {"Dams", "Rivers"}


def test_three_outcomes_answered_closest_none(tmp_path):
    from bot.config import Config
    from bot.service import Service
    from bot.sources.files import load_paths
    from bot.store import open_stores

    (tmp_path / "a.md").write_text(
        "# Glaciers\n\nThe Rhone glacier in the Swiss Alps lost a tenth of its ice in 2022.\n\n"
        "Meltwater from Alpine glaciers feeds the Rhine and the Po.\n"
    )
    (tmp_path / "b.md").write_text("# Rivers\n\nThe Danube floods in spring most years.\n")
    store = open_stores(":memory:")
    store.articles.ingest(load_paths([tmp_path]).articles, "t")
    service = Service(store, Config())
    sure = service.ask("How much ice did the Rhone glacier lose in 2022?")
    # About the meltwater, which the passage gives, but not how much of it: closest.
    vague = service.ask("How much of the Rhine's water is meltwater from glaciers?")
    off = service.ask("Who won the football world cup?")
    assert sure.status == "answered" and sure.answered
    assert vague.status == "closest" and not vague.answered and vague.hits
    assert off.status == "none" and not off.answered
    assert sure.confidence > vague.confidence > off.confidence


def test_answer_status_must_agree_with_answered():
    from bot.models import Answer

    assert Answer("q", False).status == "none"
    assert Answer("q", True).status == "answered"
    with pytest.raises(ValueError):
        Answer("q", True, status="closest")


def test_console_shows_closest_passages_with_a_note_and_none_without_passages():
    from bot.models import Answer, Hit
    from bot.render.console import CLOSEST_NOTE, render_answer

    hit = Hit("T", "https://x.org/t", 0, "The Rhone glacier melts.", "The Rhone glacier melts.",
              1.0)
    closest = render_answer(Answer("q", False, (hit,), ("T",), ("rhone",), "closest", 0.2))
    none = render_answer(Answer("q", False, (hit,), ("T",), ("rhone",), "none", 0.01))
    assert closest.startswith(CLOSEST_NOTE) and "glacier melts" in closest
    assert "glacier melts" not in none and "don't answer" in none


def test_the_quote_holds_the_answering_sentence_not_only_repeated_words(seed_service):
    ans = seed_service.ask("What do the Japanese call the Kuril Islands?")
    assert ans.answered and ans.hits[0].paragraph == 2
    assert "Northern Territories" in ans.hits[0].quote


def test_title_words_count_little_when_choosing_sentences():
    title = "Super Bowl 50"
    filler = "Super Bowl 50 was a football game played by two teams, with many fans there. "
    text = filler * 8 + "The game was held at Levi's Stadium in Santa Clara. " + filler * 8
    weights = {"super": 2.0, "bowl": 2.0, "50": 2.0, "hold": 2.0}
    assert len(text) > WHOLE_PASSAGE_CHARS
    assert "Levi's Stadium" in make_quote(text, sentence_spans(text), weights, title)
    assert "Levi's Stadium" not in make_quote(text, sentence_spans(text), weights)


@pytest.mark.parametrize(
    "plain, chatty",
    [
        ("Why are the Kuril Islands important to Russia's navy?",
         "hey bot! quick question, I read something about this last week but why are the "
         "Kuril Islands so important to Russia's navy? thanks"),
        ("Where did Putin propose a peace treaty without preconditions?",
         "hi there, so I was wondering, where did Putin propose a peace treaty without "
         "preconditions? someone told me it was in Asia"),
    ],
)
def test_greetings_and_trailing_context_do_not_sink_a_clear_question(seed_service, plain,
                                                                      chatty):
    a, b = seed_service.ask(plain), seed_service.ask(chatty)
    assert a.answered and b.answered
    assert (a.hits[0].title, a.hits[0].paragraph) == (b.hits[0].title, b.hits[0].paragraph)


@pytest.mark.parametrize("question", [
    "How many islands did Russia seize?",
    "The Senate passed the bill on Tuesday. How many Republicans voted for it?",
    "According to a new poll, what percentage of voters agree?",
    # "how many / how much" anywhere, not only opening a clause
    "Liz Truss resigned as prime minister after how many days in office?",
    "wait how many islands r we even talking abt here",
    "The storm likely caused how much in damages?",
])
def test_number_questions_are_found_after_a_preamble_or_anywhere(question):
    assert asks_for_number(question)


def test_other_questions_are_not_number_questions():
    assert not asks_for_number("Which islands are Japan and Russia fighting over?")
    assert not asks_for_number("Why, after so many years, is there no treaty?")


def test_the_policy_is_warmed_before_a_first_question():
    """`footnote run` warms the policy at start (a thread): the English word frequencies
    and the common words typos are looked up among are loaded before a question asks."""
    from bot import policy, typos

    typos.common_words.cache_clear()
    policy.warm()
    assert typos.common_words.cache_info().currsize == 1
    assert typos.zipf.cache_info().currsize >= 1


def test_sentence_weights_of_several_passages_are_those_of_their_tokens(seed_service):
    """The quotes' sentence weights, looked up for the quoted passages together, each with
    its own word weights, are what tokenizing each sentence finds."""
    from bot.quotes import quote_weights, sentence_terms, sentence_weights
    from bot.text import tokenize

    corpus = seed_service.corpus()
    pids = [0, 3, 1, corpus.index.size - 1]
    words = [t for p in pids for t in tokenize(corpus.passage(p)[2])[::7]]
    weights = {t: 0.5 + i for i, t in enumerate(dict.fromkeys(words))}
    weights["absentword"] = 9.0
    each = [quote_weights(weights, corpus.passage(p)[0].title) for p in pids]
    holding = sentence_terms(corpus.index, pids, weights)
    found = [sentence_weights(h, len(corpus.sentence_spans(p)), w)
             for p, h, w in zip(pids, holding, each, strict=True)]
    for pid, w, held in zip(pids, each, found, strict=True):
        text = corpus.passage(pid)[2]
        want = [sum(v for t, v in w.items() if t in set(tokenize(text[a:b])))
                for a, b in corpus.sentence_spans(pid)]
        assert held == pytest.approx(want, abs=0)
    assert any(h for held in found for h in held)
