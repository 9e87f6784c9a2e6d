"""Answers, summaries, article lists and the store's status as text for a terminal, and
the JSON of the lists and the status."""

from __future__ import annotations

import re
import textwrap
import time
from typing import TYPE_CHECKING

from bot.models import Answer, Link, StoredArticle, Summary
from bot.render.highlight import highlight

if TYPE_CHECKING:
    from bot.service import Status

WIDTH = 88
TEASER_NOTE = "(only an excerpt of this article is available)"
CLOSEST_NOTE = "Closest passages (they may not answer the question exactly):"
NOT_ANSWERED = "The articles don't answer that question."
LOOK_INSTEAD = ("Try `footnote search WORDS` for articles about a topic, or `footnote articles`"
                " for all.")


def _bold(color: bool):
    return (lambda s: f"\033[1m{s}\033[0m") if color else (lambda s: f"**{s}**")


# Without colour, bold is `**`: a run the article's own markers already enclose is left as
# the article wrote it (`**Kuril Islands**`, not `****Kuril Islands****`).
MARKERS = "*_"


def _quote_block(text: str) -> list[str]:
    return [f"   > {line}" for line in textwrap.wrap(text, WIDTH - 5, break_on_hyphens=False)]


SEARCH_NOTE = "(a site search: the article has no URL of its own)"


def link_line(link: Link) -> str:
    """A link as the console shows it; a search page says so."""
    return f"{link.url}  {SEARCH_NOTE}" if link.kind == "search" else link.url


def render_answer(ans: Answer, color: bool = False) -> str:
    """Quoted passages with the question's words in bold, each with its title and link."""
    bold = _bold(color)
    if not ans.answered and not ans.closest:
        lines = [NOT_ANSWERED]
        if ans.suggestions:
            lines.append("Nearest articles:")
            lines += [f"  - {t}" for t in ans.suggestions]
        else:  # nothing here is about it: where to look instead, not unrelated titles
            lines.append(LOOK_INSTEAD)
        return "\n".join(lines)
    lines: list[str] = [CLOSEST_NOTE, ""] if ans.closest else []
    for n, hit in enumerate(ans.hits, start=1):
        lines.append(f"{n}. {bold(hit.title) if color else hit.title}")
        if hit.link.url:  # (none: no URL of its own and no site.base_url to search)
            lines.append(f"   {link_line(hit.link)}")
        # Wrap first, then bold, so escape codes never split across lines.
        for line in _quote_block(hit.quote):
            lines.append(highlight(line, ans.terms, bold, beside="" if color else MARKERS))
        if hit.partial:
            lines.append(f"   {TEASER_NOTE}")
        lines.append("")
    return "\n".join(lines).rstrip()


def render_summary(summary: Summary, color: bool = False) -> str:
    """A summary as a bulleted list under the title and link."""
    bold = _bold(color)
    lines = [bold(summary.title) if color else summary.title,
             *([link_line(summary.link)] if summary.link.url else []), ""]
    if summary.about:
        lines.insert(2, summary.about_note or f"(about: {summary.about})")
    for sentence in summary.sentences:
        lines += textwrap.wrap(sentence, WIDTH, initial_indent="  - ", subsequent_indent="    ")
    if summary.partial:
        lines += ["", "This summary covers only the excerpt: the full article was not available."]
    return "\n".join(lines)


def short_date(date: str) -> str:
    """The day of an ISO 8601 date; any other date whole (a store written before dates were
    normalised may hold `5 March 2025`: cut at ten characters it read `5 March 20`)."""
    return date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date) else date


def _entry(art: StoredArticle, prefix: str = "") -> str:
    date = f"{short_date(art.date)}  " if art.date else ""
    teaser = "  [excerpt]" if art.partial else ""
    link = f"\n    {link_line(art.link)}" if art.link.url else ""
    return f"{prefix}{date}{art.title}{teaser}{link}"


def render_articles(articles: list[StoredArticle]) -> str:
    """Articles with their dates and links, one per entry."""
    return "\n".join(_entry(art) for art in articles) if articles else "No articles."


NO_MATCH = "No article matches that."


def render_search(articles: list[StoredArticle], first: int = 1, more: str = "") -> str:
    """Matching articles, best first, numbered from `first` (their rank), each with its date
    and link; `more` (how to see the next page) last when there are more."""
    if not articles:
        return NO_MATCH if first == 1 else "No more articles match that."
    lines = [_entry(art, f"{n}. ") for n, art in enumerate(articles, start=first)]
    return "\n".join([*lines, "", more] if more else lines)


def article_json(art: StoredArticle) -> dict:
    """An article as `articles --json` and `search --json` print it."""
    return {"title": art.title, "url": art.link.url, "date": art.date,
            "passages": art.passages, "partial": art.partial}


NEVER_REFRESHED = "never refreshed"


def render_status(st: Status) -> str:
    """`footnote status`: counts, the store, and each source's state and time."""
    lines = [f"articles: {st.articles}", f"passages: {st.passages}", f"revision: {st.revision}",
             f"last refresh: {_when(st.last_refresh)}", f"store: {st.backend} {st.location}"]
    lines += [f"source {name}: {state or NEVER_REFRESHED}, {_when(when)}"
              for name, when, state in st.sources]
    return "\n".join(lines)


def status_json(st: Status) -> dict:
    """`footnote status --json`: the same, with the keys the README states."""
    return {
        "articles": st.articles, "passages": st.passages, "revision": st.revision,
        "last_refresh": _iso(st.last_refresh),
        "store": {"backend": st.backend, "path": st.location},
        "sources": [{"name": name, "state": state or NEVER_REFRESHED, "last_refresh": _iso(when)}
                    for name, when, state in st.sources],
    }


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(stamp)) if stamp else "never"


def _iso(stamp: float | None) -> str | None:
    """A time as JSON gives it: ISO 8601 in UTC to the second, or null (never)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp)) if stamp else None
