"""The console commands that read the corpus: `ask`, `search`, `summary`, `articles` and
`status`, each printing text (coloured on a terminal) or JSON.

Apart from the commands that change the store (bot/cli_sources.py) and those of the Discord
bot (bot/cli_discord.py): one module per command group, over the Service the composition
root hands in; each imports what it renders with when it runs (bot/cli.py says why).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from bot.cli_parser import EXIT_OK, SEARCH_DEPTH, SEARCH_LIMIT, SEARCH_MAX
from bot.errors import FootnoteError, UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from bot.app import App
    from bot.service import Service


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def cmd_ask(args: argparse.Namespace, app: App) -> int:
    """`footnote ask`: one question, or one per stdin line with `-`."""
    from bot.render.console import render_answer

    service = app.service
    if args.top is not None and not 1 <= args.top <= 50:
        raise UsageError("--top must be between 1 and 50")
    when = _as_of(args.as_of)
    if args.dated and args.question != "-":
        raise UsageError("--dated reads questions from stdin: give - as the question")
    if args.question == "-":
        return _ask_batch(service, args.top, when, args.dated)
    ans = service.ask(args.question, args.top, when)
    if args.json:
        _print_json(ans.to_json())
    else:
        print(render_answer(ans, _color()))
    return EXIT_OK


def _as_of(value: str | None) -> datetime | None:
    """`--as-of`: a date (or a time) the question is taken as asked at, in UTC."""
    from bot.kinds.recency import as_of

    if value is None:
        return None
    when = as_of(value)
    if when is None:
        raise UsageError(f"--as-of: {value!r} is not a date Footnote reads (try 2024-05-31)")
    return when


def _ask_batch(service: Service, top: int | None, when: datetime | None = None,
               dated: bool = False) -> int:
    """One question per stdin line, one JSON object per output line, one process; `dated`:
    each line is the date it is asked on, a tab, then the question (benchmarks of news
    quizzes, each asked in its week)."""
    from bot.models import Answer

    service.corpus()  # load once, before the loop
    out = sys.stdout
    for line in sys.stdin:
        question = line.rstrip("\n")
        # One output line per input line, always: a blank question gets an error object.
        try:
            asked = when
            if dated:
                day, _, question = question.partition("\t")
                asked = _as_of(day)
            record = service.ask(question, top, asked).to_json()
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


def cmd_status(args: argparse.Namespace, app: App) -> int:
    """`footnote status`: what the store holds, as lines or (--json) one JSON object."""
    from bot.render.console import render_status, status_json

    st = app.service.status()
    if args.json:
        _print_json(status_json(st))
    else:
        print(render_status(st))
    return EXIT_OK


