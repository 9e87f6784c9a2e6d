"""Waiting in tests for something another task, thread or process does.

Deadlines are generous on purpose: a passing test never waits them out, and CI may run the
suite on 2 cores shared with other jobs, where a reload or a first answer that takes a few
milliseconds here can take seconds. A check that must be quick (a change announced by
PostgreSQL, not found by a poll a minute later) bounds its wait against that slower
alternative, not against an idle machine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

WAIT_SECONDS = 60.0


async def until(predicate: Callable[[], object], seconds: float = WAIT_SECONDS) -> None:
    """Poll a cheap predicate until it holds; fail at the deadline."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s")
        await asyncio.sleep(0.02)
