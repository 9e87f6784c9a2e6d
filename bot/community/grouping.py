"""Grouping readers' questions that ask the same thing (for the editors' report). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.text import tokenize

# Two questions ask the same thing when they share at least this share of the smaller one's
# content words (and at least two words, or all of a one-word question).
SAME = 0.6


@dataclass
class Group:
    """Questions asking about the same thing, the most frequent wording first."""

    questions: list[str] = field(default_factory=list)
    count: int = 0
    words: set[str] = field(default_factory=set)
    indices: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.questions[0] if self.questions else ""


def _same(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return a == b
    shared = len(a & b)
    return shared >= min(2, len(a), len(b)) and shared / min(len(a), len(b)) >= SAME


def group_questions(questions: Sequence[str]) -> list[Group]:
    """Groups of `questions` (by shared content words), largest first, ties by first seen.

    Single linkage over a union-find: "why no peace treaty?" and "why hasn't a peace treaty
    been signed" land together even when a third wording links them only through one."""
    words = [set(tokenize(q)) for q in questions]
    parent = list(range(len(questions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Compare each question with the groups' members sharing a word (an inverted list keeps
    # this near-linear for a report's few thousand questions).
    by_word: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        seen: set[int] = set()
        for w in ws:
            for j in by_word.get(w, ()):
                if j not in seen:
                    seen.add(j)
                    if find(i) != find(j) and _same(ws, words[j]):
                        parent[find(i)] = find(j)
            by_word.setdefault(w, []).append(i)
        if not ws:
            key = " ".join(questions[i].lower().split())
            by_word.setdefault(f"\0{key}", []).append(i)
            for j in by_word[f"\0{key}"][:-1]:
                parent[find(i)] = find(j)
    groups: dict[int, Group] = {}
    for i in range(len(questions)):
        g = groups.setdefault(find(i), Group())
        g.count += 1
        g.indices.append(i)
        g.words |= words[i]
    for g in groups.values():
        wordings: dict[str, int] = {}
        for i in g.indices:
            key = " ".join(questions[i].split())
            wordings[key] = wordings.get(key, 0) + 1
        g.questions = sorted(wordings, key=lambda k: -wordings[k])
    return sorted(groups.values(), key=lambda g: (-g.count, g.indices[0]))
