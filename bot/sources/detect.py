"""Finding out what a URL is: a WordPress site (and its REST API root), a feed, a sitemap,
a WordPress export, or an article page; and a page that names its feed is read through it."""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import urljoin, urlsplit

from bot.errors import FetchError
from bot.sources.feeds import advertised_feed, looks_like_an_article
from bot.sources.html import decode
from bot.sources.http import Fetched, Fetcher
from bot.sources.wordpress import api_root_from_links
from bot.sources.xmlsafe import gunzip


def _xml_kind(body: bytes, url: str) -> str | None:
    head = gunzip(body, url)[:4096] if body.startswith(b"\x1f\x8b") else body[:4096]
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    m = re.search(rb"<(?!\?|!)([\w:]+)", head)
    if not m:
        return None
    root = m.group(1).split(b":")[-1].lower()
    if root in (b"urlset", b"sitemapindex"):
        return "sitemap"
    if root == b"rss" and (b"wxr_version" in body[:20000] or b"export/1." in head):
        return "wxr"
    if root in (b"rss", b"feed", b"rdf"):
        return "feed"
    return None


async def detect(fetcher: Fetcher, url: str) -> tuple[str, Fetched, str]:
    """(kind, the fetched response, the API root or feed URL when it differs from `url`)."""
    resp = await fetcher.fetch(url)
    ct = resp.content_type
    if "json" in ct and "/wp-json" in url:
        return "wordpress", resp, url[: url.index("/wp-json") + len("/wp-json/")]
    kind = (await asyncio.to_thread(_xml_kind, resp.body, url)  # may gunzip megabytes
            if ("xml" in ct or "html" not in ct) else None)
    if kind:
        return kind, resp, url
    text = await asyncio.to_thread(decode, resp.body[:400_000], ct)
    head = text[:200_000]
    api = api_root_from_links(resp.headers.get("link", ""), head)
    path = urlsplit(resp.url).path
    feed = advertised_feed(head, resp.url)
    body_class = re.search(r"""<body[^>]*\sclass=["']([^"']*)""", head, re.I)
    front = bool(body_class) and bool(re.search(r"\b(home|blog)\b", body_class.group(1)))
    if api and front:  # WordPress installed below the root (https://example.org/blog/)
        return "wordpress", resp, urljoin(resp.url, api)
    if path in ("", "/") or re.fullmatch(r"/(index\.php)?", path):
        if api:
            return "wordpress", resp, urljoin(resp.url, api)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(resp.url))
        try:
            probe = await fetcher.fetch(f"{origin}/wp-json/", expect="json")
            if "wp/v2" in json.loads(probe.body).get("namespaces", []):
                return "wordpress", resp, f"{origin}/wp-json/"
        except (FetchError, ValueError, AttributeError):
            pass
        if feed:
            return "feed", resp, feed
    elif feed and not looks_like_an_article(head):
        # A home page, a section or a listing of headlines: its feed holds the articles,
        # the page itself would be one article of headlines. (Fetched like any URL: the
        # private-address guard judges the feed's host too.)
        return "feed", resp, feed
    return "page", resp, url


async def wordpress_api(fetcher: Fetcher, url: str) -> str:
    """The REST API root of the WordPress site at `url` (named as a WordPress site): the
    one its page advertises, so a site installed below the root ("/blog/") is asked at its
    own; else the origin's /wp-json/."""
    if "wp-json" in url or "rest_route" in url:
        return url
    try:
        resp = await fetcher.fetch(url)
        api = await asyncio.to_thread(_advertised_api, resp)  # decoding and searching a page
        if api:
            return urljoin(resp.url, api)
    except FetchError:
        pass  # the listing, asked of the origin's API, says what is wrong
    return "{0.scheme}://{0.netloc}/wp-json/".format(urlsplit(url))


def _advertised_api(resp: Fetched) -> str | None:
    """The API root a fetched page advertises (its Link header or head), or None."""
    head = decode(resp.body[:200_000], resp.content_type)
    return api_root_from_links(resp.headers.get("link", ""), head)
