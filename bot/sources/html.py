"""HTML -> paragraphs (pure). <p>, headings, list items and block quotes become passages;
scripts, styles, figures, forms and share/related-post blocks do not."""

from __future__ import annotations

import html as htmllib
import json
import re

import lxml.etree
import lxml.html

from bot.errors import SourceError
from bot.text import clean_whitespace

BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt")
DROP_TAGS = ("script", "style", "noscript", "figure", "figcaption", "iframe", "form", "nav",
             "aside", "footer", "header", "button", "svg", "template", "select", "textarea")
# Class/id words of share widgets, related posts, menus and other chrome (WordPress & co).
CHROME = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|sharedaddy|social|related|jp-relatedposts|yarpp|newsletter|"
    r"subscribe|comments?|respond|menu|navigation|nav|breadcrumbs?|sidebar|widget|footer|"
    r"advert|ads|promo|author-bio|post-tags|tags-links|cat-links|wp-block-buttons|"
    r"screen-reader-text)(?:$|[\s_-])",
    re.I,
)


def parse_html(markup: str | bytes) -> lxml.html.HtmlElement:
    """Parse HTML leniently; a clear SourceError when it is not HTML at all."""
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8", errors="replace")
    # Control characters are not allowed in XML/HTML text and make lxml refuse the tree.
    markup = _CONTROL.sub("", markup).strip()
    if not markup:
        raise SourceError("empty HTML")
    try:
        # A fragment wrapper copes with content.rendered (no <html>) and with full pages.
        return lxml.html.document_fromstring(markup) if "<html" in markup[:2000].lower() \
            else lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.LxmlError, ValueError, AssertionError) as e:
        # lxml asserts on some inputs (no <body> at all): still just unreadable HTML
        raise SourceError(f"unreadable HTML ({type(e).__name__})") from None


def _is_chrome(el: lxml.html.HtmlElement) -> bool:
    attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    return bool(attrs.strip()) and bool(CHROME.search(attrs))


def html_paragraphs(markup: str | bytes) -> list[str]:
    """The text blocks of an HTML fragment, in document order, chrome removed."""
    try:
        return _paragraphs(parse_html(markup))
    except (ValueError, lxml.etree.LxmlError) as e:
        raise SourceError(f"unreadable HTML ({type(e).__name__})") from None


def _paragraphs(root: lxml.html.HtmlElement) -> list[str]:
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.getparent() is not None:
                el.drop_tree()
            continue
        if (el.tag in DROP_TAGS or _is_chrome(el)) and el.getparent() is not None:
            el.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    out: list[str] = []
    for el in root.iter(*BLOCKS):
        # A block holding other blocks (li > p, blockquote > p) is covered by its children.
        if any(child.tag in BLOCKS for child in el.iterdescendants()):
            continue
        text = _squash("".join(el.itertext()))
        if text and re.search(r"\w", text):
            out.append(text)
    if not out:  # plain text with <br> or none of the block tags
        text = "\n".join(t.strip() for t in root.itertext())
        out = [_squash(b) for b in re.split(r"\n\s*\n", text) if b.strip()]
    return out


def _squash(text: str) -> str:
    """HTML whitespace is not significant: runs of it become one space."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


def html_text(markup: str) -> str:
    """Inline HTML (a title) -> plain text, entities decoded."""
    markup = _CONTROL.sub("", markup)
    if "<" not in markup:
        return clean_whitespace(htmllib.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="span")
    except (lxml.etree.LxmlError, ValueError, AssertionError):
        return clean_whitespace(htmllib.unescape(re.sub(r"<[^>]*>", "", markup)))
    return _squash("".join(root.itertext()))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def decode(body: bytes, content_type: str = "") -> str:
    """Bytes -> text: the header's charset, else the page's <meta charset>, else UTF-8,
    else windows-1252 (what browsers assume for legacy pages)."""
    candidates = []
    m = re.search(r"charset=([\w-]+)", content_type, re.I)
    if m:
        candidates.append(m.group(1))
    m2 = _CHARSET.search(body[:4096])
    if m2:
        candidates.append(m2.group(1).decode("ascii", "ignore"))
    for enc in candidates:  # declared
        enc = _AS_BROWSERS.get(enc.lower(), enc)
        if enc.lower().replace("_", "-") in ("utf-8", "utf8"):
            # One stray byte is one replacement character, not a whole page read as
            # windows-1252 ("cafÃ©").
            return body.decode("utf-8", errors="replace")
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    for enc in ("utf-8", "windows-1252"):  # undeclared: UTF-8 if it is valid
        try:
            return body.decode(enc)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


# Labels browsers read as windows-1252 (the WHATWG Encoding Standard): read as iso-8859-1,
# bytes 0x80-0x9f are controls, and "didn’t" loses its apostrophe.
_AS_BROWSERS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
                "latin-1": "cp1252", "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def extract_page(markup: str, url: str) -> dict:
    """Main text of an article page (trafilatura): title, date, author, paragraphs."""
    import trafilatura

    if not markup.strip():
        raise SourceError("empty page", url)
    try:
        result = trafilatura.extract(
            markup, url=url, output_format="json", with_metadata=True, include_comments=False,
            include_tables=False, include_images=False, favor_precision=True,
            # The date from the page's markup (meta tags, <time>, the URL), never guessed
            # from its text: "Copyright 2024" in a footer is not when the article was written.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # noqa: BLE001 - trafilatura raises many kinds on hostile input
        raise SourceError(f"could not extract the article ({type(e).__name__})", url) from None
    if not result:
        raise SourceError("no article text found on the page", url)
    data = json.loads(result)
    title = clean_whitespace(data.get("title") or "")
    lines = [clean_whitespace(x) for x in (data.get("text") or "").split("\n")]
    paras = [re.sub(r"^[-•]\s+", "", x) for x in lines if x]
    if paras and title and paras[0] == title:
        paras = paras[1:]
    if not paras:
        raise SourceError("no article text found on the page", url)
    return {"title": title or url, "date": data.get("date") or "",
            "author": data.get("author") or "", "paragraphs": paras}
