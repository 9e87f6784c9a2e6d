"""The console commands of the Discord side: `run` (the bot, some of its shards with
`--shards`), and `report` and `forget` (what readers asked there, one user's data).

Apart from the other commands: the only ones that reach bot/discord_app and bot/community,
and only when they run (the core never imports discord).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli_parser import EXIT_OK
from bot.errors import UsageError

if TYPE_CHECKING:
    from bot.app import App


def cmd_run(args: argparse.Namespace, app: App) -> int:
    """`footnote run`: the Discord bot (some of its shards with --shards)."""
    from bot.discord_app.runner import run_bot

    return run_bot(app, parse_shards(args.shards, args.shard_count))


def parse_shards(text: str | None, count: int | None) -> tuple[tuple[int, ...], int] | None:
    """`--shards 0-3,6 --shard-count 8` as ((0, 1, 2, 3, 6), 8); None without either."""
    if text is None and count is None:
        return None
    if text is None or count is None or count < 1:
        raise UsageError("--shards and --shard-count go together (e.g. --shards 0-3 "
                         "--shard-count 8)")
    ids: set[int] = set()
    try:
        for part in text.split(","):
            lo, _, hi = part.strip().partition("-")
            ids.update(range(int(lo), int(hi or lo) + 1))
    except ValueError:
        raise UsageError(f"--shards takes ids like 0-3 or 0,2,5, not {text!r}") from None
    if not ids or min(ids) < 0 or max(ids) >= count:
        raise UsageError(f"--shards: every id must be between 0 and {count - 1}")
    return tuple(sorted(ids)), count


def cmd_community(args: argparse.Namespace, app: App) -> int:
    """`footnote report` and `footnote forget`."""
    from bot.community.console import run_command
    from bot.community.wiring import open_community

    print(run_command(args, open_community(app.service)), end="")
    return EXIT_OK


