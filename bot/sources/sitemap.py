"""Sitemaps and sitemap indexes (also gzipped) -> page URLs. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import SourceError
from bot.sources.xmlsafe import child_text, gunzip, local, parse_xml


@dataclass(frozen=True)
class Sitemap:
    pages: list[tuple[str, str]]  # (url, lastmod)
    children: list[str]  # nested sitemaps of a sitemap index


def parse_sitemap(body: bytes, where: str = "") -> Sitemap:
    """Pages and nested sitemaps listed by a sitemap document."""
    root = parse_xml(gunzip(body, where), where)
    kind = local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SourceError(f"not a sitemap (root <{kind}>)", where)
    pages, children = [], []
    for entry in root:
        loc = child_text(entry, "loc")
        if not loc.startswith(("http://", "https://")):
            continue
        if kind == "urlset":
            pages.append((loc, child_text(entry, "lastmod")))
        else:
            children.append(loc)
    return Sitemap(pages, children)
