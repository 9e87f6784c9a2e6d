"""`footnote run`: the token from the environment, and the bot over the resources and the
session the composition root made."""

from __future__ import annotations

import logging
import os
import threading
import time

import aiohttp
import discord

from bot import policy
from bot.app import App
from bot.errors import ConfigError, DiscordUnreachable

log = logging.getLogger(__name__)


def run_bot(app: App, shards: tuple[tuple[int, ...], int] | None = None) -> int:
    """Run until interrupted (serving only `shards`: (ids, count), when given). The token
    comes only from DISCORD_TOKEN."""
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise ConfigError("set the DISCORD_TOKEN environment variable to your bot's token")
    logging.getLogger("discord").setLevel(logging.INFO)
    logging.getLogger().setLevel(logging.INFO)
    try:
        app.run(lambda session: _main(app, session, token, shards))
    except (aiohttp.ClientConnectionError, OSError, TimeoutError) as e:
        # No network, DNS failure, firewall: one line, not a traceback from the gateway.
        raise DiscordUnreachable(f"cannot reach Discord ({type(e).__name__}: {e}); "
                                 "check the network connection") from None
    except discord.LoginFailure:
        raise ConfigError("Discord rejected the token in DISCORD_TOKEN") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "prefix commands and auto-mode channels need the Message Content intent: enable "
            "it in the Developer Portal (Bot → Privileged Gateway Intents), or set "
            "discord.prefix_commands = false and no channel to auto mode"
        ) from None
    return 0


async def _main(app: App, session: aiohttp.ClientSession, token: str,
                shards: tuple[tuple[int, ...], int] | None = None) -> None:
    bot = make_bot(app, session, shards)
    # The answer policy's word frequencies, loaded while the bot connects (a thread: the
    # loop only waits), not by the first question.
    threading.Thread(target=_warm, name="warm-policy", daemon=True).start()
    async with bot:
        await bot.start(token)


def _warm() -> None:
    started = time.perf_counter()
    policy.warm()
    log.info("answer policy loaded in %.1f s", time.perf_counter() - started)


def make_bot(app: App, session: aiohttp.ClientSession,
             shards: tuple[tuple[int, ...], int] | None = None):
    """The bot over the app's resources: one connection, or the given shards."""
    from bot.discord_app.client import FootnoteBot, ShardedFootnoteBot

    kwargs = dict(state_dir=app.state_dir, refresher=app.refresher(session))
    if shards is None:
        return FootnoteBot(app.service, app.config, session, **kwargs)
    ids, count = shards
    log.info("serving shards %s of %d", ",".join(map(str, ids)), count)
    return ShardedFootnoteBot(app.service, app.config, session, shard_ids=list(ids),
                              shard_count=count, **kwargs)
