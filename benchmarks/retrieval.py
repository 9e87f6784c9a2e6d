"""Retrieval quality on SQuAD v1.1 dev: R@1, R@5, MRR@5 of the gold paragraph, all pooled.

Footnote is measured through its real batch path (`footnote ask --json --top 5 --corpus
ARTICLES -`), beside plain rank-bm25 (lowercase \\w+ tokens, default parameters).

    python benchmarks/retrieval.py ../shared/eval/squad_v1.1_dev [--limit N] [--no-plain]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

QUOTE_HOLDS: list[bool] = []  # per correct top-1 hit: is a gold answer in its quote


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "R@1": sum(r == 1 for r in ranks if r) / n,
        "R@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "MRR@5": sum(1 / r for r in ranks if r and r <= 5) / n,
    }


def footnote_ranks(folder: Path, questions: list[dict]) -> tuple[list[int | None], float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--top", "5",
         "--corpus", str(folder / "articles.jsonl"), "-"],
        input="\n".join(q["question"].replace("\n", " ") for q in questions) + "\n",
        capture_output=True, text=True, check=True,
    )
    elapsed = time.perf_counter() - started
    ranks = []
    QUOTE_HOLDS.clear()
    for q, line in zip(questions, proc.stdout.splitlines(), strict=True):
        hits = json.loads(line)["hits"]
        top = (hits[0]["title"], hits[0]["paragraph"]) if hits else None
        if top == (q["article"], q["paragraph_index"]):
            QUOTE_HOLDS.append(any(a in hits[0]["quote"] for a in q["answers"]))
        gold = (q["article"], q["paragraph_index"])
        rank = next(
            (i for i, h in enumerate(hits, 1) if (h["title"], h["paragraph"]) == gold), None
        )
        ranks.append(rank)
    return ranks, elapsed


def plain_ranks(articles: list[dict], questions: list[dict]) -> list[int | None]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    keys = [(a["title"], i) for a in articles for i, _ in enumerate(a["paragraphs"])]
    docs = [re.findall(r"\w+", p.lower()) for a in articles for p in a["paragraphs"]]
    bm25 = BM25Okapi(docs)
    ranks = []
    for q in questions:
        scores = bm25.get_scores(re.findall(r"\w+", q["question"].lower()))
        top = np.argsort(-scores, kind="stable")[:5]
        gold = (q["article"], q["paragraph_index"])
        ranks.append(next((i for i, d in enumerate(top, 1) if keys[d] == gold), None))
    return ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="folder with articles.jsonl, questions.jsonl")
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    parser.add_argument("--no-plain", action="store_true", help="skip the rank-bm25 baseline")
    args = parser.parse_args()
    articles = read_jsonl(args.folder / "articles.jsonl")
    questions = read_jsonl(args.folder / "questions.jsonl")
    questions = [q for q in questions if not q.get("is_impossible")]
    if args.limit:
        questions = questions[: args.limit]
    n_par = sum(len(a["paragraphs"]) for a in articles)
    print(f"{len(questions)} questions, {n_par} paragraphs pooled")
    print("| system | R@1 | R@5 | MRR@5 |\n| --- | --- | --- | --- |")
    if not args.no_plain:
        m = metrics(plain_ranks(articles, questions))
        print(f"| plain rank-bm25 | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['MRR@5']:.3f} |")
    ranks, elapsed = footnote_ranks(args.folder, questions)
    m = metrics(ranks)
    print(f"| footnote | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['MRR@5']:.3f} |")
    print(f"gold answer inside the top-1 quote: {sum(QUOTE_HOLDS) / len(QUOTE_HOLDS):.3f} of "
          f"{len(QUOTE_HOLDS)} correct top-1 hits")
    print(f"footnote batch run: {elapsed:.1f}s for {len(questions)} questions (incl. start-up)")


if __name__ == "__main__":
    main()
