"""Speed and memory at 10k / 100k / 300k passages: Footnote beside naive rank-bm25
`get_scores`, bm25s and tantivy (those two only here, never runtime dependencies).

Two corpora (`--corpus`): *tiled*, real SQuAD paragraphs copied with a distinct marker word
per copy (at 1M every paragraph 484 times: each question word's postings 484 times longer,
and the copies tie exactly); *mixed*, passages made of runs of sentences drawn from every
text of the eval folder (SQuAD paragraphs, the news articles, CNN/DM and XSum articles), no
two alike, asked SQuAD and news questions. Each measurement runs in its own process, so peak
memory (VmHWM) is its own; CPU seconds are given beside wall seconds because the machine is
shared.

    python benchmarks/speed.py ../shared/eval/squad_v1.1_dev --sizes 10000 100000 300000
    python benchmarks/speed.py ../shared/eval/squad_v1.1_dev --corpus mixed --sizes 1000000 \
        --keep /work/big/mixed1m
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_corpus(folder: Path, size: int, out: Path) -> None:
    """`size` passages as JSONL articles of 10 paragraphs, each copy made distinct."""
    with open(folder / "articles.jsonl", encoding="utf-8") as f:
        arts = [json.loads(line) for line in f]
    paras = [(a["title"], p) for a in arts for p in a["paragraphs"]]
    with open(out, "w", encoding="utf-8") as f:
        for start in range(0, size, 10):
            chunk = [paras[(start + j) % len(paras)] for j in range(min(10, size - start))]
            copy = start // len(paras)
            title = f"{chunk[0][0].replace('_', ' ')} (edition {copy})"
            body = [f"{p} Edition{copy}." for _, p in chunk]
            f.write(json.dumps({"title": title, "url": f"https://example.org/{start}",
                                "paragraphs": body}) + "\n")


SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘'(]?[A-Z0-9])")
NEWS, CNNDM, XSUM = "realtimeqa_news_dev", "cnndm_test_frank", "xsum_test_frank"


def mixed_sources(folder: Path) -> list[tuple[str, list[str]]]:
    """(title, sentences) of every text of the eval folder holding `folder` (SQuAD): SQuAD
    paragraphs, the news articles' paragraphs, CNN/DM and XSum articles (titled by their
    first words)."""
    texts = []
    for name in (folder.name, NEWS):
        with open(folder.parent / name / "articles.jsonl", encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                texts += [(a["title"].replace("_", " "), p) for p in a["paragraphs"]]
    for name in (CNNDM, XSUM):
        with open(folder.parent / name / "summaries.jsonl", encoding="utf-8") as f:
            for line in f:
                text = json.loads(line)["article"]
                texts.append((" ".join(text.split()[:8]), text))
    out = []
    for title, text in texts:
        sentences = [s for s in SENTENCE_END.split(text.strip()) if len(s.split()) >= 3]
        if sentences:
            out.append((title, sentences))
    return out


def make_mixed_corpus(folder: Path, size: int, out: Path, seed: int = 14) -> None:
    """`size` passages as JSONL articles of 10 paragraphs, each paragraph 1-3 runs of 1-3
    consecutive sentences from random texts (natural word statistics, no two alike); an
    article is titled after its first paragraph's first text."""
    sources = mixed_sources(folder)
    rng = random.Random(seed)
    seen: set[int] = set()
    with open(out, "w", encoding="utf-8") as f:
        for start in range(0, size, 10):
            title, body = None, []
            while len(body) < min(10, size - start):
                runs = []
                for _ in range(rng.choice((1, 2, 2, 3))):
                    t, sentences = sources[rng.randrange(len(sources))]
                    i = rng.randrange(len(sentences))
                    runs.append(" ".join(sentences[i:i + rng.randint(1, 3)]))
                    title = title or t
                text = " ".join(runs)
                if hash(text) not in seen:
                    seen.add(hash(text))
                    body.append(text)
            f.write(json.dumps({"title": title, "url": f"https://example.org/{start}",
                                "paragraphs": body}) + "\n")


CORPUS = {"kind": "tiled"}  # which corpus the questions are asked of (set by --corpus)


