"""What a newcomer meets on a first try from a fresh clone (the console, their own files,
their site): empty feeds, binary files and pages, 8-bit text, markdown in articles,
off-topic questions, the word-vectors switch."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import pytest
from aiohttp import web

from bot.config import Config
from bot.ingest import ingest_targets
from bot.service import Service
from bot.sources.files import load_file
from bot.store import open_stores
from tests.fake_site import FAST, serving

ROOT = Path(__file__).resolve().parent.parent
EMPTY_RSS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title>'
             b"<link>https://example.org/</link><description>d</description></channel></rss>")
EMPTY_ATOM = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
              b"<title>E</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated></feed>")
BINARY = bytes(range(256)) * 40  # what an image or a PDF looks like to a text parser


@pytest.fixture
async def pages():
    """A local server answering each path with the (body, content type) put in `routes`."""
    routes: dict[str, tuple[bytes, str]] = {}

    async def handle(request: web.Request) -> web.Response:
        if request.path not in routes:
            return web.Response(status=404)
        body, content_type = routes[request.path]
        return web.Response(body=body, headers={"Content-Type": content_type})

    async with serving(handle) as base:
        yield base, routes


@pytest.fixture
def service(tmp_path):
    return Service(open_stores(tmp_path / "s.sqlite3"), Config(fetch=FAST))


# -- 1. an empty feed is said, not silent
@pytest.mark.parametrize("feed", [EMPTY_RSS, EMPTY_ATOM], ids=["rss", "atom"])
async def test_an_empty_feed_is_a_warning_and_a_note_not_a_failure(pages, service, session,
                                                                   caplog, feed):
    base, routes = pages
    routes["/feed/"] = (feed, "application/rss+xml")
    with caplog.at_level(logging.WARNING):
        (report,) = await ingest_targets(service, session, [base + "/feed/"])
    assert report.ok and report.new == 0 and report.failed == 0  # exit status 0: nothing failed
    assert report.line().endswith("0 failed; the feed lists no articles")
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [f"{base}/feed/: the feed is empty (no items): "
                      "nothing to ingest"]


# -- 2. binary sources: one line naming them, the others go on
async def test_a_binary_page_is_one_error_line_and_the_other_sources_go_on(
        pages, service, session, tmp_path):
    base, routes = pages
    routes["/photo/"] = (BINARY, "text/html")
    good = tmp_path / "notes.md"
    good.write_text("# Glaciers\n\nGlaciers in the Alps melt fast.\n")
    bad, ok = await ingest_targets(service, session, [base + "/photo/", str(good)])
    assert bad.errors == [f"{base}/photo/: binary content (text/html), not an HTML page"]
    assert ok.ok and ok.new == 1


def test_a_binary_file_given_as_a_page_or_text_is_refused_in_one_line(tmp_path):
    for name, what in (("scan.html", "an HTML page"), ("scan.md", "text"),
                       ("scan.xml", "an XML export")):
        (tmp_path / name).write_bytes(BINARY)
        assert [str(e) for e in load_file(tmp_path / name).errors] == [
            f"{tmp_path / name}: a binary file, not {what}"]


def test_no_library_log_line_reaches_the_console(tmp_path):
    """In a real process (the logging set up as a user gets it): a page without article
    text and a binary one are each one `footnote:` line; trafilatura says nothing."""
    (tmp_path / "words.html").write_text("just some words, not markup at all")
    (tmp_path / "photo.html").write_bytes(BINARY)
    (tmp_path / "notes.md").write_text("# Glaciers\n\nGlaciers in the Alps melt fast.\n")
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "bot", "--data-dir", str(tmp_path / "data"), "ingest",
         *(str(tmp_path / n) for n in ("words.html", "photo.html", "notes.md"))],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"footnote: {tmp_path / 'words.html'}: no article text found on the page",
        f"footnote: {tmp_path / 'photo.html'}: a binary file, not an HTML page"]
    assert f"{tmp_path / 'notes.md'}: 1 new" in done.stdout


# -- 5. 8-bit text files are read, with a warning
@pytest.mark.parametrize(("raw", "encoding", "word"), [
    ("Caf\u00e9 culture\n\nThe caf\u00e9 serves cr\u00e8me br\u00fbl\u00e9e every day."
     .encode("latin-1"), "windows-1252", "cr\u00e8me"),
    # 0x81 and 0x8d are undefined in windows-1252: latin-1 then
    (b"Notes\n\nThe caf\xe9 r\x81oom \x8d and more text here.", "latin-1", "caf\u00e9"),
    ("# Smart \u201cquotes\u201d\n\nThe \u201cbest\u201d tea \u2013 served hot\u2026"
     .encode("cp1252"), "windows-1252", "\u201cbest\u201d"),
], ids=["latin-1 text", "latin-1 only", "cp1252 markdown"])
def test_an_8_bit_text_file_is_read_with_a_warning_naming_it(tmp_path, caplog, raw, encoding,
                                                              word):
    path = tmp_path / ("notes.md" if raw.startswith(b"#") else "notes.txt")
    path.write_bytes(raw)
    with caplog.at_level(logging.WARNING):
        result = load_file(path)
    assert not result.errors
    (art,) = result.articles
    assert word in " ".join(art.paragraphs)
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: not UTF-8; read as {encoding} (save it as UTF-8 to be sure of its accents)"]


def test_utf8_is_read_without_a_warning(tmp_path, caplog):
    path = tmp_path / "notes.txt"
    path.write_text("Caf\u00e9\n\nThe caf\u00e9 serves cr\u00e8me br\u00fbl\u00e9e.\n")
    with caplog.at_level(logging.WARNING):
        (art,) = load_file(path).articles
    assert "cr\u00e8me" in art.paragraphs[0] and not caplog.records


async def test_ingest_reads_a_latin_1_file_from_the_console(tmp_path, capsys):
    from bot.__main__ import main

    (tmp_path / "cafe.txt").write_bytes("Caf\u00e9\n\nThe caf\u00e9 serves cr\u00e8me "
                                        "br\u00fbl\u00e9e every morning.\n".encode("latin-1"))
    assert await asyncio.to_thread(main, ["ingest", str(tmp_path / "cafe.txt")]) == 0
    assert "1 new" in capsys.readouterr().out


# -- 4. markdown characters inside an article's own text
MARKED = ("Japan calls the **Kuril Islands** its *Northern Territories*, and the snake_case "
          "__islands__ matter.")


def _marked_answer():
    from bot.models import Answer, Hit
    from bot.text import tokenize

    hit = Hit("The **Kuril** dispute", "https://example.org/kuril", 0, MARKED, MARKED, 1.0)
    return Answer("What does Japan call the Kuril islands?", True, (hit,),
                  terms=tuple(tokenize("What does Japan call the Kuril islands?")))


def test_console_never_doubles_the_articles_own_markers():
    from bot.render.console import render_answer

    plain = render_answer(_marked_answer(), color=False)
    assert "***" not in plain and "____" not in plain and "_**" not in plain
    assert "**Japan calls** the **Kuril Islands** its *Northern Territories*" in plain
    coloured = render_answer(_marked_answer(), color=True)
    # In colour the article's markers are its text, and the bold is the terminal's.
    assert "the **\033[1mKuril Islands\033[0m** its" in coloured
    assert "\033[1mJapan calls\033[0m" in coloured


def test_discord_escapes_the_articles_markers_and_still_bolds_the_question_words():
    from bot.discord_app.render import hit_embed

    embed = hit_embed(_marked_answer().hits[0], _marked_answer().terms, 1)
    first = embed.description.split("\n")[0]
    assert first == ("> **Japan calls** the \\*\\***Kuril Islands**\\*\\* its \\*Northern "
                     "Territories\\*, and the snake\\_case \\_\\_**islands**\\_\\_ matter.")
    assert embed.title == "The \\*\\*Kuril\\*\\* dispute"


def test_ask_on_the_console_shows_an_articles_asterisks_once(tmp_path, capsys):
    import json

    from bot.__main__ import main

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"title": "Kuril", "url": "https://example.org/k",
                                  "text": MARKED}) + "\n")
    assert main(["ask", "--corpus", str(corpus), "What", "does", "Japan", "call", "the",
                 "Kuril", "islands?"]) == 0
    out = capsys.readouterr().out
    assert "the **Kuril Islands** its" in out and "****" not in out


# -- 6. word vectors: a config key, the variable overriding it, a clear error
@pytest.fixture
def vectors_state(monkeypatch):
    """bot.vectors' switch and cache, put back after the test."""
    from bot import vectors

    monkeypatch.setattr(vectors, "_configured", False)
    monkeypatch.setattr(vectors, "_tried", False)
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.delenv("FOOTNOTE_VECTORS", raising=False)
    return vectors


