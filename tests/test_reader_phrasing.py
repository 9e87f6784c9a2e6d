"""How readers phrase questions, against how articles are written: phrasal verbs and idioms
folded to the article's word, conversational references damped, loosely quoted sayings.
Example sentences of our own (not from any held-out question set)."""

import numpy as np
import pytest

from bot.text import tokenize
from bot.text.phrases import fold_phrases, inflections


@pytest.mark.parametrize(("question", "folded"), [
    ("When did the strike kick off?", "When did the strike begin?"),
    ("Why was the merger called off last spring?", "Why was the merger cancel last spring?"),
    ("Did the council turn the proposal down?", "Did the council decline the proposal?"),
    ("Who is trying to hammer out a trade pact?", "Who is trying to negotiate a trade pact?"),
    ("Is the new bridge a step forward?", "Is the new bridge a progress?"),
    ("Who took over the factory in 1990?", "Who take control the factory in 1990?"),
    ("What is the sticking point in the budget?", "What is the tension in the budget?"),
    ("Why did the pay talks break down?", "Why did the pay talks collapse?"),
])
def test_a_readers_phrase_becomes_the_word_an_article_uses(question, folded):
    assert fold_phrases(question) == folded


def test_a_verb_with_a_particle_of_no_phrase_is_left_alone():
    assert fold_phrases("She turned around and kicked the ball.") == (
        "She turned around and kicked the ball.")


def test_a_phrase_whose_words_the_site_uses_is_kept_beside_the_plain_word():
    """News writes "stepped down" as often as "resigned": both are looked for there."""
    known = {"step", "minist"}.__contains__
    assert fold_phrases("when did the minister step down", known) == (
        "when did the minister step down resign")
    assert fold_phrases("when did the minister step down") == "when did the minister resign"


def test_quoted_words_are_left_as_typed():
    q = "who said 'we will never turn it down' about the pipeline deal?"
    assert fold_phrases(q) == q


def test_the_folded_question_meets_the_articles_verb():
    assert "begin" in tokenize(fold_phrases("when were the games kicked off"))
    assert {"wrap", "wrapped", "wrapping", "wraps"} <= inflections("wrap")
    assert {"took", "taken", "taking"} <= inflections("take")


