"""Property-based: parsers never raise anything but the project's SourceError."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import SourceError
from bot.sources.feeds import parse_feed
from bot.sources.files import parse_jsonl, parse_markdown, parse_page
from bot.sources.html import decode, html_paragraphs, html_text
from bot.sources.sitemap import parse_sitemap
from bot.sources.wordpress import parse_posts
from bot.sources.wxr import parse_wxr

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Fragments of real formats, so examples get past the first byte often.
PIECES = st.sampled_from([
    "<?xml version='1.0'?>", "<rss>", "</rss>", "<channel>", "<item>", "</item>", "<title>",
    "</title>", "<link>http://x.org/a</link>", "<urlset>", "<url><loc>http://x.org/</loc></url>",
    "<sitemapindex>", "<![CDATA[", "]]>", "<!DOCTYPE x>", "<!ENTITY a 'b'>", "&amp;", "&a;",
    "<p>", "</p>", "<div class='share'>", "<script>", "<content:encoded>", "\x00", "\u2028",
    "{", "}", "[", "]", '"title"', ":", ",", '"paragraphs"', '"text"', "---\n", "title: x\n",
    "\n\n", "Read More »", "<wp:status>publish</wp:status>", "<feed>", "<entry>", "\x1f\x8b",
])
DOCS = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join)


def only_source_errors(fn, *args) -> None:
    with contextlib.suppress(SourceError):
        fn(*args)


@SETTINGS
@given(DOCS)
def test_xml_parsers(doc):
    body = doc.encode("utf-8", errors="surrogatepass")
    for fn in (parse_feed, parse_sitemap, parse_wxr, parse_posts):
        only_source_errors(fn, body, "x")


@SETTINGS
@given(st.binary(max_size=300))
def test_xml_parsers_on_bytes(body):
    for fn in (parse_feed, parse_sitemap, parse_wxr, parse_posts):
        only_source_errors(fn, body, "x")


@SETTINGS
@given(DOCS)
def test_html_and_text_parsers(doc):
    only_source_errors(html_paragraphs, doc)
    only_source_errors(html_text, doc)
    only_source_errors(parse_markdown, doc, "x.md")
    parse_page(doc, "x.txt")
    result = parse_jsonl(doc, "x.jsonl")
    assert all(isinstance(e, SourceError) for e in result.errors)


@SETTINGS
@given(st.binary(max_size=200), st.sampled_from(["", "text/html; charset=latin-1",
                                                 "text/html; charset=bogus"]))
def test_decode_never_fails(body, content_type):
    assert isinstance(decode(body, content_type), str)
