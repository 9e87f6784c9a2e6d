"""Summary cost: time and peak memory for very long articles of real sentences.

Articles are built by concatenating CNN/DailyMail articles (their paragraphs, in file order)
up to 100 kB, 1 MB and 5 MB, plus a 6,708-paragraph document (one sentence-run per
paragraph). Each case runs in a fresh process, so its peak RSS is its own; the table shows
the process's RSS before summarising (interpreter, libraries and the article) and its peak,
and wall-clock beside CPU time (the stem cache starts cold, as in a fresh bot).

    python benchmarks/summary_cost.py ../shared/eval/cnndm_test_frank/summaries.jsonl
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CASES = {"100 kB": 100_000, "1 MB": 1_000_000, "5 MB": 5_000_000, "6,708 paragraphs": -6708}


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def build(data: Path, size: int) -> list[str]:
    """Paragraphs of real articles, repeated in order until `size` characters (or, when
    `size` is negative, until -size paragraphs of three sentences each)."""
    from bot.text import split_sentences

    with open(data, encoding="utf-8") as f:
        articles = [json.loads(line)["article"] for line in f if line.strip()]
    paras: list[str] = []
    if size > 0:
        total, i = 0, 0
        while total < size:
            for p in articles[i % len(articles)].split("\n"):
                if p.strip():
                    paras.append(p.strip())
                    total += len(p) + 1
            i += 1
        return paras
    sents = [s for a in articles for s in split_sentences(a.replace("\n", " "))]
    return [" ".join(sents[(3 * k + j) % len(sents)] for j in range(3)) for k in range(-size)]


def one(data: Path, size: int) -> None:
    """Measure a single case in this process; print one JSON line."""
    from bot.summarize import summarize

    paras = build(data, size)
    before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    picked = summarize("", paras, 3)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chars = sum(len(p) + 1 for p in paras)
    print(json.dumps({"chars": chars, "paragraphs": len(paras), "seconds": elapsed, "cpu": cpu,
                      "rss_before_mb": before, "peak_mb": peak, "picked": len(picked)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="cnndm_test_frank/summaries.jsonl")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        one(args.data, args.one)
        return
    print("| article | characters | paragraphs | time | CPU time | RSS before | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, size in CASES.items():
        out = subprocess.run([sys.executable, __file__, str(args.data), "--one", str(size)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        print(f"| {label} | {r['chars']:,} | {r['paragraphs']:,} | {r['seconds']:.2f} s "
              f"| {r['cpu']:.2f} s | {r['rss_before_mb']:.0f} MB | {r['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
