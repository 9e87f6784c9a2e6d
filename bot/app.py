"""The resources the composition root (bot.__main__) opens and hands to a front-end: the
config, the stores, the service, the bot's state folder, and the process's one event loop
and HTTP session for the commands that fetch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.config import Config
from bot.service import Service
from bot.store import Stores

if TYPE_CHECKING:  # imported where used: `ask` and `search` start without aiohttp (0.6 s)
    import aiohttp

    from bot.refresh import Refresher
    from bot.sources.crawl import Progress

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
        import asyncio

        from bot.sources.http import new_session

        async def main() -> _T:
            async with new_session(self.config.fetch) as session:
                return await work(session)

        return asyncio.run(main())

    def refresher(self, session: aiohttp.ClientSession,
                  progress_factory: Callable[[str], Progress | None] | None = None
                  ) -> Refresher:
        """The configured sources' refresher over this session."""
        from bot.refresh import Refresher

        return Refresher(self.service, session, progress_factory)

    def close(self) -> None:
        """Close the stores, once no background merge reads them."""
        self.service.stop_merging()
        self.stores.close()
