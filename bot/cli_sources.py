"""The console commands that change the store: `ingest` (files, folders, URLs) and
`refresh` (the configured sources), with a summary line per source and its failures.

Apart from the reading commands (bot/cli_reading.py): these fetch and write, and their exit
status says whether a source failed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli_parser import EXIT_FAILED, EXIT_OK
from bot.errors import UsageError

if TYPE_CHECKING:
    from bot.app import App
    from bot.models import IngestReport


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


def cmd_remove(args: argparse.Namespace, app: App) -> int:
    """`footnote remove`: sources' articles out of the answers (kept in the store)."""
    for target in args.sources:
        name, removed, configured = app.service.remove_source(target)
        print(f"{name}: {removed} removed (kept in the store, no longer searched; ingest it "
              "again to bring them back)")
        if configured:
            print(f"{name}: it is one of the config file's [[sources]]: the next refresh "
                  "brings it back unless you take it out", file=sys.stderr)
    return EXIT_OK


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


