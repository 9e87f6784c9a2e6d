"""`Index.build(path=...)`: the index written to its cache file as it is built (each matrix
dropped once written) and mapped back. It must equal a build in memory saved with `save`,
read back as `load` reads it; a failed write leaves no file behind, and the Service then
builds in memory and still answers."""

from __future__ import annotations

import json
import os
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from bot import index_files as index_mod
from bot import mapped
from bot.config import Config
from bot.index import Index
from bot.service import Service
from bot.store import open_stores
from tests.test_index import _articles, _random_corpus
from tests.test_live_index import _random_article

FIELDS = ("indptr", "indices", "data", "idf", "df", "n_docs")


def _arrays(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:  # numpy's own reader: CRCs checked too
        return {name: z[name] for name in z.files}


@pytest.mark.parametrize("seed", range(6))
def test_a_build_into_its_file_equals_a_build_in_memory_saved(tmp_path, seed):
    rng = random.Random(seed)
    docs = _random_corpus(rng)
    titles = [rng.choice(["", "Peace summit", "Navy fleet"]) for _ in docs]
    stamps = np.array([[i, 7 * i] for i in range(len(docs))], dtype=np.int64)
    calls = []

    def stamps_of() -> np.ndarray:
        calls.append(True)
        return stamps

    streamed = Index.build(iter(_articles(docs, titles)), path=tmp_path / "a.npz",
                           stamps=stamps_of)
    in_memory = Index.build(_articles(docs, titles))
    in_memory.stamps = stamps
    in_memory.save(tmp_path / "b.npz")
    a, b = _arrays(tmp_path / "a.npz"), _arrays(tmp_path / "b.npz")
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name].dtype == b[name].dtype and np.array_equal(a[name], b[name]), name
    assert calls == [True]
    assert streamed.vocab == in_memory.vocab and np.array_equal(streamed.stamps, stamps)
    for name in ("passages", "sentences", "bigrams"):
        for f in FIELDS:
            assert np.array_equal(getattr(getattr(streamed, name), f),
                                  getattr(getattr(in_memory, name), f)), (name, f)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz", "b.npz"]


def test_the_built_index_is_mapped_from_its_file(tmp_path, monkeypatch):
    monkeypatch.setattr(mapped, "MAP_BYTES", 0)
    index = Index.build(_articles(_random_corpus(random.Random(3))), path=tmp_path / "i.npz")
    for array in (index.passages.data, index.sentences.indices, index.bigrams.data):
        assert not array.flags.owndata and not array.flags.writeable


def test_a_failed_write_while_building_leaves_the_old_file_and_no_temporary(tmp_path,
                                                                            monkeypatch):
    path = tmp_path / "index.npz"
    Index.build(_articles([["peace", "treaty"], ["navy"]]), path=path)
    real_add = index_mod.add_member
    written = []

    def disk_full_on_the_third(z, name, array, stop=None):
        written.append(True)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        real_add(z, name, array, stop)

    monkeypatch.setattr(index_mod, "add_member", disk_full_on_the_third)
    with pytest.raises(OSError):
        Index.build(_articles(_random_corpus(random.Random(1))), path=path)
    assert Index.load(path).size == 2
    assert [p.name for p in tmp_path.iterdir()] == ["index.npz"]


