"""Discord's limits, in one place, and the helpers that keep text inside them."""

from __future__ import annotations

import discord

from bot.text import truncate

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000  # all embeds of one message together
EMBEDS_PER_MESSAGE = 10
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
BUTTON_LABEL = 80
SLASH_OPTION = 6000  # longest string option a user can type
ACK_SECONDS = 3  # an interaction must be acknowledged within this


def fit(text: str, limit: int) -> str:
    """Cut on a word boundary with an ellipsis, never over `limit`."""
    return truncate(text, limit)


def escape(text: str) -> str:
    """Third-party text made inert: markdown escaped, mentions defused."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text, ignore_links=False))


NO_MENTIONS = discord.AllowedMentions.none()
