"""The resources the composition root (bot.__main__) opens and hands to a front-end: the
config, the stores, the service, the bot's state folder, and the process's one event loop
and HTTP session for the commands that fetch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import aiohttp

from bot.config import Config
from bot.ingest import Refresher
from bot.service import Service
from bot.sources.crawl import Progress
from bot.sources.http import new_session
from bot.store import Stores

_T = TypeVar("_T")


@dataclass
class App:
    """What a front-end is given; it builds none of it."""

    config: Config
    stores: Stores
    service: Service
    state_dir: Path | None = None  # the Discord state (command-sync markers); None: kept nowhere

    def run(self, work: Callable[[aiohttp.ClientSession], Awaitable[_T]]) -> _T:
        """Run `work` in the process's one event loop with its one HTTP session."""
        async def main() -> _T:
            async with new_session(self.config.fetch) as session:
                return await work(session)

        return asyncio.run(main())

    def refresher(self, session: aiohttp.ClientSession,
                  progress_factory: Callable[[str], Progress | None] | None = None
                  ) -> Refresher:
        """The configured sources' refresher over this session."""
        return Refresher(self.service, session, progress_factory)

    def close(self) -> None:
        """Close the stores."""
        self.stores.close()
