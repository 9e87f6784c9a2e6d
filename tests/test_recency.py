"""Questions about the recent past ("this week", "on Tuesday", "recently") read against the
time they are asked: an article dated far from it is about another event."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from bot.__main__ import main
from bot.kinds import recency

ASKED = datetime(2023, 7, 6, 12, tzinfo=UTC)


@pytest.mark.parametrize(("question", "days"), [
    ("Who won the hot dog contest this week?", 10),
    ("What did the minister say on Wednesday?", 10),
    ("which storm hit florida last weekend", 10),
    ("Who resigned yesterday?", 4),
    ("what happened this week, and yesterday?", 4),  # the narrowest span
    ("What has Russia said recently about the islands?", 45),
    ("Who has just been appointed envoy?", 45),
    ("what's the latest on the dam?", 45),
    ("Why haven't Japan and Russia signed a peace treaty?", None),
    ("Who won the 2022 contest?", None),
    ("just how many islands are there?", None),
])
def test_the_span_a_question_reaches_back(question, days):
    assert recency.span(question) == days


def test_an_article_far_from_the_time_asked_is_stale_an_undated_one_never():
    assert recency.stale("2022-07-04", ASKED, 10)
    assert not recency.stale("2023-07-04", ASKED, 10)
    assert not recency.stale("2023-06-27T08:00:00Z", ASKED, 10)
    assert recency.stale("2023-06-20", ASKED, 10)
    assert not recency.stale("2023-07-08", ASKED, 10)  # a day or two after: still its news
    assert recency.stale("2023-07-20", ASKED, 10)  # weeks after: another event
    assert not recency.stale("", ASKED, 10) and not recency.stale("someday", ASKED, 10)
    assert recency.within("2023-07-04", ASKED, 10)
    assert not recency.within("", ASKED, 10) and not recency.within("2022-07-04", ASKED, 10)


def test_a_day_is_asked_at_its_end_and_a_site_that_stopped_publishing_anchors_it():
    assert recency.as_of("2023-07-06") == datetime(2023, 7, 6, 23, 59, 59, tzinfo=UTC)
    assert recency.as_of("2023-07-06T10:00:00Z") == datetime(2023, 7, 6, 10, tzinfo=UTC)
    assert recency.as_of("next tuesday") is None
    # The site's newest article is a year older than the question: "this week" is its week.
    assert recency.anchored(ASKED, "2022-07-04") == datetime(2022, 7, 7, tzinfo=UTC)
    assert recency.anchored(ASKED, "2023-07-10") == ASKED
    assert recency.anchored(ASKED, "") == ASKED
    assert recency.anchored(datetime(2023, 7, 6, 12), "") == ASKED  # naive: UTC


# Two years' contests: the older report holds more of the question's words.
CONTESTS = [
    {"title": "Joey Chestnut wins Nathan's hot dog eating contest again",
     "url": "https://news.example/2022/07/04/hot-dogs", "date": "2022-07-04",
     "paragraphs": ["Joey Chestnut won Nathan's Famous hot dog eating contest on Monday, "
                    "eating 63 hot dogs and buns in ten minutes at Coney Island."]},
    {"title": "Chestnut takes a 16th title at Coney Island",
     "url": "https://news.example/2023/07/04/coney-island", "date": "2023-07-04",
     "paragraphs": ["Joey Chestnut ate 62 hot dogs in ten minutes on Tuesday to win the "
                    "contest at Coney Island for the 16th time."]},
    {"title": "Rains fail in the Sahel", "url": "https://news.example/2023/06/01/sahel",
     "date": "2023-06-01", "paragraphs": ["The rains failed for a third year running, and "
                                          "aid agencies expect a hungry season."]},
]
QUESTION = "How many hot dogs did Joey Chestnut eat to win the Nathan's contest this week?"


def _corpus(tmp_path, records) -> str:
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return str(path)


def _ask(capsys, corpus: str, question: str, *options: str) -> dict:
    assert main(["ask", "--json", "--corpus", corpus, *options, question]) == 0
    return json.loads(capsys.readouterr().out)


def test_this_weeks_article_goes_first_when_asked_that_week(tmp_path, capsys):
    corpus = _corpus(tmp_path, CONTESTS)
    then = _ask(capsys, corpus, QUESTION, "--as-of", "2022-07-06")
    now = _ask(capsys, corpus, QUESTION, "--as-of", "2023-07-06")
    assert then["hits"][0]["url"].endswith("/hot-dogs")
    assert now["hits"][0]["url"].endswith("/coney-island")
    # Asked about no time, the question is answered as before whenever it is asked.
    timeless = QUESTION.replace(" this week", "")
    assert (_ask(capsys, corpus, timeless, "--as-of", "2023-07-06")["hits"][0]["url"]
            == _ask(capsys, corpus, timeless, "--as-of", "2022-07-06")["hits"][0]["url"])


def test_only_last_years_article_is_less_sure_of_this_weeks_news(tmp_path, capsys):
    # The site also holds a newer article, so "this week" is not anchored back to 2022.
    corpus = _corpus(tmp_path, [CONTESTS[0], CONTESTS[2]])
    fresh = _ask(capsys, corpus, QUESTION, "--as-of", "2022-07-06")
    stale = _ask(capsys, corpus, QUESTION, "--as-of", "2023-06-05")
    assert fresh["hits"][0]["url"] == stale["hits"][0]["url"]
    assert stale["confidence"] < fresh["confidence"]


def test_a_site_that_stopped_publishing_reads_this_week_as_its_last(tmp_path, capsys):
    corpus = _corpus(tmp_path, [CONTESTS[0]])
    asked_now = _ask(capsys, corpus, QUESTION)  # asked today, years after the article
    asked_then = _ask(capsys, corpus, QUESTION, "--as-of", "2022-07-06")
    assert asked_now["confidence"] == asked_then["confidence"]


def test_a_dated_batch_asks_each_line_on_its_own_date(tmp_path, capsys, monkeypatch):
    corpus = _corpus(tmp_path, CONTESTS)
    monkeypatch.setattr("sys.stdin", io.StringIO(
        f"2023-07-06\t{QUESTION}\n2022-07-06\t{QUESTION}\nnot a date\t{QUESTION}\n"))
    assert main(["ask", "--json", "--corpus", corpus, "--dated", "-"]) == 0
    first, second, bad = map(json.loads, capsys.readouterr().out.splitlines())
    assert first["hits"][0]["url"].endswith("/coney-island")
    assert second["hits"][0]["url"].endswith("/hot-dogs")
    assert "not a date" in bad["error"] and not bad["hits"]


def test_as_of_refuses_what_it_cannot_read(tmp_path, capsys):
    corpus = _corpus(tmp_path, CONTESTS)
    assert main(["ask", "--corpus", corpus, "--as-of", "soon", QUESTION]) == 2
    assert "--as-of" in capsys.readouterr().err
    assert main(["ask", "--corpus", corpus, "--dated", QUESTION]) == 2


def test_a_question_whose_time_was_checked_has_its_own_answer_threshold():
    from bot import policy

    p = {"answered_at": 0.3, "closest_at": 0.1, "dated_answered_at": 0.2}
    timeless = {"stale": 0.0, "fresh": 0.0}
    checked = {"stale": 0.0, "fresh": 1.0}
    assert policy.answer_bar(timeless, p) == 0.3
    assert policy.answer_bar(checked, p) == 0.2
    assert policy.answer_bar({"stale": 1.0, "fresh": 0.0}, p) == 0.2
    assert policy.outcome(0.25, p, policy.answer_bar(checked, p)) == policy.ANSWERED
    assert policy.outcome(0.25, p, policy.answer_bar(timeless, p)) == policy.CLOSEST
    # Parameters fitted before dates were read hold one threshold for all.
    assert policy.answer_bar(checked, {"answered_at": 0.3, "closest_at": 0.1}) == 0.3
