"""Footnote in a community: auto-answers in `auto` channels and forums, follow-ups in its
threads, and posting new-article announcements (the admin commands are in
community_admin.py). Thin: every decision that is not about Discord lives in bot.community."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.community.announce import Announcement
from bot.community.service import Where
from bot.discord_app.limits import EMBED_DESCRIPTION, EMBED_FOOTER, EMBED_TITLE, NO_MENTIONS, fit

if TYPE_CHECKING:
    from bot.discord_app.client import FootnoteBot

log = logging.getLogger(__name__)
THREAD_NAME = 100  # Discord's limit on a thread's name
FORUM_TEXT = 1500  # a forum post's title and the start of its body are what it asks


def where_of(source: commands.Context | discord.Interaction | discord.Message) -> Where:
    """Where a question was asked, and by whom."""
    author = getattr(source, "author", None) or getattr(source, "user", None)
    channel = source.channel
    guild = source.guild
    return Where(guild.id if guild else None, getattr(channel, "id", 0) or 0,
                 author.id if author else 0, getattr(channel, "parent_id", None))


async def thread_context(bot: FootnoteBot, channel: object) -> str:
    """The first question of a thread Footnote answered in ("" elsewhere)."""
    if not isinstance(channel, discord.Thread) or bot.community is None:
        return ""
    return await asyncio.to_thread(bot.community.thread_context, channel.id)

def announcement_embed(a: Announcement) -> discord.Embed:
    """A new article: title and link, its two-sentence summary, author and date."""
    url = a.url if a.url.lower().startswith(("http://", "https://")) else None
    embed = discord.Embed(title=fit(f"New: {a.title}", EMBED_TITLE), url=url,
                          description=fit(a.summary, EMBED_DESCRIPTION) or None)
    by = " · ".join(x for x in (a.author, a.date[:10]) if x)
    if by:
        embed.set_footer(text=fit(by, EMBED_FOOTER))
    return embed


class ChannelRate:
    """At most `per_minute` auto-answers per channel (a sliding minute; 0: no limit)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[int, list[float]] = {}

    def allow(self, channel_id: int, now: float) -> bool:
        if self.per_minute <= 0:
            return True
        recent = [t for t in self._seen.get(channel_id, []) if now - t < 60.0]
        if len(recent) >= self.per_minute:
            self._seen[channel_id] = recent
            return False
        self._seen[channel_id] = [*recent, now]
        return True


