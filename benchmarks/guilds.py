"""Per-server corpora in one process: many servers with small corpora of their own, asked
in turn with a bounded set of loaded corpora. Measures a question in a server whose corpus
is not loaded (the LRU miss: which corpora it reads, load or build its index, answer), one
in a loaded server, the memory a loaded corpus holds, and checks no answer quotes another
server's article.

    python benchmarks/guilds.py [--servers 300] [--articles 30] [--loaded 64]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("harbour lighthouse ferry council budget school river bridge festival library "
         "museum election tide storm fishing market railway hospital garden bakery choir "
         "tunnel quarry mill castle orchard vineyard pier canal dairy forge").split()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def article(rng: random.Random, gid: int, i: int):
    from bot.models import Article

    paras = tuple(" ".join(rng.choice(WORDS) for _ in range(40)) + f" marker{gid}x." for _ in
                  range(5))
    return Article(f"Server {gid} article {i}", paras, url=f"https://s{gid}.example/{i}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", type=int, default=300)
    ap.add_argument("--articles", type=int, default=30)
    ap.add_argument("--loaded", type=int, default=64)
    args = ap.parse_args()
    from bot.config import Config, DiscordConfig
    from bot.service import Service
    from bot.store import open_stores

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        stores = open_stores(Path(tmp) / "s.sqlite3")
        started = time.perf_counter()
        for gid in range(1, args.servers + 1):
            stores.articles.ingest([article(rng, gid, i) for i in range(args.articles)],
                                   f"https://s{gid}.example/", corpus=f"g{gid}")
        print(f"stored {args.servers} corpora x {args.articles} articles "
              f"in {time.perf_counter() - started:.1f} s")
        service = Service(stores, Config(discord=DiscordConfig(loaded_corpora=args.loaded)),
                          index_dir=Path(tmp) / "index")
        base = rss_mb()
        cold, warm, leaks = [], [], 0
        # Traffic as servers have it: a few busy ones, a long tail (Zipf-like).
        weights = [1 / (r + 1) for r in range(args.servers)]
        for n in range(3000):
            gid = rng.choices(range(1, args.servers + 1), weights)[0]
            loaded = gid in service.corpora.loaded()
            t = time.perf_counter()
            ans = service.for_guild(gid).ask(f"{rng.choice(WORDS)} {rng.choice(WORDS)}")
            (warm if loaded else cold).append(time.perf_counter() - t)
            leaks += sum(f"marker{gid}x" not in h.passage for h in ans.hits)
            if n == 999:
                full = rss_mb()
        n_loaded = len(service.corpora.loaded())

        def pct(xs, q):
            return sorted(xs)[min(len(xs) - 1, int(q * len(xs)))] * 1000

        print(f"questions: {len(cold)} in an unloaded server, {len(warm)} in a loaded one")
        print(f"unloaded server: p50 {pct(cold, .5):.1f} ms, p95 {pct(cold, .95):.1f} ms")
        print(f"loaded server:   p50 {pct(warm, .5):.1f} ms, p95 {pct(warm, .95):.1f} ms "
              f"(mean {statistics.mean(warm) * 1000:.1f} ms)")
        print(f"memory: {full - base:.0f} MB for {n_loaded} loaded corpora "
              f"({(full - base) / max(1, n_loaded):.2f} MB each), process {rss_mb():.0f} MB")
        print(f"passages quoted from another server: {leaks}")
        stores.close()


if __name__ == "__main__":
    main()
