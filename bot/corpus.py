"""A loaded corpus: the articles and their index, swapped as one unit on refresh."""

from __future__ import annotations

from dataclasses import dataclass

from bot.index import Index
from bot.models import StoredArticle


@dataclass(frozen=True)
class Corpus:
    articles: list[StoredArticle]
    index: Index
    revision: int = 0

    def passage(self, pid: int) -> tuple[StoredArticle, int, str]:
        """(article, paragraph index, text) of passage `pid`."""
        art = self.articles[int(self.index.passage_article[pid])]
        para = int(self.index.passage_para[pid])
        return art, para, art.paragraphs[para]

    def sentence_spans(self, pid: int) -> list[tuple[int, int]]:
        a, b = self.index.sent_ptr[pid], self.index.sent_ptr[pid + 1]
        return [(int(x), int(y)) for x, y in self.index.sent_spans[a:b]]
