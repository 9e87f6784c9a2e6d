"""Discord's limits, in one place, and the helpers that keep text and links inside them.

Discord answers an oversized or malformed payload with HTTP 400 (code 50035, "Invalid Form
Body") and the user gets nothing, so every payload is fitted here, after it is assembled.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

import discord

from bot.text import truncate

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_FIELDS = 25
EMBED_TOTAL = 6000  # all embeds of one message together
EMBEDS_PER_MESSAGE = 10
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25
SELECT_OPTION = 100  # label, value and description of a select option
SELECT_PLACEHOLDER = 150
URL = 2048  # longer links are shown as plain text: they are unreadable and risk a rejection
# Not Discord's: how much of a name quoted inside a line (a source, a search) is shown.
NAME_IN_LINE = 200


def fit(text: str, limit: int) -> str:
    """Cut on a word (or at least grapheme) boundary with an ellipsis, never over `limit`."""
    return truncate(text, limit)


def fit_rendered(raw: str, render: Callable[[str], str], limit: int) -> str:
    """`render(cut of raw)` within `limit`: the cut is made in the raw text, before rendering.

    Escaping and highlighting grow text, so cutting their output could split a `**` pair or
    an escape; cutting the input and rendering again cannot. The cut shrinks until it fits.
    """
    out = render(raw)
    cut = len(raw)
    while len(out) > limit and cut > 0:
        # Shrink in proportion to the overshoot (rendering grows text by a bounded factor).
        cut = min(cut - 1, cut * limit // len(out))
        out = render(fit(raw, cut))
    return out if len(out) <= limit else ""


def escape(text: str) -> str:
    """Third-party text made inert: markdown escaped, mentions defused."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text, ignore_links=False))


# Characters that end or nest a Markdown link target, or that Discord won't accept in a URL.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL percent-encoded so it cannot break out of `[text](url)`, else None.

    `javascript:` and other schemes are refused (Discord rejects them as embed urls);
    `(`, `)`, `[`, `]`, `<`, `>`, spaces and non-ASCII characters are percent-encoded, so a
    URL like `https://x.example/a)[free nitro](https://evil.example` stays one link.
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    encoded = quote(url, safe=_URL_SAFE)
    return encoded if len(encoded) <= URL else None


def md_link(text: str, url: str | None) -> str:
    """`[text](url)` when the URL is safe, else just the text (already escaped by the caller)."""
    link = safe_url(url)
    return f"[{text}]({link})" if link else text


NO_MENTIONS = discord.AllowedMentions.none()
