"""Test-only: run the real `footnote` command in this process against a fake Discord.

    python -m tests.fake_discord.launch API_BASE GATEWAY_URL run --shards 0 --shard-count 2

points discord.py's REST base (`Route.BASE`) and gateway (`DEFAULT_GATEWAY`) at the fake,
as the in-process tests do with monkeypatch, then calls the real entry point
(`bot.__main__.main`) with the remaining arguments. It lives under tests/ on purpose: the
production code has no way to send its Discord traffic elsewhere.

The wait for servers after READY (discord.py's guild_ready_timeout, 2 s) is cut to
FAKE_DISCORD_READY_SECONDS (default 0.05, as the in-process harness does): the fake sends
every server at once. FAKE_DISCORD_WATCH_SECONDS, when set, is the store watch's poll
period (`FootnoteBot.WATCH_SECONDS`): a test of changes announced through PostgreSQL sets it
long, so that a poll cannot pass for an announcement however slow the machine.
"""

from __future__ import annotations

import os
import sys


def point_at(api_base: str, gateway_url: str, ready_seconds: float) -> None:
    """Send discord.py's REST calls and gateway connection to the fake."""
    import discord
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.state import ConnectionState

    discord.http.Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    original = ConnectionState.__init__

    def init(self, *args, **options) -> None:
        options.setdefault("guild_ready_timeout", ready_seconds)
        original(self, *args, **options)

    ConnectionState.__init__ = init  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    api_base, gateway_url, *rest = argv
    point_at(api_base, gateway_url, float(os.environ.get("FAKE_DISCORD_READY_SECONDS", 0.05)))
    if "FAKE_DISCORD_WATCH_SECONDS" in os.environ:
        from bot.discord_app.client import FootnoteBot

        FootnoteBot.WATCH_SECONDS = float(os.environ["FAKE_DISCORD_WATCH_SECONDS"])
    from bot.__main__ import main as footnote

    return footnote(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
