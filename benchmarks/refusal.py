"""Knowing when not to answer: index half of the SQuAD articles, ask about both halves.

Reports, per split, how many in-corpus questions get `answered: true` and how many
out-of-corpus questions get `answered: false` through the real batch path
(`footnote ask --json --corpus HALF -`), plus the AUC of the signal behind the rule (the
share of the question's weight held by the best passage, taken from the JSON by re-scoring
is not possible, so AUC is computed in-process with the same index code).

    python benchmarks/refusal.py ../shared/eval/squad_v1.1_dev [--sample 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answer import MIN_COVERAGE, asks_for_number  # noqa: E402
from bot.index import Index  # noqa: E402
from bot.text import tokenize  # noqa: E402

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


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ask_batch(corpus: Path, questions: list[str]) -> list[bool]:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--corpus", str(corpus), "-"],
        input="\n".join(q.replace("\n", " ") for q in questions) + "\n",
        capture_output=True, text=True, check=True,
    )
    return [json.loads(line)["answered"] for line in proc.stdout.splitlines()]


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    ranks = np.concatenate([pos, neg]).argsort().argsort() + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def signal(index: Index, question: str) -> float:
    tokens = tokenize(question)
    ids, _ = index.search(tokens, 1, numeric=asks_for_number(question))
    return index.support(tokens, int(ids[0])) if len(ids) else 0.0


def run_split(name: str, inside: set[str], articles: list[dict], questions: list[dict],
              sample: int, tmp: Path) -> None:
    half = [a for a in articles if a["title"] in inside]
    corpus = tmp / f"split{len(list(tmp.iterdir()))}.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in half), encoding="utf-8")
    rng = random.Random(0)
    qin = [q for q in questions if q["article"] in inside]
    qout = [q for q in questions if q["article"] not in inside]
    qin, qout = rng.sample(qin, min(sample, len(qin))), rng.sample(qout, min(sample, len(qout)))
    ans_in = ask_batch(corpus, [q["question"] for q in qin])
    ans_out = ask_batch(corpus, [q["question"] for q in qout])
    index = Index.build([(a["title"], a["paragraphs"]) for a in half])
    pos = np.array([signal(index, q["question"]) for q in qin])
    neg = np.array([signal(index, q["question"]) for q in qout])
    print(f"| {name} | {len(half)} | {np.mean(ans_in):.3f} | {1 - np.mean(ans_out):.3f} | "
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
    print(f"rule: answered when the best passage's support (0.7 x the share of the question's "
          f"weight it holds + 0.3 x the share its best sentence holds) >= {MIN_COVERAGE}")
    print("| split | articles indexed | in-corpus answered | out-of-corpus refused | AUC |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, inside in splits.items():
            run_split(name, inside, articles, questions, args.sample, Path(tmp))
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    ans_in = ask_batch(seeds, SEED_IN)
    ans_out = ask_batch(seeds, SEED_OUT)
    print(f"seed articles: {sum(ans_in)}/{len(SEED_IN)} seed questions answered, "
          f"{len(SEED_OUT) - sum(ans_out)}/{len(SEED_OUT)} off-topic questions refused")


if __name__ == "__main__":
    main()
