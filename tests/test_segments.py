import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

import bot.retrieval.incremental as incremental
import bot.retrieval.scoring as scoring
from bot.retrieval import SegmentIndex
from bot.retrieval.tokens import ChunkTermIds
from bot.text import tokenize

WORDS = "peace treaty island navy japan russia energy trade summit border ocean fleet".split()
QUERIES = ["peace navy", "fleet fleet ocean", "summit", "japan russia trade border",
           "island unknownword", "treaty energy peace ocean navy"]


def assert_equals_rank_bm25(index: SegmentIndex, live: dict[int, str], tol: float = 1e-9):
    """Every live passage's score equals rank-bm25's over the live passages; nothing else
    scores."""
    ids = sorted(live)
    assert sorted(index.ids().tolist()) == ids
    if not ids:
        assert len(index.search(tokenize("peace navy"), 5)[0]) == 0
        return
    reference = BM25Okapi([tokenize(live[i]) for i in ids], k1=index.k1, b=index.b)
    for q in QUERIES:
        tokens = tokenize(q)
        got_ids, got = index.scores(tokens)
        assert set(got_ids.tolist()) <= set(ids)  # removed passages never score
        by_id = dict(zip(got_ids.tolist(), got.tolist(), strict=True))
        ours = np.array([by_id.get(i, 0.0) for i in ids])
        assert np.max(np.abs(ours - reference.get_scores(tokens))) <= tol
        top, _ = index.search(tokens, 3)
        assert set(top.tolist()) <= set(ids)


passage = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
article = st.lists(passage, min_size=1, max_size=4)
op = st.one_of(
    st.tuples(st.just("add"), article),
    st.tuples(st.just("change"), st.integers(0, 50), article),
    st.tuples(st.just("remove"), st.integers(0, 50)),
    st.tuples(st.just("merge")),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(article, min_size=1, max_size=6), st.lists(op, max_size=12))
def test_scores_equal_rank_bm25_through_adds_changes_removals_and_merges(start, ops):
    index = SegmentIndex()
    live: dict[int, str] = {}
    articles: list[list[int]] = []  # passage ids of each article still present
    next_id = 0

    def new_ids(n: int) -> list[int]:
        nonlocal next_id
        next_id += n
        return list(range(next_id - n, next_id))

    pairs = []
    for art in start:  # the first corpus streamed in one go, as a full build does
        ids = new_ids(len(art))
        articles.append(ids)
        pairs += zip(ids, art, strict=True)
    index.add_stream(pairs)
    live.update(pairs)
    assert_equals_rank_bm25(index, live)
    for step in ops:
        if step[0] == "add":
            ids = new_ids(len(step[1]))
            index.add(ids, step[1])
            live.update(zip(ids, step[1], strict=True))
            articles.append(ids)
        elif step[0] in ("change", "remove") and articles:
            old = articles.pop(step[1] % len(articles))
            for i in old:
                del live[i]
            if step[0] == "remove":
                assert index.remove(old) == len(old)
            else:
                ids = new_ids(len(step[2]))
                index.replace(old, ids, step[2])
                live.update(zip(ids, step[2], strict=True))
                articles.append(ids)
        elif step[0] == "merge":
            index.merge()
            assert len(index.segment_sizes) <= 1
        assert_equals_rank_bm25(index, live)


def test_idf_zero_for_a_term_in_exactly_half_the_passages():
    index = SegmentIndex()
    index.add([10, 11], ["alpha beta", "alpha"])
    index.add([12, 13, 14], ["gamma", "delta", "alpha"])
    index.remove([14])  # alpha now in 2 of 4: log(4 - 2 + .5) - log(2 + .5) == 0
    ids, scores = index.scores(tokenize("alpha"))
    assert sorted(ids.tolist()) == [10, 11]
    assert np.all(scores == 0.0)


