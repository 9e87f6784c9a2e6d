"""Picking an article from what a user typed (`pick_article`) and completing titles
(`complete_titles`), through the service that front-ends call."""

from __future__ import annotations

import pytest

from bot.config import Config
from bot.errors import AmbiguousArticle, ArticleNotFound
from bot.models import Article
from bot.picking import complete_titles
from bot.service import Service
from bot.store import open_stores


def test_pick_by_exact_fuzzy_url_and_description(picking_service):
    s = picking_service
    assert s.find_article("elections in kenya").url == "https://e.org/kenya"
    assert s.find_article("Electons in Kenia").url == "https://e.org/kenya"
    assert s.find_article("https://e.org/aral/").url == "https://e.org/aral"
    # A link pasted without its scheme is a link too.
    assert s.find_article("e.org/aral").url == "https://e.org/aral"
    assert s.find_article("the shrinking Aral Sea").url == "https://e.org/aral"


def test_a_word_of_one_title_picks_that_article_before_any_body(picking_service):
    s = picking_service
    # "dam" and "Aral" are body words of the other Water wars article; "Nile" and "Central"
    # are title words. A word of a title names its article, whatever the bodies hold.
    assert s.find_article("nile").url == "https://e.org/nile"
    assert s.find_article("central").url == "https://e.org/aral"
    assert s.find_article("kenya").url == "https://e.org/kenya"
    with pytest.raises(AmbiguousArticle) as exc:  # two titles hold it: those two, no other
        s.find_article("wars")
    assert {a.url for a in exc.value.candidates} == {"https://e.org/nile", "https://e.org/aral"}


def test_a_whole_title_typed_loosely_picks_it_over_longer_titles_holding_its_words(tmp_path):
    store = open_stores(tmp_path / "s.sqlite3")
    store.articles.ingest([
        Article("Water wars", ("Rivers run dry.",), url="https://e.org/ww"),
        Article("Water wars in Central Asia", ("The Aral Sea shrank.",), url="https://e.org/ca"),
    ], "t")
    service = Service(store, Config())
    for typed in ("the water wars", "water wars!", "water war"):
        assert service.find_article(typed).url == "https://e.org/ww", typed
    # ... but a title of more words than the typed one is no exact match ("What is …?").
    with pytest.raises(AmbiguousArticle):
        service.find_article("wars")
    store.close()


def test_a_title_word_wins_over_a_body_that_merely_shares_its_stem(tmp_path):
    store = open_stores(tmp_path / "s.sqlite3")
    store.articles.ingest([
        Article("Explainer: How Central Asia's power grid came apart, and why it matters now",
                ("The Soviet system linked five "
                "republics in one ring.",), url="https://e.org/grid"),
        Article("Three voices on the energy transition", ("An engineer explained what went "
                "wrong, and explained it again.",), url="https://e.org/voices"),
    ], "t")
    assert Service(store, Config()).find_article("explainer").url == "https://e.org/grid"
    store.close()


def test_pick_ambiguous_lists_candidates(picking_service):
    with pytest.raises(AmbiguousArticle) as exc:
        picking_service.find_article("Water wars")
    assert {a.url for a in exc.value.candidates} == {"https://e.org/nile", "https://e.org/aral"}


def test_a_description_naming_what_no_article_holds_or_two_articles_picks_none(
        picking_service):
    # "taiwan" is in no article: the reader means one the site does not have.
    with pytest.raises(ArticleNotFound):
        picking_service.find_article("taiwan dam dispute")
    # A common word no article holds says nothing of which one is meant.
    assert picking_service.find_article("august voting crackdown and curfews").url == \
        "https://e.org/kenya"
    # A weekday, an author or an outlet is no name of another article.
    assert picking_service.find_article("nile dam piece, monday, by smith").url == \
        "https://e.org/nile"
    # The Nile one, or the one on Kenya's vote? Both are offered.
    with pytest.raises(AmbiguousArticle) as exc:
        picking_service.find_article("kenyan nile voting")
    assert {a.url for a in exc.value.candidates} == {"https://e.org/nile", "https://e.org/kenya"}


def test_pick_none(picking_service):
    with pytest.raises(ArticleNotFound):
        picking_service.find_article("volcanic eruptions in Iceland")
    with pytest.raises(ArticleNotFound):
        picking_service.find_article("https://e.org/missing")
    # Words every title may hold pick none (fuzzy matching picked the shortest title).
    for common in ("the", "The of", "a"):
        with pytest.raises(ArticleNotFound, match="names no article"):
            picking_service.find_article(common)


def test_complete_titles_takes_partial_words_then_fuzzy_ones(picking_service):
    corpus = picking_service.corpus()
    # Both titles have a word starting with "wat": they come before any fuzzy match.
    assert {a.url for a in complete_titles(corpus, "wat")[:2]} == {"https://e.org/aral",
                                                                   "https://e.org/nile"}
    assert complete_titles(corpus, "kenya elec")[0].url == "https://e.org/kenya"
    assert complete_titles(corpus, "Elektions")[0].url == "https://e.org/kenya"
    assert len(complete_titles(corpus, "", limit=2)) == 2
