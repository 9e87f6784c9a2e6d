"""One translator from errors to short, safe replies."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.limits import CONTENT, fit
from bot.errors import AmbiguousArticle, FootnoteError

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. The error has been logged."


def unwrap(error: BaseException) -> BaseException:
    """The error behind discord.py's wrappers (hybrid, invoke, app command invoke)."""
    wrappers = (
        commands.HybridCommandError, commands.CommandInvokeError, app_commands.CommandInvokeError
    )
    while isinstance(error, wrappers):
        error = error.original
    return error


def user_message(error: BaseException) -> str | None:
    """A short reply for the user (within a message's 2,000 characters), or None when there
    is nothing to say (unknown command).

    Unexpected errors are logged with their traceback; the user only gets an apology.
    """
    text = _message(unwrap(error))
    return fit(text, CONTENT) if text else text


def _message(error: BaseException) -> str | None:
    if isinstance(error, AmbiguousArticle):
        titles = "\n".join(f"• {discord.utils.escape_markdown(fit(a.title, 150))}"
                           for a in error.candidates[:10])
        return f"Several articles match; which one do you mean?\n{titles}"
    if isinstance(error, FootnoteError):
        return discord.utils.escape_mentions(str(error))
    if isinstance(error, commands.CommandOnCooldown | app_commands.CommandOnCooldown):
        return f"Easy there, try again in {error.retry_after:.0f} s."
    if isinstance(error, commands.MissingPermissions | app_commands.MissingPermissions):
        return "You need the Manage Server permission for that."
    if isinstance(error, commands.NoPrivateMessage | app_commands.NoPrivateMessage):
        return "That only works in a server."
    if isinstance(error, commands.CheckFailure | app_commands.CheckFailure):
        return "I can't answer here. Ask a server admin which channels I'm allowed in."
    if isinstance(error, commands.CommandNotFound):
        return None
    if isinstance(error, commands.UserInputError):
        return f"{discord.utils.escape_mentions(str(error))} Try `/help`."
    log.error("unexpected error", exc_info=error)
    return APOLOGY


async def reply_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer an interaction's error privately: as the response, or as a followup."""
    text = user_message(error)
    if not text:
        return
    quiet = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=quiet)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=quiet)
