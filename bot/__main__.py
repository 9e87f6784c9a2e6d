"""Composition root: parse argv, load config, open resources, hand them to the front-end.

What opens the resources (the service, the stores, aiohttp, numpy...) is imported once the
command line parsed: `footnote --help` and a mistyped option answer without loading it.
Even the parser is imported inside `main`, so that a Ctrl-C while it loads is an
interruption like any other (one line, status 130), not a traceback."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from bot.app import App
    from bot.config import Config



def main(argv: list[str] | None = None) -> int:
    """Entry point of the `footnote` command and `python -m bot`."""
    try:
        from bot import cli

        args = cli.parse(argv)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130  # cli.EXIT_INTERRUPTED (cli may not be loaded yet)
    return cli.guarded(args, lambda: _serve(args))


def _serve(args: argparse.Namespace) -> int:
    from contextlib import closing

    from bot import cli, vectors
    from bot.config import load_config

    config = load_config(getattr(args, "config", None))
    vectors.configure(config.answers.vectors)  # on without the extra: a config error
    corpus = getattr(args, "corpus", None)
    app = (open_corpus(config, corpus) if corpus
           else open_app(config, config.resolved_data_dir(getattr(args, "data_dir", None))))
    with closing(app):
        return cli.dispatch(args, app)


def open_app(config: Config, data_dir: Path) -> App:
    """The stores in the data folder, or in PostgreSQL with storage.url (seeded when empty),
    the service and its caches (the index cache stays in the data folder)."""
    from bot.app import App
    from bot.community.wiring import open_community
    from bot.config import STORE_FILE
    from bot.service import Service
    from bot.store import open_stores

    stores = open_stores(config.storage_url or data_dir / STORE_FILE)
    try:
        service = Service(stores, config, index_dir=data_dir / "index")
        service.ensure_seeded()
        open_community(service)  # same database; refreshes queue new-article announcements
    except BaseException:
        stores.close()
        raise
    return App(config, stores, service, state_dir=data_dir / "discord")


def open_corpus(config: Config, paths: list[Path]) -> App:
    """A throwaway in-memory set of stores holding just these files (`--corpus`)."""
    from bot.app import App
    from bot.errors import SourcesFailed, UsageError
    from bot.ingest import ingest_paths
    from bot.service import Service
    from bot.store import open_stores

    stores = open_stores(":memory:")
    app = App(config, stores, Service(stores, config))
    try:
        report = ingest_paths(app.service, paths)
        if report.errors:  # a source error: name every bad file and line, answer nothing
            raise SourcesFailed(report.errors)
        if not app.service.counts()[0]:
            raise UsageError("no articles could be loaded from --corpus")
    except BaseException:
        app.close()
        raise
    return app


if __name__ == "__main__":
    sys.exit(main())