def test_a_build_that_fails_raises_its_own_error_and_leaves_no_writer_running(tmp_path,
                                                                            monkeypatch):
    # The members are written by a thread of their own (index_files.MemberWriter) while the
    # build goes on; a build failing after some were handed over still raises its own
    # error, and the writer thread is gone.
    import threading

    from bot import index_build

    real_bigrams = index_build.bigram_postings

    def fails(*args, **kwargs):
        real_bigrams(*args, **kwargs)
        raise MemoryError("out of memory in the word pairs")

    monkeypatch.setattr(index_build, "bigram_postings", fails)
    with pytest.raises(MemoryError, match="word pairs"):
        Index.build(_articles(_random_corpus(random.Random(2))), path=tmp_path / "i.npz")
    assert not [t for t in threading.enumerate() if t.name == "footnote-index-writer"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fails", ["the file", "a write"])
def test_the_service_builds_in_memory_when_the_cache_cannot_be_written(tmp_path, monkeypatch,
                                                                       caplog, fails):
    stores = open_stores(tmp_path / "s.sqlite3")
    rng = random.Random(4)
    stores.articles.ingest([_random_article(rng, k) for k in range(10)], "src")
    qs = ["peace treaty navy", "whale harbour fleet", "summit of the islands"]

    def answers(svc: Service) -> list[str]:
        return [json.dumps(svc.ask(q, 5).to_json(), sort_keys=True) for q in qs]

    expected = answers(Service(stores, Config()))  # no cache at all
    if fails == "the file":
        def no_file(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr("tempfile.mkstemp", no_file)
    else:
        def disk_full(*args, **kwargs):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(index_mod, "add_member", disk_full)
    svc = Service(stores, Config(), index_dir=tmp_path / "index")
    assert answers(svc) == expected
    assert svc.corpus().index.size == sum(1 for _ in svc.corpus().texts.offsets[1:])
    assert "cannot cache the index" in caplog.text
    assert not list((tmp_path / "index").glob("index-*"))
    stores.close()


def test_members_larger_than_a_slice_are_written_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(index_mod, "WRITE_BYTES", 7)  # every array in many odd slices
    monkeypatch.setattr("bot.postings.SPAN", 5)  # the weights made in many small blocks
    docs = _articles(_random_corpus(random.Random(8)))
    Index.build(docs, path=tmp_path / "a.npz")
    Index.build(docs).save(tmp_path / "b.npz")
    a, b = _arrays(tmp_path / "a.npz"), _arrays(tmp_path / "b.npz")
    assert all(a[n].dtype == b[n].dtype and np.array_equal(a[n], b[n]) for n in b)
    assert a["passages.n_docs"].shape == () and a["sent_spans"].ndim == 2


def test_a_member_is_read_back_as_numpy_reads_it(tmp_path):
    arrays = {"strided": np.arange(12, dtype=np.int32).reshape(3, 4).T, "scalar": np.array(5),
              "empty": np.zeros(0, np.float32), "wide": np.arange(3, dtype=np.uint16)}
    with zipfile.ZipFile(tmp_path / "m.npz", "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        for name, a in arrays.items():
            index_mod.add_member(z, name, a)
    got = _arrays(tmp_path / "m.npz")
    for name, a in arrays.items():
        assert got[name].dtype == a.dtype and got[name].shape == a.shape
        assert np.array_equal(got[name], a)


def _open_files(folder: Path) -> set[str]:
    """The files this process holds open in `folder` (a build's temporary files are made in
    the folder of the file it writes). Only there: other threads (a merge a test before this
    one started in the background, a listener) open and close files of their own meanwhile."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed since the listing
            continue
        if target.startswith(f"{folder}/"):
            found.add(target)
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
@pytest.mark.parametrize("seed", range(4))
def test_term_ids_and_counts_in_temporary_files_give_the_same_file(tmp_path, monkeypatch,
                                                                   seed):
    # Many chunks of paragraphs (their term ids appended to temporary files) and many
    # chunks of counts (spilled, read back twice): the same arrays as a build in memory,
    # and no temporary file left open or in the folder, built or failed.
    monkeypatch.setattr("bot.text.passages.CHUNK", 2)
    monkeypatch.setattr("bot.postings.SPAN", 7)
    docs = _articles(_random_corpus(random.Random(seed)))
    before = _open_files(tmp_path)
    Index.build(iter(docs), path=tmp_path / "a.npz")
    Index.build(docs).save(tmp_path / "b.npz")
    a, b = _arrays(tmp_path / "a.npz"), _arrays(tmp_path / "b.npz")
    assert sorted(a) == sorted(b)
    assert all(a[n].dtype == b[n].dtype and np.array_equal(a[n], b[n]) for n in b)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz", "b.npz"]
    assert _open_files(tmp_path) - before == set()

    real_add = index_mod.add_member

    def disk_full(z, name, array, stop=None):
        if name.startswith("bigrams."):
            raise OSError(28, "No space left on device")
        real_add(z, name, array, stop)

    monkeypatch.setattr(index_mod, "add_member", disk_full)
    with pytest.raises(OSError):
        Index.build(iter(docs), path=tmp_path / "a.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz", "b.npz"]
    assert _open_files(tmp_path) - before == set()


@pytest.mark.parametrize("names", [["a"], ["a", "bb", "a_much_longer_member_name"]])
def test_mapped_arrays_start_on_an_aligned_boundary(tmp_path, monkeypatch, names):
    """Unaligned mapped arrays are copied whole by numpy's searchsorted on each call; every
    member, whatever its name and the sizes before it, starts on a 64-byte boundary."""
    monkeypatch.setattr(mapped, "MAP_BYTES", 1)
    rng = np.random.default_rng(3)
    arrays = {}
    for i, name in enumerate(names * 3):
        dtype = (np.int32, np.float64, np.uint16, np.int8)[i % 4]
        arrays[f"{name}{i}"] = rng.integers(0, 100, size=int(rng.integers(1, 999))).astype(dtype)
    path = tmp_path / "a.npz"
    index_mod.save_arrays(path, arrays)
    with open(path, "rb") as f, mapped.Arrays(f) as z:
        for name, want in arrays.items():
            got = z[name]
            assert got.ctypes.data % index_mod.ALIGN == 0, name
            assert got.flags.aligned and got.dtype == want.dtype
            assert np.array_equal(got, want)
    with np.load(path) as plain:  # still what np.load reads
        assert all(np.array_equal(plain[n], a) for n, a in arrays.items())


def test_an_aborted_writer_stops_mid_member_and_ends_before_the_zip_closes(tmp_path,
                                                                         monkeypatch):
    import threading

    monkeypatch.setattr(index_mod, "WRITE_BYTES", 1024)
    started = threading.Event()
    real_add = index_mod.add_member

    def slow_add(z, name, array, stop=None):
        started.set()
        real_add(z, name, array, stop)

    monkeypatch.setattr(index_mod, "add_member", slow_add)
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as z:
        writer = index_mod.MemberWriter(z)
        for i in range(6):  # more than it may queue: the last puts wait for the writer
            writer.put(f"a{i}", np.zeros(4_000_000, np.uint8))
        started.wait(5)
        writer.abort()  # the member under way stops at its next slice; the rest are dropped
        assert not [t for t in threading.enumerate() if t.name == "footnote-index-writer"]
    # The zip closed without "an open writing handle", and not every member was written.
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        assert len(z.namelist()) < 6
