"""`footnote run`: the token from the environment, and the bot over the resources and the
session the composition root made."""

from __future__ import annotations

import logging
import os

import aiohttp
import discord

from bot.app import App
from bot.errors import ConfigError, DiscordUnreachable

log = logging.getLogger(__name__)


def run_bot(app: App) -> int:
    """Run until interrupted. The token comes only from DISCORD_TOKEN."""
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise ConfigError("set the DISCORD_TOKEN environment variable to your bot's token")
    logging.getLogger("discord").setLevel(logging.INFO)
    logging.getLogger().setLevel(logging.INFO)
    try:
        app.run(lambda session: _main(app, session, token))
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


async def _main(app: App, session: aiohttp.ClientSession, token: str) -> None:
    from bot.discord_app.client import FootnoteBot

    bot = FootnoteBot(app.service, app.config, session, state_dir=app.state_dir,
                      refresher=app.refresher(session))
    async with bot:
        await bot.start(token)
