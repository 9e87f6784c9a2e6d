"""What articles may bring into the store: safe links, text without invisible controls."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Article
from bot.sanitize import clean_article, safe_url
from bot.text import strip_invisible

REMOVED = ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
           "\u200b\ufeff\u2060")
ZWJ, ZWNJ = "\u200d", "\u200c"
# No deadline: on a busy 2-core machine one example can take longer than hypothesis' 200 ms.
PROPERTY = settings(deadline=None, max_examples=100)
EMOJI_SEQUENCES = [
    "\U0001F468\u200d\U0001F469\u200d\U0001F467",  # family
    "\U0001F469\U0001F3FD\u200d\U0001F4BB",  # woman technologist, medium skin tone
    "\U0001F3F3\ufe0f\u200d\U0001F308",  # rainbow flag
    "\u2764\ufe0f\u200d\U0001F525",  # heart on fire
]


@pytest.mark.parametrize("url, expected", [
    ("https://e.org/a", "https://e.org/a"),
    ("HTTP://e.org/a?b=c#d", "HTTP://e.org/a?b=c#d"),
    ("https://e.org/x)[Claim free nitro](https://evil.example/phish",
     "https://e.org/x%29%5BClaim%20free%20nitro%5D%28https://evil.example/phish"),
    ("https://e.org/<a>\"q\"'s`", "https://e.org/%3Ca%3E%22q%22%27s%60"),
    ("https://e.org/a%20b", "https://e.org/a%20b"),  # already encoded: left alone
    ("https://e.org/\u202egpj.exe", "https://e.org/%E2%80%AEgpj.exe"),
    ("  https://e.org/a  ", "https://e.org/a"),
    ("javascript:alert(1)", ""), ("JavaScript://e.org/%0Aalert(1)", ""),
    ("data:text/html,<b>x</b>", ""), ("file:///etc/passwd", ""), ("ftp://e.org/f", ""),
    ("http:///no-host", ""), ("//e.org/relative", ""), ("/relative", ""), ("", ""),
    ("http://[::1/broken", ""),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


@PROPERTY
@given(st.text())
def test_safe_url_output_is_one_markdown_link_target(tail):
    url = safe_url("https://e.org/" + tail)
    assert url.startswith("https://e.org/")
    assert re.search(r"[\s()\[\]<>\"'`]", url) is None
    assert safe_url(url) == url  # idempotent: the store may apply it again on the way out


@pytest.mark.parametrize("text, expected", [
    ("plain text", "plain text"),
    ("Pay \u202e$001\u202c now", "Pay $001 now"),
    ("\u2067isolated\u2069 \u200eLTR\u200f", "isolated LTR"),
    ("zero\u200bwidth\ufeff\u2060", "zerowidth"),
    ("x\u200dy and a\u200cb", "xy and ab"),  # Latin letters do not join
    ("\u0645\u200c\u0627", "\u0645\u200c\u0627"),  # Persian ZWNJ kept
    ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # Devanagari half form kept
    (ZWJ + "\U0001F468", "\U0001F468"),  # a joiner with nothing before it
    ("\U0001F468" + ZWJ + " ", "\U0001F468 "),
    ("\U0001F468\u200b\u200d\U0001F469", "\U0001F468\u200d\U0001F469"),
    *[(f"dev {seq}!", f"dev {seq}!") for seq in EMOJI_SEQUENCES],
])
def test_strip_invisible(text, expected):
    assert strip_invisible(text) == expected


_ALPHABET = st.sampled_from(
    list(REMOVED + ZWJ + ZWNJ) + ["a", " ", "\u0645", "\u0627", "\u0915", "\u094d",
                                  "\U0001F468", "\U0001F469", "\ufe0f", "\U0001F3FD", "漢"]
)
_TEXT = st.one_of(st.text(), st.text(_ALPHABET))


@PROPERTY
@given(_TEXT, _TEXT, st.sampled_from(EMOJI_SEQUENCES))
def test_stripped_text_has_no_controls_and_keeps_emoji_sequences(before, after, seq):
    text = before + seq + after
    out = strip_invisible(text)
    assert not set(out) & set(REMOVED)
    assert seq in out
    assert strip_invisible(out) == out
    for i, ch in enumerate(out):  # every joiner kept stands between two visible characters
        if ch in ZWJ + ZWNJ:
            assert 0 < i < len(out) - 1 and out[i - 1] not in ZWJ + ZWNJ


@PROPERTY
@given(_TEXT)
def test_stripping_only_removes(text):
    out = strip_invisible(text)
    visible = [c for c in text if c not in REMOVED + ZWJ + ZWNJ]
    assert [c for c in out if c not in ZWJ + ZWNJ] == visible


def test_clean_article_leaves_a_clean_article_as_it_is():
    art = Article("Title", ("One.", "Two."), url="https://e.org/t")
    assert clean_article(art) is art
    dirty = Article("Ti\u200btle", ("One\u202e.",), url="javascript:x", source="s")
    clean = clean_article(dirty)
    assert (clean.title, clean.paragraphs, clean.url) == ("Title", ("One.",), "")
    assert clean.key == "s#Title"


def test_a_paragraph_of_megabytes_is_stored_as_passages_a_person_could_read():
    from bot.sanitize import MAX_PARAGRAPH_CHARS

    sentences = "The talks resumed in Geneva on Monday. " * 200_000  # 7.8 MB, one paragraph
    clean = clean_article(Article("T", ("Short first.", sentences, "no stops " * 3000)))
    assert clean.paragraphs[0] == "Short first."
    assert all(len(p) <= MAX_PARAGRAPH_CHARS for p in clean.paragraphs)
    middle = clean.paragraphs[1:-3]
    assert all(p.endswith("Monday.") and p.startswith("The talks") for p in middle)
    # Nothing is lost but the spaces at the cuts.
    assert "".join(clean.paragraphs).replace(" ", "") == (
        "Short first." + sentences + "no stops " * 3000).replace(" ", "")


@given(st.text(alphabet="ab .", max_size=400), st.integers(20, 60))
@PROPERTY
def test_splitting_keeps_every_character_but_spaces_at_the_cuts(text, limit):
    from bot.sanitize import split_long

    parts = split_long(text.strip(), limit)
    assert all(len(p) <= limit for p in parts)
    assert all(parts) or parts == [""]  # an empty paragraph stays (its index is the source's)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_a_long_paragraph_without_spaces_is_cut_after_its_own_sentence_ends():
    from bot.sanitize import split_long

    parts = split_long("日本語の文章です。" * 3000)
    assert all(p.endswith("。") for p in parts) and "".join(parts) == "日本語の文章です。" * 3000
