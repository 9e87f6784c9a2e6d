"""A Service over its own stores and index cache with the idle merge held off, so a test
sees its deltas as it left them (shared by the live-index tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.config import Config
from bot.service import Service
from bot.store import open_stores


@contextmanager
def without_idle_merge(target: Path | str, index_dir: Path) -> Iterator[Service]:
    stores = open_stores(target)
    svc = Service(stores, Config(), index_dir=index_dir)
    svc.merge_idle_seconds = 3600.0
    try:
        yield svc
    finally:
        svc.stop_merging()
        stores.close()
