"""The commands. Each one validates, defers, awaits the service, renders and sends."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.community.service import Where
from bot.discord_app.community import thread_context, where_of
from bot.discord_app.community_admin import mode_lines
from bot.discord_app.errors import reply_error, user_message
from bot.discord_app.limits import (
    AUTOCOMPLETE_CHOICES,
    CHOICE_NAME,
    CHOICE_VALUE,
    CONTENT,
    NAME_IN_LINE,
    NO_MENTIONS,
    fit,
)
from bot.discord_app.render import (
    answer_embeds,
    closest_embeds,
    help_embed,
    not_found_embed,
    summary_embed,
)
from bot.discord_app.views import ArticlesView, ChooseArticle, MoreButton, answer_view
from bot.errors import AmbiguousArticle, StoreError
from bot.models import Answer

if TYPE_CHECKING:
    from bot.discord_app.client import FootnoteBot

log = logging.getLogger(__name__)
SEARCH_RESULTS = 30  # articles /search lists, over its pages
MORE_PAGES = 4  # hits fetched up front: this many pages of `discord.hits`


def cooldown():
    """Per-user rate limit from the config, kept per bot (not on the shared command object)."""

    async def predicate(ctx: commands.Context) -> bool:
        ctx.bot.cooldowns.hit(ctx.author.id)
        return True

    return commands.check(predicate)


class Footnote(commands.Cog):
    """Answers from the site's articles."""

    def __init__(self, bot: FootnoteBot) -> None:
        self.bot = bot
        self.find_sources_menu = app_commands.ContextMenu(
            name="Find sources", callback=self.find_sources
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.find_sources_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.find_sources_menu.name, type=self.find_sources_menu.type)

    @property
    def hits(self) -> int:
        return self.bot.config.discord.hits

    @property
    def ephemeral(self) -> bool:
        return self.bot.config.discord.ephemeral

    # -- replying
    async def _reply(self, ctx: commands.Context, **kwargs) -> None:
        kwargs.setdefault("allowed_mentions", NO_MENTIONS)
        if ctx.interaction is not None:
            kwargs.setdefault("ephemeral", self.ephemeral)
            await ctx.send(**kwargs)
        else:
            kwargs.pop("ephemeral", None)
            await ctx.reply(mention_author=False, **kwargs)

    async def answer_kwargs(self, question: str, where: Where | None = None,
                            context: str = "") -> dict:
        """Ask (and record, for votes and the report) and render: embeds (+ buttons) or an
        honest "not found"."""
        top = self.hits * MORE_PAGES
        community = self.bot.community
        # One lookup of the server's Service per question: a second could find it unloaded
        # by the questions answered in between, and load it again.
        service = await self.bot.service_in(where.guild_id if where else None)
        if where is not None and community is not None:
            ans, record = await asyncio.to_thread(community.ask, question, where, top, context,
                                                  service)
        else:
            ans, record = await asyncio.to_thread(service.ask, question, top), 0
        return await self.render(ans, record, where.guild_id if where else None, service)

    async def render(self, ans: Answer, record: int = 0, guild_id: int | None = None,
                     service=None) -> dict:
        """An answer's embeds and buttons (votes when it was recorded as `record`); the
        question behind "More passages" is kept for this server only (`service`: its
        Service, when the caller has it)."""
        if not ans.answered and not ans.closest:
            return {"embed": not_found_embed(ans)}
        embeds = (answer_embeds if ans.answered else closest_embeds)(ans)[: self.hits]
        try:
            service = service or await self.bot.service_in(guild_id)
            qid = await asyncio.to_thread(service.remember_question, ans.question)
        except StoreError as e:  # a side write never fails an answer
            log.warning("answering without the More button: %s", e)
            view = answer_view(0, ans, len(embeds), record)
            for item in [i for i in view.children if isinstance(i, MoreButton)]:
                view.remove_item(item)  # it needs the remembered question
            return {"embeds": embeds, "view": view}
        return {"embeds": embeds, "view": answer_view(qid, ans, len(embeds), record)}

    # -- commands
    @commands.hybrid_command(name="ask", description="Answer a question by quoting the articles")
    @app_commands.describe(question="What do you want to know?")
    @cooldown()
    async def ask(self, ctx: commands.Context, *, question: str) -> None:
        await ctx.defer(ephemeral=self.ephemeral)
        await self._reply(ctx, **await self.answer_kwargs(question, where_of(ctx)))

    @commands.hybrid_command(name="summary", description="Summarise an article in its own words")
    @app_commands.describe(article="The article's title (or a link, or what it is about)")
    @cooldown()
    async def summary(self, ctx: commands.Context, *, article: str) -> None:
        # Picking is quick; it comes before deferring so a choice can be a private reply.
        service = await self.bot.service_in(ctx.guild.id if ctx.guild else None)
        try:
            art = await asyncio.to_thread(service.find_article, article)
        except AmbiguousArticle as e:
            await self._reply(ctx, content="Several articles match; pick one:",
                              view=ChooseArticle(e.candidates), ephemeral=True)
            return
        await ctx.defer(ephemeral=self.ephemeral)
        summary = await asyncio.to_thread(service.summary, art)
        await self._reply(ctx, embed=summary_embed(summary))

    @summary.autocomplete("article")
    async def summary_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        service = await self.bot.service_in(interaction.guild_id)
        arts = await asyncio.to_thread(service.title_choices, current, AUTOCOMPLETE_CHOICES)
        # The value is the URL when there is one that fits (unique, resolves to exactly this
        # article), else the title.
        return [
            app_commands.Choice(
                name=fit(a.title, CHOICE_NAME),
                value=a.url if a.url and len(a.url) <= CHOICE_VALUE else a.title[:CHOICE_VALUE],
            )
            for a in arts[:AUTOCOMPLETE_CHOICES]
        ]

    @commands.hybrid_command(name="search", description="Find articles about something")
    @app_commands.describe(query="Words to look for")
    async def search(self, ctx: commands.Context, *, query: str) -> None:
        await ctx.defer(ephemeral=self.ephemeral)
        service = await self.bot.service_in(ctx.guild.id if ctx.guild else None)
        arts = await asyncio.to_thread(service.search_articles, query, SEARCH_RESULTS)
        if not arts:
            await self._reply(ctx, content="No article matches that.")
            return
        view = ArticlesView(arts, fit(f"Articles about {query}", NAME_IN_LINE))
        await self._reply(ctx, embed=view.embed(), view=view)

    @commands.hybrid_command(name="articles", description="List the articles, newest first")
    async def articles(self, ctx: commands.Context) -> None:
        service = await self.bot.service_in(ctx.guild.id if ctx.guild else None)
        arts = await asyncio.to_thread(service.articles)
        view = ArticlesView(arts, "Articles")
        await self._reply(ctx, embed=view.embed(), view=view)

    @commands.hybrid_command(name="help", description="What Footnote can do")
    async def help(self, ctx: commands.Context) -> None:
        await self._reply(ctx, embed=help_embed(self.service.config.site.name), ephemeral=True)

    async def find_sources(self, interaction: discord.Interaction, message: discord.Message
                           ) -> None:
        """Message context menu: passages most related to the chosen message."""
        if not message.content.strip():
            await interaction.response.send_message(
                "That message has no text to look up.", ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        kwargs = await self.answer_kwargs(message.content[:CONTENT], where_of(interaction))
        await interaction.followup.send(ephemeral=True, allowed_mentions=NO_MENTIONS, **kwargs)

    # -- mentions: "@Footnote why ...?" answers like /ask
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if message.author.bot or me is None or not self.bot.mentions_me_first(message):
            return
        rest = self.bot.strip_mention(message.content)
        first = rest.split(maxsplit=1)[0].lower() if rest.split() else ""
        if first in {c.name for c in self.bot.commands}:
            return  # "@Footnote ask ..." is a command; the command handler answers it
        if not await self.bot.channel_allowed(message.guild, message.channel):
            return
        if not rest.strip():
            await message.reply("Ask me a question about the site's articles after the "
                                "mention: @Footnote <your question>", mention_author=False,
                                allowed_mentions=NO_MENTIONS)
            return
        try:
            self.bot.cooldowns.hit(message.author.id)
            async with message.channel.typing():
                context = await thread_context(self.bot, message.channel)
                kwargs = await self.answer_kwargs(rest, where_of(message), context)
            await message.reply(mention_author=False, allowed_mentions=NO_MENTIONS, **kwargs)
        except Exception as e:  # noqa: BLE001 - translated for the user, logged if unexpected
            text = user_message(e)
            if text:
                await message.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)

    async def cog_command_error(self, ctx: commands.Context, error: Exception) -> None:
        ctx.command_failed = True
        if ctx.interaction is not None:
            await reply_error(ctx.interaction, error)
            return
        text = user_message(error)
        if text:
            await ctx.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)


