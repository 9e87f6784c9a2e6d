"""Real readers' questions: the news-quiz dev set (realtimeqa_news_dev), through the real
batch path (`footnote ask --json --top 5 --corpus FILE -`).

* retrieval over all articles: R@1, R@5 of the gold paragraph, ans@1 (the top passage
  holds the quiz answer), and the three-way outcome split;
* abstention: one half of the articles indexed (even, then odd), every question asked: the
  outcome split for in-corpus and out-of-corpus questions; with `--held-out DIR` (written by
  `benchmarks/fit_confidence.py --folds DIR`), each half is asked with the policy fitted on
  SQuAD and the other half, its thresholds chosen on that training data (held out);
* small sites: random subsets of 5, 20 and 100 articles, questions about them and as many
  about other articles.

    python benchmarks/news.py ../shared/eval/realtimeqa_news_dev [--subsets 5 20 100]
        [--held-out DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections import Counter
from pathlib import Path

from evalkit import ask_batch, asked_on, dated_news, holds_answer, rank_of, read_jsonl, write_corpus

STATUSES = ("answered", "closest", "none")


def split(records: list[dict]) -> str:
    c = Counter(r.get("status", "answered" if r["answered"] else "none") for r in records)
    n = max(1, len(records))
    return " / ".join(f"{c[s] / n:.3f}" for s in STATUSES)


# Each question asked on its quiz's date, against articles dated by their links (evalkit's
# dated_news); --undated asks them now, of undated articles, as every session before the
# twentieth did.
DATED = True


def asked(qs: list[dict]) -> list[str] | None:
    return asked_on(qs) if DATED else None


def retrieval(folder: Path, arts: list[dict], qs: list[dict], tmp: Path) -> None:
    recs = ask_batch(write_corpus(arts, tmp / "all.jsonl"), [q["question"] for q in qs],
                     asked=asked(qs))
    ranks = [rank_of(q, r["hits"]) for q, r in zip(qs, recs, strict=True)]
    n = len(qs)
    r1 = sum(r == 1 for r in ranks) / n
    r5 = sum(r is not None for r in ranks) / n
    ans1 = sum(bool(r["hits"]) and holds_answer(q, r["hits"][0]["passage"])
               for q, r in zip(qs, recs, strict=True)) / n
    print(f"all {len(arts)} articles, {n} questions: R@1 {r1:.3f}, R@5 {r5:.3f}, "
          f"ans@1 {ans1:.3f}; answered / closest / none {split(recs)}")
    long = [r for q, r in zip(qs, recs, strict=True) if len(q["question"].split()) > 20]
    print(f"  questions over 20 words ({len(long)}): answered / closest / none {split(long)}")


def abstention(arts: list[dict], qs: list[dict], tmp: Path, held_out: Path | None) -> None:
    print("| half indexed | policy | in-corpus answered / closest / none | "
          "out-of-corpus answered / closest / none | out-of-corpus answered with the quiz "
          "answer in the first passage |\n| --- | --- | --- | --- | --- |")
    for name, half, other in (("even", arts[0::2], "odd"), ("odd", arts[1::2], "even")):
        inside = {a["title"] for a in half}
        params = held_out / f"fit_on_{other}.json" if held_out else None
        policy = f"fitted on SQuAD + {other} (held out)" if held_out else "committed"
        recs = ask_batch(write_corpus(half, tmp / f"{name}.jsonl"), [q["question"] for q in qs],
                         params=params, asked=asked(qs))
        rin = [r for q, r in zip(qs, recs, strict=True) if q["title"] in inside]
        rout = [r for q, r in zip(qs, recs, strict=True) if q["title"] not in inside]
        # The other half's questions are about articles not indexed, but a round-up or a
        # follow-up in the indexed half may hold the answer (the rule that counts a passage
        # right for in-corpus questions): how many of those answered are.
        outside = [(q, r) for q, r in zip(qs, recs, strict=True) if q["title"] not in inside]
        held = sum(r["status"] == "answered" and bool(r["hits"]) and holds_answer(
            q, r["hits"][0]["passage"]) for q, r in outside)
        answered = sum(r["status"] == "answered" for _, r in outside)
        print(f"| {name} ({len(rin)} in, {len(rout)} out) | {policy} | {split(rin)} | "
              f"{split(rout)} | {held} of {answered} |")


def subsets(arts: list[dict], qs: list[dict], sizes: list[int], tmp: Path, runs: int) -> None:
    print("| articles | runs | questions in / out | R@1 (in) | in answered / closest / none | "
          "out answered / closest / none |\n| --- | --- | --- | --- | --- | --- |")
    with_q = sorted({q["title"] for q in qs})
    by_title = {a["title"]: a for a in arts}
    for size in sizes:
        rin_all, rout_all, ranks = [], [], []
        for run in range(runs):
            rng = random.Random(size * 100 + run)
            # Articles with questions first (so there is something to ask), then others.
            chosen = set(rng.sample(with_q, min(size, len(with_q))))
            qin = [q for q in qs if q["title"] in chosen]
            qout = rng.sample([q for q in qs if q["title"] not in chosen], len(qin))
            corpus = write_corpus([by_title[t] for t in sorted(chosen)], tmp / "sub.jsonl")
            recs = ask_batch(corpus, [q["question"] for q in qin + qout], asked=asked(qin + qout))
            rin_all += recs[: len(qin)]
            rout_all += recs[len(qin):]
            ranks += [rank_of(q, r["hits"]) for q, r in zip(qin, recs, strict=False)]
        r1 = sum(r == 1 for r in ranks) / max(1, len(ranks))
        print(f"| {size} | {runs} | {len(rin_all)} / {len(rout_all)} | {r1:.3f} | "
              f"{split(rin_all)} | {split(rout_all)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--subsets", type=int, nargs="*", default=[5, 20, 100])
    parser.add_argument("--runs", type=int, default=5, help="random subsets per size")
    parser.add_argument("--held-out", type=Path, metavar="DIR",
                        help="half-indexed rows with fit_confidence.py --folds DIR's fits")
    parser.add_argument("--undated", action="store_true",
                        help="ask every question now, of undated articles")
    args = parser.parse_args()
    global DATED
    DATED = not args.undated
    arts = read_jsonl(args.folder / "articles.jsonl")
    qs = read_jsonl(args.folder / "questions.jsonl")
    if DATED:
        arts = dated_news(arts, qs)
    with tempfile.TemporaryDirectory() as tmp:
        retrieval(args.folder, arts, qs, Path(tmp))
        abstention(arts, qs, Path(tmp), args.held_out)
        if args.subsets:
            subsets(arts, qs, args.subsets, Path(tmp), args.runs)


if __name__ == "__main__":
    main()
