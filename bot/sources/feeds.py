"""RSS/Atom feeds -> entries (feedparser), entity declarations refused first. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

import feedparser

from bot.errors import SourceError
from bot.models import Article
from bot.sources.html import html_paragraphs, html_text
from bot.sources.normal import iso_utc
from bot.sources.xmlsafe import refuse_entities

EXCERPT_CHARS = 600  # content no longer than this, or cut with […], is an excerpt


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    date: str
    author: str
    paragraphs: tuple[str, ...]
    full: bool  # the feed carries the whole article (content:encoded)
    protected: bool = False  # password-protected: its page shows only a password form


# What WordPress puts in a feed for a password-protected post, in the content or the excerpt
PROTECTED = re.compile(r"post-password-form|name=[\"']post_password|"
                       r"There is no excerpt because this is a protected post")


def parse_feed(body: bytes, where: str = "") -> list[FeedEntry]:
    """Entries of an RSS/Atom document; SourceError when it is not a usable feed."""
    refuse_entities(body, where)
    try:
        parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    except Exception as e:  # noqa: BLE001 - feedparser's loose parser can raise odd errors
        raise SourceError(f"unreadable feed ({type(e).__name__})", where) from None
    if not parsed.entries:
        if parsed.get("bozo"):
            raise SourceError(f"not a valid feed ({parsed.get('bozo_exception')})", where)
        if not parsed.get("feed"):
            raise SourceError("not a feed", where)
    out = []
    for e in parsed.entries:
        link = e.get("link", "")
        if not link.startswith(("http://", "https://")):
            continue
        contents = [c.get("value", "") for c in e.get("content", []) if c.get("value")]
        body_html = contents[0] if contents else e.get("summary", "")
        try:
            paras = html_paragraphs(body_html) if body_html.strip() else []
        except SourceError:
            paras = []
        text = " ".join(paras)
        full = bool(contents) and len(text) > EXCERPT_CHARS and not text.rstrip().endswith(
            ("[…]", "[...]", "…")
        )
        out.append(FeedEntry(
            url=link, title=html_text(e.get("title", "")) or link,
            # dict.get: feedparser's own get("updated") warns about a deprecated fallback
            date=iso_utc(dict.get(e, "published") or dict.get(e, "updated") or ""),
            author=e.get("author", ""),
            paragraphs=tuple(paras), full=full,
            protected=bool(PROTECTED.search(body_html + " " + e.get("summary", ""))),
        ))
    if not out and parsed.get("bozo"):
        raise SourceError(f"not a valid feed ({parsed.get('bozo_exception')})", where)
    return out


def entry_article(entry: FeedEntry, source: str, partial: bool = False) -> Article:
    """An Article from a feed entry."""
    return Article(title=entry.title, paragraphs=entry.paragraphs, url=entry.url,
                   date=entry.date, author=entry.author, partial=partial, source=source)
