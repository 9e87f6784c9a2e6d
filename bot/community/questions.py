"""Is a chat message a question worth an automatic answer? Pure."""

from __future__ import annotations

import re

# English openers of a direct question ("does anyone know…" counts, "thanks!" does not).
_OPENERS = re.compile(
    r"^\W*(?:(?:hey|hi|hello|ok|okay|so|and|but|also|quick q\w*|bot|footnote|folks|all)"
    r"[\s,:!.]*)*"
    r"(?:who|whom|whose|what|when|where|why|how|which|is|are|was|were|can|could|does|do|"
    r"did|should|would|will|has|have|had|anyone|any\s?one|somebody|someone)\b",
    re.I,
)
MIN_WORDS = 3  # "why?" or "what is it" carry no topic to look up
MAX_CHARS = 1500  # longer messages are discussions, not questions


def is_question(text: str) -> bool:
    """A message that asks something: a question mark or a question word first, a few words
    long, not a link or a code block alone."""
    body = re.sub(r"```.*?```|`[^`]*`|https?://\S+|<[@#:!&a-z0-9_]*\d+>", " ", text,
                  flags=re.S | re.I)
    words = re.findall(r"[^\W_]+", body)
    if len(words) < MIN_WORDS or len(text) > MAX_CHARS:
        return False
    return "?" in body or bool(_OPENERS.match(body))
