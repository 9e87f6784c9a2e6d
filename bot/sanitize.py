"""What an article may bring into the store: http(s) links that cannot break out of a
Markdown link, and text without invisible controls. Pure."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import quote, urlsplit

from bot.models import Article
from bot.text import strip_invisible

# Characters that end or open a Markdown link or an autolink, quotes, and every invisible
# or space character: in a URL they are percent-encoded, so `…/x)[Claim](https://evil/)`
# stays one link to one (odd) address instead of becoming a second, clickable one.
_BREAKS_LINKS = re.compile(r"[\s()\[\]<>\"'`\\\x00-\x1f\x7f\u0080-\u009f"
                           r"\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def safe_url(url: str) -> str:
    """The URL with what breaks Markdown links percent-encoded; "" unless it is an
    http(s) URL with a host (`javascript:`, `data:`, `file:` ... are dropped). Idempotent."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return _BREAKS_LINKS.sub(lambda m: quote(m.group(), safe=""), url)


def clean_article(article: Article) -> Article:
    """The article as it may be stored: a safe URL (or none, so it gets the site's search
    link) and title, author and paragraphs without invisible controls."""
    url = safe_url(article.url)
    title = strip_invisible(article.title)
    author = strip_invisible(article.author)
    paragraphs = tuple(strip_invisible(p) for p in article.paragraphs)
    if (url, title, author, paragraphs) == (article.url, article.title, article.author,
                                            article.paragraphs):
        return article
    return replace(article, url=url, title=title, author=author, paragraphs=paragraphs)
