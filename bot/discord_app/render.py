"""Answer/Summary -> embeds within Discord's limits. Pure apart from building discord objects."""

from __future__ import annotations

from urllib.parse import quote

import discord

from bot.discord_app.limits import (
    EMBED_DESCRIPTION,
    EMBED_FOOTER,
    EMBED_TITLE,
    EMBED_TOTAL,
    EMBEDS_PER_MESSAGE,
    NAME_IN_LINE,
    escape,
    fit,
    fit_rendered,
    md_link,
    safe_url,
)
from bot.models import Answer, Hit, Link, StoredArticle, Summary
from bot.render.highlight import highlight

COLOR = discord.Colour(0x2B6CB0)
QUOTE_CHARS = 1500  # per hit: long enough for a paragraph, short enough for 3 hits a message
FRAGMENT_LINK = 600  # longer scroll-to-text links (a long word, CJK) fall back to the page
MIN_EMBED = 600  # a later passage shrunk below this is left for "More passages"
TEASER = "Only an excerpt of this article is available."
READ_PASSAGE = "Read this passage in the article"
CLOSEST_COLOR = discord.Colour(0x99AAB5)  # muted: these may not answer the question
CLOSEST_NOTE = "Closest passages: they may not answer your question exactly."
LOOK_INSTEAD = "Try **/search** for articles about a topic, or **/articles** for all."


def text_fragment(link: Link, quote_text: str) -> str:
    """Link to the passage itself: `#:~:text=start,end` (scroll-to-text fragment); a search
    page has no passage to scroll to."""
    url = link.url
    words = quote_text.split(" \u2026 ")[0].split()
    if not words or not link.is_article:
        return url

    def enc(ws: list[str]) -> str:
        return quote(" ".join(ws), safe="").replace("-", "%2D")

    base = url.split("#", 1)[0]
    if len(words) <= 8:
        return f"{base}#:~:text={enc(words)}"
    return f"{base}#:~:text={enc(words[:4])},{enc(words[-4:])}"


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def _passage_link(hit: Hit, quote_text: str) -> str:
    """The "read this passage" line, or "" (search-page URLs, unsafe URLs)."""
    if not hit.link.is_article or not safe_url(hit.url):
        return ""
    link = safe_url(text_fragment(hit.link, quote_text))
    if not link or len(link) > FRAGMENT_LINK:
        link = safe_url(hit.url.split("#", 1)[0])
    return f"\n{md_link(READ_PASSAGE, link)}" if link else ""


def hit_embed(hit: Hit, terms: tuple[str, ...], number: int,
              room: int = EMBED_DESCRIPTION) -> discord.Embed:
    """One quoted passage: linked title, the quote with the question's words in bold.

    The description (quote, bold, escapes, link) is assembled first and then fitted into
    `room`: the quote is cut in its raw text, so no cut falls inside `**` or an escape.
    """
    quote_text = fit(hit.quote, QUOTE_CHARS)
    link = _passage_link(hit, quote_text)
    if len(link) > room // 2:
        link = ""

    def render(q: str) -> str:
        return _blockquote(highlight(q, terms, lambda s: f"**{s}**", escape))

    description = fit_rendered(quote_text, render, min(room, EMBED_DESCRIPTION) - len(link))
    footer = f"Passage {number} · paragraph {hit.paragraph + 1}"
    if hit.partial:
        footer += f" · {TEASER}"
    embed = discord.Embed(
        title=fit_rendered(hit.title, escape, EMBED_TITLE), url=safe_url(hit.url),
        description=(description + link).strip() or None, colour=COLOR,
    )
    embed.set_footer(text=fit(footer, EMBED_FOOTER))
    return embed


def answer_embeds(ans: Answer, start: int = 0, reserve: int = 0) -> list[discord.Embed]:
    """Embeds for hits[start:], within the per-message count and total size.

    The first always goes out (shrunk if need be); a later one is shrunk into the room left
    or, when too little is left, kept for the next page.
    """
    embeds: list[discord.Embed] = []
    total = reserve  # room kept for what the caller adds (the closest note)
    for n, hit in enumerate(ans.hits[start:], start=start + 1):
        if len(embeds) == EMBEDS_PER_MESSAGE:
            break
        embed = hit_embed(hit, ans.terms, n)
        left = EMBED_TOTAL - total
        if len(embed) > left:
            overhead = len(embed) - len(embed.description or "")
            if embeds and left - overhead < MIN_EMBED:
                break
            embed = hit_embed(hit, ans.terms, n, room=left - overhead)
        embeds.append(embed)
        total += len(embed)
    return embeds


