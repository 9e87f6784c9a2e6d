"""Bytes that should be text: is it text at all, and which encoding. Pure.

A new user's files come from everywhere: an old export in windows-1252, a latin-1 note, a
PDF or an image saved as `.html`. Text is read whatever its 8-bit encoding; what is not
text is refused in one line instead of reaching a parser that logs or raises its own."""

from __future__ import annotations

SNIFF_BYTES = 8192  # what is looked at to tell text from binary
# Control bytes no text file holds (tab, newline, form feed, carriage return and escape
# are text); a few may be stray, this share of the sniffed bytes is not.
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
CONTROL_SHARE = 0.05
# After UTF-8, what 8-bit text usually is: windows-1252 (what browsers assume for legacy
# pages; it leaves five bytes undefined), then latin-1 (every byte is a character).
FALLBACKS = ("cp1252", "latin-1")


def looks_binary(data: bytes) -> bool:
    """Is this an image, a PDF, an executable, random bytes... rather than text? A NUL byte
    or many control bytes in the first few kilobytes. (UTF-16 text has NULs too: it is not
    read, and saying "binary" is closer to the truth than garbage letters.)"""
    head = data[:SNIFF_BYTES]
    if b"\0" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return bool(head) and controls > CONTROL_SHARE * len(head)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (a byte order mark dropped), else windows-1252, else
    latin-1. The caller says so when it is not UTF-8, and refuses binary data first."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACKS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover
