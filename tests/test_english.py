"""bot/english.py: wordfreq's English frequencies from a table in the cache folder, the same
values wordfreq gives, without loading wordfreq."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest
from wordfreq import get_frequency_dict, top_n_list, zipf_frequency

from bot import english

ODD = [
    "", "a", "islands", "kuril", "islnads", "zqxjzqxj", "50", "2016", "1897", "2039", "2045",
    "0", "007", "123456", "50th", "3rd", "1950s", "5fm", "half-time", "30-second", "15-1",
    "3rd-and-9", "x-men", "play-by-play", "pre-game", "merceds-benz", "19th-century",
    "beyoncé", "kraków", "skłodowska", "skłodowskacuri", "pokémon", "naïve", "café",
    "warsaw's", "o'neill", "don't", "d'arcy", "l'eau", "it's", "pvg'4", "ß", "groß", "α",
    "über-cool", "co-op", "-", "a--b", "'s", "tokyo's", "ǆ", "ıi", "２０", "x²",
]


@pytest.fixture
def fresh(monkeypatch, tmp_path, _cache_dir):
    """A cache folder of its own holding a copy of the session's table, read again."""
    english.zipf("the")  # the session's table, made once
    shutil.copy(_cache_dir / "english.npz", tmp_path / "english.npz")
    monkeypatch.setenv(english.CACHE_ENV, str(tmp_path))
    english._table.cache_clear()
    yield tmp_path
    english._table.cache_clear()


class Made(Exception):
    """What a stand-in for `build_arrays` raises: the table was being made again."""


def made_again(key: str):
    raise Made(key)


def test_zipf_is_wordfreqs_on_its_list_and_on_numbers_compounds_and_words_it_lacks():
    words = list(get_frequency_dict("en"))[::97]  # 3,300 of its 321,000 words, all bands
    numbers = [str(n) for n in range(0, 3000, 7)] + [f"{n}th" for n in range(0, 3000, 97)]
    compounds = [f"{a}-{b}" for a, b in zip(words[::50], words[7::50], strict=False)]
    for word in [*ODD, *words, *numbers, *compounds]:
        assert english.zipf(word) == zipf_frequency(word, "en"), word


def test_the_common_words_are_wordfreqs_most_frequent_words_of_letters():
    expected = [w for w in top_n_list("en", english.COMMON_WORDS) if w.isalpha()]
    assert english.common_words() == expected


def test_a_process_reads_the_saved_table_and_never_loads_wordfreq(fresh):
    probe = ("import sys; from bot import english; "
             "print(english.zipf('islands'), english.zipf('2016'), english.zipf('half-time'), "
             "'wordfreq' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [str(zipf_frequency(w, "en")) for w in ("islands", "2016", "half-time")] + [
        "False"]


def test_the_saved_table_is_read_not_made(fresh, monkeypatch):
    monkeypatch.setattr(english, "build_arrays", made_again)
    assert english.zipf("kuril") == zipf_frequency("kuril", "en")


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_table_is_made_again(fresh, monkeypatch, damage):
    path = fresh / "english.npz"
    path.write_bytes(b"not a table" if damage == "garbage" else path.read_bytes()[:5000])
    monkeypatch.setattr(english, "build_arrays", made_again)
    with pytest.raises(Made):
        english.zipf("kuril")


def test_a_table_of_other_wordfreq_data_is_made_again(fresh, monkeypatch):
    monkeypatch.setattr(english, "data_key", lambda: "another wordfreq")
    monkeypatch.setattr(english, "build_arrays", made_again)
    with pytest.raises(Made, match="another wordfreq"):
        english.zipf("kuril")


def test_without_a_writable_cache_folder_the_table_is_kept_in_memory(fresh, monkeypatch):
    def tiny(key: str) -> dict:
        words = [b"kuril", b"treaty"]
        return {"blob": np.frombuffer(b"".join(words), np.uint8),
                "starts": np.array([0, 5, 11], np.uint32), "which": np.array([0, 1], np.uint16),
                "freqs": np.array([1e-7, 1e-5]), "common": np.frombuffer(b"treaty", np.uint8),
                "key": np.frombuffer(key.encode(), np.uint8)}

    blocker = fresh / "file"
    blocker.write_text("")
    monkeypatch.setenv(english.CACHE_ENV, str(blocker / "cache"))  # under a file: unwritable
    monkeypatch.setattr(english, "build_arrays", tiny)
    assert (english.zipf("kuril"), english.zipf("treaty")) == (2.0, 4.0)
    assert english.common_words() == ["treaty"]
