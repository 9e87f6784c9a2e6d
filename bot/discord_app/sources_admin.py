"""`/footnote source add|remove|list|shared`: a server's admins (Manage Server, checked by
the /footnote group) manage the server's own corpus. The decisions are bot.corpora's; this
module validates, defers, calls it and the ingest, and replies."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import manages_server
from bot.discord_app.limits import NO_MENTIONS, fit
from bot.ingest import ingest_url
from bot.sources.normal import source_name

if TYPE_CHECKING:
    from bot.discord_app.client import FootnoteBot


async def _send(interaction: discord.Interaction, text: str) -> None:
    send = (interaction.followup.send if interaction.response.is_done()
            else interaction.response.send_message)
    await send(fit(text, 2000), ephemeral=True, allowed_mentions=NO_MENTIONS)


class SourceGroup(app_commands.Group, name="source",
                  description="This server's own sources (its own corpus)"):
    """Subcommands of /footnote, for Manage Server only."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return manages_server(interaction)

    @app_commands.command(name="add", description="Add a site, feed, sitemap or page")
    @app_commands.describe(url="The web address (https://…)")
    async def add(self, interaction: discord.Interaction, url: str) -> None:
        bot: FootnoteBot = interaction.client  # type: ignore[assignment]
        gid = interaction.guild_id or 0
        corpora = bot.service.corpora
        name, added = await asyncio.to_thread(corpora.add, gid, url)
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = await bot.service_in(gid)
        report = await ingest_url(service, bot.session, name)
        lines = [("Added " if added else "Fetched again ") + f"{name}: " + report.line()]
        lines += [f"  {e}" for e in report.errors[:3]]
        lines += await asyncio.to_thread(bot.service.corpora.reload_stale)
        a, p = await asyncio.to_thread(service.counts)
        lines.append(f"This server now answers from {a} articles ({p} passages).")
        await _send(interaction, "\n".join(lines))

    @app_commands.command(name="remove", description="Remove a source and its articles")
    @app_commands.describe(url="The source's web address, as `/footnote source list` shows")
    async def remove(self, interaction: discord.Interaction, url: str) -> None:
        bot: FootnoteBot = interaction.client  # type: ignore[assignment]
        gone = await asyncio.to_thread(bot.service.corpora.remove, interaction.guild_id or 0,
                                       url)
        if gone:
            await asyncio.to_thread(bot.service.corpora.reload_stale)
        await _send(interaction, f"Removed {url} and its articles." if gone
                    else "This server has no such source (see /footnote source list).")

    @app_commands.command(name="list", description="This server's sources and how they did")
    async def list_(self, interaction: discord.Interaction) -> None:
        bot: FootnoteBot = interaction.client  # type: ignore[assignment]
        service = await bot.service_in(interaction.guild_id)
        lines = await asyncio.to_thread(_listing, service)
        await _send(interaction, "\n".join(lines))

    @app_commands.command(name="shared", description="Also search the bot's shared articles")
    @app_commands.describe(on="True: this server's sources and the shared ones")
    async def shared(self, interaction: discord.Interaction, on: bool) -> None:
        bot: FootnoteBot = interaction.client  # type: ignore[assignment]
        await asyncio.to_thread(bot.service.corpora.set_shared, interaction.guild_id or 0, on)
        await _send(interaction, "This server also searches the shared articles." if on
                    else "This server searches only its own sources.")


def _listing(service) -> list[str]:
    if not service.sources:
        return ["This server has no sources of its own" + (
            "; it answers from the shared articles." if "" in service.reads else ".")
            + " Add one with /footnote source add URL."]
    states = {name: (last, status) for name, last, status in service.status().sources}
    lines = []
    for src in service.sources:
        last, status = states.get(source_name(src.name), (None, ""))
        lines.append(f"{fit(src.name, 200)}: {status or 'not fetched yet'}"
                     + (f" (<t:{int(last)}:R>)" if last else ""))
    lines.append("Also searches the shared articles." if "" in service.reads
                 else "Only these sources are searched.")
    return lines

