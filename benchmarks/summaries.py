"""Extractive summary quality: ROUGE-1/2/Lsum against reference summaries, beside Lead-N.

rouge-score (F-measure, stemming on, one sentence per line). CNN/DailyMail with 3
sentences, XSum with 1. Tune on `frank_split == "validation"`, report on "test".

    python benchmarks/summaries.py ../shared/eval/cnndm_test_frank/summaries.jsonl --sentences 3
    python benchmarks/summaries.py ../shared/eval/xsum_test_frank/summaries.jsonl --sentences 1
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.summarize import sentences_of, summarize  # noqa: E402


def paragraphs(article: str) -> list[str]:
    paras = [p.strip() for p in article.split("\n") if p.strip()]
    return paras or [article]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="summaries.jsonl")
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--split", default="test", help='"test", "validation" or "all"')
    args = parser.parse_args()
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    with open(args.data, encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    if args.split != "all":
        items = [x for x in items if x.get("frank_split") == args.split]
    totals = {"lead": [0.0, 0.0, 0.0], "footnote": [0.0, 0.0, 0.0]}
    elapsed = 0.0
    for item in items:
        paras = paragraphs(item["article"])
        lead = [s.text for s in sentences_of(paras)[: args.sentences]]
        started = time.perf_counter()
        ours = summarize("", paras, args.sentences)
        elapsed += time.perf_counter() - started
        ref = item["summary"]
        for name, picked in (("lead", lead), ("footnote", ours)):
            s = scorer.score(ref, "\n".join(picked))
            for i, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
                totals[name][i] += s[key].fmeasure
    n = len(items)
    print(f"{args.data.parent.name}, split {args.split}, {n} articles, {args.sentences} sentences")
    print("| system | R-1 | R-2 | R-Lsum |\n| --- | --- | --- | --- |")
    for name, label in (("lead", f"Lead-{args.sentences}"), ("footnote", "Footnote")):
        r1, r2, rl = (100 * v / n for v in totals[name])
        print(f"| {label} | {r1:.2f} | {r2:.2f} | {rl:.2f} |")
    print(f"time per article: {1000 * elapsed / n:.1f} ms")


if __name__ == "__main__":
    main()
