"""Picking an article from what a user typed (`pick_article`) and completing titles
(`complete_titles`), through the service that front-ends call."""

from __future__ import annotations

import pytest

from bot.errors import AmbiguousArticle, ArticleNotFound
from bot.picking import complete_titles


def test_pick_by_exact_fuzzy_url_and_description(picking_service):
    s = picking_service
    assert s.find_article("elections in kenya").url == "https://e.org/kenya"
    assert s.find_article("Electons in Kenia").url == "https://e.org/kenya"
    assert s.find_article("https://e.org/aral/").url == "https://e.org/aral"
    # A link pasted without its scheme is a link too.
    assert s.find_article("e.org/aral").url == "https://e.org/aral"
    assert s.find_article("the shrinking Aral Sea").url == "https://e.org/aral"


def test_pick_ambiguous_lists_candidates(picking_service):
    with pytest.raises(AmbiguousArticle) as exc:
        picking_service.find_article("Water wars")
    assert {a.url for a in exc.value.candidates} == {"https://e.org/nile", "https://e.org/aral"}


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
