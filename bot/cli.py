"""Console front-end: the argument parser, the commands (over the service the composition
root hands in), and the error translation. The only place that prints.

Only the parser's needs are imported at the top: each command imports the rest (the
service's modules pull in numpy, aiohttp, trafilatura...), so that `footnote --help` and
an argument error answer at once (a test checks what `--help` loads)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import load_config
from bot.errors import (
    AmbiguousArticle,
    FootnoteError,
    SourceError,
    SourcesFailed,
    StoreError,
    UsageError,
)

if TYPE_CHECKING:
    from bot.app import App
    from bot.models import IngestReport
    from bot.service import Service

log = logging.getLogger(__name__)

# The exit-status table (the README's "Exit status" repeats it):
EXIT_OK = 0  # done (an honest "not found" is a result too)
EXIT_FAILED = 1  # a source failed: a file, line or URL of `ingest`, `refresh` or `--corpus`
EXIT_USAGE = 2  # usage or config: bad arguments, a bad config file, nothing to answer from
EXIT_STORE = 3  # the store is unavailable: locked too long, disk full, not a database
EXIT_INTERRUPTED = 130


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
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="footnote",
        description=f"Answer questions about the articles of {site_name} by quoting them."
        if site_name else "Answer questions about a site's articles by quoting them.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def corpus_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--corpus", action="append", type=Path, metavar="PATH",
            help="answer from just this file or folder (repeatable); the store is untouched",
        )

    p = sub.add_parser("ask", parents=[common], help="answer a question with quoted passages")
    p.add_argument("question", nargs="+",
                   help="the question (quotes optional), or - to read one per line from stdin")
    p.add_argument("--top", type=int, default=None, metavar="N",
                   help="number of passages (default 3)")
    p.add_argument("--json", action="store_true", help="print JSON")
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
    p.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    p.add_argument(
        "--kind", default="auto",
        choices=["auto", "file", "wordpress", "feed", "sitemap", "page", "wxr"],
        help="what the URL is (default: find out)",
    )
    p.add_argument("--full", action="store_true", help=FULL_HELP)

    p = sub.add_parser("refresh", parents=[common], help="re-ingest the configured sources")
    p.add_argument("--full", action="store_true", help=FULL_HELP)
    p = sub.add_parser("status", parents=[common],
                       help="articles, passages, last refresh, sources (files and URLs), store")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("run", parents=[common], help="run the Discord bot (token in DISCORD_TOKEN)")
    p.add_argument("--shards", metavar="IDS",
                   help="serve only these shards: 0-3, or 0,2,5 (with --shard-count)")
    p.add_argument("--shard-count", type=int, metavar="N",
                   help="how many shards the whole bot runs (every process the same N)")
    from bot.community.console import add_commands

    add_commands(sub, common)
    return parser


def _site_name(argv: list[str] | None) -> str | None:
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


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def cmd_ask(args: argparse.Namespace, app: App) -> int:
    """`footnote ask`: one question, or one per stdin line with `-`."""
    from bot.render.console import render_answer

    service = app.service
    if args.top is not None and not 1 <= args.top <= 50:
        raise UsageError("--top must be between 1 and 50")
    if args.question == "-":
        return _ask_batch(service, args.top)
    ans = service.ask(args.question, args.top)
    if args.json:
        _print_json(ans.to_json())
    else:
        print(render_answer(ans, _color()))
    return EXIT_OK


def _ask_batch(service: Service, top: int | None) -> int:
    """One question per stdin line, one JSON object per output line, one process."""
    from bot.models import Answer

    service.corpus()  # load once, before the loop
    out = sys.stdout
    for line in sys.stdin:
        question = line.rstrip("\n")
        # One output line per input line, always: a blank question gets an error object.
        try:
            record = service.ask(question, top).to_json()
        except FootnoteError as e:
            record = Answer(question[:200], False).to_json() | {"error": str(e)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace, app: App) -> int:
    """`footnote summary`: one article, or every article with --all."""
    from bot.render.console import render_summary
    from bot.summarize import MAX_SENTENCES, summarize

    service = app.service
    if not 1 <= args.sentences <= MAX_SENTENCES:
        raise UsageError(f"--sentences must be between 1 and {MAX_SENTENCES}")
    if args.chars is not None and args.chars < 40:
        raise UsageError("--chars must be at least 40")
    if args.all:
        if args.article:
            raise UsageError("give either ARTICLE or --all, not both")
        corpus = service.corpus()
        for meta in corpus.articles:
            art = corpus.full(meta)
            record = {"title": art.title, "url": art.link.url, "partial": art.partial}
            try:  # one article refused (too long) does not end the run
                record["sentences"] = summarize(art.title, art.paragraphs, args.sentences,
                                                args.about, args.chars)
            except FootnoteError as e:
                record["error"] = str(e)
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not args.article:
        raise UsageError("name an article (title, URL or description), or use --all")
    summary = service.summary(args.article, args.sentences, args.about, args.chars)
    if args.json:
        _print_json(summary.to_json())
    else:
        print(render_summary(summary, _color()))
    return EXIT_OK


def cmd_articles(args: argparse.Namespace, app: App) -> int:
    """`footnote articles`: the articles, newest first."""
    from bot.render.console import article_json, render_articles

    arts = app.service.articles()
    if args.json:
        _print_json([article_json(a) for a in arts])
    else:
        print(render_articles(arts))
    return EXIT_OK


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_search(args: argparse.Namespace, app: App) -> int:
    """`footnote search`: the articles best matching a query (what /search lists), a page
    at a time."""
    from bot.render.console import article_json, render_search

    if not 1 <= args.limit <= SEARCH_MAX:
        raise UsageError(f"--limit must be between 1 and {SEARCH_MAX}")
    if args.page < 1 or args.page * args.limit > SEARCH_DEPTH:
        raise UsageError(f"--page must be at least 1, and --page × --limit at most "
                         f"{SEARCH_DEPTH} (the matches listed)")
    start = (args.page - 1) * args.limit
    # One more than the page: is there a next one?
    found = app.service.search_articles(args.query, start + args.limit + 1)
    page, more = found[start : start + args.limit], len(found) > start + args.limit
    if args.json:
        _print_json({"query": args.query, "page": args.page, "more": more,
                     "articles": [article_json(a) for a in page]})
    else:
        same = f" --limit {args.limit}" if args.limit != SEARCH_LIMIT else ""
        hint = f"More matches: --page {args.page + 1}{same}" if more else ""
        print(render_search(page, start + 1, hint))
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace, app: App) -> int:
    """`footnote ingest`: files, folders and URLs into the store (one session for all),
    each source's line printed once it is stored (a Ctrl-C later leaves them said)."""
    from bot.ingest import ingest_targets

    failed = False

    async def ingest(session) -> None:
        nonlocal failed
        for target in args.targets:
            for report in await ingest_targets(app.service, session, [target], args.kind,
                                               args.full):
                failed = _print_report(report) or failed

    app.run(ingest)
    return EXIT_FAILED if failed else EXIT_OK


