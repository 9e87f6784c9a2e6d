"""Knowing when not to answer: index half of the SQuAD articles, ask about both halves.

Reports, per split, the outcome split (answered / closest / none) of in-corpus and
out-of-corpus questions through the real batch path (`footnote ask --json --corpus HALF -`),
and the AUC of the `confidence` in the JSON (in-corpus against out-of-corpus).

    python benchmarks/refusal.py ../shared/eval/squad_v1.1_dev [--sample 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import numpy as np
from evalkit import ask_batch, read_jsonl

SEED_IN = [
    "Why haven't Japan and Russia signed a peace treaty?",
    "Where did Putin propose a peace treaty without preconditions?",
    "Why are the Kuril Islands important to Russia's navy?",
    "What did Abe ask at the Eastern Economic Forum?",
    "Was Putin offered a division of the islands?",
    "What is happening in the civil war in Yemen?",
]
SEED_OUT = [
    "What is the capital of France?",
    "How do I bake sourdough bread?",
    "Who won the 2018 football World Cup?",
    "What is the boiling point of water?",
    "asdkjh qwpoeiru zmxncb",
    "How does photosynthesis work in plants?",
]


def split(records: list[dict]) -> str:
    n = max(1, len(records))
    return " / ".join(f"{sum(r['status'] == s for r in records) / n:.3f}"
                      for s in ("answered", "closest", "none"))


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    ranks = np.concatenate([pos, neg]).argsort().argsort() + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def run_split(name: str, inside: set[str], articles: list[dict], questions: list[dict],
              sample: int, tmp: Path) -> None:
    half = [a for a in articles if a["title"] in inside]
    corpus = tmp / f"split{len(list(tmp.iterdir()))}.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in half), encoding="utf-8")
    rng = random.Random(0)
    qin = [q for q in questions if q["article"] in inside]
    qout = [q for q in questions if q["article"] not in inside]
    qin, qout = rng.sample(qin, min(sample, len(qin))), rng.sample(qout, min(sample, len(qout)))
    rin = ask_batch(corpus, [q["question"] for q in qin])
    rout = ask_batch(corpus, [q["question"] for q in qout])
    pos = np.array([r["confidence"] for r in rin])
    neg = np.array([r["confidence"] for r in rout])
    print(f"| {name} | {len(half)} | {np.mean([r['answered'] for r in rin]):.3f} | "
          f"{1 - np.mean([r['answered'] for r in rout]):.3f} | {split(rin)} | {split(rout)} | "
          f"{auc(pos, neg):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sample", type=int, default=3000, help="questions per side and split")
    args = parser.parse_args()
    articles = read_jsonl(args.folder / "articles.jsonl")
    questions = [q for q in read_jsonl(args.folder / "questions.jsonl")
                 if not q.get("is_impossible")]
    titles = [a["title"] for a in articles]
    shuffled = random.Random(1).sample(titles, len(titles))
    splits = {
        "even/odd articles": set(titles[::2]),
        "first/second half": set(titles[: len(titles) // 2]),
        "random half (seed 1)": set(shuffled[: len(titles) // 2]),
    }
    print("| split | articles indexed | in-corpus answered | out-of-corpus not answered | "
          "in: answered / closest / none | out: answered / closest / none | AUC |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, inside in splits.items():
            run_split(name, inside, articles, questions, args.sample, Path(tmp))
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    ans_in = [r["answered"] for r in ask_batch(seeds, SEED_IN)]
    ans_out = [r["answered"] for r in ask_batch(seeds, SEED_OUT)]
    print(f"seed articles: {sum(ans_in)}/{len(SEED_IN)} seed questions answered, "
          f"{len(SEED_OUT) - sum(ans_out)}/{len(SEED_OUT)} off-topic questions not answered")


if __name__ == "__main__":
    main()
