"""Sentence similarity with static word vectors (`wordllama`, an optional extra:
`pip install footnote[vectors]`), for the re-ranking of the best few candidates.

A quiz or reader question is usually written from one sentence of the article, in other
words than it: the cosine between the question's mean token vector and each sentence's
tells that sentence apart where the shared words do not. wordllama ships its 16 MB weights
in its wheel; they are read from the package's own folder, never downloaded.

Off unless switched on, by `answers.vectors = true` in the config or FOOTNOTE_VECTORS=on
(which overrides the config either way): it raises the news questions' ans@1 from 0.590 to
0.610, but costs about 1.5-3 ms a question at 100k passages, which the < 5 ms a question
target cannot take (README, "Real readers' questions"). Off, `load()` returns None and the
re-ranking is the lexical one alone. Switched on without the extra installed, `configure`
(called by the composition root) refuses to start with a ConfigError saying how to fix it.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

import numpy as np

from bot.errors import ConfigError

log = logging.getLogger(__name__)

# The files wordllama's default model ("l2_supercat", 256 dimensions) ships in its wheel.
WEIGHTS_FILE = "l2_supercat_256.safetensors"
TOKENIZER_FILE = "l2_supercat_tokenizer_config.json"

_lock = threading.Lock()
_model: Vectors | None = None
_tried = False
_configured = False  # answers.vectors, set by configure(); FOOTNOTE_VECTORS overrides it

ENV = "FOOTNOTE_VECTORS"
_ON = ("on", "1", "yes", "true")
_OFF = ("off", "0", "no", "false")
EXTRA_MISSING = ("word vectors are switched on ({why}) but the `vectors` extra is not "
                 "installed: pip install 'footnote[vectors]', or switch them off")


MAX_CACHED_WORDS = 200_000  # word -> token ids memo, cleared when it grows past this


class Vectors:
    """Mean token vectors of texts, unit length, from wordllama's embedding table and
    tokenizer: the same as `WordLlama.embed(texts, norm=True)`. Each space-separated word is
    tokenized alone and its token ids kept (wordllama's pieces never cross a space), so a
    question only tokenizes the few words it has not met before."""

    def __init__(self, embedding: np.ndarray, tokenizer) -> None:
        self.embedding = np.ascontiguousarray(embedding, dtype=np.float32)
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self._ids: dict[str, tuple[int, ...]] = {}

    def _token_ids(self, words: list[str]) -> list[tuple[int, ...]]:
        """Each word's token ids, from the memo or tokenized now (safe across threads: a
        memo cleared meanwhile only costs tokenizing again)."""
        memo = self._ids
        local = {w: memo.get(w) for w in dict.fromkeys(words)}
        new = [w for w, ids in local.items() if ids is None]
        if new:
            limit = self.embedding.shape[0] - 1
            encoded = self.tokenizer.encode_batch(new, add_special_tokens=False)
            fresh = {w: tuple(min(i, limit) for i in e.ids)
                     for w, e in zip(new, encoded, strict=True)}
            local.update(fresh)
            if len(memo) + len(fresh) > MAX_CACHED_WORDS:
                memo.clear()
            memo.update(fresh)
        return [local[w] for w in words]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (zeros for a text without words)."""
        from scipy.sparse import csr_matrix  # here: a start without the vectors skips scipy

        words = [t.split() for t in texts]
        ids = self._token_ids(list(chain.from_iterable(words)))
        counts = [len(g) for g in words]
        # Token ids of each text, laid end to end, and which text each belongs to.
        per_word = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(per_word.sum()))
        rows = np.repeat(np.repeat(np.arange(len(texts)), counts), per_word)
        n, dim = self.embedding.shape
        pool = csr_matrix((np.ones(len(flat), np.float32), (rows, flat)), shape=(len(texts), n))
        sums = np.asarray(pool @ self.embedding)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return sums / np.maximum(norms, 1e-12)


def _from_env() -> bool | None:
    """FOOTNOTE_VECTORS as on (True), off (False) or not set (None)."""
    raw = os.environ.get(ENV, "").strip().lower()
    if raw in _ON:
        return True
    if raw in _OFF:
        return False
    if raw:
        raise ConfigError(f"{ENV} must be on or off, not {raw!r}")
    return None


def switched_on() -> bool:
    """Are word vectors wanted: FOOTNOTE_VECTORS when set, else `answers.vectors`?"""
    try:
        env = _from_env()
    except ConfigError:  # said at start by configure(); never an error mid-answer
        env = None
    return _configured if env is None else env


def installed() -> bool:
    """Is the `vectors` extra (wordllama) installed?"""
    return importlib.util.find_spec("wordllama") is not None


def configure(configured: bool) -> None:
    """Switch word vectors as the config says (`answers.vectors`; FOOTNOTE_VECTORS
    overrides it). ConfigError when they are on but the extra is not installed, or the
    variable is neither on nor off."""
    global _configured, _tried, _model
    env = _from_env()
    on = configured if env is None else env
    if on and not installed():
        why = f"{ENV}={os.environ[ENV].strip()}" if env else "answers.vectors = true"
        raise ConfigError(EXTRA_MISSING.format(why=why))
    with _lock:
        if configured != _configured:
            _configured, _tried, _model = configured, False, None  # decided again


def load() -> Vectors | None:
    """The vectors, loaded once (about 0.3 s; call it off the event loop), or None unless
    switched on (`switched_on`) and the extra is installed.

    The embedding table and tokenizer are read straight from the files wordllama ships in
    its wheel (what `WordLlama.load(cache_dir=<its folder>, disable_download=True)` reads):
    importing wordllama itself pulls in pydantic and requests and takes longer than the
    files do, and nothing here can reach the network."""
    global _model, _tried
    if _tried:
        return _model
    with _lock:
        if not _tried:
            if switched_on():
                _model = _read()
            _tried = True
    return _model


def _read() -> Vectors | None:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        log.info("wordllama is not installed: re-ranking without word vectors")
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    weights = folder / "weights" / WEIGHTS_FILE
    tokenizer = folder / "tokenizers" / TOKENIZER_FILE
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        table = load_file(str(weights))["embedding.weight"]
        return Vectors(table, Tokenizer.from_file(str(tokenizer)))
    except Exception as e:  # any damaged or missing file: the lexical re-ranking alone
        log.warning("cannot read wordllama's vectors (%s): re-ranking without them", e)
        return None


def best_sentence_similarity(vectors: Vectors, question: str,
                             sentences: Sequence[Sequence[str]]) -> np.ndarray:
    """Per passage (its sentences given), the best cosine between the question and one of
    its sentences (0 for a passage without sentences)."""
    counts = np.array([len(g) for g in sentences], dtype=np.int64)
    out = np.zeros(len(sentences))
    if not counts.sum():
        return out
    vecs = vectors.embed([question, *(s for group in sentences for s in group)])
    sims = vecs[1:] @ vecs[0]
    filled = counts > 0
    out[filled] = np.maximum.reduceat(sims, np.concatenate(([0], np.cumsum(counts)[:-1]))[filled])
    return out