def test_negative_average_idf_makes_the_floor_negative():
    # Every term in 2 of 3 passages: raw idf log(1.5/2.5) < 0, so the average is negative and
    # rank-bm25 replaces each negative idf by 0.25 * average, itself negative.
    docs = {0: "alpha beta", 1: "alpha gamma", 2: "beta gamma"}
    index = SegmentIndex()
    index.add([0], [docs[0]])
    index.add([1, 2, 3], [docs[1], docs[2], "alpha beta gamma"])
    index.remove([3])
    assert_equals_rank_bm25(index, docs, tol=1e-12)
    raw = math.log(3 - 2 + 0.5) - math.log(2 + 0.5)
    # Every passage holds a query word, so all three are found though all score below 0;
    # the one holding both words scores lowest (the re-ranker, not BM25, fixes that).
    ids, scores = index.search(tokenize("alpha gamma"), 3)
    assert sorted(ids.tolist()) == [0, 1, 2] and ids[-1] == 1
    assert raw < 0 and np.all(scores < 0)


def test_removed_passages_stop_matching_at_once_and_after_a_merge():
    index = SegmentIndex()
    index.add(range(5), ["navy fleet"] * 5)
    index.add([5, 6], ["navy ocean", "fleet"])
    assert index.remove([1, 5, 99]) == 2  # 99 was never there
    for _ in range(2):
        ids, _ = index.search(tokenize("navy fleet ocean"), 10)
        assert sorted(ids.tolist()) == [0, 2, 3, 4, 6]
        index.merge()
    assert index.segment_sizes == [5]
    assert index.remove([1]) == 0  # already gone


def test_a_live_id_cannot_be_added_twice_but_a_removed_one_can():
    index = SegmentIndex()
    index.add([1, 2], ["navy", "fleet"])
    with pytest.raises(ValueError):
        index.add([2], ["ocean"])
    with pytest.raises(ValueError):
        index.add([3, 3], ["ocean", "ocean"])
    index.replace([2], [2], ["ocean"])
    assert index.search(tokenize("fleet"), 5)[0].tolist() == []
    assert index.search(tokenize("ocean"), 5)[0].tolist() == [2]


def test_changes_during_a_merge_are_kept(monkeypatch):
    index = SegmentIndex()
    index.add(range(4), ["navy fleet", "navy", "ocean", "treaty peace"])
    index.add([4], ["navy summit"])
    live = {0: "navy fleet", 1: "navy", 2: "ocean", 3: "treaty peace", 4: "navy summit"}
    merge = incremental.merge_segments

    def merge_while_changing(*args):
        out = merge(*args)  # the merge has its snapshot; the corpus moves on meanwhile
        index.remove([1, 4])
        index.add([7], ["navy japan"])
        return out

    monkeypatch.setattr(incremental, "merge_segments", merge_while_changing)
    index.merge()
    del live[1], live[4]
    live[7] = "navy japan"
    assert index.segment_sizes == [5, 1]  # main: 0-4, two of them removed; delta: 7
    assert_equals_rank_bm25(index, live)


def test_term_ids_and_tokens_give_the_same_scores():
    index = SegmentIndex()
    index.add([0, 1, 2], ["navy fleet", "ocean navy navy", "peace"])
    by_tokens = index.search(tokenize("navy ocean"), 3)
    by_ids = index.search(index.term_ids(tokenize("navy ocean")), 3)
    assert by_tokens[0].tolist() == by_ids[0].tolist() == [1, 0]
    assert np.array_equal(by_tokens[1], by_ids[1])


def test_an_empty_index_finds_nothing():
    index = SegmentIndex()
    assert index.search(tokenize("navy"), 5)[0].tolist() == []
    index.add([0], ["navy"])
    index.remove([0])
    assert index.search(tokenize("navy"), 5)[0].tolist() == []
    assert index.size == 0


@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load_round_trip(tmp_path, mmap):
    index = SegmentIndex()
    live = {i: " ".join(WORDS[i % 7: i % 7 + 3]) for i in range(20)}
    index.add(list(live), list(live.values()))
    index.add([20, 21], ["fleet ocean", "navy navy japan"])
    live.update({20: "fleet ocean", 21: "navy navy japan"})
    index.remove([3, 20])
    del live[3], live[20]
    index.save(tmp_path / "ix")
    index.save(tmp_path / "ix")  # over an existing folder
    loaded = SegmentIndex.load(tmp_path / "ix", mmap=mmap)
    assert loaded.vocab == index.vocab and loaded.segment_sizes == index.segment_sizes
    for q in QUERIES:
        a, b = index.search(tokenize(q), 5), loaded.search(tokenize(q), 5)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    # The loaded index keeps changing and merging like the one saved.
    loaded.add([30], ["summit border"])
    loaded.remove([0])
    live[30] = "summit border"
    del live[0]
    assert_equals_rank_bm25(loaded, live)
    loaded.merge()
    assert_equals_rank_bm25(loaded, live)


