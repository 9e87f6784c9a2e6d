"""Building the index's arrays: the corpus tokenized chunk by chunk (bot/text/passages.py),
then the three matrices, each handed on by name as soon as it is made, so a build
written straight into its cache file holds one matrix at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from bot.errors import EmptyCorpusError
from bot.index_files import params_bytes, postings_arrays, vocab_bytes
from bot.postings import Blocks, bigram_postings, build_postings
from bot.text.passages import PassageTokens, Spilled, release_free_memory, tokenize_passages


def build_arrays(docs: Iterable[tuple[str, Sequence[str]]], k1: float, b: float,
                 stamps: Callable[[], np.ndarray] | None,
                 put: Callable[[str, np.ndarray | Blocks], object], spill: Path | None
                 ) -> None:
    """Every array `save` writes, handed to `put` by name as soon as it is made (a writer
    drops it then: the build's peak holds one matrix, not three). `spill`: a folder for
    the term ids' temporary files (bot/text/passages.py `Spilled`); then each matrix's
    weights are `Blocks` too, made while they are written."""
    vocab: dict[str, int] = {}
    # vectorised, chunk by chunk (bot/text/passages.py)
    t = tokenize_passages(docs, vocab, spill)
    try:
        _put_matrices(t, len(vocab), k1, b, put, spill)
    finally:
        _drop(t, "p_terms")
        _drop(t, "s_terms")
    put("vocab", vocab_bytes(vocab))
    for name, a in (("passage_article", t.p_art), ("passage_para", t.p_para),
                    ("sent_ptr", t.sent_ptr), ("sent_spans", t.s_spans),
                    ("sent_number", t.s_num)):
        put(name, a)
    if stamps is not None:
        put("stamps", stamps())
    put("params", params_bytes(k1, b))


def _put_matrices(t: PassageTokens, n_terms: int, k1: float, b: float,
                  put: Callable[[str, np.ndarray | Blocks], object], spill: Path | None
                  ) -> None:
    """The three matrices' arrays, each handed to `put` as it is made (as `build_arrays`
    says of `spill`)."""
    lazy = spill is not None
    if not len(t.p_lens):
        raise EmptyCorpusError("There are no articles to search yet.")
    for name, a in postings_arrays(
            "passages", build_postings(t.p_terms, t.p_lens, n_terms, k1, b, keep_tf=True,
                                       lazy=lazy, spill=spill)):
        put(name, a)
    _drop(t, "p_terms")
    release_free_memory()  # each step's temporary arrays, before the next one's
    # The word pairs' matrix is made by a thread of its own while the sentences' is: both
    # are numpy sorts and sums over the same term ids, mostly without the GIL.
    pairs = _Beside(bigram_postings, t.s_terms, t.s_lens, t.sent_ptr, n_terms, k1, b, lazy,
                    spill)
    try:
        # Re-ranking features need no float64 exactness; float32 halves their memory.
        for name, a in postings_arrays(
                "sentences", build_postings(t.s_terms, t.s_lens, n_terms, k1, b, np.float32,
                                            lazy=lazy, spill=spill)):
            put(name, a)
    except KeyboardInterrupt:
        raise  # not kept waiting: the pairs' thread ends on its own, its result unused
    except BaseException:
        pairs.wait()  # the term ids it reads are closed next
        raise
    bigram_keys, bigrams = pairs.result()
    release_free_memory()
    _drop(t, "s_terms")
    put("bigram_keys", bigram_keys)
    for name, a in postings_arrays("bigrams", bigrams):
        put(name, a)
    del bigrams, bigram_keys
    release_free_memory()


class _Beside:
    """A call made by a daemon thread of its own beside the caller's work (nothing waits
    for it at exit, unlike an executor's threads)."""

    def __init__(self, fn: Callable, *args: object) -> None:
        self._result: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args),
                                        name="footnote-pairs", daemon=True)
        self._thread.start()

    def _run(self, fn: Callable, args: tuple) -> None:
        try:
            self._result = fn(*args)
        except BaseException as e:  # noqa: BLE001 - raised by result()
            self._error = e

    def wait(self) -> None:
        self._thread.join()

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


def _drop(t: PassageTokens, field: str) -> None:
    """Let go of one of the token arrays (a temporary file's is closed, so removed)."""
    terms = getattr(t, field)
    if isinstance(terms, Spilled):
        terms.close()
    setattr(t, field, None)