class Community(commands.Cog):
    """Answers nobody asked the bot for, in channels whose admins asked for them."""

    # Messages older than this when they reach the bot are never auto-answered: a gateway
    # replay after a reconnect, or a backlog from before a restart.
    MAX_AGE = timedelta(minutes=2)

    def __init__(self, bot: FootnoteBot) -> None:
        self.bot = bot
        self.community = bot.community
        self.rate = ChannelRate(bot.config.community.auto_answers_per_minute)
        self._drain_task: asyncio.Task | None = None
        self._draining = asyncio.Lock()
        # Message ids seen lately: a replayed event costs nothing (not even the channel's
        # rate); the stored claim is what guarantees one answer across restarts.
        self._seen: OrderedDict[int, None] = OrderedDict()

    async def cog_load(self) -> None:
        self._drain_task = asyncio.create_task(self._drain_loop(), name="announce")

    async def cog_unload(self) -> None:
        if self._drain_task:
            self._drain_task.cancel()

    # -- auto-answers
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if (message.author.bot or message.webhook_id or message.guild is None
                or not self.bot.serves(message.guild.id)  # another process's shard
                or message.type is not discord.MessageType.default
                or discord.utils.utcnow() - message.created_at > self.MAX_AGE
                or self.bot.mentions_me_first(message)  # the mention handler answers those
                or self._is_command(message)):
            return
        if message.id in self._seen:
            return
        self._seen[message.id] = None
        if len(self._seen) > 10_000:
            self._seen.popitem(last=False)
        channel = message.channel
        try:
            if isinstance(channel, discord.Thread):
                if isinstance(channel.parent, discord.ForumChannel) and message.id == channel.id:
                    await self._forum_post(message, channel)
                else:
                    await self._follow_up(message, channel)
            elif isinstance(channel, discord.TextChannel):
                await self._in_channel(message, channel)
        except discord.HTTPException as e:  # missing permission, thread gone: stay silent
            log.warning("auto-answer in %s failed: %s", channel.id, e)
        except Exception:  # noqa: BLE001 - never a public error for an unasked answer
            log.exception("auto-answer failed")

    def _is_command(self, message: discord.Message) -> bool:
        cfg = self.bot.config.discord
        return cfg.prefix_commands and message.content.startswith(cfg.prefix)

    def _auto(self, where: Where) -> bool:
        return self.community.mode(where) == "auto"  # in memory: no thread needed

    def _allowed(self, message: discord.Message) -> bool:
        """The channel's rate (a forum's or a thread's parent counts as the channel) and the
        asker's cooldown, both spent only on a question."""
        channel = message.channel
        key = getattr(channel, "parent_id", None) or channel.id
        if not self.rate.allow(key, asyncio.get_running_loop().time()):
            return False
        try:
            self.bot.cooldowns.hit(message.author.id)
        except commands.CommandOnCooldown:
            return False
        return True

    async def _answer(self, text: str, where: Where, message_id: int, context: str = "",
                      any_text: bool = False) -> dict | None:
        top = self.bot.config.discord.hits * 4
        found = await asyncio.to_thread(self.community.auto_answer, text, where, top, context,
                                        message_id, any_text)
        if found is None:
            return None
        return await self.bot.get_cog("Footnote").render(  # type: ignore[union-attr]
            *found, guild_id=where.guild_id)

    async def _in_channel(self, message: discord.Message, channel: discord.TextChannel) -> None:
        """A question in an auto channel: the answer in a new thread on that message."""
        from bot.community.questions import is_question

        where = where_of(message)
        if (message.reference is not None or not is_question(message.content)
                or not self._auto(where) or not self._allowed(message)):
            return
        kwargs = await self._answer(message.content, where, message.id)
        if kwargs is None:
            return
        name = fit(" ".join(message.content.split()), THREAD_NAME)  # one line
        thread = await message.create_thread(name=name,
                                             auto_archive_duration=1440)
        await asyncio.to_thread(self.community.remember_thread, thread.id, message.content)
        await thread.send(allowed_mentions=NO_MENTIONS, **kwargs)

    async def _forum_post(self, message: discord.Message, thread: discord.Thread) -> None:
        """A new post in an auto forum: the answer as the first reply in its thread."""
        where = where_of(message)
        if not self._auto(where) or not self._allowed(message):
            return
        text = fit(f"{thread.name}\n{message.content}".strip(), FORUM_TEXT)
        kwargs = await self._answer(text, where, message.id, any_text=True)
        if kwargs is None:
            return
        await asyncio.to_thread(self.community.remember_thread, thread.id, text)
        await thread.send(allowed_mentions=NO_MENTIONS, **kwargs)

    async def _follow_up(self, message: discord.Message, thread: discord.Thread) -> None:
        """A question in a thread Footnote answered in, read with the thread's first one."""
        from bot.community.questions import is_question

        if not is_question(message.content):
            return
        where = where_of(message)
        context = await thread_context(self.bot, thread)
        if not context or not self._auto(where) or not self._allowed(message):
            return
        kwargs = await self._answer(message.content, where, message.id, context)
        if kwargs is not None:
            await message.reply(mention_author=False, allowed_mentions=NO_MENTIONS, **kwargs)

    # -- announcements
    @commands.Cog.listener()
    async def on_footnote_refreshed(self) -> None:
        await self.drain()

    async def _drain_loop(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                await self.drain()
                await asyncio.to_thread(self.community.prune)
            except Exception:  # noqa: BLE001 - keep draining; log the cause
                log.exception("posting announcements failed")
            await asyncio.sleep(self.bot.config.community.announce_seconds)

    async def drain(self) -> int:
        """Post what the queue holds for each server (claimed first: never twice)."""
        posted = 0
        async with self._draining:
            channels = await asyncio.to_thread(self.community.announcements.channels)
            for guild_id, channel_id in channels.items():
                channel = self.bot.get_channel(channel_id)
                if (not self.bot.serves(guild_id) or self.bot.get_guild(guild_id) is None
                        or not isinstance(channel, discord.TextChannel)):
                    continue
                while due := await asyncio.to_thread(self.community.due_announcements,
                                                     guild_id):
                    for a in due:
                        try:
                            await channel.send(embed=announcement_embed(a),
                                               allowed_mentions=NO_MENTIONS)
                            posted += 1
                        except discord.HTTPException as e:
                            log.warning("announcement of %r in %s lost: %s", a.title,
                                        channel_id, e)
        return posted


async def setup_community(bot: FootnoteBot) -> None:
    """The cog, the vote buttons and the admin commands (one call from setup_hook)."""
    from bot.discord_app.community_admin import ADMIN_COMMANDS
    from bot.discord_app.views import VoteButton

    await bot.add_cog(Community(bot))
    bot.add_dynamic_items(VoteButton)
    admin = bot.tree.get_command("footnote")  # the Admin group of cog.py
    if isinstance(admin, app_commands.Group):
        for name, description, callback in ADMIN_COMMANDS:
            admin.add_command(app_commands.Command(name=name, description=description,
                                                   callback=callback))
