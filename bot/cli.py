"""Console front-end: the argument parser, the commands (over the service the composition
root hands in), and the error translation. The only place that prints (this module and
the bot/cli_*.py it dispatches to).

Only the parser's needs are imported at the top: each command imports the rest (the
service's modules pull in numpy, aiohttp, trafilatura...), so that `footnote --help` and
an argument error answer at once (a test checks what `--help` loads).

The pieces: the parser and the exit statuses (bot/cli_parser.py), and the commands, one
module per group (bot/cli_reading.py, bot/cli_sources.py, bot/cli_discord.py). This module
dispatches to them and translates errors into a message and an exit status."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.cli_discord import cmd_community, cmd_run
from bot.cli_parser import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STORE,
    EXIT_USAGE,
    build_parser,
    configured_site_name,
)
from bot.cli_reading import cmd_articles, cmd_ask, cmd_search, cmd_status, cmd_summary
from bot.cli_sources import cmd_ingest, cmd_refresh, cmd_remove
from bot.errors import (
    AmbiguousArticle,
    FootnoteError,
    SourceError,
    SourcesFailed,
    StoreError,
)

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


def interrupted() -> int:
    """Ctrl-C: one line, no traceback. What was stored stays (each source, each sitemap
    batch, is its own transaction; the one under way is rolled back whole)."""
    print("Interrupted.", file=sys.stderr)
    return EXIT_INTERRUPTED


def exit_status(error: FootnoteError) -> int:
    """The exit status of a command that ended with this error."""
    if isinstance(error, StoreError):
        return EXIT_STORE
    if isinstance(error, SourceError):
        return EXIT_FAILED
    return EXIT_USAGE


# The page-extraction libraries log their own lines ("ERROR trafilatura.utils: parsed tree
# length: 1, wrong data type or not valid HTML") for a page Footnote reports anyway.
EXTRACTION_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")

COMMANDS: dict[str, Callable[[argparse.Namespace, App], int]] = {
    "ask": cmd_ask, "search": cmd_search, "summary": cmd_summary, "articles": cmd_articles,
    "ingest": cmd_ingest, "remove": cmd_remove, "refresh": cmd_refresh, "status": cmd_status,
    "run": cmd_run,
    "report": cmd_community, "forget": cmd_community,
}


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with logging set up for it."""
    args = build_parser(configured_site_name(argv)).parse_args(argv)
    verbose = getattr(args, "verbose", False)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not verbose:  # their complaints about one page are said once, as that page's error
        for name in EXTRACTION_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
    return args


def dispatch(args: argparse.Namespace, app: App) -> int:
    """Run the command over the resources the composition root opened."""
    return COMMANDS[args.command](args, app)


def _json_error(args: argparse.Namespace, message: str, **more: object) -> None:
    """With --json, the error as JSON on stdout too (`{"error": …}`, as `ask -` writes a
    failed question's line): a script reading stdout sees why there is no answer."""
    if getattr(args, "json", False):
        import json

        print(json.dumps({"error": message, **more}, ensure_ascii=False), flush=True)


def guarded(args: argparse.Namespace, serve: Callable[[], int]) -> int:
    """Run `serve` (open resources, dispatch), translating errors into a one-line message
    and an exit status."""
    try:
        words = {"ask": "question", "search": "query"}.get(args.command)
        if words and isinstance(getattr(args, words), list):
            # `footnote ask why no treaty` asks `footnote ask "why no treaty"`
            setattr(args, words, " ".join(getattr(args, words)))
        if words and getattr(args, words) != "-":
            from bot.answer import check_question

            check_question(getattr(args, words), words)  # before opening anything
        return serve()
    except AmbiguousArticle as e:
        from bot.render.console import short_date

        _json_error(args, f"several articles match {e.query!r}",
                    candidates=[{"id": a.id, "title": a.title} for a in e.candidates])
        print(f"footnote: several articles match {e.query!r}; be more specific:", file=sys.stderr)
        same = len({a.title for a in e.candidates}) < len(e.candidates)
        for art in e.candidates:
            # Same titles: tell them apart, and name each by an id `summary` accepts.
            where = short_date(art.date) or art.source or art.link.url
            extra = f"  (id:{art.id}; {where})" if same else ""
            print(f"  - {art.title}{extra}", file=sys.stderr)
        return EXIT_USAGE
    except FootnoteError as e:
        where = f" ({e.path})" if isinstance(e, StoreError) and e.path else ""
        _json_error(args, f"{e}{where}")
        print(f"footnote: {e}{where}", file=sys.stderr)
        for more in e.errors[1:] if isinstance(e, SourcesFailed) else ():
            print(f"footnote: {more}", file=sys.stderr)
        return exit_status(e)
    except KeyboardInterrupt:
        return interrupted()
    except BrokenPipeError:
        return EXIT_OK
