"""WordPress REST API (/wp-json/wp/v2/posts) requests and responses. Pure.

A listing asks for ids, modification dates and links only (`_fields=id,modified_gmt,link`,
100 a page: a new permalink structure moves every link without touching a modified date);
contents are asked for by id (`include=`), so posts deleted or added while a listing pages by
offset can never shift a post out of the contents."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from bot.errors import SourceError
from bot.models import Article
from bot.sources.html import html_paragraphs, html_text
from bot.sources.normal import iso_utc

FIELDS = "id,date_gmt,modified_gmt,link,title,content,excerpt"
LIST_FIELDS = "id,modified_gmt,link"
PER_PAGE = 100  # the API's maximum


@dataclass(frozen=True)
class Post:
    """One post of a contents page; `article` is None when there is nothing to quote
    (password-protected, or empty)."""

    id: int
    modified: str
    link: str
    article: Article | None
    protected: bool = False


def posts_url(api_root: str, **params: object) -> str:
    """/wp/v2/posts with these parameters, for `/wp-json/` and `?rest_route=` sites alike."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    if "rest_route=" in api_root:
        return f"{api_root.split('?')[0]}?rest_route=/wp/v2/posts&{query}"
    return f"{api_root.rstrip('/')}/wp/v2/posts?{query}"


def listing_url(api_root: str, page: int) -> str:
    """One page of the listing (ids, dates, links), oldest id first."""
    return posts_url(api_root, per_page=PER_PAGE, page=page, _fields=LIST_FIELDS,
                     orderby="id", order="asc")


def contents_url(api_root: str, ids: list[int]) -> str:
    """The contents of up to 100 posts by id."""
    return posts_url(api_root, include=",".join(map(str, ids)), per_page=PER_PAGE,
                     _fields=FIELDS, orderby="id", order="asc")


def _objects(body: bytes, where: str) -> list[dict]:
    try:
        posts = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise SourceError(f"invalid JSON from the WordPress API ({e})", where) from None
    if not isinstance(posts, list):
        raise SourceError("the WordPress API did not return a list of posts", where)
    if not all(isinstance(p, dict) for p in posts):
        raise SourceError("a post is not a JSON object", where)
    return posts


def _id(post: dict, where: str) -> int:
    pid = post.get("id")
    if not isinstance(pid, int) or isinstance(pid, bool):
        raise SourceError("a post has no numeric id", where)
    return pid


def parse_listing(body: bytes, where: str = "") -> dict[int, tuple[str, str]]:
    """One page of the listing: id -> (modified_gmt, link); the link is "" when the site
    does not give it."""
    return {_id(p, where): (str(p.get("modified_gmt") or ""),
                            p["link"] if isinstance(p.get("link"), str) else "")
            for p in _objects(body, where)}


def parse_posts(body: bytes, where: str = "", source: str = "") -> list[Post]:
    """One contents page of /wp/v2/posts."""
    out = []
    for post in _objects(body, where):
        link = post.get("link")
        title = post.get("title", {})
        content = post.get("content", {})
        if not isinstance(link, str) or not isinstance(title, dict) or not isinstance(content,
                                                                                       dict):
            raise SourceError("a post lacks link, title or content", where)
        pid, modified = _id(post, where), str(post.get("modified_gmt") or "")
        if content.get("protected"):  # password-protected: nothing anyone may quote
            out.append(Post(pid, modified, link, None, protected=True))
            continue
        rendered = str(content.get("rendered") or "")
        paras = html_paragraphs(rendered) if rendered.strip() else []
        partial = False
        if not paras:
            excerpt = post.get("excerpt")
            excerpt = str(excerpt.get("rendered") or "") if isinstance(excerpt, dict) else ""
            paras = html_paragraphs(excerpt) if excerpt.strip() else []
            partial = True
        article = Article(
            title=html_text(str(title.get("rendered", ""))) or link, paragraphs=tuple(paras),
            url=link, date=iso_utc(str(post.get("date_gmt") or "")), partial=partial,
            source=source,
        ) if paras else None
        out.append(Post(pid, modified, link, article))
    return out


def api_root_from_links(link_header: str, page_html: str) -> str | None:
    """The REST API root advertised by a WordPress page (Link header or <link> tag)."""
    for m in re.finditer(r'<([^>]+)>\s*;\s*rel="?https://api\.w\.org/"?', link_header or ""):
        return m.group(1)
    m = re.search(r"""<link[^>]+rel=["']https://api\.w\.org/["'][^>]*>""", page_html, re.I)
    if m:
        href = re.search(r"""href=["']([^"']+)["']""", m.group(0))
        if href:
            return href.group(1)
    return None
