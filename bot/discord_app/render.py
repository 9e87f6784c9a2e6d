"""Answer/Summary -> embeds within Discord's limits. Pure apart from building discord objects."""

from __future__ import annotations

from urllib.parse import quote

import discord

from bot.discord_app.limits import (
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBED_TOTAL,
    EMBEDS_PER_MESSAGE,
    escape,
    fit,
)
from bot.models import Answer, Hit, StoredArticle, Summary
from bot.render.highlight import highlight

COLOR = discord.Colour(0x2B6CB0)
QUOTE_CHARS = 1500  # per hit: long enough for a paragraph, short enough for 3 hits a message
TEASER = "Only an excerpt of this article is available."
CLOSEST_COLOR = discord.Colour(0x99AAB5)  # muted: these may not answer the question
CLOSEST_NOTE = "Closest passages: they may not answer your question exactly."


def text_fragment(url: str, quote_text: str) -> str:
    """Link to the passage itself: `#:~:text=start,end` (scroll-to-text fragment)."""
    words = quote_text.split(" \u2026 ")[0].split()
    if not words or "?s=" in url:
        return url

    def enc(ws: list[str]) -> str:
        return quote(" ".join(ws), safe="").replace("-", "%2D")

    base = url.split("#", 1)[0]
    if len(words) <= 8:
        return f"{base}#:~:text={enc(words)}"
    return f"{base}#:~:text={enc(words[:4])},{enc(words[-4:])}"


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def hit_embed(hit: Hit, terms: tuple[str, ...], number: int) -> discord.Embed:
    """One quoted passage: linked title, the quote with the question's words in bold."""
    quote_text = fit(hit.quote, QUOTE_CHARS)
    body = highlight(quote_text, terms, lambda s: f"**{s}**", escape)
    description = fit(_blockquote(body), EMBED_DESCRIPTION - 200)
    link = text_fragment(hit.url, quote_text) if hit.url else None
    if link and "?s=" not in hit.url:
        description += f"\n[Read this passage in the article]({link})"
    embed = discord.Embed(
        title=fit(hit.title, EMBED_TITLE), url=hit.url or None, description=description,
        colour=COLOR,
    )
    footer = f"Passage {number} · paragraph {hit.paragraph + 1}"
    if hit.partial:
        footer += f" · {TEASER}"
    embed.set_footer(text=footer)
    return embed


def answer_embeds(ans: Answer, start: int = 0) -> list[discord.Embed]:
    """Embeds for hits[start:], within the per-message count and total size."""
    embeds: list[discord.Embed] = []
    total = 0
    for n, hit in enumerate(ans.hits[start:], start=start + 1):
        embed = hit_embed(hit, ans.terms, n)
        if len(embeds) == EMBEDS_PER_MESSAGE or total + len(embed) > EMBED_TOTAL:
            break
        embeds.append(embed)
        total += len(embed)
    return embeds


def closest_embeds(ans: Answer, start: int = 0) -> list[discord.Embed]:
    """Like answer_embeds, for passages that may not answer exactly: a muted colour and a
    short note on the first embed."""
    embeds = answer_embeds(ans, start)
    for embed in embeds:
        embed.colour = CLOSEST_COLOR
    if embeds and start == 0:
        embeds[0].set_author(name=CLOSEST_NOTE)
    return embeds


def not_found_embed(ans: Answer) -> discord.Embed:
    lines = ["The articles don't answer that question."]
    if ans.suggestions:
        lines.append("\nThe nearest articles:")
        lines += [f"• {escape(fit(t, 200))}" for t in ans.suggestions]
    return discord.Embed(
        title="No answer found", description="\n".join(lines), colour=discord.Colour.light_grey()
    )


def summary_embed(summary: Summary) -> discord.Embed:
    body = "\n".join(f"• {escape(s)}" for s in summary.sentences)
    if summary.about:
        body = f"*About: {escape(fit(summary.about, 200))}*\n{body}"
    if summary.partial:
        body += "\n\n*This summary covers only the excerpt: the full article was not available.*"
    return discord.Embed(
        title=fit(summary.title, EMBED_TITLE), url=summary.url or None,
        description=fit(body, EMBED_DESCRIPTION), colour=COLOR,
    ).set_footer(text="Summary: sentences quoted from the article")


def article_lines(articles: list[StoredArticle]) -> str:
    lines = []
    for art in articles:
        date = f"{art.date[:10]} · " if art.date else ""
        teaser = " (excerpt)" if art.partial else ""
        title = escape(fit(art.title, 150)).replace("]", "\\]")
        lines.append(f"{date}[{title}]({art.link}){teaser}")
    return "\n".join(lines)


def articles_embed(articles: list[StoredArticle], page: int, pages: int, title: str
                   ) -> discord.Embed:
    body = article_lines(articles) or "No articles."
    embed = discord.Embed(title=title, description=fit(body, EMBED_DESCRIPTION), colour=COLOR)
    if pages > 1:
        embed.set_footer(text=f"Page {page + 1} of {pages}")
    return embed


HELP = (
    "**/ask** `question` — quotes the passages that answer it, with links.\n"
    "**/summary** `article` — the article's gist in a few of its own sentences.\n"
    "**/search** `query` — articles matching the query.\n"
    "**/articles** — every article, newest first.\n"
    "**Find sources** (right-click a message → Apps) — passages related to that message.\n"
    "You can also mention me with a question.\n"
    "Everything I show is quoted from the articles; I never make things up, and I say so "
    "when the articles don't answer."
)
