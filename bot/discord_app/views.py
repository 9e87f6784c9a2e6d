"""Buttons. Answer buttons keep their state in the custom id (and the question in the store),
so they keep working after a restart; the article list pager is an ordinary view."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING

import discord

from bot.discord_app.errors import reply_error
from bot.discord_app.limits import (
    BUTTON_LABEL,
    NO_MENTIONS,
    SELECT_OPTION,
    SELECT_OPTIONS,
    SELECT_PLACEHOLDER,
    fit,
)
from bot.discord_app.render import answer_embeds, articles_embed, summary_embed
from bot.errors import FootnoteError
from bot.models import Answer, StoredArticle

if TYPE_CHECKING:
    from bot.discord_app.client import FootnoteBot

log = logging.getLogger(__name__)
TIMEOUT = 30 * 60


class MoreButton(discord.ui.DynamicItem[discord.ui.Button],
                 template=r"fn:more:(?P<qid>\d+):(?P<shown>\d+)"):
    """The next passages for a remembered question, shown to whoever clicks."""

    def __init__(self, qid: int, shown: int, disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(
            label="More passages", style=discord.ButtonStyle.secondary,
            custom_id=f"fn:more:{qid}:{shown}", disabled=disabled,
        ))
        self.qid, self.shown = qid, shown

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> MoreButton:
        return cls(int(match["qid"]), int(match["shown"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            bot: FootnoteBot = interaction.client  # type: ignore[assignment]
            question = await asyncio.to_thread(bot.service.question, self.qid)
            if question is None:
                raise FootnoteError("That question is too old; please ask it again.")
            per_page = bot.config.discord.hits
            ans = await asyncio.to_thread(bot.service.ask, question, self.shown + per_page)
            embeds = answer_embeds(ans, self.shown)[:per_page]
            if not embeds:
                await interaction.response.send_message(
                    "No more passages.", ephemeral=True, allowed_mentions=NO_MENTIONS)
                return
            shown = self.shown + len(embeds)
            view = discord.ui.View(timeout=None)
            # Fewer hits than asked for: this page was the last.
            view.add_item(MoreButton(self.qid, shown,
                                     disabled=len(ans.hits) < self.shown + per_page))
            await interaction.response.send_message(
                embeds=embeds, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except Exception as e:  # noqa: BLE001 - translated; unexpected ones are logged
            await reply_error(interaction, e)


class SummariseButton(discord.ui.DynamicItem[discord.ui.Button],
                      template=r"fn:sum:(?P<aid>\d+)"):
    """A summary of the article behind the top passage, shown to whoever clicks."""

    def __init__(self, article_id: int, title: str = "") -> None:
        super().__init__(discord.ui.Button(
            label=fit(f"Summarise {title}" if title else "Summarise", BUTTON_LABEL),
            style=discord.ButtonStyle.primary, custom_id=f"fn:sum:{article_id}",
        ))
        self.article_id = article_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> SummariseButton:
        return cls(int(match["aid"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
            bot: FootnoteBot = interaction.client  # type: ignore[assignment]
            art = await asyncio.to_thread(bot.service.article_by_id, self.article_id)
            summary = await asyncio.to_thread(bot.service.summary, art)
            await interaction.followup.send(
                embed=summary_embed(summary), ephemeral=True, allowed_mentions=NO_MENTIONS)
        except Exception as e:  # noqa: BLE001 - translated; unexpected ones are logged
            await reply_error(interaction, e)


# -- 👍 / 👎 under every recorded answer. The record id lives in the custom id, so the
# buttons keep working after a restart; one vote per person per answer, the last one counts.
TOO_OLD = "That answer is too old to rate (its record was removed after the retention period)."
THANKS_UP = "Thanks! Your 👍 is noted."
THANKS_DOWN = ("Thanks: your 👎 goes into the editors' report of what the site does not "
               "answer well yet. More passages may help:")


class VoteButton(discord.ui.DynamicItem[discord.ui.Button],
                 template=r"fn:vote:(?P<rid>\d+):(?P<vote>up|down)"):
    """One person's vote on one recorded answer (changeable: the last click counts)."""

    def __init__(self, record: int, vote: str) -> None:
        super().__init__(discord.ui.Button(
            emoji="👍" if vote == "up" else "👎", style=discord.ButtonStyle.secondary,
            custom_id=f"fn:vote:{record}:{vote}",
        ))
        self.record, self.vote = record, vote

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> VoteButton:
        return cls(int(match["rid"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            bot: FootnoteBot = interaction.client  # type: ignore[assignment]
            community = bot.community
            ok = await asyncio.to_thread(community.vote, self.record, interaction.user.id,
                                         1 if self.vote == "up" else -1)
            if not ok:
                await interaction.response.send_message(TOO_OLD, ephemeral=True,
                                                        allowed_mentions=NO_MENTIONS)
                return
            if self.vote == "up":
                await interaction.response.send_message(THANKS_UP, ephemeral=True,
                                                        allowed_mentions=NO_MENTIONS)
                return
            qid = await asyncio.to_thread(_remember, bot, self.record)
            view = discord.ui.View(timeout=None)
            if qid:
                view.add_item(MoreButton(qid, bot.config.discord.hits))
            await interaction.response.send_message(THANKS_DOWN, view=view, ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
        except Exception as e:  # noqa: BLE001 - translated; unexpected ones are logged
            await reply_error(interaction, e)


def _remember(bot: FootnoteBot, record: int) -> int:
    """The record's question kept for a "More passages" button; 0 when it is gone."""
    rec = bot.community.feedback.ask(record)
    return bot.service.remember_question(rec.question) if rec else 0


def answer_view(qid: int, ans: Answer, shown: int, record: int = 0) -> discord.ui.View:
    """The buttons under an answer (👍 / 👎 when the answer was recorded)."""
    view = discord.ui.View(timeout=None)
    view.add_item(MoreButton(qid, shown, disabled=shown >= len(ans.hits)))
    top = ans.hits[0]
    view.add_item(SummariseButton(top.article_id, top.title))
    if record:
        view.add_item(VoteButton(record, "up"))
        view.add_item(VoteButton(record, "down"))
    return view


class ChooseArticle(discord.ui.View):
    """Several articles fit a /summary request: the user picks one instead of a guess."""

    def __init__(self, candidates: list[StoredArticle]) -> None:
        super().__init__(timeout=TIMEOUT)
        self.select = discord.ui.Select(
            placeholder=fit("Which article?", SELECT_PLACEHOLDER),
            options=[discord.SelectOption(label=fit(a.title, SELECT_OPTION), value=str(a.id),
                                          description=fit(a.date[:10] or a.link.url,
                                                          SELECT_OPTION))
                     for a in candidates[:SELECT_OPTIONS]],
        )
        self.select.callback = self.chosen
        self.add_item(self.select)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item) -> None:
        await reply_error(interaction, error)

    async def chosen(self, interaction: discord.Interaction) -> None:
        bot: FootnoteBot = interaction.client  # type: ignore[assignment]
        art = await asyncio.to_thread(bot.service.article_by_id, int(self.select.values[0]))
        summary = await asyncio.to_thread(bot.service.summary, art)
        await interaction.response.edit_message(content=None, embed=summary_embed(summary),
                                                view=None)


class ArticlesView(discord.ui.View):
    """Previous/next pages of an article list."""

    def __init__(self, articles: list[StoredArticle], title: str, per_page: int = 10) -> None:
        super().__init__(timeout=TIMEOUT)
        self.articles, self.title, self.per_page, self.page = articles, title, per_page, 0
        self.pages = max(1, -(-len(articles) // per_page))
        self._sync()

    async def on_error(self, interaction: discord.Interaction, error: Exception, item) -> None:
        await reply_error(interaction, error)

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
