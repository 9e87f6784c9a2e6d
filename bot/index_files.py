"""The index's cache file: named arrays in a zip laid out as `np.savez` lays them out
(stored `.npy` members, each 64-byte aligned so it maps without a copy), written
atomically and in slices of each array, so a build can hand over one matrix at a time.
Apart from `bot/index.py` because other caches (the corpus cache, the English word
table) are written the same way."""

from __future__ import annotations

import json
import os
import pickle
import queue
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import numpy as np

from bot.postings import Blocks, Postings

WRITE_BYTES = 1 << 20  # written at a time into the cache file while building
# What reading a damaged or foreign cache file raises (numpy, zip and pickle errors alike):
# each becomes one CacheError, and the cache is rebuilt.
UNREADABLE = (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, AttributeError,
              zipfile.BadZipFile, zlib.error, pickle.UnpicklingError)


def postings_arrays(name: str, p: Postings) -> list[tuple[str, np.ndarray]]:
    """The arrays of one matrix as `save` names them."""
    out = [(f"{name}.{field}", getattr(p, field))
           for field in ("indptr", "indices", "data", "idf", "df", "tf", "lengths")
           if getattr(p, field) is not None]
    return [*out, (f"{name}.n_docs", np.array(p.n_docs))]


def vocab_bytes(vocab: dict[str, int]) -> np.ndarray:
    return np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8)


def params_bytes(k1: float, b: float) -> np.ndarray:
    return np.frombuffer(json.dumps([k1, b]).encode(), dtype=np.uint8)


ALIGN = 64  # bytes: a mapped array's data starts on such a boundary
ALIGN_FIELD = 0xA11A  # the padding's extra-field id (unknown ids are skipped by readers)


def save_arrays(path: Path, arrays: dict[str, np.ndarray | Blocks]) -> None:
    """What `np.savez(path, **arrays)` writes, atomically, each array written in slices of
    itself (no copy of it in memory)."""
    def write(f: IO[bytes]) -> None:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
            for name, array in arrays.items():
                add_member(z, name, array)

    write_atomically(path, write)


class Cancelled(Exception):
    """A member's writing stopped half way (`add_member`'s `stop`): the build failed."""


def add_member(z: zipfile.ZipFile, name: str, array: np.ndarray | Blocks,
               stop: threading.Event | None = None) -> None:
    """One array written into an open zip as `np.savez` writes it (a stored `.npy`, the same
    header), so `load` reads and maps it alike. Its bytes go out in slices of the array
    itself: numpy's `write_array` copies 16 MB at a time into a zip member, which would add
    to the build's peak. `stop`: once set, Cancelled is raised at the next slice."""
    if isinstance(array, Blocks):
        header = {"descr": np.lib.format.dtype_to_descr(array.dtype), "fortran_order": False,
                  "shape": (array.size,)}
        parts: Iterable[np.ndarray] = array.blocks
    else:
        array = np.asarray(array)
        if not array.flags.c_contiguous:
            array = array.copy()  # (np.ascontiguousarray would make a 0-d array 1-d)
        header = np.lib.format.header_data_from_array_1_0(array)
        parts = (array,)
    written = 0
    with z.open(_aligned_member(z, f"{name}.npy"), "w", force_zip64=True) as f:
        np.lib.format.write_array_header_1_0(f, header)
        for part in parts:
            flat = part.reshape(-1).view(np.uint8)
            for at in range(0, len(flat), WRITE_BYTES):
                if stop is not None and stop.is_set():
                    raise Cancelled(name)
                f.write(memoryview(flat[at:at + WRITE_BYTES]))
            written += part.size
    if isinstance(array, Blocks) and written != array.size:
        raise ValueError(f"{name}: {written} weights made, {array.size} announced")


class MemberWriter:
    """Arrays written into an open zip (`add_member`) by a thread of its own, in the order
    handed over, while the build goes on making the next ones: writing is copies into the
    page cache and the zip's CRC, both done without the GIL, so on two cores the build's
    numpy work and its writing overlap. At most QUEUED arrays wait (each is held until
    written). `close` waits for the last one and raises what writing raised; after a failed
    build, `abort` stops the writing at its next slice. Either returns only once the thread
    has ended, so the zip is never closed under it (a Ctrl-C while waiting stops the writing
    and is raised once it has stopped)."""

    QUEUED = 4

    def __init__(self, z: zipfile.ZipFile) -> None:
        self._z = z
        self._queue: queue.Queue[tuple[str, np.ndarray | Blocks] | None] = queue.Queue(
            self.QUEUED)
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="footnote-index-writer",
                                        daemon=True)
        self._thread.start()

    def put(self, name: str, array: np.ndarray | Blocks) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((name, array))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None and not self._stop.is_set():  # else only drain the queue
                try:
                    add_member(self._z, *item, stop=self._stop)
                except BaseException as e:  # noqa: BLE001 - raised again by put / close
                    self._error = e

    def close(self) -> None:
        """Wait until everything handed over is written; raise what writing raised."""
        self._end()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        """Stop writing (the build failed): what is queued is dropped, the member being
        written stops at its next slice. Raises nothing but a Ctrl-C while waiting."""
        self._stop.set()
        self._end()

    def _end(self) -> None:
        interrupted = None
        while True:
            try:
                if self._thread.is_alive():
                    self._queue.put(None, timeout=0.05)  # (the thread may be mid-member)
                break
            except queue.Full:
                continue
            except KeyboardInterrupt as e:
                interrupted = interrupted or e
                self._stop.set()
        while self._thread.is_alive():
            try:
                self._thread.join()
            except KeyboardInterrupt as e:  # stop now, and say so once it has stopped
                interrupted = interrupted or e
                self._stop.set()
        if interrupted is not None:
            raise interrupted


def _aligned_member(z: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """A member whose data starts on a 64-byte boundary of the file (padding in an extra
    field readers skip). The `.npy` header pads itself to 64 bytes, so a mapped array is
    aligned: numpy copies an unaligned array whole on every `searchsorted`."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    # Local header: 30 bytes, the name, the extra fields (ours: 4 + padding; zip64's: 20).
    start = z.fp.tell() + 30 + len(name.encode()) + 4 + 20
    pad = -start % ALIGN
    info.extra = ALIGN_FIELD.to_bytes(2, "little") + pad.to_bytes(2, "little") + bytes(pad)
    return info


def write_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write a file through a temporary file of its own in the same folder (so processes
    never share one), flushed to disk, then renamed over `path`: readers see the old file
    or the whole new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


