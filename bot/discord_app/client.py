"""The bot: wiring, command sync (only when commands changed), checks, and the Discord side
of the refresh schedule (start the core's Refresher, swap the index, watch the store)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import time
from collections import deque
from pathlib import Path

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.discord_app.errors import reply_error, user_message
from bot.discord_app.limits import NO_MENTIONS
from bot.errors import EmptyCorpusError, FootnoteError
from bot.refresh import SKIPPED, Refresher
from bot.service import Service

log = logging.getLogger(__name__)
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, send_messages_in_threads=True, embed_links=True,
    read_message_history=True, create_public_threads=True,
)


class Cooldowns:
    """At most `uses` commands per `seconds` per user (a sliding window)."""

    def __init__(self, uses: int, seconds: float) -> None:
        self.uses, self.seconds = uses, seconds
        self._seen: dict[int, deque[float]] = {}

    def hit(self, user_id: int) -> None:
        if self.uses <= 0 or self.seconds <= 0:
            return
        now = time.monotonic()
        window = self._seen.setdefault(user_id, deque())
        while window and now - window[0] >= self.seconds:
            window.popleft()
        if len(window) >= self.uses:
            retry = self.seconds - (now - window[0])
            raise commands.CommandOnCooldown(
                commands.Cooldown(self.uses, self.seconds), retry, commands.BucketType.user
            )
        window.append(now)
        if len(self._seen) > 10_000:  # forget idle users
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < self.seconds}


class FootnoteTree(app_commands.CommandTree):
    """Channel allowlist for every app command; errors through the one translator."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        bot: FootnoteBot = interaction.client  # type: ignore[assignment]
        root = getattr(interaction.command, "root_parent", None)
        if root is not None and root.name == "footnote":
            return True  # admins manage Footnote from any channel (an `off` one too)
        if not await bot.channel_allowed(interaction.guild, interaction.channel):
            raise app_commands.CheckFailure("channel not allowed")
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError
                       ) -> None:
        await reply_error(interaction, error)


