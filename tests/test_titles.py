import random
from functools import cache
from types import SimpleNamespace

from rapidfuzz import fuzz, process

from bot import titles as titles_module
from bot.answer import suggest
from bot.titles import TitleMatcher


@cache
def _made_up_titles(n: int, seed: int = 0) -> tuple[str, ...]:
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(3000)]
    common = ["the", "of", "in", "new", "a", "to"]
    out = []
    while len(out) < n:
        picked = rng.sample(words, rng.randint(2, 5)) + rng.sample(common, 2)
        rng.shuffle(picked)
        out.append(" ".join(picked).capitalize())
    return tuple(out)


def test_a_big_title_list_finds_the_right_title_matching_only_a_few():
    titles = list(_made_up_titles(20_000))
    right = "Quokka sanctuary reopens on Rottnest Island after the storm"
    titles.insert(12_345, right)
    matcher = TitleMatcher(titles)
    question = "When does the quokka sanctuary on Rottnest reopen?"
    assert len(titles) > titles_module.MATCH_ALL
    assert 0 < len(matcher.candidates(question)) < 100  # the rare words' titles only
    # Matching every title finds it too, then two titles sharing only "the" with it: noise,
    # no longer suggested.
    every = [t for t, _, _ in process.extract(question, titles, scorer=fuzz.token_set_ratio,
                                              limit=3)]
    assert every[0] == right and all("quokka" not in t.lower() for t in every[1:])
    assert matcher.nearest(question, 3) == [right]


def test_a_question_sharing_only_common_words_matches_no_title_of_many():
    matcher = TitleMatcher(_made_up_titles(20_000))
    assert matcher.nearest("What is the news of the day?", 3) == []


def test_a_few_titles_are_all_matched():
    # A small site: every title is matched, as before, even one sharing no whole word.
    matcher = TitleMatcher(["Whale songs", "Harbour dredging plans", "Rainfall records"])
    assert matcher.candidates("whales") == matcher.titles
    assert matcher.nearest("whales", 1) == ["Whale songs"]


def test_suggestions_name_a_repeated_title_once():
    names = ["Harbour dredging plans", "Harbour dredging plans", "Harbour dredging costs",
             "Rainfall records"]
    articles = [SimpleNamespace(title=t) for t in names]
    corpus = SimpleNamespace(articles=articles, article_position=lambda pid: pid,
                             title_matcher=TitleMatcher(names))
    # The best passage's article first, then the nearest other titles, each once.
    assert suggest(corpus, "harbour dredging", [3]) == (
        "Rainfall records", "Harbour dredging plans", "Harbour dredging costs")
