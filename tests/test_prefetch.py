"""bot/prefetch.py: items read ahead by a thread of their own come out as the iterator
gives them; what reading raises is raised to the caller after the items before it; a
caller stopping early stops the reading thread and closes the iterator."""

from __future__ import annotations

import threading

import pytest

from bot.prefetch import prefetched


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "footnote-prefetch"]


@pytest.mark.parametrize("n", [0, 1, 7, 256, 1000])
@pytest.mark.parametrize("batch", [1, 3, 256])
def test_the_items_come_out_in_order_whatever_the_batch(n, batch):
    assert list(prefetched(iter(range(n)), batch=batch, ahead=1)) == list(range(n))
    assert not _readers()


def test_what_reading_raises_comes_after_the_items_read_before_it():
    def failing():
        yield from range(5)
        raise OSError(5, "disk I/O error")

    got = []
    with pytest.raises(OSError, match="disk I/O error"):
        for item in prefetched(failing(), batch=2):
            got.append(item)
    assert got == [0, 1, 2, 3, 4]
    assert not _readers()


def test_a_caller_stopping_early_closes_the_source_in_its_thread():
    closed = []

    def endless():
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.append(threading.current_thread().name)

    for item in prefetched(endless(), batch=4, ahead=1):
        if item == 10:
            break
    assert closed == ["footnote-prefetch"]
    assert not _readers()


def test_an_error_of_the_caller_stops_the_reading_too():
    seen = []

    def source():
        for i in range(10_000):
            seen.append(i)
            yield i

    with pytest.raises(ValueError):
        for item in prefetched(source(), batch=8, ahead=1):
            if item == 3:
                raise ValueError("tokenizer failed")
    assert not _readers()
    assert len(seen) < 10_000  # it did not read on to the end
