"""Every rendered payload within Discord's limits, over hostile Unicode (no client needed).

The same checker as the fake Discord's (`payload_errors`) judges each payload, so what passes
here is what the fake, and Discord, accept.
"""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.discord_app import limits
from bot.discord_app.errors import user_message
from bot.discord_app.render import (
    answer_embeds,
    article_lines,
    not_found_embed,
    summary_embed,
)
from bot.discord_app.views import ArticlesView, ChooseArticle, answer_view
from bot.errors import AmbiguousArticle
from bot.models import Answer, Hit, StoredArticle, Summary
from bot.text import truncate
from tests.fake_discord.server import payload_errors

FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
ATOMS = [
    "日本語の文章", "氷河", "한국어", FAMILY, "\U0001f1ef\U0001f1f5", "\U0001f44d\U0001f3fd",
    "e\u0301", "a\u0308\u0301", "\u0915\u094d\u0937", "*", "**", "_", "`", "```", "~~", "||",
    ">", "[", "]", "(", ")", "\\", "#", "- ", "@everyone", "<@&1>", "https://x.example/",
    "](https://evil.example/p)[", " ", "\n", "word", "glacier", "\u00e9" * 300, "x" * 700,
    "日" * 500, FAMILY * 100,
]
texts = st.lists(st.one_of(st.sampled_from(ATOMS), st.text(max_size=8)), max_size=16).map(
    "".join)
urls = st.one_of(
    st.sampled_from([
        "", "javascript:alert(1)", "data:text/html,x", "https://x.example/a)[Claim free nitro]"
        "(https://evil.example/phish", "http://x.example/<b> [c]", "https://x.example/?s=q",
    ]),
    texts.map(lambda t: "https://x.example/" + t),
)
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def problems(**payload) -> dict:
    embeds = payload.pop("embeds", [])
    return payload_errors({**payload, "embeds": [e.to_dict() for e in embeds]})


# "](" not escaped: preceded by an even number of backslashes.
LIVE_LINK = regex.compile(r"(?<!\\)(?:\\\\)*\]\(")


def graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


@st.composite
def hits(draw) -> Hit:
    return Hit(title=draw(texts), link=draw(urls), paragraph=draw(st.integers(0, 10**6)),
               passage="", quote=draw(texts), score=1.0, partial=draw(st.booleans()),
               article_id=draw(st.integers(1, 10**9)))


@st.composite
def articles(draw) -> StoredArticle:
    url = draw(urls)
    return StoredArticle(id=draw(st.integers(1, 10**9)), title=draw(texts), url=url, link=url,
                         date=draw(st.sampled_from(["", "2024-01-02T00:00", "日本"])),
                         author="", partial=draw(st.booleans()), source="s", paragraphs=())


@SETTINGS
@given(st.lists(hits(), min_size=1, max_size=12), st.lists(texts, max_size=3), texts)
def test_answers_fit_and_the_first_passage_always_goes_out(hs, terms, question):
    ans = Answer(question, True, tuple(hs), (), tuple(t.lower() for t in terms))
    for start in (0, 1):
        embeds = answer_embeds(ans, start)
        assert problems(embeds=embeds) == {}
        if start < len(hs):
            assert embeds, "the first embed of a page always goes out"
    assert problems(embeds=answer_embeds(ans), components=answer_view(
        7, ans, 1).to_components()) == {}


@SETTINGS
@given(texts, st.lists(texts, max_size=30), texts, urls, st.booleans())
def test_not_found_and_summary_fit(question, titles, title, url, partial):
    assert problems(embeds=[not_found_embed(Answer(question, False, (), tuple(titles)))]) == {}
    summary = Summary(title=title, link=url, sentences=tuple(titles), about=question,
                      partial=partial)
    assert problems(embeds=[summary_embed(summary)]) == {}


