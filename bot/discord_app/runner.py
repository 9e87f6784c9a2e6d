"""`footnote run`: the token from the environment, one session, the bot."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os

import aiohttp
import discord

from bot.errors import ConfigError, DiscordUnreachable
from bot.service import Service

log = logging.getLogger(__name__)


def run_bot(service: Service, args: argparse.Namespace) -> int:
    """Run until interrupted. The token comes only from DISCORD_TOKEN."""
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise ConfigError("set the DISCORD_TOKEN environment variable to your bot's token")
    logging.getLogger("discord").setLevel(logging.INFO)
    logging.getLogger().setLevel(logging.INFO)
    try:
        asyncio.run(_main(service, token))
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


async def _main(service: Service, token: str) -> None:
    from bot.discord_app.client import FootnoteBot
    from bot.sources.http import new_session

    async with new_session(service.config.fetch) as session:
        bot = FootnoteBot(service, service.config, session, state_dir=service.index_dir)
        async with bot:
            await bot.start(token)
