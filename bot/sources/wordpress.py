"""WordPress REST API (/wp-json/wp/v2/posts) responses -> Articles. Pure."""

from __future__ import annotations

import json

from bot.errors import SourceError
from bot.models import Article
from bot.sources.html import html_paragraphs, html_text

FIELDS = "id,date_gmt,modified_gmt,link,title,content,excerpt"
PER_PAGE = 100


def parse_posts(body: bytes, where: str = "", source: str = "") -> list[Article]:
    """One page of /wp/v2/posts."""
    try:
        posts = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise SourceError(f"invalid JSON from the WordPress API ({e})", where) from None
    if not isinstance(posts, list):
        raise SourceError("the WordPress API did not return a list of posts", where)
    out = []
    for post in posts:
        if not isinstance(post, dict):
            raise SourceError("a post is not a JSON object", where)
        link = post.get("link")
        title = post.get("title", {})
        content = post.get("content", {})
        if not isinstance(link, str) or not isinstance(title, dict) or not isinstance(content,
                                                                                       dict):
            raise SourceError("a post lacks link, title or content", where)
        if content.get("protected"):
            continue  # password-protected: nothing to quote
        paras = html_paragraphs(content.get("rendered") or "") if content.get("rendered") else []
        partial = False
        if not paras:
            excerpt = (post.get("excerpt") or {}).get("rendered") or ""
            paras = html_paragraphs(excerpt) if excerpt.strip() else []
            partial = True
        if not paras:
            continue
        out.append(Article(
            title=html_text(str(title.get("rendered", ""))) or link, paragraphs=tuple(paras),
            url=link, date=str(post.get("date_gmt") or ""), partial=partial, source=source,
        ))
    return out


def api_root_from_links(link_header: str, page_html: str) -> str | None:
    """The REST API root advertised by a WordPress page (Link header or <link> tag)."""
    import re

    for m in re.finditer(r'<([^>]+)>\s*;\s*rel="?https://api\.w\.org/"?', link_header or ""):
        return m.group(1)
    m = re.search(r"""<link[^>]+rel=["']https://api\.w\.org/["'][^>]*>""", page_html, re.I)
    if m:
        href = re.search(r"""href=["']([^"']+)["']""", m.group(0))
        if href:
            return href.group(1)
    return None