def questions(folder: Path, n: int) -> list[str]:
    """The first n SQuAD questions (tiled); or (mixed) the news questions and SQuAD
    questions spread over all its articles, alternating, n in all."""
    def read(path: Path) -> list[str]:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line)["question"] for line in f]

    if CORPUS["kind"] == "tiled":
        return read(folder / "questions.jsonl")[:n]
    news = read(folder.parent / NEWS / "questions.jsonl")[: n // 2]
    squad = read(folder / "questions.jsonl")
    squad = squad[:: max(1, len(squad) // (n - len(news)))][: n - len(news)]
    mixed = [q for pair in zip(squad, news, strict=False) for q in pair]
    return mixed + squad[len(news):]


def rss_mb() -> float:
    """Peak resident memory of this process so far. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss over exec from the parent, so a child would report at least the parent's."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


# -- measurements, each run in a child process -------------------------------------------
def child_ingest(corpus: Path, data_dir: Path) -> dict:
    from bot.sources.files import load_paths
    from bot.store import open_stores

    started = time.perf_counter()
    store = open_stores(data_dir / "footnote.sqlite3")
    store.articles.ingest(load_paths([corpus]).articles, "bench")
    return {"ingest_s": time.perf_counter() - started}


def child_build(data_dir: Path) -> dict:
    """What a refresh does: stream the articles from the store into a new index (and save
    it, so the next start loads it instead)."""
    from bot.config import Config
    from bot.service import Service
    from bot.store import open_stores

    service = Service(open_stores(data_dir / "footnote.sqlite3"), Config(),
                      index_dir=data_dir / "index")
    before = rss_mb()
    started, cpu = time.perf_counter(), cpu_s()
    service.corpus()
    return {"build_s": time.perf_counter() - started, "build_cpu_s": cpu_s() - cpu,
            "rss_before_mb": before, "peak_mb": rss_mb(),
            "load_average": os.getloadavg()[0]}  # the machine is shared: wall times vary


def timed_questions(service, qs: list[str]) -> dict:
    """Search (first stage and re-ranking) and full `ask` times of each question, p50/p95."""
    from bot import rerank
    from bot.text import tokenize

    index = service.corpus().index
    lat, ask_lat, cpu, ask_cpu = [], [], [], []
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        rerank.search(index, tokenize(q), 5)
        lat.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        service.ask(q, 5)
        ask_lat.append(time.perf_counter() - t)
        ask_cpu.append(time.process_time() - c)
    # CPU times too: on a shared machine they are what stays comparable.
    return {"search_p50_ms": 1000 * pct(lat, .5), "search_p95_ms": 1000 * pct(lat, .95),
            "ask_p50_ms": 1000 * pct(ask_lat, .5), "ask_p95_ms": 1000 * pct(ask_lat, .95),
            "search_cpu_p50_ms": 1000 * pct(cpu, .5), "search_cpu_p95_ms": 1000 * pct(cpu, .95),
            "ask_cpu_p50_ms": 1000 * pct(ask_cpu, .5), "ask_cpu_p95_ms": 1000 * pct(ask_cpu, .95)}


def child_query(data_dir: Path, folder: Path) -> dict:
    from bot.config import Config
    from bot.service import Service
    from bot.store import open_stores

    service = Service(open_stores(data_dir / "footnote.sqlite3"), Config(),
                      index_dir=data_dir / "index")
    out = timed_questions(service, questions(folder, 1000))
    return {**out, "peak_mb": rss_mb(), "load": os.getloadavg()[0]}


def child_start(data_dir: Path) -> dict:
    started, cpu = time.perf_counter(), cpu_s()
    from bot.config import Config
    from bot.service import Service
    from bot.store import open_stores

    service = Service(open_stores(data_dir / "footnote.sqlite3"), Config(),
                      index_dir=data_dir / "index")
    service.corpus()
    return {"start_s": time.perf_counter() - started, "start_cpu_s": cpu_s() - cpu,
            "peak_mb": rss_mb()}


def child_rank_bm25(corpus: Path, folder: Path, n_queries: int) -> dict:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from bot.index import Index
    from bot.sources.files import load_paths
    from bot.store import open_stores
    from bot.text import tokenize

    store = open_stores(":memory:")
    store.articles.ingest(load_paths([corpus]).articles, "bench")
    articles = list(store.articles.iter_articles())
    docs = [tokenize(a.title) + tokenize(p) for a in articles for p in a.paragraphs]
    started = time.perf_counter()
    bm25 = BM25Okapi(docs, k1=0.9, b=0.4)
    build = time.perf_counter() - started
    peak = rss_mb()
    index = Index.build((a.title, a.paragraphs) for a in articles)
    lat, worst = [], 0.0
    for q in questions(folder, n_queries):
        tokens = tokenize(q)
        t = time.perf_counter()
        ref = bm25.get_scores(tokens)
        lat.append(time.perf_counter() - t)
        worst = max(worst, float(np.max(np.abs(ref - index.bm25_scores(tokens)))))
    return {"build_s": build, "peak_mb": peak, "p50_ms": 1000 * pct(lat, .5),
            "p95_ms": 1000 * pct(lat, .95), "max_diff": worst, "queries": len(lat)}


def child_bm25s(corpus: Path, folder: Path) -> dict:
    import bm25s

    texts = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            texts += [f"{a['title']} {p}" for p in a["paragraphs"]]
    started = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False)
    retriever = bm25s.BM25(k1=0.9, b=0.4)
    retriever.index(tokens, show_progress=False)
    build = time.perf_counter() - started
    peak = rss_mb()
    lat = []
    for q in questions(folder, 1000):
        t = time.perf_counter()
        qt = bm25s.tokenize([q], stopwords="en", show_progress=False)
        retriever.retrieve(qt, k=5, show_progress=False)
        lat.append(time.perf_counter() - t)
    return {"build_s": build, "peak_mb": peak, "p50_ms": 1000 * pct(lat, .5),
            "p95_ms": 1000 * pct(lat, .95)}


def child_tantivy(corpus: Path, folder: Path, tmp: Path) -> dict:
    import tantivy

    shutil.rmtree(tmp, ignore_errors=True)  # a kept folder's earlier run
    tmp.mkdir()
    schema = tantivy.SchemaBuilder().add_text_field("body", stored=False).build()
    started, cpu = time.perf_counter(), cpu_s()
    index = tantivy.Index(schema, path=str(tmp))
    writer = index.writer()
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            for p in a["paragraphs"]:
                writer.add_document(tantivy.Document(body=f"{a['title']} {p}"))
    writer.commit()
    index.reload()
    build, build_cpu = time.perf_counter() - started, cpu_s() - cpu
    searcher = index.searcher()
    lat, cpu = [], []
    import re

    for q in questions(folder, 1000):
        words = " ".join(re.findall(r"\w+", q.lower())) or "a"
        t, c = time.perf_counter(), time.process_time()
        query = index.parse_query(words, ["body"])
        searcher.search(query, 5)
        lat.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {"build_s": build, "build_cpu_s": build_cpu, "peak_mb": rss_mb(),
            "p50_ms": 1000 * pct(lat, .5), "p95_ms": 1000 * pct(lat, .95),
            "cpu_p50_ms": 1000 * pct(cpu, .5), "cpu_p95_ms": 1000 * pct(cpu, .95)}


def child_batch(data_dir: Path, folder: Path) -> dict:
    qs = "\n".join(questions(folder, 1000)) + "\n"
    cmd = [sys.executable, "-m", "bot", "--data-dir", str(data_dir)]
    t = time.perf_counter()
    subprocess.run(cmd + ["ask", "--json", "-"], input="", text=True, check=True,
                   capture_output=True)
    startup = time.perf_counter() - t
    t = time.perf_counter()
    out = subprocess.run(cmd + ["ask", "--json", "--top", "5", "-"], input=qs, text=True,
                         check=True, capture_output=True)
    total = time.perf_counter() - t
    assert len(out.stdout.splitlines()) == 1000
    return {"startup_s": startup, "total_s": total}


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, cwd=ROOT)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_corpus(folder: Path, size: Path, out: Path) -> dict:
    """Write the corpus of the chosen kind (the tiled or the mixed one)."""
    make = make_mixed_corpus if CORPUS["kind"] == "mixed" else make_corpus
    make(folder, int(str(size)), out)
    return {"corpus": str(out)}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if "--mixed" in rest:
            CORPUS["kind"] = "mixed"
            rest.remove("--mixed")
        paths = [Path(x) for x in rest]
        fn = {"ingest": child_ingest, "build": child_build, "query": child_query,
              "start": child_start, "rank_bm25": child_rank_bm25,
              "bm25s": child_bm25s, "tantivy": child_tantivy, "batch": child_batch,
              "corpus": child_corpus}[kind]
        extra = [int(rest[-1])] if kind == "rank_bm25" else []
        args = paths[:-1] if kind == "rank_bm25" else paths
        print(json.dumps(fn(*args, *extra)))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="squad_v1.1_dev folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 300000])
    parser.add_argument("--corpus", choices=("tiled", "mixed"), default="tiled")
    parser.add_argument("--keep", type=Path, help="a folder per size kept here (SIZE/): an "
                        "existing corpus, store and index are used again, not rebuilt")
    parser.add_argument("--rank-bm25-queries", type=int, default=200)
    parser.add_argument("--skip", nargs="*", default=[], help="bm25s tantivy rank_bm25")
    args = parser.parse_args()
    mixed = ["--mixed"] if args.corpus == "mixed" else []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            tmp = args.keep / str(size) if args.keep else Path(scratch)
            tmp.mkdir(parents=True, exist_ok=True)
            corpus = tmp / "corpus.jsonl"
            data = tmp / "data"
            print(f"\n## {size:,} passages, {args.corpus} "
                  f"(load average {os.getloadavg()[0]:.1f})")
            if not corpus.exists():
                run_child("corpus", str(args.folder), str(size), str(corpus), *mixed)
            fb = {}
            if not (data / "footnote.sqlite3").exists():
                data.mkdir(exist_ok=True)
                run_child("ingest", str(corpus), str(data))
                fb = run_child("build", str(data))
            st = run_child("start", str(data))
            fq = run_child("query", str(data), str(args.folder), *mixed)
            print(f"footnote: build {fb.get('build_s', 0):.1f}s "
                  f"({fb.get('build_cpu_s', 0):.1f}s CPU), peak {fb.get('peak_mb', 0):.0f} MB "
                  f"(of which {fb.get('rss_before_mb', 0):.0f} MB before the build: Python and "
                  f"libraries; 0: a kept build), start from store {st['start_s']:.2f}s "
                  f"({st['start_cpu_s']:.2f}s CPU, {st['peak_mb']:.0f} MB), {fq}")
            if size == 100000:
                b = run_child("batch", str(data), str(args.folder), *mixed)
                print(f"footnote batch: 1,000 questions in {b['total_s']:.2f}s, of which "
                      f"start-up {b['startup_s']:.2f}s")
            if "rank_bm25" not in args.skip and size <= 100000:
                rb = run_child("rank_bm25", str(corpus), str(args.folder), *mixed,
                               str(args.rank_bm25_queries))
                print(f"rank-bm25: build {rb['build_s']:.1f}s, peak {rb['peak_mb']:.0f} MB, "
                      f"get_scores p50 {rb['p50_ms']:.1f} ms p95 {rb['p95_ms']:.1f} ms; "
                      f"max |footnote - rank-bm25| over {rb['queries']} queries: "
                      f"{rb['max_diff']:.2e}")
            if "bm25s" not in args.skip:
                bs = run_child("bm25s", str(corpus), str(args.folder), *mixed)
                print(f"bm25s: {bs}" if "error" in bs else
                      f"bm25s: build {bs['build_s']:.1f}s, peak {bs['peak_mb']:.0f} MB, "
                      f"p50 {bs['p50_ms']:.2f} ms p95 {bs['p95_ms']:.2f} ms")
            if "tantivy" not in args.skip:
                tv = run_child("tantivy", str(corpus), str(args.folder), str(tmp / "tv"),
                               *mixed)
                print(f"tantivy: {tv}")


if __name__ == "__main__":
    main()