def test_load_refuses_another_format(tmp_path):
    index = SegmentIndex()
    index.add([0], ["navy"])
    index.save(tmp_path / "ix")
    meta = tmp_path / "ix" / "meta.json"
    meta.write_text(meta.read_text().replace('"format": 1', '"format": 0'))
    with pytest.raises(ValueError):
        SegmentIndex.load(tmp_path / "ix")


def test_needs_merge_after_many_deltas_or_removals():
    index = SegmentIndex()
    index.add(range(100), ["navy"] * 100)
    assert not index.needs_merge()
    index.add([100], ["fleet"])
    assert not index.needs_merge()
    index.remove(range(20))
    assert index.needs_merge()
    index.merge()
    assert not index.needs_merge() and index.segment_sizes == [81]


TRICKY = [
    "", "the of and", "Pre-conditions don't hold; U.S. navy's fleet (NFL) 24\u201310.",
    "\uff26\uff55\u0131\u0130 caf\u00e9 cafe\u0301 \u2018quoted\u2019 state-of-the-art",
    "a\x00b navy\x00 \x00 fleet", "well-known  well\u2011known \t\n rose risen", "_under_score_",
]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=40) | st.sampled_from(TRICKY), max_size=6))
def test_chunk_tokenizer_equals_the_one_tokenizer(texts):
    ids_of = ChunkTermIds({})
    flat, lengths = ids_of.many(texts + TRICKY)
    inverse = {i: w for w, i in ids_of.vocab.items()}
    words = [inverse[i] for i in flat.tolist()]
    expected = [tokenize(t) for t in texts + TRICKY]
    assert lengths.tolist() == [len(e) for e in expected]
    assert words == [w for e in expected for w in e]


MANY = [f"word{i}" for i in range(60)]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_pruned_search_equals_the_best_of_all_scores(seed, k):
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, len(MANY) + 1)  # a few common words, many rare ones
    weights /= weights.sum()
    index = SegmentIndex()
    texts = [" ".join(rng.choice(MANY, rng.integers(1, 15), p=weights)) for _ in range(150)]
    index.add(range(100), texts[:100])
    index.add(range(100, 150), texts[100:])
    index.remove(range(0, 150, 9))
    pruned = 0
    for _ in range(10):
        tokens = tokenize(" ".join(rng.choice(MANY, rng.integers(1, 6), p=weights)))
        expected = scoring.top_k(*index.scores(tokens), k)
        got = index.search(tokens, k)
        assert got[0].tolist() == expected[0].tolist()
        assert np.array_equal(got[1], expected[1])  # the same float operations
        s = index._state
        pruned += scoring.search_pruned(s, index._known(s, tokens), index.k1, index.b,
                                        k) is not None
    assert pruned  # the pruned path ran, not only the fallback


def test_pruning_skips_common_words_only_when_they_cannot_reach_the_top():
    index = SegmentIndex()
    # "navy" in 30 of 100 passages, "treaty" in 2: the two passages holding "treaty" score
    # above anything "navy" alone can add, so navy's postings are only looked up for them.
    index.add(range(98), ["navy fleet"] * 29 + ["treaty"] + ["ocean"] * 68)
    index.add([98, 99], ["navy treaty treaty", "navy"])
    s = index._state
    tokens = tokenize("navy treaty")
    got = scoring.search_pruned(s, index._known(s, tokens), index.k1, index.b, 2)
    assert got is not None and got[0].tolist() == [98, 29]
    assert np.array_equal(got[1], scoring.top_k(*index.scores(tokens), 2)[1])
    # Asked for more than the rare word holds, the common word must be scored in full.
    assert scoring.search_pruned(s, index._known(s, tokens), index.k1, index.b, 3) is None
    assert len(index.search(tokens, 3)[0]) == 3


def test_adding_nothing_adds_no_segment():
    index = SegmentIndex()
    index.add([], [])
    index.add_stream([])
    assert index.segment_sizes == [] and index.size == 0
    index.add([0], ["navy"])
    index.add([], [])
    assert index.segment_sizes == [1]
