"""The community's admin commands, added to the /footnote group (Manage Server, checked by
the group): channel modes, the editors' report, the announcement channel; and the lines
they add to `/footnote status`."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands

from bot.community.report import report_text
from bot.discord_app.limits import NO_MENTIONS, fit

if TYPE_CHECKING:
    from bot.discord_app.client import FootnoteBot

NEEDS_INTENT = (
    "Auto mode reads messages, which needs the Message Content intent, and this bot did not "
    "ask for it at start. Enable it in the Discord Developer Portal (your application → Bot → "
    "Privileged Gateway Intents → Message Content) and restart Footnote; until then this "
    "channel answers commands only."
)


async def mode_lines(bot: FootnoteBot, guild: discord.Guild | None) -> list[str]:
    """`/footnote status` lines: the channel modes set, the default, announcements."""
    if guild is None or bot.community is None:
        return []
    community = bot.community
    stored = community.modes.stored(guild.id)
    default = community.modes.mode(guild.id, 0, None)
    lines = [f"Channel modes (others: {default}): " + (
        ", ".join(f"<#{c}> {m}" for c, m in sorted(stored.items())) or "none set")]
    announce = await asyncio.to_thread(community.announcements.channel, guild.id)
    lines.append(f"New articles announced in: {f'<#{announce}>' if announce else 'nowhere'}")
    if not bot.intents.message_content:
        lines.append("Message Content intent: not requested (auto mode is inactive)")
    return lines

ChannelLike = discord.TextChannel | discord.ForumChannel


@app_commands.describe(mode="off: ignore it; commands: answer when asked; auto: also answer "
                            "every new question", channel="The channel or forum (default: here)")
async def set_channel(interaction: discord.Interaction,
                      mode: Literal["off", "commands", "auto"],
                      channel: ChannelLike | None = None) -> None:
    bot: FootnoteBot = interaction.client  # type: ignore[assignment]
    target = channel or interaction.channel
    if target is None or interaction.guild is None:
        raise app_commands.CheckFailure("no channel")
    await asyncio.to_thread(bot.community.modes.set, interaction.guild.id, target.id, mode)
    text = f"<#{target.id}> is now in {mode} mode."
    if mode == "auto" and not bot.intents.message_content:
        text += "\n" + NEEDS_INTENT
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def report(interaction: discord.Interaction) -> None:
    bot: FootnoteBot = interaction.client  # type: ignore[assignment]
    await interaction.response.defer(ephemeral=True, thinking=True)
    guild_id = interaction.guild.id if interaction.guild else None
    rows = await asyncio.to_thread(bot.community.report, 0.0, guild_id)
    recorded = None if rows else await asyncio.to_thread(bot.community.recorded, 0.0, guild_id)
    await interaction.followup.send(fit(report_text(rows, limit=25, recorded=recorded), 2000),
                                    ephemeral=True, allowed_mentions=NO_MENTIONS)


@app_commands.describe(channel="Where new articles are posted (leave out to stop)")
async def announce(interaction: discord.Interaction,
                   channel: discord.TextChannel | None = None) -> None:
    bot: FootnoteBot = interaction.client  # type: ignore[assignment]
    guild_id = interaction.guild.id if interaction.guild else 0
    await asyncio.to_thread(bot.community.announcements.set_channel, guild_id,
                            channel.id if channel else None)
    text = (f"New articles will be posted in <#{channel.id}> (from now on: no back catalogue)."
            if channel else "New articles will not be announced.")
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


ADMIN_COMMANDS = (
    ("channel", "Set how Footnote behaves in a channel: off, commands or auto", set_channel),
    ("report", "What readers asked that the site does not answer yet", report),
    ("announce", "Post new articles in a channel", announce),
)
