"""English word frequencies (wordfreq's zipf scale) without loading wordfreq in each process.

The answer policy weighs each question word by its English frequency (bot/policy/).
Importing wordfreq and reading its English list costs about half a second of CPU, paid by
every process on its first question: a tenth of a `footnote ask` batch of 1,000 questions.
So wordfreq's English list (word -> frequency) is saved once in a compact table in the cache
folder, read in milliseconds, each word found there by binary search, and the few steps
wordfreq takes from a word to its zipf value are taken here, for the words whose steps are
known: lowercase words of letters (Latin ones, accented or not) and digits, joined by
hyphens, an apostrophe after the third letter ("warsaw's"). wordfreq splits such a word at
its hyphens; a run of digits is looked up as zeros ("2016" as "0000") and weighed by
wordfreq's year and Benford estimates (`digit_freq`, below, as wordfreq computes it); the
parts' frequencies are combined (1/f = 1/f1 + 1/f2 ...) and rounded as wordfreq rounds them.
Any other word is asked of wordfreq itself. tests/test_english.py checks the two agree, on
every word of wordfreq's list and on numbers, compounds and words it lacks. The table is
made again when the installed wordfreq's data file changes.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import re
import unicodedata
from bisect import bisect_left
from functools import cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the table's layout changes
COMMON_WORDS = 30_000  # the most frequent English words kept in order (typo lookups)
CACHE_ENV = "FOOTNOTE_CACHE_DIR"
MINIMUM = 1e-9  # zipf_frequency's floor: zipf 0 (`zipf_to_freq(0)`)

# wordfreq's numbers.py (3.x): a run of 2 or more digits is looked up as zeros, and weighed
# by these estimates.
DIGIT_FREQS = [0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045]
YEAR_LOG_PEAK = -1.9185
NOT_YEAR_PROB = 0.1
REFERENCE_YEAR = 2019
PLATEAU_WIDTH = 20
_DIGITS = re.compile(r"[0-9]{2,}")
# One token as wordfreq reads it: Latin letters and digits; or letters with an apostrophe
# inside after three of them at least (before, wordfreq may split: "l'eau" is "l", "eau";
# by a digit too).
_PART = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def zipf(word: str) -> float:
    """`wordfreq.zipf_frequency(word, "en")`."""
    table = _table()
    parts = _parts(word) if table is not None else None
    if parts is None:
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")
    if not parts:
        return _to_zipf(MINIMUM)
    one_over = 0.0
    for part in parts:
        smashed = _DIGITS.sub(lambda m: "0" * len(m.group(0)), part)
        freq = table.freq(smashed)
        if freq is None:
            return _to_zipf(MINIMUM)  # a part wordfreq lacks: its floor, unrounded
        if smashed != part:
            freq *= digit_freq(part)
        one_over += 1.0 / freq
    freq = max(1.0 / one_over, MINIMUM)
    return _to_zipf(round(freq, math.floor(-math.log(freq, 10)) + 3))


def known_zipf(word: str) -> float:
    """`zipf` for a word the table can answer for; 0 (rare) for one it cannot (capitals,
    dots, other scripts: "U.S.", "O'Brien"), without loading wordfreq for it. For checks
    of whether a word is common, in a process that answers questions."""
    return 0.0 if _parts(word) is None else zipf(word)


def _to_zipf(freq: float) -> float:
    return round(math.log(freq, 10) + 9, 2)


def _parts(word: str) -> list[str] | None:
    """The tokens wordfreq reads in the word (its hyphens split it), or None when the word
    is not one whose tokens are known here."""
    if not word:
        return []  # no token: wordfreq's floor
    if word.casefold() != word:
        return None
    if not word.isascii() and (not unicodedata.is_normalized("NFC", word) or any(
            not c.isascii() and not unicodedata.name(c, "").startswith("LATIN ")
            for c in word)):
        return None
    parts = word.split("-")
    for part in parts:
        if not _PART.fullmatch(part) or not part.isascii() and not part.replace("'", "").isalpha():
            return None
        if "'" in part and (part.index("'") < 3 or not part.replace("'", "").isalpha()):
            return None
    return parts


def digit_freq(text: str) -> float:
    """wordfreq's estimate of how often the digit runs of `text` are the digits they are."""
    freq = 1.0
    for run in _DIGITS.findall(text):
        freq *= year_freq(run) if len(run) == 4 else benford_freq(run)
    return freq


def benford_freq(text: str) -> float:
    return DIGIT_FREQS[int(text[0])] / 10 ** (len(text) - 1)


def year_freq(text: str) -> float:
    year = int(text)
    if year <= REFERENCE_YEAR:
        year_log_freq = YEAR_LOG_PEAK - 0.0083 * (REFERENCE_YEAR - year)
    elif REFERENCE_YEAR < year <= REFERENCE_YEAR + PLATEAU_WIDTH:
        year_log_freq = YEAR_LOG_PEAK
    else:
        year_log_freq = YEAR_LOG_PEAK - 0.2 * (year - (REFERENCE_YEAR + PLATEAU_WIDTH))
    return 10.0**year_log_freq + NOT_YEAR_PROB * benford_freq(text)


def common_words() -> list[str]:
    """The COMMON_WORDS most frequent English words that are all letters, most frequent
    first: `[w for w in wordfreq.top_n_list("en", COMMON_WORDS) if w.isalpha()]`."""
    table = _table()
    return table.common if table is not None else _wordfreq_common()


def _wordfreq_common() -> list[str]:
    from wordfreq import top_n_list

    return [w for w in top_n_list("en", COMMON_WORDS) if w.isalpha()]


class Table:
    """wordfreq's English list: its words (UTF-8, sorted, laid end to end in `blob` at
    `starts`), each one's frequency band (`which`, into `freqs`), and the common words."""

    def __init__(self, arrays) -> None:
        self.blob = arrays["blob"].tobytes()
        self.starts = arrays["starts"].tolist()
        self.which = arrays["which"]
        self.freqs = arrays["freqs"].tolist()
        self.common = arrays["common"].tobytes().decode().split("\n")
        self.key = arrays["key"].tobytes().decode()

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> bytes:  # the i-th word, for bisect
        return self.blob[self.starts[i]:self.starts[i + 1]]

    def freq(self, word: str) -> float | None:
        key = word.encode()
        i = bisect_left(self, key)
        if i < len(self) and self[i] == key:
            return self.freqs[int(self.which[i])]
        return None


def data_key() -> str | None:
    """What identifies the installed wordfreq's English list (its file's size and time),
    found without importing wordfreq; None without it."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"
    try:
        st = data.stat()
    except OSError:
        return None
    return f"{FORMAT}:{st.st_size}:{st.st_mtime_ns}"


def cache_path() -> Path:
    """FOOTNOTE_CACHE_DIR, else the platform's cache folder for footnote."""
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        import platformdirs

        folder = platformdirs.user_cache_dir("footnote")
    return Path(folder) / "english.npz"


@cache
def _table() -> Table | None:
    """The table, read from the cache folder, or made (and saved there) when it is missing
    or stale; None when wordfreq's data cannot be found (wordfreq is then asked directly)."""
    key = data_key()
    if key is None:
        return None
    from bot.index_files import UNREADABLE, save_arrays

    path = cache_path()
    try:
        # Our own file object, closed however reading fails (numpy's may be left open).
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as z:
            table = Table(z)
        if table.key == key:
            return table
    except UNREADABLE:
        pass  # missing, damaged or foreign: made again
    arrays = build_arrays(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_arrays(path, arrays)
    except OSError as e:  # a read-only home: kept for this process only
        log.debug("english word table not saved to %s: %s", path, e)
    return Table(arrays)


def build_arrays(key: str) -> dict[str, np.ndarray]:
    """The table's arrays, from wordfreq's English list."""
    from wordfreq import get_frequency_dict

    freqs = get_frequency_dict("en")
    words = sorted(w.encode() for w in freqs)
    band: dict[float, int] = {}
    which = np.empty(len(words), dtype=np.uint16)
    for i, w in enumerate(words):
        which[i] = band.setdefault(freqs[w.decode()], len(band))
    starts = np.zeros(len(words) + 1, dtype=np.uint32)  # 3 MB of words
    starts[1:] = np.cumsum([len(w) for w in words])

    def text(s: str) -> np.ndarray:
        return np.frombuffer(s.encode(), dtype=np.uint8)

    return {
        "blob": np.frombuffer(b"".join(words), dtype=np.uint8),
        "starts": starts,
        "which": which,
        "freqs": np.array(list(band), dtype=np.float64),
        "common": text("\n".join(_wordfreq_common())),
        "key": text(key),
    }