def site(tmp_path, pages: dict[str, str]):
    """A service over small markdown articles: {title: paragraphs}."""
    from bot.config import Config
    from bot.service import Service
    from bot.sources.files import load_paths
    from bot.store import open_stores

    for n, (title, body) in enumerate(pages.items()):
        (tmp_path / f"{n}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    store = open_stores(":memory:")
    store.articles.ingest(load_paths([tmp_path]).articles, "t")
    return Service(store, Config())


# Paragraphs that differ only by their verb, the one the reader's phrase means second.
HARBOUR = {
    "Harbour works": (
        "Building the harbour wall ended in June 2021, two years late.\n\n"
        "Building the harbour wall began in March 2019, after a long wait for funds.\n\n"
        "The council approved the ferry terminal bid from the port company in a later vote.\n\n"
        "The council declined the ferry terminal bid from the port company, citing its cost."),
    "Ferry timetable": "The ferry to the island runs twice a day in winter and hourly in summer.",
}


def test_a_phrasal_verb_question_finds_the_paragraph_with_the_plain_verb(tmp_path):
    service = site(tmp_path, HARBOUR)
    assert "began in March" in service.ask(
        "when did building the harbour wall kick off?").hits[0].passage
    assert "declined" in service.ask(
        "why did the council turn the bid down?").hits[0].passage


def test_a_saying_quoted_from_memory_is_held_loosely_and_a_made_up_one_is_not():
    from bot import verbatim

    text = "The mayor spoke on Friday. \"We will open the harbour wall before the winter storms.\""
    spans = [(0, 26), (27, len(text))]
    assert verbatim.loosely_held(text, spans, verbatim.quoted(
        "who said 'we'll open the wall before the storms'"))
    assert not verbatim.loosely_held(text, spans, verbatim.quoted(
        "who said 'the storms will close the ferry'"))


MAYOR = {
    "Harbour works": (
        "The ferry terminal will cost the port company four million pounds.\n\n"
        "\u201cWe will open the harbour wall before the winter storms,\u201d said the mayor, "
        "speaking at the town hall in Dunmore on Friday."),
    "Ferry timetable": "The ferry to the island runs twice a day in winter and hourly in summer.",
}


def test_a_loosely_quoted_saying_is_answered_a_made_up_one_is_not(tmp_path):
    service = site(tmp_path, MAYOR)
    loose = service.ask(
        "where did the mayor make that 'open the harbour wall before winter' pledge")
    assert loose.answered and "Dunmore" in loose.hits[0].passage
    made_up = service.ask("where did the mayor say 'the ferry will stop in winter'")
    assert not made_up.answered


@pytest.mark.parametrize("question", [
    "what keeps the rivalry going between the two nations?",
    "why does the rivalry between both sides never end?",
    "what is the main cause of the rivalry?",
    "what is causing all the rivalry?",
    "why does the rivalry matter so much to the Scottish side?",
])
def test_references_back_to_the_two_sides_and_causing_weigh_as_chatter(tmp_path, question):
    from bot import policy

    index = site(tmp_path, HARBOUR).corpus().index
    tokens = tokenize(question)
    weights = policy.question_weights(index, question, tokens)
    back = [t for t in tokens if t in ("2", "nation", "side", "main")
            or t == "caus" and "is causing" in question]
    assert "scotland" not in tokens or weights["scotland"] > 0.5 * weights["rivalri"]
    assert back and max(weights[t] for t in back) < 0.25 * weights["rivalri"], weights


@pytest.mark.parametrize("question", [
    "by when does the council want the harbour wall built?",
    "until when will the coast road stay closed?",
])
def test_by_when_asks_for_a_time(question):
    from bot import kinds
    from bot.answer import asks_for_number

    assert [a.kind for a in kinds.asked(question)] == ["time"]
    assert asks_for_number(question)


def test_a_by_when_question_is_not_answered_by_a_passage_without_its_time(tmp_path):
    service = site(tmp_path, {
        "Coast road": ("The coast road will stay closed to lorries, the council said.\n\n"
                       "Repairs to the sea wall are paid for by the port company."),
        "Ferry timetable": "The ferry to the island runs twice a day in winter.",
    })
    ans = service.ask("by when will the coast road stay closed to lorries?")
    assert "coast road" in ans.hits[0].passage and not ans.answered


OPED = {
    "Why the ferry needs a subsidy": (
        "The island ferry carried forty thousand passengers last year, a record.\n\n"
        "Fuel costs have doubled, and the operator concluded a new contract with the port.\n\n"
        "Without a subsidy the fares will rise again; the council should pay for the route "
        "and keep the island connected."),
    "Coast road": "The coast road will stay closed to lorries until the sea wall is mended.",
}


@pytest.mark.parametrize("question", [
    "what's the writer's final conclusion, in short?",
    "how does the piece on the island ferry end?",
])
def test_a_question_about_the_articles_conclusion_is_shown_its_last_paragraph(tmp_path,
                                                                              question):
    from bot import stance

    assert stance.asks_ending(question)
    ans = site(tmp_path, OPED).ask(question)
    assert ans.status in ("answered", "closest") and ans.hits[0].passage.startswith(
        "Without a subsidy")


def test_conclude_in_a_question_about_the_events_is_no_question_about_the_ending():
    from bot import stance

    assert not stance.asks_ending("when did the operator conclude the port contract?")
    assert not stance.asks_ending("does the author think the war will end soon?")


@pytest.mark.parametrize(("reader", "writer"), [
    ("what did the two mayors discuss?", "the talks between the mayors"),
    ("who was keen to sell the port?", "the council was eager to sell the port"),
    ("what did the expert say about the dam?", "a professor of hydrology said the dam"),
    ("what did she tell the press?", "she told reporters"),
    ("when will the port deal be signed?", "the agreement with the port will be signed"),
])
def test_a_readers_word_meets_the_writers(reader, writer):
    assert set(tokenize(reader)) & set(tokenize(writer)) - {"mayor", "port", "dam", "say", "tell"}


TWO_PIECES = {
    "Harbour works": (
        "Building the harbour wall is complicated: the tides leave two hours a day for work, "
        "and the weather makes it more complicated still.\n\n"
        "The wall should be finished by the spring, the council says."),
    "The Lighthouse Keepers' Strike": (
        "The strike by the lighthouse keepers is a complicated dispute over pay and hours, "
        "now in its third month."),
}


def test_a_preamble_naming_an_article_keeps_its_words_weight(tmp_path):
    service = site(tmp_path, TWO_PIECES)
    ans = service.ask("the lighthouse keepers strike piece - what does it say about how "
                      "complicated the weather makes things?")
    assert ans.hits[0].title == "The Lighthouse Keepers' Strike"
    # a preamble sharing a word or so with a title is still only context
    from bot import policy
    from bot.references import titled_preamble

    corpus = service.corpus()
    q = "For my essay on coastal strike history: how complicated is the harbour wall work?"
    ranked_ids = np.arange(corpus.index.size)
    assert policy.preamble(q) and not titled_preamble(corpus, q, ranked_ids)


MAYORAL = {
    "Harbour works": (
        "Mayor Jane Hill opened the harbour wall in Dunmore on Friday, two years late.\n\n"
        "Jane Hill said the port company would run the ferry terminal from next spring."),
    "Ferry timetable": "The ferry to the island runs twice a day in winter.",
}


@pytest.mark.parametrize("question", [
    "who succeeded Jane Hill as mayor?",
    "who took over from Jane Hill?",
    "what is the capital of the island?",
    "where is the port company headquartered?",
    "which political party does Jane Hill belong to?",
    "how old is Jane Hill?",
])
def test_an_encyclopedia_question_about_a_named_person_is_not_answered_from_her_passage(
        tmp_path, question):
    assert not site(tmp_path, MAYORAL).ask(question).answered


@pytest.mark.parametrize(("question", "text", "answers"), [
    ("How old is Jane Hill?", "Mayor Jane Hill, aged 58, was elected in May.", True),
    ("How old is Jane Hill?", "Jane Hill, a 58-year-old lawyer, was elected.", True),
    ("How old is the harbour wall?", "The harbour wall is 300 years old.", True),
    ("How old is Jane Hill?", "The two towns chose Jane Hill in May.", False),
    ("Who succeeded Jane Hill?", "Tom Reid succeeded Jane Hill in 2020.", True),
    ("Who succeeded Jane Hill?", "Jane Hill opened the wall with Tom Reid.", False),
    ("Who took over from Jane Hill?", "Tom Reid replaced Jane Hill in 2020.", True),
    ("Who took over from Jane Hill?", "Tom Reid took over the wall from Jane Hill.", False),
])
def test_an_age_is_a_figure_of_years_and_an_attribute_needs_its_word(question, text, answers):
    from bot import kinds

    assert kinds.answers_kind(question, text, [(0, len(text))]) is answers


def test_a_saying_cited_without_quote_marks_is_found_word_for_word(tmp_path):
    from bot import verbatim

    assert verbatim.cited("who said the we will open it before winter line") == [
        "we will open it before winter"]
    assert verbatim.cited("what does the first line of the report say") == []
    service = site(tmp_path, MAYOR)
    ans = service.ask("who came out with the we will open the harbour wall before the winter "
                      "storms line")
    assert ans.answered and "said the mayor" in ans.hits[0].passage


def test_chatter_in_a_quote_from_memory_is_not_counted():
    from bot import verbatim

    text = "\u201cWe will open the harbour wall before winter,\u201d said the mayor."
    phrase = verbatim.quoted("when did she say 'we will just quickly open the harbour wall'")
    assert not verbatim.loosely_held(text, [(0, len(text))], phrase)
    assert verbatim.loosely_held(text, [(0, len(text))], phrase, frozenset({"just", "quick"}))


def test_causing_is_chatter_only_where_the_question_asks_for_the_cause(tmp_path):
    from bot import policy

    index = site(tmp_path, HARBOUR).corpus().index
    q = "which virus is spreading in the harbour, causing the ferry to stop?"
    weights = policy.question_weights(index, q, tokenize(q))
    assert weights["caus"] > 0.5 * weights["virus"], weights


@pytest.mark.parametrize(("question", "asks"), [
    ("what is the capital of the island?", True),
    ("who replaced the harbour master?", True),
    ("The mayor's husband was injured in the storm. Which road was closed?", False),
    ("Which currency fell to a record low this week?", False),
    ("The old logo was replaced by what image?", False),
])
def test_an_attribute_counts_only_where_the_question_asks_it(question, asks):
    from bot import kinds

    assert any(a.kind == "attribute" for a in kinds.asked(question)) is asks
