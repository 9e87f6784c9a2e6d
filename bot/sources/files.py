"""Articles from local files: the seed page format, Markdown/plain text, JSON Lines, WXR.

Parsers are pure; `load_paths` walks files and folders and collects per-file errors so one
bad file never stops the others.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.errors import SourceError
from bot.models import Article
from bot.sources.normal import parse_date
from bot.sources.textcodec import decode_text, looks_binary
from bot.text import clean_whitespace

log = logging.getLogger(__name__)

# "Read More »" ends a teaser; with no arrow it only counts as a block of its own.
READ_MORE = re.compile(
    r"(?:^|\s)\[?\s*(?:read\s+more|continue\s+reading)\s*(?:»|&raquo;|…|\.\.\.|→)\s*\]?\s*$", re.I
)
READ_MORE_ALONE = re.compile(r"\[?\s*(?:read\s+more|continue\s+reading)\s*\]?", re.I)
_TITLE_MAX = 160
_CLOSING = tuple(".!?:;,\u2026\"\u201d\u2019)»")
SUFFIXES = (".txt", ".md", ".markdown", ".jsonl", ".ndjson", ".xml", ".wxr", ".html", ".htm")
MAX_FILE_BYTES = 200 * 1024 * 1024  # read whole; JSON Lines files are streamed instead
_WHAT = {".xml": "an XML export", ".wxr": "an XML export", ".html": "an HTML page",
         ".htm": "an HTML page"}
ENCODING_NAMES = {"cp1252": "windows-1252", "latin-1": "latin-1"}


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # in folders, of types it does not read


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n[ \t\u00a0]*\n", text) if b.strip()]


def _looks_like_title(block: str, headline: bool = False) -> bool:
    """A title: one short line without closing punctuation and without a sentence inside.
    `headline`: the first line of an article's file, which may ask ("Is NATO Ready for a
    Longer War?") or exclaim, as op-ed headlines do."""
    if "\n" in block or len(block) > _TITLE_MAX:
        return False
    if block.endswith(_CLOSING) and not (headline and block.endswith(("?", "!"))):
        return False
    if re.search(r"[.!?]\s+[A-Z]", block):
        return False
    return len(block.split()) <= 25


def _strip_teaser(paragraphs: list[str]) -> tuple[list[str], bool]:
    """Drop a trailing "Read More »" marker (a block or a paragraph's tail); say if it was there."""
    if not paragraphs:
        return paragraphs, False
    last = paragraphs[-1]
    m = READ_MORE.search(last)
    if not m and not READ_MORE_ALONE.fullmatch(last):
        return paragraphs, False
    head = last[: m.start()].rstrip() if m else ""
    return ([*paragraphs[:-1], head] if head else paragraphs[:-1]), True


def is_page(text: str) -> bool:
    """Is this text a page of several articles (the seed format)? Only when it holds the
    page marker: a paragraph ending in "Read More »" (a teaser). Any other text file is
    one article, whatever subheadings it has."""
    return any(READ_MORE.search(b) for b in _blocks(text.replace("\r\n", "\n")))


def parse_page(text: str, source: str = "", default_title: str = "") -> list[Article]:
    """The seed page format: title lines, each followed by its paragraphs; blank-line blocks."""
    articles: list[Article] = []
    title, paras = default_title, []

    def flush() -> None:
        kept, partial = _strip_teaser(paras)
        if title and kept:
            articles.append(
                Article(title=title, paragraphs=tuple(kept), partial=partial, source=source)
            )
        elif title and partial:
            articles.append(Article(title=title, paragraphs=(), partial=True, source=source))

    for block in _blocks(text.replace("\r\n", "\n")):
        if _looks_like_title(block) and not READ_MORE_ALONE.fullmatch(block):
            if paras or title != default_title:
                flush()
            title, paras = clean_whitespace(block), []
        else:
            paras.append(clean_whitespace(block))
    flush()
    return [a for a in articles if a.paragraphs]


_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


