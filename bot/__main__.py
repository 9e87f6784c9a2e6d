"""Composition root: parse argv, load config, open resources, hand them to the front-end."""

from __future__ import annotations

import sys

from bot.cli import run
from bot.config import load_config


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `footnote` command and `python -m bot`."""
    return run(argv, load_config)


if __name__ == "__main__":
    sys.exit(main())