class FootnoteBot(commands.Bot):
    """The bot over one connection (every shard Discord gives it: one, for most bots)."""

    @property
    def refreshes(self) -> bool:
        """Does this process run the refresh schedule? (One process per deployment.)"""
        return True

    def serves(self, guild_id: int) -> bool:
        """Is this server's shard one this process serves? (Its auto-answers and
        announcements are this process's, and no other's.)"""
        return True

    def __init__(self, service: Service, config: Config, session: aiohttp.ClientSession,
                 state_dir: Path | None = None, refresher: Refresher | None = None,
                 **options) -> None:
        from bot.community.wiring import open_community

        # Footnote never joins a voice channel: discord.py's warnings at start that voice
        # needs PyNaCl and davey would only puzzle an admin reading the log.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        self.community = open_community(service)
        intents = discord.Intents.default()
        # Prefix commands and auto mode need the (privileged) message-content intent;
        # mentions and slash commands do not.
        intents.message_content = (config.discord.prefix_commands
                                   or self.community.modes.any_auto())
        prefix = (commands.when_mentioned_or(config.discord.prefix)
                  if config.discord.prefix_commands else commands.when_mentioned)
        super().__init__(
            command_prefix=prefix, intents=intents, help_command=None,
            allowed_mentions=NO_MENTIONS, tree_cls=FootnoteTree, **options,
        )
        self.service, self.config, self.session = service, config, session
        self.state_dir = state_dir  # Discord's own state (command-sync markers)
        self.refresher = refresher or Refresher(service, session)
        self._refresh_task: asyncio.Task | None = None
        self._watch_task: asyncio.Task | None = None
        # One refresh at a time (the refresher's); the index swap has its own lock, held only
        # while swapping, so the store watch and /footnote reindex never wait for a slow source.
        self._swap_lock = asyncio.Lock()
        # Corpora another process changed (None: any), announced over PostgreSQL's NOTIFY.
        self._changed: set[str | None] = set()
        self._nudge = asyncio.Event()
        self._listener = None
        self.cooldowns = Cooldowns(config.discord.cooldown_uses, config.discord.cooldown_seconds)

    async def setup_hook(self) -> None:
        from bot.discord_app.cog import Admin, Footnote
        from bot.discord_app.community import setup_community
        from bot.discord_app.sources_admin import SourceGroup
        from bot.discord_app.views import MoreButton, SummariseButton

        await self.add_cog(Footnote(self))
        self.add_dynamic_items(MoreButton, SummariseButton)  # buttons outlive restarts
        admin = Admin(self)
        admin.add_command(SourceGroup())
        self.tree.add_command(admin)
        await setup_community(self)
        self.add_check(self._prefix_channel_check)
        if self.config.sources and (await asyncio.to_thread(self.service.counts))[0] == 0:
            log.info("empty store: fetching the configured sources before starting")
            await self.refresh_now()
        try:
            await asyncio.to_thread(self.service.corpus)  # load before the first question
        except FootnoteError as e:
            log.warning("starting without articles: %s", e)
        await self.sync_commands()
        # Servers may add sources of their own in Discord at any time. With several
        # processes (shards), one refresh runs at a time: the others pick the changes up
        # from the store (announced on PostgreSQL, polled on SQLite).
        if self.refreshes:
            self._refresh_task = asyncio.create_task(
                self.refresher.run_forever(then=self._swap), name="refresh")
        self._listener = self._listen()
        self._watch_task = asyncio.create_task(self._watch_loop(), name="watch-store")

    async def close(self) -> None:
        for task in (self._refresh_task, self._watch_task):
            if task:
                task.cancel()
        if self._listener is not None:
            self._listener.stop()
        await super().close()

    # -- command sync, only when the commands changed
    def _commands_hash(self, guild: discord.abc.Snowflake | None) -> str:
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        payload.sort(key=lambda c: (c.get("type", 1), c["name"]))
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_commands(self) -> None:
        """Guilds from the config get instant sync; otherwise global. Skipped when unchanged."""
        targets: list[discord.Object | None] = [discord.Object(g) for g in
                                                self.config.discord.guild_ids] or [None]
        app_id = self.application_id
        for guild in targets:
            if guild is not None:
                self.tree.copy_global_to(guild=guild)
            digest = self._commands_hash(guild)
            key = f"{app_id}-{guild.id if guild else 'global'}"
            marker = self.state_dir / f"commands-{key}.sha256" if self.state_dir else None
            if marker and marker.exists() and marker.read_text().strip() == digest:
                log.info("commands unchanged for %s; not syncing", key)
                continue
            await self.tree.sync(guild=guild)
            log.info("synced commands for %s", key)
            if marker:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(digest)

    # -- per-server corpora
    async def service_in(self, guild_id: int | None) -> Service:
        """The Service answering in this server (its own corpus), or in direct messages
        (the shared corpus, if any); looked up off the loop."""
        if guild_id is None:
            return await asyncio.to_thread(self.service.corpora.outside_servers)
        return await asyncio.to_thread(self.service.for_guild, guild_id)

    # -- where the bot may answer
    async def channel_allowed(self, guild: discord.Guild | None, channel: object) -> bool:
        """Not in an `off` channel (set in Discord, else the config's modes and allowlist)."""
        if guild is None:
            return True
        mode = self.community.modes.mode(guild.id, getattr(channel, "id", 0) or 0,
                                         getattr(channel, "parent_id", None))  # in memory
        return mode != "off"

    async def _prefix_channel_check(self, ctx: commands.Context) -> bool:
        if ctx.interaction is not None:
            return True  # the tree's interaction_check covers interactions
        return await self.channel_allowed(ctx.guild, ctx.channel)

    def mentions_me_first(self, message: discord.Message) -> bool:
        me = self.user
        return me is not None and bool(re.match(rf"\s*<@!?{me.id}>", message.content))

    def strip_mention(self, content: str) -> str:
        me = self.user
        return re.sub(rf"^\s*<@!?{me.id}>\s*", "", content) if me else content

    async def on_ready(self) -> None:
        log.info("logged in as %s in %d servers", self.user, len(self.guilds))
        if not self.guilds and self.application_id:
            url = discord.utils.oauth_url(
                self.application_id, permissions=INVITE_PERMISSIONS,
                scopes=("bot", "applications.commands"),
            )
            log.warning("The bot is in no server yet. Invite it with: %s", url)

    async def on_command_error(self, ctx: commands.Context, error: Exception) -> None:
        if ctx.cog is not None:
            return  # the cog's handler answered
        text = user_message(error)
        if text:
            await ctx.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)

    # -- refresh
    async def refresh_now(self, only_due: bool = False,
                          reads: tuple[str, ...] | None = None) -> list[str]:
        """Refresh configured sources (all, or those due), then rebuild the index off the
        event loop; questions keep using the old index until the new one is swapped in.
        While another refresh runs, only the index is rebuilt from what is stored so far.
        `reads`: the lines of a server's corpora only (never another server's sources)."""
        if self.refresher.running:
            lines = ["A refresh is already running; the index was rebuilt from what it has "
                     "stored so far."]
            swapped = await self._swap()
            return lines + (swapped if reads is None or "" in reads else [])
        reports, swapped = await self.refresher.run(only_due=only_due, then=self._swap)
        if swapped == [SKIPPED]:
            return swapped  # another process is refreshing (PostgreSQL): it announces
        if reads is not None:
            reports = [r for r in reports if r.corpus in reads]
            swapped = swapped if "" in reads else []
        lines: list[str] = []
        for report in reports:
            lines.append(report.line())
            lines += [f"  {e}" for e in report.errors[:5]]
        self.dispatch("footnote_refreshed")  # new articles are announced now
        return lines + swapped

    async def _swap(self) -> list[str]:
        """Rebuild the index off the event loop and swap it in; the error line if it fails."""
        async with self._swap_lock:
            errors = await asyncio.to_thread(self.service.corpora.reload_stale)
            try:
                await asyncio.to_thread(self.service.reload)
            except FootnoteError as e:
                return [str(e), *errors]
        return errors

    WATCH_SECONDS = 60.0

    def _listen(self):
        """On PostgreSQL, a thread LISTENing for other processes' changes (each wakes the
        store watch at once); None on SQLite, whose watch polls."""
        loop = asyncio.get_running_loop()

        def changed(corpus: str | None) -> None:  # in the listening thread
            with contextlib.suppress(RuntimeError):  # the loop is closed: the bot stops
                loop.call_soon_threadsafe(self._store_changed, corpus)

        return self.service.listen_for_changes(changed)

    def _store_changed(self, corpus: str | None) -> None:
        self._changed.add(corpus)
        self._nudge.set()

    async def _watch_loop(self) -> None:
        """Pick up changes made by another process (`footnote ingest` from a shell or cron,
        another shard's refresh): when announced (PostgreSQL), else every WATCH_SECONDS,
        look whether the store's revision moved; if so rebuild off the event loop and swap."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudge.wait(), self.WATCH_SECONDS)
            self._nudge.clear()
            changed, self._changed = self._changed, set()
            only = None if not changed or None in changed else changed
            try:
                await self.reload_if_stale(only)
            except EmptyCorpusError as e:  # every article removed, or none yet: it says so
                log.info("store watch: %s", e)
            except Exception:  # noqa: BLE001 - keep watching; log the cause
                log.exception("reloading the store failed")

    async def reload_if_stale(self, only: set[str] | None = None) -> bool:
        """One look of the store watch: swap in a new index if the store moved (of the
        corpora in `only`, when given). Never waits for a refresh in progress (only for
        another swap). The articles changed since the loaded revision are applied
        incrementally (bot/live.py), not rebuilt."""
        async with self._swap_lock:
            await asyncio.to_thread(self.service.corpora.reload_stale, only)
        if only is not None and "" not in only:
            return False  # the shared corpus did not change
        if not await asyncio.to_thread(self.service.is_stale):
            return False
        async with self._swap_lock:
            await asyncio.to_thread(self.service.reload)
        return True


class ShardedFootnoteBot(FootnoteBot, commands.AutoShardedBot):
    """The bot serving some of the shards (`footnote run --shards 0-3 --shard-count 8`):
    Discord sends it only the events of the servers on those shards, so auto-answers and
    announcements (posted only to servers this process sees) happen in one process each."""

    @property
    def refreshes(self) -> bool:
        """On PostgreSQL every process runs the schedule (an advisory lock lets one refresh
        run at a time across them, so a process that stops leaves no gap); on SQLite only
        the process serving shard 0 does."""
        return self.service.shares_store or 0 in (self.shard_ids or [0])

    def serves(self, guild_id: int) -> bool:
        """Discord's rule: a server's events go to shard (guild_id >> 22) % shard_count."""
        count = self.shard_count or 1
        return (guild_id >> 22) % count in (self.shard_ids or range(count))
