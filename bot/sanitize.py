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


# No paragraph a person writes is this long (some 1,600 words); a page's text with no
# paragraph breaks is, and one passage of megabytes would be quoted, and summarised, whole.
MAX_PARAGRAPH_CHARS = 10_000
_SPACE = re.compile(r"\s")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s|[。！？]")  # ... or a CJK sentence's end


def split_long(paragraph: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """The paragraph as passages of at most `limit` characters, cut after the last sentence
    end in the second half of each, else at the last space, else anywhere."""
    out = []
    while len(paragraph) > limit:
        ends = [m.end() for m in _SENTENCE_END.finditer(paragraph, limit // 2, limit + 1)]
        spaces = [m.end() for m in _SPACE.finditer(paragraph, limit // 2, limit + 1)]
        cut = ends[-1] if ends else spaces[-1] if spaces else 0
        cut = cut if cut > 0 else limit
        out.append(paragraph[:cut].rstrip())
        paragraph = paragraph[cut:].lstrip()
    if not out:
        return [paragraph]  # as it was
    return [*out, paragraph.rstrip()] if paragraph.strip() else out


def clean_article(article: Article) -> Article:
    """The article as it may be stored: a safe URL (or none, so it gets the site's search
    link) and title, author and paragraphs without invisible controls, no paragraph longer
    than MAX_PARAGRAPH_CHARS."""
    url = safe_url(article.url)
    title = strip_invisible(article.title)
    author = strip_invisible(article.author)
    paragraphs = tuple(part for p in article.paragraphs for part in split_long(strip_invisible(p)))
    if (url, title, author, paragraphs) == (article.url, article.title, article.author,
                                            article.paragraphs):
        return article
    return replace(article, url=url, title=title, author=author, paragraphs=paragraphs)
