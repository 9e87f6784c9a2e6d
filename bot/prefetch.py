"""Reading ahead: the items of an iterator pulled by a thread of their own while the
caller works on the ones before (a build reading the store while it tokenizes). The store's
reads and the tokenizer's compiled loops run without the GIL, so on two cores they overlap.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_END = object()


def prefetched(items: Iterable[T], batch: int = 256, ahead: int = 2) -> Iterator[T]:
    """The items in order, read `batch` at a time up to `ahead` batches ahead. What reading
    raises is raised here, in order; a caller that stops early (an error, a break) stops
    the reading thread and closes the iterator, from that thread."""
    source = iter(items)
    out: queue.Queue = queue.Queue(ahead)
    stop = threading.Event()

    def read() -> None:
        chunk: list = []
        try:
            for item in source:
                if stop.is_set():  # the caller stopped: no more reading
                    return
                chunk.append(item)
                if len(chunk) >= batch:
                    if not _put(out, chunk, stop):
                        return
                    chunk = []
            if not chunk or _put(out, chunk, stop):
                _put(out, _END, stop)
        except BaseException as e:  # noqa: BLE001 - handed to the caller, after what was read
            if not chunk or _put(out, chunk, stop):
                _put(out, e, stop)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=read, name="footnote-prefetch", daemon=True)
    thread.start()
    try:
        while (got := out.get()) is not _END:
            if isinstance(got, BaseException):
                raise got
            yield from got
    finally:
        stop.set()  # a reader waiting on the full queue sees it within 0.05 s
        thread.join()


def _put(out: queue.Queue, item: object, stop: threading.Event) -> bool:
    """Hand over one item; False when the caller stopped meanwhile."""
    while not stop.is_set():
        try:
            out.put(item, timeout=0.05)
            return not stop.is_set()
        except queue.Full:
            continue
    return False
