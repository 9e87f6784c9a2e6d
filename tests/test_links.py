"""Links are values: the article's own URL or a search of the site, made in one place (the
service) and rendered by kind, never by looking for `?s=` in a string."""

from __future__ import annotations

import json

from bot.__main__ import main, open_app
from bot.config import Config, SiteConfig
from bot.discord_app.render import READ_PASSAGE, hit_embed
from bot.models import Article, Hit, Link
from bot.render.console import SEARCH_NOTE, render_answer
from bot.service import Service
from bot.store import open_stores

QUOTE = "The Rhone glacier lost a tenth of its ice."


def _hit(link: Link) -> Hit:
    return Hit("Glaciers", link, 0, QUOTE, QUOTE, 1.0)


def test_the_service_makes_each_link_from_the_configured_site():
    stores = open_stores(":memory:")
    stores.articles.ingest([Article("Glaciers", (QUOTE,)),
                            Article("Rivers", ("The Rhone floods.",), url="https://e.org/r?s=1")],
                           "t")
    service = Service(stores, Config(site=SiteConfig(base_url="https://news.example")))
    links = {a.title: a.link for a in service.articles()}
    assert links == {"Glaciers": Link("https://news.example/?s=Glaciers", "search"),
                     "Rivers": Link("https://e.org/r?s=1", "article")}
    (hit,) = service.ask("how much ice did the Rhone glacier lose", top=1).hits
    assert hit.link.kind == "search" and hit.to_json()["url"] == links["Glaciers"].url


def test_discord_links_a_passage_only_in_the_articles_own_page():
    own = hit_embed(_hit(Link("https://e.org/page?s=1")), (), 1)  # a real page, odd query
    assert READ_PASSAGE in own.description and "#:~:text=" in own.description
    search = hit_embed(_hit(Link("https://e.org/find/Glaciers", "search")), (), 1)
    assert READ_PASSAGE not in search.description
    assert search.url == "https://e.org/find/Glaciers"  # the title still links to the search


def test_the_console_says_a_search_link_is_a_search(capsys):
    from bot.models import Answer

    out = render_answer(Answer("q", True, (_hit(Link("https://e.org/?s=G", "search")),)))
    assert f"https://e.org/?s=G  {SEARCH_NOTE}" in out
    out = render_answer(Answer("q", True, (_hit(Link("https://e.org/g")),)))
    assert SEARCH_NOTE not in out
    assert main(["ask", "--json", "Kuril Islands naval units"]) == 0  # the JSON: a string
    hit = json.loads(capsys.readouterr().out)["hits"][0]
    assert isinstance(hit["url"], str) and hit["url"].startswith("https://theowp.org/?s=")


def test_the_bot_keeps_its_state_apart_from_the_index_cache(tmp_path):
    app = open_app(Config(), tmp_path)
    try:
        assert app.state_dir == tmp_path / "discord"
        assert app.service.index_dir == tmp_path / "index"
    finally:
        app.close()