@SETTINGS
@given(st.lists(articles(), min_size=1, max_size=25), texts)
def test_article_lists_choices_and_errors_fit(arts, query):
    view = ArticlesView(arts, limits.fit(f"Articles about {query}", 200))
    assert problems(embeds=[view.embed()], components=view.to_components()) == {}
    assert problems(components=ChooseArticle(arts).to_components()) == {}
    assert len(user_message(AmbiguousArticle("several", arts))) <= limits.CONTENT
    for art in arts:  # every link is http(s), and one link: nothing escapes its parentheses
        line = article_lines([art])
        safe = limits.safe_url(art.link.url)
        assert len(LIVE_LINK.findall(line)) == (1 if safe else 0)
        if safe:
            assert line.endswith(f"]({safe})") or line.endswith(f"]({safe}) (excerpt)")


@SETTINGS
@given(texts, st.integers(0, 3000))
@example(FAMILY * 5, 20)
@example("e\u0301" * 50, 30)
@example("\u00e9\u0301 " * 30 + "x" * 3000, 100)
@example("\U0001f1ef\U0001f1f5" * 20, 10)
@example("日本 " + "a\u0308\u0301" * 40, 50)
def test_cuts_fall_on_grapheme_boundaries(text, limit):
    cut = truncate(text, limit)
    assert len(cut) <= limit
    kept = cut[:-1] if cut != text else cut
    whole = graphemes(text)
    assert graphemes(kept) == whole[: len(graphemes(kept))]


def test_issue_examples_japanese_passage_and_long_word():
    japanese = ("氷河は十の川に水を送る。" * 42)[:500]
    word = "\u00e9" * 1480
    for quote in (japanese, f"Glaciers {word} feed rivers", word * 4):
        hit = Hit("T", "https://example.org/a", 0, quote, quote, 1.0)
        embeds = answer_embeds(Answer("q", True, (hit,) * 3, (), ("glacier",)))
        assert embeds and problems(embeds=embeds) == {}
        assert embeds[0].description.endswith(")"), "the passage link is kept"


def test_a_word_cut_never_falls_inside_bold_or_an_escape():
    quote = "glacier " * 600
    hit = Hit("T", "https://example.org/a", 0, quote, quote, 1.0)
    (first, *_) = answer_embeds(Answer("q", True, (hit,), (), ("glacier",)))
    body = first.description.rsplit("\n", 1)[0]
    assert body.count("**") % 2 == 0 and not body.rstrip("\u2026").endswith("\\")


def test_hostile_urls_are_plain_text_or_encoded():
    assert limits.safe_url("javascript:alert(1)") is None
    assert limits.safe_url("JAVASCRIPT://x.example/%0aalert(1)") is None
    assert limits.safe_url("https://x.example/a)[b](https://evil.example/c") == (
        "https://x.example/a%29%5Bb%5D%28https://evil.example/c")
    assert limits.md_link("t", "javascript:alert(1)") == "t"


def test_front_end_code_names_discord_limits_instead_of_literal_numbers():
    """cog.py and views.py use limits.py's constants: a limit changed there changes them."""
    import ast
    from pathlib import Path

    import bot.discord_app as pkg

    # Over 10: a page of 10 articles or a date's first 10 characters are not Discord's.
    values = {v for k, v in vars(limits).items() if k.isupper() and isinstance(v, int) and v > 10}
    for name in ("cog.py", "views.py"):
        tree = ast.parse((Path(pkg.__file__).parent / name).read_text())
        literals = {n.value for n in ast.walk(tree)
                    if isinstance(n, ast.Constant) and type(n.value) is int}
        assert not literals & values, name


def test_help_names_the_configured_site():
    from bot.discord_app.render import help_embed

    embed = help_embed("Acme *News*")
    assert "Acme \\*News\\*" in embed.description and "/ask" in embed.description
    assert not problems(embeds=[embed])
    # No site.name configured (the default): no empty bold name.
    embed = help_embed("")
    assert "****" not in embed.description and "this site's articles" in embed.description
    assert not problems(embeds=[embed])


def test_a_backslash_in_a_title_never_frees_a_bracket():
    for url in ("", "https://x.example/a"):
        title = "\\](https://evil.example/p)\\[\\](https://evil.example/p)\\["
        art = StoredArticle(id=1, title=title, url=url, link=url, date="", author="",
                            partial=False, source="s", paragraphs=())
        line = article_lines([art])
        assert len(LIVE_LINK.findall(line)) == (1 if url else 0)
