"""SQLite's failures as one `StoreError` line, and writes that wait for another process's
lock, saying so once. Shared by every SQLite-backed store."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from bot.errors import StoreError

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's write lock
FIRST_WAIT = 0.5  # seconds waited silently before saying that we wait

_P = ParamSpec("_P")
_R = TypeVar("_R")

# SQLite's primary result codes, by the name Python gives them, as one line for users.
_REASONS = {
    "SQLITE_BUSY": "the database is locked by another process",
    "SQLITE_LOCKED": "the database is locked by another process",
    "SQLITE_FULL": "the disk (or the database's size limit) is full",
    "SQLITE_READONLY": "the database is read-only",
    "SQLITE_PERM": "no permission to write the database",
    "SQLITE_CANTOPEN": "the database file cannot be opened",
    "SQLITE_NOTADB": "the file is not a Footnote store (not an SQLite database)",
    "SQLITE_CORRUPT": "the database file is damaged",
    "SQLITE_IOERR": "a disk I/O error",
}


def store_error(error: sqlite3.Error | OSError, path: str) -> StoreError:
    """One clear line for a failure of the store at `path` (kept apart from the line)."""
    if isinstance(error, FileExistsError):
        return StoreError("store unavailable: the data folder is a file, not a folder", path)
    if isinstance(error, OSError):
        return StoreError("store unavailable: cannot create the data folder: "
                          f"{error.strerror or error}", path)
    name = getattr(error, "sqlite_errorname", "") or ""
    reason = next((r for code, r in _REASONS.items()
                   if name == code or name.startswith(code + "_")), str(error))
    return StoreError(f"store unavailable: {reason}", path)


def translated(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Raise SQLite's errors from a store method (whose object has a `path`) as StoreError."""
    @wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as e:
            raise store_error(e, getattr(args[0], "path", "")) from None

    return wrapper


def is_busy(error: sqlite3.Error) -> bool:
    """Did this fail because another connection holds a lock?"""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def patient(db: sqlite3.Connection, write: Callable[[], _R], timeout: float, path: str,
            wait: bool = True) -> _R:
    """Run `write` (statements outside a transaction, or BEGIN: a retry repeats it whole);
    if another process holds the lock, say so once and wait up to `timeout` seconds (with
    `wait=False`, give up after the first brief attempt).

    The first attempt waits only briefly, so the warning comes before the long wait, not
    after it. The connection's busy timeout is left at `timeout`."""
    first = min(FIRST_WAIT, timeout)
    db.execute(f"PRAGMA busy_timeout = {int(first * 1000)}")
    try:
        return write()
    except sqlite3.OperationalError as e:
        if not wait or not is_busy(e) or db.in_transaction or timeout <= first:
            raise
        log.warning("the store %s is locked by another process; waiting up to %.0f s",
                    path, timeout)
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        return write()
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
