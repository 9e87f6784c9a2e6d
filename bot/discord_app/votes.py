"""👍 / 👎 under every recorded answer. The record id lives in the custom id, so the buttons
keep working after a restart; one vote per person per answer, a second one replaces it."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

import discord

from bot.discord_app.errors import reply_error
from bot.discord_app.limits import NO_MENTIONS
from bot.discord_app.views import MoreButton

if TYPE_CHECKING:
    from bot.discord_app.client import FootnoteBot

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
    return bot.service.store.remember_question(rec.question) if rec else 0
