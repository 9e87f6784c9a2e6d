"""An op-ed signed in a byline paragraph ("By Nour al-Hashimi, columnist"): readers ask who
wrote it, and name its author instead of the article ("what is al-hashimi arguing?")."""

import pytest

from bot.bylines import byline
from tests.test_reader_phrasing import site

WATER = {
    "Opinion: Iraq must stop wasting water": (
        "By Nour al-Hashimi, columnist\n\n"
        "Every summer the Tigris shrinks and a minister flies to Ankara to ask for more "
        "water. Iraq cannot negotiate its way out of drought.\n\n"
        "The first decision should be to charge for irrigation water above a free basic "
        "allocation, and to spend the revenue on drip equipment.\n\n"
        "The second is to change what we grow: rice paddies around Najaf use many times more "
        "water than wheat, and farmers should be paid to switch to barley."),
    "Mosul Dam gets a permanent fix": (
        "Iraq and the World Bank signed a 410 million dollar agreement on Monday to build an "
        "underground wall beneath the Mosul Dam.\n\n"
        "The dam's reservoir will be kept below 300 metres while the wall is built, which "
        "will cut its power output by a third."),
}


@pytest.mark.parametrize(("text", "name"), [
    ("By Nour al-Hashimi, columnist", "Nour al-Hashimi"),
    ("by Jane Doe", "Jane Doe"),
    ("By Ana Souza | Sao Paulo", "Ana Souza"),
    ("By March, the lake had dried.", None),  # a month, not a name of two words
    ("By Reuters", None),
    ("By the end of the year the reservoir was full again, engineers said.", None),
    # A desk, not a person; a surname that is a common word, asked about for itself.
    ("By The Editorial Board", None), ("By Our Correspondent", None),
    ("By Sarah Green", None), ("By Theresa May", None),
    ("By \u00c9mile Zola", "\u00c9mile Zola"),
])
def test_a_byline_paragraph_gives_its_authors_name(text, name):
    assert byline(text) == name


def test_who_wrote_an_article_is_answered_by_its_byline(tmp_path):
    service = site(tmp_path, WATER)
    for question in ("who wrote the opinion piece?", "whos the author of the rice one"):
        got = service.ask(question)
        assert got.answered and got.hits[0].passage == "By Nour al-Hashimi, columnist"
    # An article without one does not say who wrote it: no passage is claimed to.
    got = service.ask("who wrote the mosul dam article?")
    assert not got.answered


def test_a_question_naming_the_author_is_asked_of_the_article_not_the_byline(tmp_path):
    service = site(tmp_path, WATER)
    got = service.ask("what is nour al-hashimi arguing?")
    assert got.answered and got.hits[0].title == "Opinion: Iraq must stop wasting water"
    assert "should" in got.hits[0].passage  # a passage stating the view, not the byline
    got = service.ask("what does al-hashimi say about rice?")
    assert got.hits[0].passage.startswith("The second is to change what we grow")


def test_the_gist_of_a_bylined_article_starts_after_its_byline(tmp_path):
    service = site(tmp_path, WATER)
    for question in ("what is the columnist's main argument in the water piece",
                     "what's the iraq water article about?"):
        got = service.ask(question)
        assert got.answered and got.hits[0].passage.startswith("Every summer the Tigris")
        assert all(not h.passage.startswith("By ") for h in got.hits)


def test_who_is_behind_a_thing_or_wrote_a_law_asks_no_author():
    from bot.bylines import asks_author

    assert asks_author("who wrote the opinion piece?") and asks_author("whose op-ed is it")
    assert not asks_author("who is behind the coup in niger?")
    assert not asks_author("who wrote the new draft constitution in chile?")


def test_an_author_in_the_news_and_words_around_the_name_are_left_alone(tmp_path):
    from bot.bylines import by_author

    service = site(tmp_path, WATER)
    corpus = service.corpus()
    assert by_author(corpus, "is the allocation of water something al-hashimi wants to "
                             "change?") == ("is the allocation of water something the author "
                                            "wants to change?", 0)
    news = {"Opinion: a ceasefire now": "By Antony Blinken, guest columnist\n\nThe war must "
            "end with a ceasefire that both sides sign.",
            "Talks in Doha": "Blinken said the ceasefire proposal was the best chance in "
            "months. Qatar hosted the talks."}
    other = tmp_path / "news"
    other.mkdir()
    corpus = site(other, news).corpus()
    assert by_author(corpus, "what did blinken say about the ceasefire proposal?") is None
