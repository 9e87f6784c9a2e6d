"""The vectorised tokenizer and sentence splitter (bot/text/chunk*.py, passages.py) give
exactly what the reference ones give: `TermIds.text` / `tokenize`, `sentence_spans`, and
Index.build's former paragraph-by-paragraph loop."""

import re
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import TermIds, sentence_spans, tokenize
from bot.text.chunk import CONTEXT_CASE, Chunk, prepare
from bot.text.chunk_sentences import chunk_sentences
from bot.text.chunk_words import ChunkWords, _Table
from bot.text.passages import tokenize_passages

# Pieces that meet the tokenizer's and the splitter's corner cases: apostrophes and hyphens
# of every kind, abbreviations and initials, quotes and brackets around full stops, white
# space beyond ASCII, zero-width characters, NFKC changes (full-width letters, ligatures,
# combining accents), a capital sigma and a dotted I (lowercased in context), non-Latin
# letters and digits, emoji, NUL; and words the word lists fold (demonyms, number words,
# British spellings, shorthand, irregular verbs, stopwords).
PIECES = [
    " ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000", "\u200b", "\u200d", "\ufeff", "\x00",
    ".", ". ", "! ", "? ", "...", "\u2026", "\u2026 ", ",", ";", ":", "_", "/", "\u2014",
    "'", "\"", "\u2019", "\u2018", "\u02bc", "\u2032", "`", "\u201c", "\u201d", "(", ")", "[",
    "]", "-", "\u2010", "\u2011", "--",
    "a", "I", "J", "x", "The", "THE", "Mr", "mr", "Dr", "U.S", "u.s.a", "e.g", "approx", "No",
    "Japanese", "Yemeni", "Moscow", "Kremlin", "four", "Twenty", "colour", "symbolise",
    "defence", "analysed", "WW2", "pre-conditions", "state-of-the-art", "don't", "theyre",
    "rose", "risen", "talks", "islands", "navy's", "3", "1990", "24\u201310", "3.5",
    "caf\u00e9", "cafe\u0301", "\u00c9cole", "\u00dcber", "\uff21\uff22\uff23", "\ufb01ne",
    "\u00bd", "\u00b2", "\u0663", "\u03a3", "\u039f\u0394\u039f\u03a3", "\u03c3\u03bf\u03c6",
    "\u0130stanbul", "\u0131", "\u5317\u4eac", "\U0001f600", "x\u0301", "naïve",
]
pieces = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
texts = st.lists(pieces | st.text(max_size=30), max_size=8)


def _chunk_ids(words: ChunkWords, texts: list[str]) -> list[list[int]]:
    chunk = Chunk([prepare(t)[0] for t in texts])
    found = words.scan(chunk)
    a, z = found.before(chunk.starts), found.before(chunk.ends)
    return [found.ids[x:y].tolist() for x, y in zip(a.tolist(), z.tolist(), strict=True)]


@settings(max_examples=100, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3))
def test_chunk_words_equal_term_ids(chunks):
    ref, fast = TermIds({}), ChunkWords({})
    for texts in chunks:  # several chunks share one vocabulary, as in a build
        assert _chunk_ids(fast, texts) == [ref.text(t) for t in texts]
    assert fast.vocab == ref.vocab  # the same ids: the same order of first appearance
    inverse = {i: w for w, i in fast.vocab.items()}
    for texts in chunks:
        got = _chunk_ids(fast, texts)
        assert [[inverse[i] for i in ids] for ids in got] == [tokenize(t) for t in texts]


def test_long_words_and_a_growing_table():
    words = [f"w{i}{'x' * (i % 23)}" for i in range(3000)]  # many distinct, some > 16 bytes
    text = " ".join(words)
    fast, ref = ChunkWords({}), TermIds({})
    fast._table = _Table(bits=4)
    assert _chunk_ids(fast, [text, text[::-1]]) == [ref.text(text), ref.text(text[::-1])]
    assert fast._table.bits > 12 and fast._long  # it grew, and long words were met


@pytest.mark.parametrize("order", [0, 1])
def test_a_long_word_never_takes_the_code_of_its_16_byte_prefix(order):
    """Every word is looked up in the table by its first 16 bytes; a longer one must still
    get its own id, and never put its key in the table, whichever comes first."""
    prefix = "abcdefghijklmnop"  # 16 bytes
    words = [prefix, prefix + "qrs", prefix + "q", "x" * 16 + "y"]
    words = words if order == 0 else words[::-1]
    fast, ref = ChunkWords({}), TermIds({})
    texts = [" ".join(words), " ".join(words[::-1]), prefix]
    assert _chunk_ids(fast, texts[:2]) == [ref.text(t) for t in texts[:2]]
    assert _chunk_ids(fast, texts[2:]) == [ref.text(t) for t in texts[2:]]  # a later chunk
    assert fast.vocab == ref.vocab


