"""Buttons under answers and article lists."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.discord_app.errors import user_message
from bot.discord_app.limits import BUTTON_LABEL, NO_MENTIONS, fit
from bot.discord_app.render import answer_embeds, articles_embed, summary_embed
from bot.models import Answer, StoredArticle

if TYPE_CHECKING:
    from bot.service import Service

log = logging.getLogger(__name__)
TIMEOUT = 30 * 60


class SafeView(discord.ui.View):
    """A view whose errors go through the one translator, ephemeral."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item) -> None:
        text = user_message(error)
        if not text:
            return
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )


class AnswerView(SafeView):
    """ "More passages" pages through further hits; "Summarise …" summarises the top article."""

    def __init__(self, service: Service, ans: Answer, shown: int, per_page: int) -> None:
        super().__init__(timeout=TIMEOUT)
        self.service, self.ans, self.shown, self.per_page = service, ans, shown, per_page
        self.more.disabled = shown >= len(ans.hits)
        top = ans.hits[0]
        self.article_id = top.article_id
        self.summarise.label = fit(f"Summarise {top.title}", BUTTON_LABEL)

    @discord.ui.button(label="More passages", style=discord.ButtonStyle.secondary)
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        embeds = answer_embeds(self.ans, self.shown)[: self.per_page]
        if not embeds:
            await interaction.response.send_message(
                "No more passages.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        self.shown += len(embeds)
        button.disabled = self.shown >= len(self.ans.hits)
        await interaction.response.send_message(
            embeds=embeds, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @discord.ui.button(label="Summarise", style=discord.ButtonStyle.primary)
    async def summarise(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        art = self.service.article_by_id(self.article_id)
        summary = await asyncio.to_thread(self.service.summary, art)
        await interaction.followup.send(
            embed=summary_embed(summary), ephemeral=True, allowed_mentions=NO_MENTIONS
        )


class ArticlesView(SafeView):
    """Previous/next pages of an article list."""

    def __init__(self, articles: list[StoredArticle], title: str, per_page: int = 10) -> None:
        super().__init__(timeout=TIMEOUT)
        self.articles, self.title, self.per_page, self.page = articles, title, per_page, 0
        self.pages = max(1, -(-len(articles) // per_page))
        self._sync()

    def embed(self) -> discord.Embed:
        start = self.page * self.per_page
        return articles_embed(
            self.articles[start : start + self.per_page], self.page, self.pages, self.title
        )

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = max(0, self.page - 1)
        self._sync()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = min(self.pages - 1, self.page + 1)
        self._sync()
        await interaction.response.edit_message(embed=self.embed(), view=self)
