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


class ChunkTermIds(ChunkWords):
    """`TermIds` for many passages at once: (flat term ids, tokens per passage)."""

    def many(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids of `texts` laid end to end (int32), and each text's token count."""
        chunk = Chunk([prepare(t)[0] for t in texts])
        found = self.scan(chunk)
        ends = found.before(chunk.ends)
        lengths = np.diff(ends, prepend=0) if len(ends) else ends
        return found.ids, lengths.astype(np.int32)