def test_table_probes_past_collisions():
    table = _Table(bits=2)  # four slots: every key collides
    k0 = np.array([1, 2, 3, 1], dtype=np.uint64)
    k1 = np.zeros(4, dtype=np.uint64)
    slots = table.insert(k0, k1)
    assert slots[0] == slots[3] and len(set(slots[:3].tolist())) == 3
    table.code[slots] = [10, 20, 30, 10]
    assert table.lookup(k0[::-1].copy(), k1).tolist() == [10, 30, 20, 10]
    assert table.lookup(np.array([9], np.uint64), np.zeros(1, np.uint64)).tolist() == [-(2**62)]


SENTENCE_PIECES = PIECES + [". The", ".\u201d The", ".) (A", ". 5", "? \"", " Mr. Smith",
                            " J. K. Rowling", "e.g. That", ". \u00c9t\u00e9", "... And",
                            "\u2026 So", "((((((((((((((((((((((((a. B", "Co. Ltd. Next"]
sentence_texts = st.lists(st.sampled_from(SENTENCE_PIECES), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(sentence_texts | st.text(max_size=40), max_size=8))
def test_chunk_sentences_equal_sentence_spans(texts):
    chunk = Chunk(texts)
    spans = chunk_sentences(chunk, texts, np.arange(len(texts)))
    got, k = [], 0
    for c in spans.count.tolist():
        got.append([tuple(s) for s in spans.chars[k: k + c].tolist()])
        k += c
    assert got == [sentence_spans(t) for t in texts]


def _reference_build(docs):
    """Index.build's tokenizing loop as it was, paragraph by paragraph."""
    digit = re.compile(r"\d")
    vocab = {}
    ids_of = TermIds(vocab)
    out = {k: [] for k in ("p_terms", "p_lens", "s_terms", "s_lens", "s_spans", "s_num",
                           "p_art", "p_para")}
    ptr = [0]
    for pos, (title_text, paragraphs) in enumerate(docs):
        title = ids_of.text(title_text)
        for no, text in enumerate(paragraphs):
            n = len(title) if text.strip() else 0
            out["p_terms"] += title[:n]
            spans = sentence_spans(text) or [(0, len(text))]
            for (a, z), ids in zip(spans, ids_of.spans(text, spans), strict=True):
                out["p_terms"] += ids
                out["s_terms"] += ids
                out["s_lens"].append(len(ids))
                out["s_spans"].append((a, z))
                out["s_num"].append(digit.search(text, a, z) is not None)
                n += len(ids)
            out["p_lens"].append(n)
            ptr.append(len(out["s_lens"]))
            out["p_art"].append(pos)
            out["p_para"].append(no)
    out["sent_ptr"] = ptr
    return vocab, out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(pieces, st.lists(sentence_texts | pieces, max_size=5)), max_size=6))
def test_passage_tokens_equal_the_paragraph_loop(docs):
    vocab, ref = _reference_build(docs)
    got_vocab = {}
    got = tokenize_passages(docs, got_vocab)
    assert got_vocab == vocab
    for name, values in ref.items():
        assert getattr(got, name).tolist() == [list(v) if isinstance(v, tuple) else v
                                               for v in values], name


def test_passage_tokens_across_chunks(monkeypatch):
    import bot.text.passages as passages

    monkeypatch.setattr(passages, "CHUNK", 3)  # articles fall into several chunks
    docs = [(f"Title {i} \u03a3", [f"Para {i}. Mr. X{i} went.", "", f"{i} colour\u2019s"] * 2)
            for i in range(7)]
    vocab, ref = _reference_build(docs)
    got_vocab = {}
    got = tokenize_passages(docs, got_vocab)
    assert got_vocab == vocab
    assert got.p_terms.tolist() == ref["p_terms"] and got.s_spans.tolist() == [
        list(s) for s in ref["s_spans"]]
    assert got.sent_ptr.tolist() == ref["sent_ptr"] and got.p_art.tolist() == ref["p_art"]


def test_what_the_classes_rely_on_holds_for_every_code_point():
    """Word classes are read before lowercasing, case folded word by word: this holds only
    because lowercasing one character never changes whether it is alphanumeric and is
    idempotent, and only the characters of CONTEXT_CASE lowercase differently in context
    (final sigma) or to more than one character; `\\s` is str.isspace."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    lower = list(map(str.lower, chars))
    multi = {c for c, lo in zip(chars, lower, strict=True) if len(lo) != 1}
    assert multi == {"\u0130"} and set(CONTEXT_CASE) == multi | {"\u03a3"}
    single = [(c, lo) for c, lo in zip(chars, lower, strict=True) if len(lo) == 1 and c != lo]
    assert all(c.isalnum() == lo.isalnum() and lo.lower() == lo for c, lo in single)
    space = re.compile(r"\s")
    assert [c for c in chars if c.isspace()] == [c for c in chars if space.fullmatch(c)]
