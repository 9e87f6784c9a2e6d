"""Whole chunks of passages -> term ids, exactly as `bot.text.tokenize` + a vocabulary would.

The chunk is tokenized at once by the vectorised tokenizer (bot/text/chunk_words.py): words
found with numpy over the chunk's UTF-8 bytes, each distinct word stemmed once. The results
are numpy arrays: no Python object is made per token.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.text.chunk import Chunk, prepare
from bot.text.chunk_words import ChunkWords

SLICE = 2048  # passages scanned at once


class ChunkTermIds(ChunkWords):
    """`TermIds` for many passages at once: (flat term ids, tokens per passage)."""

    def many(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids of `texts` laid end to end (int32), and each text's token count."""
        ids, lengths = [], []
        for start in range(0, len(texts), SLICE):  # bounds the per-byte temporary arrays
            chunk = Chunk([prepare(t)[0] for t in texts[start: start + SLICE]])
            found = self.scan(chunk)
            ends = found.before(chunk.ends)
            ids.append(found.ids)
            lengths.append(np.diff(ends, prepend=0))
        if not ids:
            return np.zeros(0, np.int32), np.zeros(0, np.int32)
        return np.concatenate(ids), np.concatenate(lengths).astype(np.int32)