def _front_matter(text: str, where: str) -> tuple[dict[str, str], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for n, line in enumerate(m.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if ":" not in line:
            raise SourceError(
                f"front matter line is not 'key: value': {line[:60]!r}", f"{where}:{n}"
            )
        key, value = line.split(":", 1)
        meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end() :]


_MD_MARKUP = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def _strip_markdown(block: str) -> str:
    block = re.sub(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", "", block)
    for pattern, repl in _MD_MARKUP:
        block = pattern.sub(repl, block)
    return clean_whitespace(block)


def parse_markdown(text: str, source: str = "", default_title: str = "") -> Article:
    """One article from Markdown or plain text, with optional front matter."""
    meta, body = _front_matter(text.replace("\r\n", "\n"), source)
    blocks = _blocks(body)
    title = meta.get("title", "")
    if not title and blocks and re.match(r"#\s", blocks[0]):
        title = _strip_markdown(blocks.pop(0))
    elif not title and len(blocks) > 1 and _looks_like_title(blocks[0], headline=True):
        title = clean_whitespace(blocks.pop(0))
    rules = re.compile(r"[-*_]{3,}")  # horizontal rules are not paragraphs
    # Headings are not passages: quoted alone they answer nothing ("## Drones").
    heading = re.compile(r"#{1,6}\s[^\n]*")
    paras = [p for p in (_strip_markdown(b) for b in blocks
                         if not rules.fullmatch(b) and not heading.fullmatch(b)) if p]
    paras, partial = _strip_teaser(paras)
    title = title or default_title
    if not paras:
        raise SourceError("no paragraphs", source)
    return Article(
        title=title,
        paragraphs=tuple(paras),
        url=meta.get("url", meta.get("link", "")),
        date=_date(meta.get("date", ""), source),
        author=meta.get("author", ""),
        partial=partial or meta.get("partial", "").lower() in ("true", "yes", "1"),
        source=source,
    )


def _date(value: str, where: str) -> str:
    """A file's date as ISO 8601; one it cannot read is dropped with a warning naming the
    file (the article is kept: a date is never worth an article)."""
    parsed = parse_date(value)
    if parsed is None:
        log.warning("%s: date %r dropped (not a date Footnote reads, or an ambiguous one: "
                    "see File formats in the README); the article is kept", where, value[:60])
        return ""
    return parsed


def _str_field(obj: dict, key: str, where: str) -> str:
    value = obj.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise SourceError(f"{key!r} must be a string", where)
    return str(value).strip()


def parse_json_article(obj: object, where: str, source: str = "") -> Article:
    """One article from a decoded JSON object."""
    if not isinstance(obj, dict):
        raise SourceError("each line must be a JSON object", where)
    title = _str_field(obj, "title", where)
    if not title:
        raise SourceError("missing 'title'", where)
    if "paragraphs" in obj:
        paras = obj["paragraphs"]
        if not isinstance(paras, list) or not all(isinstance(p, str) for p in paras):
            raise SourceError("'paragraphs' must be a list of strings", where)
    elif "text" in obj:
        if not isinstance(obj["text"], str):
            raise SourceError("'text' must be a string", where)
        paras = _blocks(obj["text"])
    else:
        raise SourceError("needs 'paragraphs' or 'text'", where)
    # Keep paragraphs exactly, empty ones too: `paragraph` indices must match the source's
    # list (SQuAD paragraphs even have edge whitespace). Blank ones are never indexed.
    paras, partial = _strip_teaser(list(paras))
    if not any(p.strip() for p in paras):
        raise SourceError("no paragraphs", where)
    return Article(
        title=title,
        paragraphs=tuple(paras),
        url=_str_field(obj, "url", where),
        date=_date(_str_field(obj, "date", where), where),
        author=_str_field(obj, "author", where),
        partial=partial or bool(obj.get("partial", False)),
        source=source,
    )


def parse_jsonl(text: str, source: str = "") -> LoadResult:
    """JSON Lines, one article per line; bad lines are reported and skipped."""
    return _jsonl_lines(enumerate(text.splitlines(), start=1), source)


MAX_LINE_ERRORS = 5  # a file with more bad lines than this gets one summary line for the rest


def _jsonl_file(path: Path) -> LoadResult:
    """A JSON Lines file of any size, read line by line."""
    source = str(path)
    result = LoadResult()
    with open(path, "rb") as f:
        head = f.read(8192)
    if b"\0" in head:
        return LoadResult(errors=[SourceError("a binary file, not JSON Lines", source)])

    def lines():
        with open(path, "rb") as f:
            for n, raw in enumerate(f, start=1):
                try:
                    yield n, raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError:
                    result.errors.append(SourceError("not valid UTF-8", f"{source}:{n}"))

    found = _jsonl_lines(lines(), source)
    errors = sorted(result.errors + found.errors, key=lambda e: _line_no(e.where))
    if len(errors) > MAX_LINE_ERRORS:
        more = len(errors) - MAX_LINE_ERRORS + 1
        errors = [*errors[: MAX_LINE_ERRORS - 1],
                  SourceError(f"and {more} more bad lines", source)]
    found.errors = errors
    return found


def _line_no(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _jsonl_lines(lines, source: str) -> LoadResult:
    result = LoadResult()
    for n, line in lines:
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            result.errors.append(SourceError(f"invalid JSON ({e.msg})", where))
            continue
        try:
            result.articles.append(parse_json_article(obj, where, source))
        except SourceError as e:
            result.errors.append(e)
    result.articles = told_apart(result.articles)
    return result


def told_apart(articles: list[Article]) -> list[Article]:
    """Articles of one file without a link that share a title ("Weekly update" twice) told
    apart: under the title alone, the later would replace the earlier. One keeps the title
    alone, as before: the oldest dated one, else the first; the other dated ones are told
    by their date (a newer one added anywhere in the file is new), undated ones by their
    order among themselves."""
    shared = Counter(a.title for a in articles if not a.url)
    oldest = {}
    for i, a in enumerate(articles):
        if not a.url and shared[a.title] > 1 and a.date and (
                a.title not in oldest or a.date < articles[oldest[a.title]].date):
            oldest[a.title] = i
    seen: Counter[str] = Counter()
    out = []
    for i, art in enumerate(articles):
        if art.url or shared[art.title] < 2 or oldest.get(art.title) == i:
            out.append(art)
            continue
        key = f"{art.title}|{art.date}" if art.date else art.title
        seen[key] += 1
        first_undated = not art.date and art.title not in oldest and seen[key] == 1
        ident = "" if first_undated else (key if art.date and seen[key] == 1
                                          else f"{key}|{seen[key]}")
        out.append(replace(art, ident=ident) if ident else art)
    return out


def load_file(path: Path) -> LoadResult:
    """Load one file by its suffix; never raises for bad content, returns the errors."""
    source = str(path)
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            return _jsonl_file(path)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError("file is too large", source)
        raw = path.read_bytes()
        suffix = path.suffix.lower()
        if looks_binary(raw):  # an image or a PDF named .html: one line, not a parser's noise
            raise SourceError(f"a binary file, not {_WHAT.get(suffix, 'text')}", source)
        if suffix in (".xml", ".wxr"):
            from bot.sources.wxr import parse_wxr

            return LoadResult(articles=parse_wxr(raw, source))
        if suffix in (".html", ".htm"):  # a saved page: its main text, never its markup
            from bot.sources.html import decode, extract_page

            data = extract_page(decode(raw), source)
            return LoadResult(articles=[Article(
                title=data["title"] if data["title"] != source else path.stem,
                paragraphs=tuple(data["paragraphs"]), date=data["date"],
                author=data["author"], source=source)])
        text, encoding = decode_text(raw)
        if encoding != "utf-8":
            log.warning("%s: not UTF-8; read as %s (save it as UTF-8 to be sure of its "
                        "accents)", source, ENCODING_NAMES[encoding])
        if suffix in (".jsonl", ".ndjson"):
            return parse_jsonl(text, source)
        if suffix in (".md", ".markdown") or _FRONT.match(text) or not is_page(text):
            # One file, one article: subheadings stay inside it.
            return LoadResult(articles=[parse_markdown(text, source, path.stem)])
        return LoadResult(articles=told_apart(parse_page(text, source)))
    except SourceError as e:
        return LoadResult(errors=[e])
    except OSError as e:
        return LoadResult(errors=[SourceError(e.strerror or "cannot read", source)])


def iter_files(paths: Iterable[Path], skipped: list[Path] | None = None) -> Iterable[Path]:
    """Files under the given paths (folders walked in name order), supported suffixes only;
    the others a folder holds (not hidden ones) are added to `skipped`."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.name.startswith(".") or not child.is_file():
                    continue
                if child.suffix.lower() in SUFFIXES:
                    yield child
                elif skipped is not None:
                    skipped.append(child)
        else:
            yield path


def skipped_note(skipped: list[Path]) -> str:
    """What a reader of `ingest`'s report is told of the files it did not read."""
    kinds = sorted({p.suffix.lower() or "no extension" for p in skipped})
    shown = ", ".join(p.name for p in skipped[:3]) + (", ..." if len(skipped) > 3 else "")
    return (f"skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''} of a type it "
            f"does not read ({', '.join(kinds)}: {shown}); it reads {' '.join(SUFFIXES)}")


def load_paths(paths: Iterable[Path]) -> LoadResult:
    """Load every file; errors are collected per file and line, never fatal to the rest."""
    total = LoadResult()
    for path in iter_files(paths, total.skipped):
        if not path.exists():
            total.errors.append(SourceError("no such file or folder", str(path)))
            continue
        result = load_file(path)
        total.articles.extend(result.articles)
        total.errors.extend(result.errors)
    return total