def test_the_vectors_key_is_validated_like_the_others():
    from bot.config import parse_config
    from bot.errors import ConfigError

    assert parse_config({}).answers.vectors is False
    assert parse_config({"answers": {"vectors": True}}).answers.vectors is True
    with pytest.raises(ConfigError, match="answers.vectors must be true or false"):
        parse_config({"answers": {"vectors": "yes"}})


@pytest.mark.parametrize(("key", "env", "on"), [
    (False, None, False), (True, None, True), (True, "off", False), (False, "on", True)])
def test_the_key_switches_vectors_on_and_the_variable_overrides_it(vectors_state, monkeypatch,
                                                                   key, env, on):
    if env:
        monkeypatch.setenv("FOOTNOTE_VECTORS", env)
    vectors_state.configure(key)
    assert vectors_state.switched_on() is on


@pytest.mark.parametrize(("key", "env", "why"), [
    (True, None, "answers.vectors = true"), (False, "on", "FOOTNOTE_VECTORS=on")])
def test_vectors_on_without_the_extra_is_one_clear_config_error(
        vectors_state, monkeypatch, tmp_path, capsys, key, env, why):
    from bot.__main__ import main

    monkeypatch.setattr(vectors_state.importlib.util, "find_spec", lambda name: None)
    if env:
        monkeypatch.setenv("FOOTNOTE_VECTORS", env)
    (tmp_path / "config.toml").write_text(f"[answers]\nvectors = {str(key).lower()}\n")
    assert main(["ask", "Why", "no", "peace", "treaty?"]) == 2
    assert capsys.readouterr().err == (
        f"footnote: word vectors are switched on ({why}) but the `vectors` extra is not "
        "installed: pip install 'footnote[vectors]', or switch them off\n")


