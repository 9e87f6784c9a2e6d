"""RSS/Atom feeds -> entries (feedparser), entity declarations refused first. Pure."""

from __future__ import annotations

import hashlib
import html as htmllib
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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
    guid: str = ""  # the item's <guid> / Atom <id>


# What WordPress puts in a feed for a password-protected post, in the content or the excerpt
PROTECTED = re.compile(r"post-password-form|name=[\"']post_password|"
                       r"There is no excerpt because this is a protected post")


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BARE_HOST = re.compile(r"www\.[\w-]+(?:\.[\w-]+)+(?:/|$)", re.I)


def parse_feed(body: bytes, where: str = "") -> list[FeedEntry]:
    """Entries of an RSS/Atom document; SourceError when it is not a usable feed. Relative
    links are resolved against `where`, the feed's URL; an entry with no http(s) link has
    url "" (its text is kept, without a link)."""
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
        link = e.get("link", "").strip()
        if _BARE_HOST.match(link):
            link = "https://" + link  # "www.site.com/2024/post": a host, not a path
        elif link and where.startswith(("http://", "https://")) and not _SCHEME.match(link):
            link = urljoin(where, link)  # "<link>/2024/05/post</link>": the feed's own site
        if not link.startswith(("http://", "https://")):
            link = ""  # none, or javascript: and the like: nothing to link to or fetch
        contents = [c.get("value", "") for c in e.get("content", []) if c.get("value")]
        body_html = contents[0] if contents else e.get("summary", "")
        try:
            paras = html_paragraphs(body_html) if body_html.strip() else []
        except SourceError:
            paras = []
        text = " ".join(paras)
        # Short content may be an excerpt whose page holds the rest; without a page to
        # fetch, the item's own content is the whole article unless it says it is cut.
        full = bool(contents) and (len(text) > EXCERPT_CHARS or not link) and \
            not text.rstrip().endswith(("[…]", "[...]", "…"))
        out.append(FeedEntry(
            url=link, title=html_text(e.get("title", "")) or link or "Untitled",
            # dict.get: feedparser's own get("updated") warns about a deprecated fallback
            date=iso_utc(dict.get(e, "published") or dict.get(e, "updated") or ""),
            author=e.get("author", ""),
            paragraphs=tuple(paras), full=full,
            protected=bool(PROTECTED.search(body_html + " " + e.get("summary", ""))),
            guid=str(e.get("id", "") or "").strip(),
        ))
    if not any(e.url or e.paragraphs for e in out) and parsed.get("bozo"):
        raise SourceError(f"not a valid feed ({parsed.get('bozo_exception')})", where)
    return out


def entry_article(entry: FeedEntry, source: str, partial: bool = False) -> Article:
    """An Article from a feed entry. One without a link is told apart by its guid, else by
    its title and date (an edit keeps them: the item is updated, not stored twice), else by
    its title and text: two "Weekly update" items are two articles."""
    if entry.url:
        ident = ""
    elif entry.guid:
        ident = entry.guid
    elif entry.date:
        ident = f"{entry.title}|{entry.date}"
    else:
        ident = "text:" + hashlib.sha256("\0".join((entry.title, *entry.paragraphs)).encode(
            "utf-8")).hexdigest()[:16]
    return Article(title=entry.title, paragraphs=entry.paragraphs, url=entry.url,
                   date=entry.date, author=entry.author, partial=partial, source=source,
                   ident=ident)


# -- discovery: a page that names its feed (<link rel="alternate" type="application/rss+xml">)
_TAG = re.compile(r"<link\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml")
# An article's page, not a listing: what WordPress, Open Graph and schema.org mark one with.
_ARTICLE = re.compile(
    r"""<meta[^>]+(?:property|name)=["'](?:og:type["'][^>]+content=["']article|"""
    r"""article:published_time)|"@type"\s*:\s*"(?:Article|NewsArticle|BlogPosting|Report)"|"""
    r"""<body[^>]*\sclass=["'][^"']*\b(?:single|single-post|postid-\d+|page-id-\d+)\b""", re.I)


def advertised_feed(page_html: str, page_url: str) -> str | None:
    """The feed that a page names in its head (an RSS/Atom `rel="alternate"` link), as an
    absolute URL: a section's own ("/category/energy/feed/" on "/category/energy/", which
    WordPress names after the site's) before the first; a comments feed is not articles."""
    feeds = _feeds(page_html, page_url)
    page = urlsplit(page_url).path
    own = [f for f in feeds if _section(f) and (page + "/").startswith(_section(f) + "/")]
    # The narrowest: "/blog/category/energy/feed/" before the blog's own "/blog/feed/".
    return max(own, key=lambda f: len(_section(f))) if own else (feeds or [None])[0]


def _section(feed: str) -> str:
    """The section a feed's URL is of ("/category/energy" for "/category/energy/feed/"),
    or "" for the site's own ("/feed/") or one not named so."""
    path = urlsplit(feed).path
    return path.rsplit("/feed", 1)[0].rstrip("/") if "/feed" in path else ""


def _feeds(page_html: str, page_url: str) -> list[str]:
    """Every RSS/Atom feed the page's head names but comments feeds, in order."""
    out = []
    for tag in _TAG.finditer(page_html):
        attrs = {m.group(1).lower(): htmllib.unescape(next(g for g in m.groups()[1:]
                                                              if g is not None))
                 for m in _ATTR.finditer(tag.group(0))}
        rel = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").lower().split(";")[0].strip()
        href = attrs.get("href", "").strip()
        if "alternate" not in rel or kind not in _FEED_TYPES or not href:
            continue
        if "comment" in attrs.get("title", "").lower() or "comments/feed" in href:
            continue
        out.append(urljoin(page_url, href))
    return out


def looks_like_an_article(page_html: str) -> bool:
    """Does a page mark itself as one article (og:type article, a schema.org Article, a
    WordPress single post)? Such a page is read as itself, even when it names a feed."""
    return bool(_ARTICLE.search(page_html))
