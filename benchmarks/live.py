"""From a store commit to searchable, through the Service (bot/live.py): a corpus of SQuAD
paragraphs copied to N passages (as benchmarks/speed.py makes it) is loaded, then articles
are added, changed and removed one at a time, each applied incrementally (a delta index of
that article, its old passages masked); questions are timed with the deltas present, then
after the merge that folds them into a fresh index.

    python benchmarks/live.py ../shared/eval/squad_v1.1_dev --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from speed import make_corpus, pct, questions, rss_mb  # noqa: E402

from bot import rerank  # noqa: E402
from bot import service as service_mod  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.models import Article  # noqa: E402
from bot.service import Service  # noqa: E402
from bot.sources.files import load_paths  # noqa: E402
from bot.store import open_stores  # noqa: E402
from bot.text import tokenize  # noqa: E402


def timed_questions(svc: Service, qs: list[str]) -> dict:
    search, ask = [], []
    index = svc.corpus().index
    for q in qs:
        t = time.perf_counter()
        rerank.search(index, tokenize(q), 5)
        search.append(time.perf_counter() - t)
    for q in qs:
        t = time.perf_counter()
        svc.ask(q, 5)
        ask.append(time.perf_counter() - t)
    return {"search_p50_ms": 1000 * pct(search, .5), "search_p95_ms": 1000 * pct(search, .95),
            "ask_p50_ms": 1000 * pct(ask, .5), "ask_p95_ms": 1000 * pct(ask, .95)}


def new_article(paras: list[str], n: int, marker: str) -> Article:
    """Ten real paragraphs with a word no other passage holds."""
    body = tuple(f"{p} {marker}." for p in paras[n * 10:(n + 1) * 10])
    return Article(f"Live {marker}", body, url=f"https://example.org/live/{n}")


def found(svc: Service, marker: str, text: str | None = None) -> bool:
    corpus = svc.corpus()
    ids, _ = rerank.search(corpus.index, tokenize(marker), 10)
    passages = [corpus.passage(int(i))[2] for i in ids]
    return bool(passages) and (text is None or text in passages)


def reload_timed(svc: Service, timings: list[tuple[float, float]]) -> None:
    """Apply what was just committed; (wall, CPU) seconds until it is searchable."""
    t, c = time.perf_counter(), time.process_time()
    svc.reload()
    timings.append((time.perf_counter() - t, time.process_time() - c))


def run(folder: Path, size: int, changes: int, n_questions: int, merge: bool) -> dict:
    service_mod.MERGE_SHARE = 1.0  # merged by hand, at the end
    service_mod.MAX_LAYERS = 10 * changes
    out: dict = {"passages": size}
    with open(folder / "articles.jsonl", encoding="utf-8") as f:
        paras = [p for line in f for p in json.loads(line)["paragraphs"]]
    qs = questions(folder, n_questions)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        make_corpus(folder, size, corpus)
        stores = open_stores(tmp / "footnote.sqlite3")
        t = time.perf_counter()
        stores.articles.ingest(load_paths([corpus]).articles, "bench")
        out["ingest_s"] = time.perf_counter() - t
        svc = Service(stores, Config(), index_dir=tmp / "index")
        svc.merge_idle_seconds = 1e9
        t, c = time.perf_counter(), time.process_time()
        svc.corpus()
        out["build_s"], out["build_cpu_s"] = time.perf_counter() - t, time.process_time() - c
        out["peak_mb"] = rss_mb()
        out["plain"] = timed_questions(svc, qs)
        timings: dict[str, list[tuple[float, float]]] = {"add": [], "change": [], "remove": []}
        for n in range(changes):
            marker = f"Livemarker{n}x"
            art = new_article(paras, n, marker)
            stores.articles.ingest([art], f"live{n}")  # committed here
            reload_timed(svc, timings["add"])
            assert found(svc, marker), "the new article is not found"
            changed = Article(art.title, (f"A changed paragraph {marker}.", *art.paragraphs[1:]),
                              url=art.url)
            stores.articles.ingest([changed], f"live{n}")
            reload_timed(svc, timings["change"])
            assert found(svc, marker, changed.paragraphs[0]), "the change is not found"
        for n in range(changes // 2):  # half of them go
            stores.articles.ingest([], f"live{n}", complete=True)
            reload_timed(svc, timings["remove"])
            assert not found(svc, f"Livemarker{n}x"), "a removed article is still found"
        for kind, values in timings.items():
            wall, cpu = [w for w, _ in values], [c for _, c in values]
            out[f"{kind}_s"] = {"p50": pct(wall, .5), "max": max(wall), "cpu_p50": pct(cpu, .5)}
        out["layers"] = len(svc.corpus().index.layers)
        out["with_deltas"] = timed_questions(svc, qs)
        out["peak_mb_deltas"] = rss_mb()
        if not merge:
            stores.close()
            return out
        t = time.perf_counter()
        assert svc.merge()
        out["merge_s"] = time.perf_counter() - t
        out["merged"] = timed_questions(svc, qs)
        out["peak_mb_merge"] = rss_mb()
        stores.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="squad_v1.1_dev folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000])
    parser.add_argument("--changes", type=int, default=6)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--no-merge", action="store_true", help="skip the merge (a build)")
    args = parser.parse_args()
    for size in args.sizes:
        print(json.dumps(run(args.folder, size, args.changes, args.questions,
                             not args.no_merge)), flush=True)


if __name__ == "__main__":
    main()
