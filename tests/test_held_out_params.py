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