def manages_server(interaction: discord.Interaction) -> bool:
    """Manage Server (or Administrator), else MissingPermissions: checked by every admin
    group (discord.py asks a subgroup's own check, not its parent's)."""
    perms = interaction.permissions
    if not (perms.manage_guild or perms.administrator):
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Admin(app_commands.Group, name="footnote", description="Footnote administration"):
    """Manage Server only: the permission is checked here too, not only by Discord's UI."""

    def __init__(self, bot: FootnoteBot) -> None:
        super().__init__()
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return manages_server(interaction)

    @app_commands.command(name="reindex", description="Refresh the sources and rebuild the index")
    async def reindex(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        started = time.perf_counter()
        service = await self.bot.service_in(interaction.guild_id)
        lines = await self.bot.refresh_now(reads=service.reads)  # this server's lines only
        a, p = await asyncio.to_thread(service.counts)
        lines.append(f"Index rebuilt: {a} articles, {p} passages "
                     f"in {time.perf_counter() - started:.1f} s.")
        await interaction.followup.send(fit("\n".join(lines), CONTENT), ephemeral=True,
                                        allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="status", description="Articles, passages, last refresh, sources")
    async def status(self, interaction: discord.Interaction) -> None:
        service = await self.bot.service_in(interaction.guild_id)
        st = await asyncio.to_thread(service.status)
        when = f"<t:{int(st.last_refresh)}:R>" if st.last_refresh else "never"
        lines = [f"Articles: {st.articles}", f"Passages: {st.passages}", f"Last refresh: {when}"]
        for name, last, status in st.sources:
            stamp = f"<t:{int(last)}:R>" if last else "never"
            state = status or "never refreshed"
            lines.append(f"Source {fit(name, NAME_IN_LINE)}: {state} ({stamp})")
        if not st.sources and service.reads == ("",) and not self.bot.config.sources:
            lines.append("Sources: the embedded seed articles (no [[sources]] configured)")
        elif not st.sources and service.reads == ("",):
            lines.append("Sources: the shared corpus (add this server's own with "
                         "/footnote source add)")
        lines += await mode_lines(self.bot, interaction.guild)
        await interaction.response.send_message(fit("\n".join(lines), CONTENT), ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
