"""Plain data passed between the core and the front-ends."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote_plus

LinkKind = Literal["article", "search"]


@dataclass(frozen=True)
class Link:
    """Where a reader can find an article: its own URL (`kind="article"`), or, for an
    article stored without one, a search of the site for its title (`kind="search"`: no
    anchor into the page, and front-ends may say it is a search)."""

    url: str
    kind: LinkKind = "article"

    def __str__(self) -> str:
        return self.url

    @property
    def is_article(self) -> bool:
        """The article's own page (a passage can be linked to)."""
        return self.kind == "article" and bool(self.url)

    @classmethod
    def to(cls, url: str, title: str, base_url: str) -> Link:
        """The link of an article: its URL, or the site's (WordPress) search page.

        Words holding quotes or apostrophes are left out of the search: WordPress matches
        each word with LIKE, and the database may hold "Haven't" where the page shows
        "Haven’t" (or the reverse)."""
        if url:
            return cls(url)
        words = [w for w in title.split()
                 if not any(q in w for q in "'\"\u2018\u2019\u201c\u201d")]
        return cls(f"{base_url.rstrip('/')}/?s={quote_plus(' '.join(words) or title)}",
                   "search")


NO_LINK = Link("")


def as_link(link: Link | str) -> Link:
    """A plain string taken as an article's own URL (data made by hand, in tests)."""
    return link if isinstance(link, Link) else Link(link)


@dataclass(frozen=True)
class Article:
    """One article: a title and its body paragraphs as they stand in the source."""

    title: str
    paragraphs: tuple[str, ...]
    url: str = ""
    date: str = ""
    author: str = ""
    partial: bool = False  # only a teaser/excerpt of the article is known
    source: str = ""
    ident: str = ""  # without a URL, what tells it apart in its source (a feed item's guid)

    @property
    def key(self) -> str:
        """Identity used for idempotent ingest: the URL, else the source and its identity
        there (else its title)."""
        return self.url or f"{self.source}#{self.ident or self.title}"

    @property
    def text_hash(self) -> str:
        h = hashlib.sha256()
        for part in (self.title, *self.paragraphs, str(self.partial)):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()[:32]


@dataclass(frozen=True)
class StoredArticle:
    """An article as kept in the store, with its row id; `link` is set when the corpus is
    loaded (the store knows no site)."""

    id: int
    title: str
    url: str
    date: str
    author: str
    partial: bool
    source: str
    paragraphs: tuple[str, ...]  # empty in a loaded Corpus: texts live in its compact buffer
    text_hash: str = ""
    passages: int = 0  # number of paragraphs, also when `paragraphs` is not loaded
    link: Link = NO_LINK

    def __post_init__(self) -> None:
        object.__setattr__(self, "link", as_link(self.link))


@dataclass(frozen=True)
class Hit:
    title: str
    link: Link
    paragraph: int
    passage: str
    quote: str
    score: float
    partial: bool = False
    article_id: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "link", as_link(self.link))

    @property
    def url(self) -> str:
        return self.link.url

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "paragraph": self.paragraph,
            "passage": self.passage,
            "quote": self.quote,
            "score": round(self.score, 6),
        }


ANSWER_STATUSES = ("answered", "closest", "none")


@dataclass(frozen=True)
class Answer:
    """Ranked passages and the outcome: "answered" (confident), "closest" (the best passages
    are about the question but may not answer it exactly) or "none" (nothing is about it;
    front-ends show suggested titles only). `hits` may list the nearest passages whatever
    the outcome; `answered` is always `status == "answered"`."""

    question: str
    answered: bool
    hits: tuple[Hit, ...] = ()
    suggestions: tuple[str, ...] = ()  # nearest article titles when not answered
    terms: tuple[str, ...] = ()  # the question's content words (stems), for highlighting
    status: str = ""  # derived from `answered` when not given
    confidence: float = 0.0  # calibrated: the chance the first passage answers (0-1)

    def __post_init__(self) -> None:
        if not self.status:
            object.__setattr__(self, "status", "answered" if self.answered else "none")
        if self.status not in ANSWER_STATUSES:
            raise ValueError(f"unknown answer status {self.status!r}")
        if self.answered != (self.status == "answered"):
            raise ValueError("answered must equal status == 'answered'")

    @property
    def closest(self) -> bool:
        """Passages to show that may not answer exactly."""
        return self.status == "closest" and bool(self.hits)

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answered": self.answered,
            "status": self.status,
            "confidence": round(float(self.confidence), 4),
            "hits": [h.to_json() for h in self.hits],
        }


@dataclass(frozen=True)
class Summary:
    title: str
    link: Link
    partial: bool
    sentences: tuple[str, ...]
    about: str = ""
    article_id: int = 0
    about_mentioned: bool = True  # False: the article never mentions `about`

    @property
    def about_note(self) -> str:
        """Said with the summary when the topic asked about is not in the article."""
        if not self.about or self.about_mentioned:
            return ""
        topic = f"\u201c{self.about}\u201d"
        return f"The article does not mention {topic}; this is its general summary."

    def __post_init__(self) -> None:
        object.__setattr__(self, "link", as_link(self.link))

    @property
    def url(self) -> str:
        return self.link.url

    def to_json(self) -> dict:
        record = {
            "title": self.title,
            "url": self.url,
            "partial": self.partial,
            "sentences": list(self.sentences),
        }
        if self.about:
            record |= {"about": self.about, "about_mentioned": self.about_mentioned}
        return record


@dataclass
class IngestReport:
    """What one ingest or refresh did, per source."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # listed but nothing to quote (password-protected posts)
    moved: int = 0  # of the updated, those now under another link (the same articles)
    notes: list[str] = field(default_factory=list)  # said after the counts (seeds set aside)
    # Articles stored for the first time by a source that had been ingested before (what
    # new-article announcements post; a source's first ingest leaves this empty).
    added: list[Article] = field(default_factory=list)
    corpus: str = ""  # whose articles: "" the shared corpus, "g<id>" a server's own

    @property
    def ok(self) -> bool:
        return not self.errors

    def line(self) -> str:
        return (
            f"{self.source}: {self.new} new, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        ) + (f", {self.skipped} skipped (protected)" if self.skipped else "") + (
            f", {self.moved} moved to a new link" if self.moved else "") + "".join(
            f"; {note}" for note in self.notes)
