"""Invisible characters removed from articles when they are stored."""

from __future__ import annotations

import re
import unicodedata

# Invisible controls that reorder or hide text (a "Trojan Source" bidi override can make a
# quote read differently from what it says) and stray zero-width characters. Removed from
# articles when they are stored, so every quote is verbatim from the stored passage.
_ALWAYS_REMOVED = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u200b\ufeff\u2060"  # zero-width space, BOM / zero-width no-break space, word joiner
)
_JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner: meaningful between some chars
_INVISIBLE = re.compile("[" + "".join(sorted(_ALWAYS_REMOVED)) + _JOINERS + "]")
# Scripts whose letters join or form conjuncts, where ZWJ/ZWNJ choose a shape: Arabic,
# Syriac, Thaana, N'Ko, the Indic scripts, Sinhala, Thai to Tibetan, Myanmar, Khmer,
# Mongolian, and Arabic presentation forms.
_JOINING_RANGES = (
    (0x0600, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F),
    (0x1780, 0x18AF), (0xA8E0, 0xA8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE),
)
# Emoji and what continues an emoji sequence (variation selector 16, keycap, skin tones
# and tags live inside these ranges or are symbols).
_EMOJI_RANGES = (
    (0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x27BF), (0x2900, 0x297F),
    (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF), (0xE0020, 0xE007F),
)


def _joinable(ch: str) -> bool:
    """May a zero-width (non-)joiner stand next to this character?"""
    cp = ord(ch)
    if ch in "\ufe0f\u20e3" or unicodedata.category(ch) == "So":
        return True
    if any(a <= cp <= z for a, z in _EMOJI_RANGES):
        return True
    return unicodedata.category(ch)[0] in "LM" and any(a <= cp <= z for a, z in _JOINING_RANGES)


def strip_invisible(text: str) -> str:
    """Remove bidi controls and stray zero-width characters; keep a zero-width (non-)joiner
    only between emoji (👩‍💻) or letters of joining scripts. Pure; idempotent."""
    if not _INVISIBLE.search(text):
        return text
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _ALWAYS_REMOVED:
            continue
        if ch in _JOINERS:
            j = i + 1  # the next character that will be kept, skipping removed ones
            while j < n and text[j] in _ALWAYS_REMOVED:
                j += 1
            if not (out and j < n and _joinable(out[-1]) and _joinable(text[j])):
                continue
        out.append(ch)
    return "".join(out)