def cmd_refresh(args: argparse.Namespace, app: App) -> int:
    """`footnote refresh`: re-ingest the configured sources."""
    if not app.config.sources:
        raise UsageError("no [[sources]] in the config; see config.example.toml")
    bars: list = []

    def progress(name: str):  # a bar per source on a terminal
        if not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        bar = tqdm(desc=name[:40], unit=" articles", leave=False)
        bars.append(bar)
        return bar.update

    async def refresh(session) -> list[IngestReport]:
        reports, said = await app.refresher(session, progress).run(full=args.full)
        if not reports and said:
            print(*said, file=sys.stderr)  # another process holds the refresh lock
        return reports

    try:
        return _print_reports(app.run(refresh))
    finally:
        for bar in bars:
            bar.close()


def _print_reports(reports: list[IngestReport]) -> int:
    """A summary line per source on stdout, one line per failure on stderr."""
    failed = [_print_report(report) for report in reports]
    return EXIT_FAILED if any(failed) else EXIT_OK


def _print_report(report: IngestReport) -> bool:
    """One source's summary line, and its failures on stderr; did it fail?"""
    print(report.line(), flush=True)
    for err in report.errors:
        print(f"footnote: {err}", file=sys.stderr)
    return bool(report.errors)


def cmd_status(args: argparse.Namespace, app: App) -> int:
    """`footnote status`: what the store holds, as lines or (--json) one JSON object."""
    from bot.render.console import render_status, status_json

    st = app.service.status()
    if args.json:
        _print_json(status_json(st))
    else:
        print(render_status(st))
    return EXIT_OK


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


# The page-extraction libraries log their own lines ("ERROR trafilatura.utils: parsed tree
# length: 1, wrong data type or not valid HTML") for a page Footnote reports anyway.
EXTRACTION_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")

COMMANDS: dict[str, Callable[[argparse.Namespace, App], int]] = {
    "ask": cmd_ask, "search": cmd_search, "summary": cmd_summary, "articles": cmd_articles,
    "ingest": cmd_ingest, "refresh": cmd_refresh, "status": cmd_status, "run": cmd_run,
    "report": cmd_community, "forget": cmd_community,
}


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with logging set up for it."""
    args = build_parser(_site_name(argv)).parse_args(argv)
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
        print(f"footnote: {e}{where}", file=sys.stderr)
        for more in e.errors[1:] if isinstance(e, SourcesFailed) else ():
            print(f"footnote: {more}", file=sys.stderr)
        return exit_status(e)
    except KeyboardInterrupt:
        return interrupted()
    except BrokenPipeError:
        return EXIT_OK
