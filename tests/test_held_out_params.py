"""benchmarks/news.py --held-out asks through the real batch path with another fit's policy
parameters (benchmarks/evalkit.ask_batch(params=...)): the file given is the one read."""

from __future__ import annotations

import json
from pathlib import Path

from bot import policy

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
ARTICLES = [
    {"title": "Glaciers", "paragraphs": [
        "Glaciers melt when the summer air above them warms and the ice loses more than the "
        "winter snow brings back."]},
    {"title": "Volcanoes", "paragraphs": [
        "Volcanoes erupt when molten rock rises through cracks in the crust of the earth."]},
]


def test_ask_batch_reads_the_policy_parameters_it_is_given(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from evalkit import ask_batch, write_corpus

    corpus = write_corpus(ARTICLES, tmp_path / "c.jsonl")
    # A model that knows nothing (confidence 0.5 for every question) and never answers.
    blank = {"intercept": 0.0, "coef": dict.fromkeys(policy.FEATURES, 0.0),
             "answered_at": 1.0, "closest_at": 0.0}
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(blank), encoding="utf-8")
    record = ask_batch(corpus, ["Why do glaciers melt in the summer?"], params=path)[0]
    assert record["confidence"] == 0.5  # the committed fit: answered, 0.83
    assert record["status"] == "closest" and record["answered"] is False
    assert record["hits"][0]["title"] == "Glaciers"


def test_news_articles_are_dated_by_their_links_and_asked_on_their_quiz_dates(
        tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from evalkit import ask_batch, asked_on, dated_news, write_corpus

    questions = [
        {"title": "Glaciers", "date": "2023/07/06",
         "url": "https://www.cnn.com/2023/07/04/world/glaciers/index.html"},
        {"title": "Volcanoes", "date": "2023/07/06", "url": "https://theweek.com/volcanoes"},
    ]
    arts = dated_news(ARTICLES, questions)
    assert arts[0]["date"] == "2023-07-04" and arts[0]["url"].endswith("index.html")
    assert "date" not in arts[1] and arts[1]["url"] == "https://theweek.com/volcanoes"
    assert asked_on(questions) == ["2023-07-06", "2023-07-06"]
    # A newer article, so that a year later is not read as the site's last week.
    arts.append({"title": "Deserts", "date": "2024-07-01", "paragraphs": [
        "Deserts spread where rain fails and the soil is worked too hard."]})
    corpus = write_corpus(arts, tmp_path / "c.jsonl")
    question = "Why did glaciers melt this week?"
    fresh, stale = ask_batch(corpus, [question, question], asked=["2023-07-06", "2024-07-06"])
    assert fresh["hits"][0]["title"] == stale["hits"][0]["title"] == "Glaciers"
    assert stale["confidence"] < fresh["confidence"]


def test_the_date_features_are_fitted_on_top_of_the_undated_model(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import numpy as np
    from fit_confidence import fit, newton, undated

    rng = np.random.default_rng(0)
    X = rng.random((400, len(policy.FEATURES)))
    stale, fresh = policy.FEATURES.index("stale"), policy.FEATURES.index("fresh")
    X[:, [stale, fresh]] = 0.0
    X[:100, stale] = 1.0
    X[100:200, fresh] = 1.0
    y = (X[:, 0] + 0.5 * X[:, fresh] - X[:, stale] + rng.normal(0, 0.3, 400) > 0.5)
    w = np.ones(400)
    beta = fit(X, y.astype(float), w)
    alone = newton(np.hstack([np.ones((400, 1)), undated(X)]), y.astype(float), w)
    others = [i for i in range(len(beta)) if i - 1 not in (stale, fresh)]
    assert np.allclose(beta[others], alone[others])  # a site without dates: as before
    assert beta[1 + stale] < 0 < beta[1 + fresh]
