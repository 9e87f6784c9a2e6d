"""Marking the question's words in a quote, shared by every renderer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.text import word_spans


def highlight(
    text: str,
    stems: Iterable[str],
    mark: Callable[[str], str],
    escape: Callable[[str], str] = lambda s: s,
    beside: str = "",
) -> str:
    """`text` with every word whose stem is in `stems` passed through `mark`.

    Neighbouring marked words joined by spaces are marked as one run ("**Kuril Islands**").
    Everything else goes through `escape` (Discord markdown escaping, for instance). A run
    right next to one of the characters in `beside` is left as it is: where the text's own
    markers are shown unescaped (`**Kuril Islands**` in an article, on a plain console),
    marking it again would print `****Kuril Islands****`.
    """
    wanted = set(stems)
    runs: list[tuple[int, int]] = []
    for start, end, stem in word_spans(text):
        if stem not in wanted:
            continue
        if runs and text[runs[-1][1] : start].strip() == "":
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    out: list[str] = []
    pos = 0
    if beside:
        runs = [(a, b) for a, b in runs
                if not any(c in beside for c in text[max(a - 1, 0) : a] + text[b : b + 1])]
    for start, end in runs:
        out.append(escape(text[pos:start]))
        out.append(mark(escape(text[start:end])))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)