def test_a_bad_vectors_variable_is_a_config_error(vectors_state, monkeypatch, capsys):
    from bot.__main__ import main

    monkeypatch.setenv("FOOTNOTE_VECTORS", "maybe")
    assert main(["ask", "Why", "no", "peace", "treaty?"]) == 2
    assert capsys.readouterr().err == "footnote: FOOTNOTE_VECTORS must be on or off, not 'maybe'\n"


# -- 7. off-topic questions: no noise for suggestions
OFF_TOPIC = ["What's the weather today?", "Who won the football match last night?",
             "How do I bake bread?", "What is the capital of France?", "Tell me a joke",
             "Any recipe for pancakes?", "hello there", "How tall is Mount Fuji?",
             "Best laptop to buy this week?", "What is the boiling point of water?"]


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_an_off_topic_question_gets_no_suggestions_but_a_hint(seed_service, question):
    from bot.discord_app.render import LOOK_INSTEAD as DISCORD_HINT
    from bot.discord_app.render import not_found_embed
    from bot.render.console import LOOK_INSTEAD, render_answer

    ans = seed_service.ask(question)
    assert ans.status == "none" and ans.suggestions == ()
    assert render_answer(ans) == f"The articles don't answer that question.\n{LOOK_INSTEAD}"
    assert "footnote search" in LOOK_INSTEAD and "footnote articles" in LOOK_INSTEAD
    embed = not_found_embed(ans)
    assert embed.description == f"The articles don't answer that question.\n\n{DISCORD_HINT}"


def test_a_refused_question_about_a_word_the_articles_hold_still_gets_suggestions(
        seed_service):
    from bot.render.console import render_answer

    ans = seed_service.ask("What is the population of Japan?")
    assert ans.status == "none" and ans.suggestions  # "Japan": the articles are about it
    assert "Nearest articles:" in render_answer(ans)


def test_a_page_declared_utf_16_is_read_not_refused_as_binary():
    from bot.sources.crawl import page_article
    from bot.sources.http import Fetched

    html = ("<html><head><title>Glaciers</title></head><body><article><h1>Glaciers</h1>"
            "<p>Glaciers in the Alps melt faster every summer, and the huts built on "
            "their edges now stand above bare rock that climbers must scramble up.</p>"
            "<p>Guides say the routes of their youth are gone.</p></article></body></html>")
    resp = Fetched("https://example.org/g", 200,
                   {"content-type": "text/html; charset=utf-16"}, html.encode("utf-16"))
    art = page_article(resp, resp.url, "https://example.org/g")
    assert "Glaciers in the Alps" in " ".join(art.paragraphs)


# -- a feed's relative links are its site's pages; an item without a link keeps its text
LONG = " ".join(["The dam's reservoir fills each spring and drains by autumn."] * 12)
LINKS_RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>T</title><link>/</link><description>d</description>
<item><title>Relative and full</title><link>/2024/relative-full/</link>
<content:encoded><![CDATA[<p>{LONG}</p>]]></content:encoded></item>
<item><title>Relative excerpt</title><link>2024/relative-excerpt/</link>
<description>The border talks resumed [&#8230;]</description></item>
<item><title>Script link</title><link>javascript:alert(1)</link>
<content:encoded><![CDATA[<p>{LONG} Script.</p>]]></content:encoded></item>
<item><title>No link, a teaser</title>
<description>Farmers in the valley say the harvest fell.</description></item>
<item><title>No link, no text</title></item>
<item><title>No link, short and whole</title>
<content:encoded><![CDATA[<p>The ferry resumes on Monday.</p>]]></content:encoded></item>
</channel></rss>""".encode()


async def test_a_feeds_relative_links_are_resolved_and_unlinked_items_kept(pages, service,
                                                                          session):
    base, routes = pages
    routes["/news/feed/"] = (LINKS_RSS, "application/rss+xml")
    routes["/news/feed/2024/relative-excerpt/"] = (
        b"<html><head><title>Relative excerpt</title></head><body><article><h1>Relative "
        b"excerpt</h1><p>The border talks resumed in Geneva on Monday after a year's pause, "
        b"with both delegations present.</p></article></body></html>", "text/html")
    (report,) = await ingest_targets(service, session, [base + "/news/feed/"])
    assert report.new == 5 and report.failed == 0, report.line()
    assert "1 items with neither a link nor text left out" in report.line()
    assert "3 articles without a URL of their own, shown without a link" in report.line()
    arts = {a.title: a for a in service.stores.articles.iter_articles()}
    assert arts["Relative and full"].url == base + "/2024/relative-full/"
    assert arts["Relative excerpt"].url == base + "/news/feed/2024/relative-excerpt/"
    assert "Geneva" in arts["Relative excerpt"].paragraphs[0]  # its page was fetched
    assert arts["Script link"].url == "" and not arts["Script link"].partial
    assert arts["No link, a teaser"].partial and arts["No link, a teaser"].url == ""
    # Short content with no page to fetch the rest from is the whole article.
    assert not arts["No link, short and whole"].partial


def test_feed_items_without_a_link_are_told_apart_by_guid_or_text(service):
    from bot.sources.feeds import entry_article, parse_feed

    def feed(*items: str) -> bytes:
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                + "".join(items) + "</channel></rss>").encode()

    def item(title: str, text: str, guid: str = "") -> str:
        g = f'<guid isPermaLink="false">{guid}</guid>' if guid else ""
        return f"<item><title>{title}</title>{g}<description>{text}</description></item>"

    url = "https://news.example/feed/"
    first = [entry_article(e, url) for e in parse_feed(feed(
        item("Weekly update", "The dam opened on Monday."),
        item("Weekly update", "The bridge closed on Friday."),
        item("Port news", "The strike ended.", guid="port-1")), url)]
    report = service.stores.articles.ingest(first, url)
    assert report.new == 3  # two items of one title are two articles
    again = [entry_article(e, url) for e in parse_feed(feed(
        item("Weekly update", "The ferry resumes in May."),
        item("Port news (corrected)", "The strike ended on Tuesday.", guid="port-1")), url)]
    report = service.stores.articles.ingest(again, url)
    assert (report.new, report.updated) == (1, 1)  # a new week's update; the port item edited
    # Without a guid but with a date, an edited item is the same article.
    dated = item("Harbour notes", "The quay opens.").replace(
        "</title>", "</title><pubDate>Mon, 06 May 2024 08:00:00 GMT</pubDate>")
    service.stores.articles.ingest([entry_article(e, url) for e in parse_feed(feed(dated), url)],
                                   url)
    edited = dated.replace("The quay opens.", "The quay opens on Friday.")
    report = service.stores.articles.ingest(
        [entry_article(e, url) for e in parse_feed(feed(edited), url)], url)
    assert (report.new, report.updated) == (0, 1)
    # "www.site.com/…" is a host, not a path under the feed's address.
    (entry,) = parse_feed(feed("<item><title>W</title><link>www.site.example/2024/w</link>"
                               "<description>x</description></item>"), url)
    assert entry.url == "https://www.site.example/2024/w"
