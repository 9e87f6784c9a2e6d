"""`footnote report` and `footnote forget`: argument parsing and the text they print (the
CLI prints it; nothing here prints)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.errors import UsageError

if TYPE_CHECKING:  # the parser is built for `footnote --help` too, which must stay fast
    from bot.community.service import Community


def add_commands(sub, common: argparse.ArgumentParser) -> None:
    """The two subcommands, on the CLI's subparsers."""
    p = sub.add_parser("report", parents=[common],
                       help="what readers asked in Discord that the site does not answer yet")
    p.add_argument("--since", default="", metavar="DATE",
                   help="only questions asked on or after DATE (YYYY-MM-DD)")
    p.add_argument("--guild", type=int, metavar="ID", help="only this server's questions")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV (a header, a row per group)")
    p = sub.add_parser("forget", parents=[common],
                       help="remove one Discord user's questions and votes")
    p.add_argument("--user", required=True, type=int, metavar="ID", help="the Discord user id")
    p.add_argument("--guild", type=int, metavar="ID",
                   help="only in this server (default: everywhere)")


def since_timestamp(text: str) -> float:
    """YYYY-MM-DD (or a full ISO time) as a UTC timestamp; 0 for ""."""
    if not text:
        return 0.0
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since takes a date like 2026-01-31, not {text!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def run_command(args: argparse.Namespace, community: Community) -> str:
    """The output of `report` or `forget`."""
    from bot.community.report import report_csv, report_text

    if args.command == "forget":
        asks, votes = community.forget_user(args.user, args.guild)
        where = f" in server {args.guild}" if args.guild is not None else ""
        return f"forgot {asks} questions and {votes} votes of user {args.user}{where}\n"
    rows = community.report(since_timestamp(args.since), args.guild)
    if args.csv:
        return report_csv(rows)
    if args.json:
        return json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2) + "\n"
    recorded = None if rows else community.recorded(since_timestamp(args.since), args.guild)
    return report_text(rows, recorded=recorded) + "\n"
