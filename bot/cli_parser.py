"""What the console takes and gives back: the argument parser of every command and the
exit-status table, which the README's "Console reference" and "Exit status" state (a test
holds each to it).

Apart from the commands (bot/cli_reading.py, bot/cli_sources.py, bot/cli_discord.py) and
the error translation (bot/cli.py), and light on purpose: `footnote --help` and an argument
error need only this, and load nothing heavy (a test checks what `--help` loads).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import __version__
from bot.config import load_config
from bot.errors import FootnoteError

# The exit-status table (the README's "Exit status" repeats it):
EXIT_OK = 0  # done (an honest "not found" is a result too)
EXIT_FAILED = 1  # a source failed: a file, line or URL of `ingest`, `refresh` or `--corpus`
EXIT_USAGE = 2  # usage or config: bad arguments, a bad config file, nothing to answer from
EXIT_STORE = 3  # the store is unavailable: locked too long, disk full, not a database
EXIT_INTERRUPTED = 130


SEARCH_LIMIT = 10  # articles a `search` page lists (as a /search page in Discord)
SEARCH_MAX = 100  # at most this many a page
SEARCH_DEPTH = 1000  # and no page past this many matches (each page ranks all before it)
FULL_HELP = "fetch everything again, changed or not (and find out again what a URL is)"


def build_parser(site_name: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every command; `site_name` (config `site.name`) in its help."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, metavar="PATH",
                        help="config file (TOML)")
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="DIR",
        help="where the store lives (FOOTNOTE_DATA_DIR)"
    )
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log what happens (fetches, loading, the libraries' own lines)")

    parser = argparse.ArgumentParser(
        prog="footnote",
        description=f"Answer questions about the articles of {site_name} by quoting them."
        if site_name else "Answer questions about a site's articles by quoting them.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"footnote {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def corpus_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--corpus", action="append", type=Path, metavar="PATH",
            help="use just this file or folder (repeatable) instead of the store, which is "
                 "untouched",
        )

    p = sub.add_parser("ask", parents=[common], help="answer a question with quoted passages")
    p.add_argument("question", nargs="+",
                   help="the question (quotes optional), or - to read one per line from stdin")
    p.add_argument("--top", type=int, default=None, metavar="N",
                   help="number of passages (default 3)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="answer as if asked on DATE (2024-05-31): what \"this week\" and "
                        "\"recently\" mean (default: now)")
    p.add_argument("--dated", action="store_true",
                   help="with -: each line is DATE, a tab, then the question asked on DATE")
    corpus_opt(p)

    p = sub.add_parser("search", parents=[common],
                       help="the articles about something, best first, with their links")
    p.add_argument("query", nargs="+", help="words to look for (quotes optional)")
    p.add_argument("--limit", type=int, default=SEARCH_LIMIT, metavar="N",
                   help=f"articles per page (default {SEARCH_LIMIT}, at most {SEARCH_MAX})")
    p.add_argument("--page", type=int, default=1, metavar="N",
                   help="page N of the matches (default 1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    corpus_opt(p)

    p = sub.add_parser("summary", parents=[common], help="summarise an article")
    p.add_argument("article", nargs="?", help="title (exact or fuzzy), URL or description")
    p.add_argument("--sentences", "-n", type=int, default=3, metavar="N",
                   help="1-10 sentences (default 3)")
    p.add_argument("--chars", type=int, default=None, metavar="N",
                   help="at most this many characters")
    p.add_argument("--about", default="", metavar="TEXT",
                   help="summarise what the article says about TEXT")
    p.add_argument("--all", action="store_true", help="every article, as JSON Lines")
    p.add_argument("--json", action="store_true", help="print JSON")
    corpus_opt(p)

    p = sub.add_parser("articles", parents=[common], help="list the articles")
    p.add_argument("--json", action="store_true", help="print JSON")
    corpus_opt(p)

    p = sub.add_parser("ingest", parents=[common], help="add or update articles from files or URLs")
    p.add_argument("targets", nargs="+", metavar="PATH_OR_URL",
                   help="files or folders (.md .txt .html .jsonl, a WordPress export .xml) "
                        "or a site's URL (WordPress, a feed, a sitemap, a page); the first "
                        "ingest sets the bundled seed articles aside")
    p.add_argument(
        "--kind", default="auto",
        choices=["auto", "file", "wordpress", "feed", "sitemap", "page", "wxr"],
        help="what the target is (default: find out; file and wxr are for files)",
    )
    p.add_argument("--full", action="store_true", help=FULL_HELP)

    p = sub.add_parser("remove", parents=[common],
                       help="take a source's articles out of the answers (kept in the store)")
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="a source as `status` lists it: the URL or folder it was ingested from")

    p = sub.add_parser("refresh", parents=[common],
                       help="re-ingest the [[sources]] of the config file (--config)")
    p.add_argument("--full", action="store_true", help=FULL_HELP)
    p = sub.add_parser("status", parents=[common],
                       help="articles, passages, last refresh, sources (files and URLs), store")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("run", parents=[common],
                       help="run the Discord bot (token in DISCORD_TOKEN; settings in --config)")
    p.add_argument("--shards", metavar="IDS",
                   help="serve only these shards: 0-3, or 0,2,5 (with --shard-count)")
    p.add_argument("--shard-count", type=int, metavar="N",
                   help="how many shards the whole bot runs (every process the same N)")
    from bot.community.console import add_commands

    add_commands(sub, common)
    return parser


def configured_site_name(argv: list[str] | None) -> str | None:
    """The configured site name, for `--help` only (other commands load the config once,
    after parsing); None when the config cannot be read (the command then says why)."""
    words = sys.argv[1:] if argv is None else argv
    if not {"-h", "--help"} & set(words):
        return None
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    try:
        return load_config(pre.parse_known_args(words)[0].config).site.name
    except FootnoteError:
        return None


