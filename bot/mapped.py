"""The arrays of a saved `.npz` file, its large ones memory-mapped instead of copied.

`np.savez` stores each array uncompressed (a plain `.npy` inside the zip), so a large one
can be mapped where it lies: a start at 1M passages then reads a few megabytes instead of
copying gigabytes (and computing their CRC), and the pages are read on first use and shared
with the page cache. Small arrays are read as numpy reads them, their CRC checked. A mapped
array is read-only; the files are only ever replaced whole (`bot.index.write_atomically`),
never written in place, so a mapping stays valid while the file is replaced or removed.
"""

from __future__ import annotations

import mmap
import struct
import zipfile
from typing import IO

import numpy as np

MAP_BYTES = 1 << 20  # arrays from this size on are mapped
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip member's local file header


class Arrays:
    """The arrays of an open `.npz` file by name (`files`: their names)."""

    def __init__(self, f: IO[bytes]) -> None:
        self._npz = np.load(f, allow_pickle=False)
        self.files = self._npz.files
        self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def __enter__(self) -> Arrays:
        return self

    def __exit__(self, *exc) -> None:
        self._npz.close()  # the mapping lives on in the arrays made from it

    def __contains__(self, name: str) -> bool:
        return name in self.files

    def get(self, name: str, default: np.ndarray | None = None) -> np.ndarray | None:
        return self[name] if name in self.files else default

    def __getitem__(self, name: str) -> np.ndarray:
        info = self._npz.zip.getinfo(f"{name}.npy")
        if info.file_size < MAP_BYTES or info.compress_type != zipfile.ZIP_STORED:
            return self._npz[name]
        return self._mapped(info)

    def _mapped(self, info: zipfile.ZipInfo) -> np.ndarray:
        """The member's array over the mapping (ValueError if it does not fit the file)."""
        at = info.header_offset
        head = _LOCAL_HEADER.unpack(self._map[at:at + _LOCAL_HEADER.size])
        if head[0] != b"PK\x03\x04":
            raise ValueError(f"{info.filename}: no local header")
        start = at + _LOCAL_HEADER.size + head[-2] + head[-1]
        view = memoryview(self._map)[start:start + info.file_size]
        if len(view) != info.file_size:
            raise ValueError(f"{info.filename}: truncated")
        reader = _Reader(view)
        version = np.lib.format.read_magic(reader)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(reader)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(reader)
        else:
            raise ValueError(f"{info.filename}: .npy version {version}")
        if dtype.hasobject:
            raise ValueError(f"{info.filename}: objects are never loaded")
        count = int(np.prod(shape, dtype=np.int64))
        if reader.at + count * dtype.itemsize != info.file_size:
            raise ValueError(f"{info.filename}: its size does not fit its shape")
        array = np.frombuffer(view, dtype=dtype, count=count, offset=reader.at)
        return array.reshape(shape, order="F" if fortran else "C")


class _Reader:
    """A file-like reader over a memoryview (what numpy's header readers take)."""

    def __init__(self, view: memoryview) -> None:
        self.view, self.at = view, 0

    def read(self, n: int) -> bytes:
        out = bytes(self.view[self.at:self.at + n])
        self.at += len(out)
        return out
