"""Passage texts kept in a temporary file while a refresh builds (bot/corpus.py
`PassageTexts(spill=...)`): the same texts and saved bytes as in memory, nothing left in the
folder, and a file that fails part way (no room) leaves every text in memory instead."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot import corpus as corpus_mod
from bot.corpus import PassageTexts
from bot.postings import Blocks

TEXTS = ["", "Peace treaty.", "naïve café — ünïcödé", "\ud800 lone surrogate", "x" * 5000,
         "", "日本語のテキスト", "last"]


def _texts(spill, texts) -> PassageTexts:
    out = PassageTexts(spill)
    for t in texts:
        out.add(t)
    return out.freeze()


def _bytes(texts: PassageTexts) -> bytes:
    stored = texts.stored()
    if isinstance(stored, Blocks):
        parts = list(stored.blocks)
        assert sum(len(p) for p in parts) == stored.size and stored.dtype == np.uint8
        return b"".join(p.tobytes() for p in parts)
    return stored.tobytes()


@pytest.mark.parametrize("seed", range(4))
def test_texts_in_a_temporary_file_equal_texts_in_memory(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(corpus_mod, "STORE_BYTES", random.Random(seed).randint(1, 40))
    texts = random.Random(seed).sample(TEXTS * 3, len(TEXTS) * 3)
    spilled, kept = _texts(tmp_path, texts), _texts(None, texts)
    assert [spilled[i] for i in range(len(texts))] == texts == [kept[i] for i in
                                                               range(len(texts))]
    assert np.array_equal(spilled.offsets, kept.offsets)
    assert isinstance(spilled.stored(), Blocks)  # read from the file, not the mapping
    assert _bytes(spilled) == _bytes(kept) == bytes(kept.data)
    assert list(tmp_path.iterdir()) == []  # an unnamed file: nothing in the folder


def test_no_texts_and_no_folder(tmp_path):
    assert _bytes(_texts(tmp_path, [])) == b""
    assert _texts(tmp_path / "missing", TEXTS)[2] == TEXTS[2]  # in memory, then


@pytest.mark.parametrize("fails_at", [0, 1, 3, 4])
def test_a_full_disk_while_adding_keeps_every_text_in_memory(tmp_path, monkeypatch, fails_at):
    monkeypatch.setattr(corpus_mod, "STORE_BYTES", 5)  # written out every few texts
    texts = PassageTexts(tmp_path)
    file = texts._file
    assert file is not None
    real_write, calls = file.write, []

    class Full:  # the file's writes fail from the `fails_at`-th, after half a text
        def __getattr__(self, name):
            return getattr(file, name)

        def write(self, data):
            calls.append(True)
            if len(calls) > fails_at:
                real_write(bytes(data[:len(data) // 2]))
                raise OSError(28, "No space left on device")
            return real_write(data)

    texts._file = Full()  # type: ignore[assignment]
    for t in TEXTS:
        texts.add(t)
    texts.freeze()
    assert len(calls) > fails_at  # it did fail
    assert texts._file is None and isinstance(texts.data, bytearray)
    assert [texts[i] for i in range(len(TEXTS))] == TEXTS
    assert file.closed
