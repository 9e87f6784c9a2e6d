"""The one aiohttp session and polite fetching: timeouts, size cap, retries, robots.txt."""

from __future__ import annotations

import aiohttp

from bot import __version__
from bot.config import FetchConfig

USER_AGENT = f"Footnote/{__version__} (+https://github.com/footnote-bot/footnote)"


def new_session(cfg: FetchConfig) -> aiohttp.ClientSession:
    """The process's one ClientSession, created by the composition root and passed down."""
    timeout = aiohttp.ClientTimeout(
        total=None, connect=cfg.connect_timeout_seconds, sock_read=cfg.timeout_seconds
    )
    return aiohttp.ClientSession(
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
        connector=aiohttp.TCPConnector(limit=32, limit_per_host=max(cfg.per_host_concurrency, 1)),
    )
