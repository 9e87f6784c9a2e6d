"""The store on SQLite and on PostgreSQL (a throwaway local cluster, Unix socket, fsync
off: tests/pg.py): ingest N synthetic articles in batches of 100, re-ingest them unchanged,
iterate the corpus (what an index build reads), and 1,000 revision() calls (what every
question's staleness check costs); then the community tables: 1,000 questions recorded
and voted on (what each auto-answer and click writes) and the report's query over them.
Seconds per step.

    python benchmarks/store_backends.py [--n 5000] [--paras 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(target, n: int, paras: int) -> dict[str, float]:
    from bot.models import Article
    from bot.store import open_stores

    arts = [Article(title=f"Article {i}", url=f"https://e.org/{i}",
                    paragraphs=tuple(f"Paragraph {j} of article {i} about peace talks."
                                     for j in range(paras))) for i in range(n)]
    stores = open_stores(target)
    out = {}
    for step in ("ingest", "re-ingest"):
        t = time.perf_counter()
        for k in range(0, n, 100):
            stores.articles.ingest(arts[k:k + 100], "bench")
        out[step] = time.perf_counter() - t
    t = time.perf_counter()
    got = sum(a.passages for a in stores.articles.iter_articles())
    out["iterate"] = time.perf_counter() - t
    assert got == n * paras, got
    t = time.perf_counter()
    for _ in range(1000):
        stores.articles.revision()
    out["1000 revisions"] = time.perf_counter() - t
    from bot.community.feedback import Feedback

    feedback = Feedback(stores.db)
    t = time.perf_counter()
    for i in range(1000):
        ask = feedback.record_ask(f"question {i}?", "closest", guild_id=1, user_id=i)
        feedback.vote(ask, i, -1 if i % 2 else 1)
    out["1000 asks+votes"] = time.perf_counter() - t
    t = time.perf_counter()
    assert len(feedback.unanswered()) == 1000
    out["report query"] = time.perf_counter() - t
    stores.close()
    return out


def main() -> None:
    from tests.pg import start_cluster, stop_cluster

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--paras", type=int, default=10)
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = {"sqlite": measure(Path(tmp) / "s.sqlite3", args.n, args.paras),
                       "postgresql": measure(cluster.url(), args.n, args.paras)}
    finally:
        stop_cluster(cluster)
    steps = list(results["sqlite"])
    print(f"{args.n} articles x {args.paras} paragraphs; seconds")
    print("backend     " + "".join(f"{s:>16}" for s in steps))
    for name, row in results.items():
        print(f"{name:<12}" + "".join(f"{row[s]:>16.2f}" for s in steps))


if __name__ == "__main__":
    main()