def closest_embeds(ans: Answer, start: int = 0) -> list[discord.Embed]:
    """Like answer_embeds, for passages that may not answer exactly: a muted colour and a
    short note on the first embed."""
    embeds = answer_embeds(ans, start, reserve=len(CLOSEST_NOTE) if start == 0 else 0)
    for embed in embeds:
        embed.colour = CLOSEST_COLOR
    if embeds and start == 0:
        embeds[0].set_author(name=CLOSEST_NOTE)
    return embeds


def not_found_embed(ans: Answer) -> discord.Embed:
    lines = ["The articles don't answer that question."]
    if ans.suggestions:
        lines.append("\nThe nearest articles:")
        lines += [f"• {escape(fit(t, NAME_IN_LINE))}" for t in ans.suggestions]
    else:  # nothing here is about it: where to look instead, not unrelated titles
        lines.append(f"\n{LOOK_INSTEAD}")
    return discord.Embed(
        title="No answer found", description=_fit_lines(lines, EMBED_DESCRIPTION),
        colour=discord.Colour.light_grey(),
    )


def _fit_lines(lines: list[str], limit: int) -> str:
    """Whole lines while they fit, then an ellipsis line: no line is cut inside its markup."""
    out: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 2 > limit:  # room for the newline and a closing "…"
            out.append("\u2026")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def summary_embed(summary: Summary) -> discord.Embed:
    head = f"*About: {escape(fit(summary.about, NAME_IN_LINE))}*" if summary.about else ""
    if summary.about_note:  # a topic the article never mentions: say so, not a silent summary
        head = f"*{escape(fit(summary.about_note, 300))}*"
    tail = ("\n\n*This summary covers only the excerpt: the full article was not available.*"
            if summary.partial else "")
    room = EMBED_DESCRIPTION - len(head) - len(tail) - 1
    lines: list[str] = []
    used = 0
    for s in summary.sentences:
        line = fit_rendered(s, lambda t: f"• {escape(t)}", room - used)
        if not line or len(line) < len(f"• {escape(s)}"):
            if line and not lines:
                lines.append(line)  # one long sentence: its cut start rather than nothing
            break
        lines.append(line)
        used += len(line) + 1
    body = "\n".join(([head] if head else []) + lines) + tail
    return discord.Embed(
        title=fit_rendered(summary.title, escape, EMBED_TITLE), url=safe_url(summary.url),
        description=body or None, colour=COLOR,
    ).set_footer(text="Summary: sentences quoted from the article")


def article_lines(articles: list[StoredArticle]) -> str:
    lines = []
    for art in articles:
        date = f"{escape(fit(art.date[:10], 10))} · " if art.date else ""
        teaser = " (excerpt)" if art.partial else ""
        # Backslashes first: "\\]" would otherwise leave an escaped backslash and a live "]".
        title = escape(fit(art.title, 150).replace("\\", "\\\\"))
        title = title.replace("[", "\\[").replace("]", "\\]")
        lines.append(f"{date}{md_link(title, art.link.url)}{teaser}")
    return _fit_lines(lines, EMBED_DESCRIPTION)


def articles_embed(articles: list[StoredArticle], page: int, pages: int, title: str
                   ) -> discord.Embed:
    body = article_lines(articles) or "No articles."
    embed = discord.Embed(title=fit(title, EMBED_TITLE), description=body, colour=COLOR)
    if pages > 1:
        embed.set_footer(text=f"Page {page + 1} of {pages}")
    return embed


def help_embed(site_name: str) -> discord.Embed:
    """/help: what the bot does, naming the site (config `site.name`) whose articles it quotes."""
    intro = (f"I answer questions about the articles of **{escape(fit(site_name, NAME_IN_LINE))}**."
             if site_name.strip() else "I answer questions about this site's articles.")
    return discord.Embed(title="Footnote", description=f"{intro}\n\n{HELP}")


HELP = (
    "**/ask** `question` — quotes the passages that answer it, with links.\n"
    "**/summary** `article` — the article's gist in a few of its own sentences.\n"
    "**/search** `query` — articles matching the query.\n"
    "**/articles** — every article, newest first.\n"
    "**Find sources** (right-click a message → Apps) — passages related to that message.\n"
    "You can also mention me with a question. In channels set to auto mode I answer new "
    "questions in a thread (follow-ups there too); 👍 / 👎 under an answer tell the editors "
    "how it did.\n"
    "Everything I show is quoted from the articles; I never make things up, and I say so "
    "when the articles don't answer."
)
