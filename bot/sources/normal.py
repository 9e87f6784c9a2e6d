"""Normal forms shared by the sources and the store: one identity per site, one date format.
Pure."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def source_name(url: str) -> str:
    """The identity of a URL source, so that `http://Host:80`, `http://host/` and
    `http://host/index.php?rest_route=/` are one site. Not a URL: not a URL source."""
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
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last:  # WordPress answers /feed and /feed/ alike
        path += "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def iso_utc(value: str) -> str:
    """A date as ISO 8601 in UTC (`2023-11-08T10:00:00Z`), from ISO (with or without a zone;
    without one it is taken as UTC, like WordPress's `date_gmt`) or RFC 822 (feeds). A date
    without a time stays a date; anything unreadable is kept as it was."""
    text = (value or "").strip()
    if not text:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    when = None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
