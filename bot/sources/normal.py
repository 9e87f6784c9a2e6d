"""Normal forms shared by the sources and the store: one identity per site, one date format.
Pure."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def stored_name(url: str, path: str) -> str:
    """The name the store keeps a configured source under: its URL as `source_name` gives
    it, else its path as configured."""
    return source_name(url) if url else path


def source_name(url: str) -> str:
    """The identity of a URL source, so that `http://Host:80`, `http://host/` and
    `http://host/index.php?rest_route=/` are one site. Not a URL: not a URL source. A path
    keeps its last slash or its lack of one, as typed: `/x` and `/x/` are two URLs that a
    site may answer differently (a static site serves `/about` and 404s `/about/`), so they
    are two sources, each named for the URL it fetches."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return url
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    if any(k == "rest_route" for k, _ in query):  # the REST API of a plain-permalink site
        query = [(k, v) for k, v in query if k != "rest_route"]
        path = path.removesuffix("index.php")
    path = re.sub(r"/wp-json(/.*)?$", "/", path)  # the API root (or an endpoint): the site
    if path.endswith("/index.php"):
        path = path.removesuffix("index.php")
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


_NAMES = ("january february march april may june july august september october november "
          "december").split()
# Full names, three-letter abbreviations, and "Sept": no other word is taken for a month.
MONTHS = {**{n: i for i, n in enumerate(_NAMES, 1)}, **{n[:3]: i for i, n in enumerate(_NAMES, 1)},
          "sept": 9}
_MONTH = r"([A-Za-z]{3,9})\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:[A-Za-z]+,?\s+)?"
_TEXT_DATES = (  # (pattern, group of the day, of the month, of the year)
    (re.compile(rf"{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})", re.I), 1, 2, 3),
    (re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+(\d{{4}})", re.I), 2, 1, 3),
)
_NUMERIC = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})")


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return datetime(year, month, day).strftime("%Y-%m-%d")
    except ValueError:
        return None


def _text_date(text: str) -> str | None:
    """`5 March 2025`, `5th of Mar. 2025`, `March 5, 2025`, `Wednesday, March 5 2025`."""
    for pattern, d, m, y in _TEXT_DATES:
        match = pattern.fullmatch(text)
        month = MONTHS.get(match.group(m).lower()) if match else None
        if month:
            return _day(int(match.group(y)), month, int(match.group(d)))
    return None


def _numeric_date(text: str) -> str | None:
    """`2025/03/05` (year first: always year, month, day), or day and month in either order
    when only one reading is a date (`25/03/2025`, `03/25/2025`, `04/04/2025`). `03/04/2025`
    is the 3rd of April in most of the world and March 4th in the US: refused, not guessed."""
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    a, _, b, c = match.groups()
    if len(a) == 4:
        return _day(int(a), int(b), int(c))
    if len(c) != 4:
        return None  # a two-digit year is one guess too many
    first, second, year = int(a), int(b), int(c)
    readings = {_day(year, second, first), _day(year, first, second)} - {None}
    return readings.pop() if len(readings) == 1 else None


def parse_date(value: str) -> str | None:
    """A date as ISO 8601: `2023-11-08T10:00:00Z` (UTC) when it has a time, `2023-11-08`
    when it has none; None when it cannot be read (or is ambiguous). Reads ISO (with or
    without a zone; without one it is taken as UTC, like WordPress's `date_gmt`), RFC 822 /
    2822 (feeds, mail), `5 March 2025`, `March 5, 2025`, and numeric dates only when they
    can be read one way (see `_numeric_date`)."""
    text = re.sub(r"\s+", " ", (value or "").strip())
    if not text:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _day(*map(int, text.split("-")))
    day = _text_date(text) or _numeric_date(text)
    if day:
        return day
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_utc(value: str) -> str:
    """`parse_date`, keeping anything unreadable as it was (the store's way in: a source
    that reads its own dates, such as files, drops an unreadable one and says so)."""
    parsed = parse_date(value)
    return value if parsed is None else parsed
