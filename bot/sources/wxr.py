"""WordPress export files (WXR, Tools -> Export): published posts -> Articles. Pure."""

from __future__ import annotations

import re

from bot.errors import SourceError
from bot.models import Article
from bot.sources.html import html_paragraphs, html_text
from bot.sources.xmlsafe import child_text, local, parse_xml

# A chunk of stored content that is a block of its own (Gutenberg's comments included).
_BLOCK_START = re.compile(r"\s*<(?:p|h[1-6]|li|ul|ol|dl|blockquote|div|figure|table|pre|hr|"
                          r"section|!--)[\s>/-]", re.I)


def content_paragraphs(content: str) -> list[str]:
    """Post content as stored by WordPress: HTML blocks, or text with blank-line paragraphs
    (the classic editor stores no <p>: WordPress adds them when it shows the post), or both
    (a classic post with a heading: its bare paragraphs are wrapped as WordPress would)."""
    blocks = [b for b in re.split(r"\n\s*\n", content.replace("\r\n", "\n")) if b.strip()]
    if re.search(r"<(p|h[1-6]|li|blockquote)[\s>]", content, re.I):
        return html_paragraphs("\n".join(b if _BLOCK_START.match(b) else f"<p>{b}</p>"
                                         for b in blocks))
    return [p for p in (html_text(b) for b in blocks) if p]


def parse_wxr(body: bytes, where: str = "") -> list[Article]:
    """Every published post of a WXR file."""
    root = parse_xml(body, where)
    if local(root.tag) != "rss":
        raise SourceError("not a WordPress export (no <rss> root)", where)
    articles = []
    for item in root.iter():
        if local(item.tag) != "item":
            continue
        if child_text(item, "post_type") not in ("post", "") or child_text(item, "status") not in (
            "publish", ""
        ):
            continue
        title = html_text(child_text(item, "title"))
        content = ""
        for child in item:
            if local(child.tag) == "encoded" and "content" in child.tag:
                content = child.text or ""
        paras = content_paragraphs(content) if content.strip() else []
        if not title or not paras:
            continue
        articles.append(Article(
            title=title, paragraphs=tuple(paras), url=child_text(item, "link"),
            date=child_text(item, "post_date_gmt") or child_text(item, "post_date"),
            author=child_text(item, "creator"), source=where,
        ))
    if not articles:
        raise SourceError("no published posts in the export", where)
    return articles
