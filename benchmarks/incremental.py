"""The incremental index (bot.retrieval.SegmentIndex) at 100k and 1M passages, beside tantivy.

Corpora: "squad" copies SQuAD v1.1 dev paragraphs (title + paragraph, a distinct marker word
per copy, as benchmarks/speed.py does); "zipf" is synthetic text: pseudo-words drawn from a
Zipf law over a 500k-word vocabulary, 40-120 words a passage, so the vocabulary keeps growing
as a real site's does. Each measurement runs in its own process, so peak memory (ru_maxrss)
is its own (VmHWM); CPU seconds are given beside wall seconds because the machine is shared.

    python benchmarks/incremental.py ../shared/eval/squad_v1.1_dev --runs squad:100000 \
        squad:1000000 zipf:1000000 --tantivy 100000
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from speed import cpu_s, pct, rss_mb  # noqa: E402 - this folder's measurement helpers


# -- corpora: one passage a line, "id<TAB>text" -------------------------------------------
def write_squad(folder: Path, size: int, out: Path) -> None:
    with open(folder / "articles.jsonl", encoding="utf-8") as f:
        arts = [json.loads(line) for line in f]
    paras = [(a["title"].replace("_", " "), p) for a in arts for p in a["paragraphs"]]
    with open(out, "w", encoding="utf-8") as f:
        for i in range(size):
            title, p = paras[i % len(paras)]
            text = f"{title} {p} Edition{i // len(paras)}.".replace("\t", " ")
            f.write(f"{i}\t{text.replace(chr(10), ' ')}\n")


def pseudo_words(n: int) -> list[str]:
    """n distinct pronounceable words (consonant-vowel syllables), stable across runs."""
    cons, vows = "bdfgklmnprstvz", "aeiou"
    syll = [c + v for c in cons for v in vows]  # 70 syllables
    out = []
    for i in range(n):
        w, k = "", i
        while True:
            w += syll[k % len(syll)]
            k //= len(syll)
            if not k:
                break
        out.append(w + "x")  # a final consonant keeps the stemmer from merging them
    return out


def write_zipf(size: int, out: Path, vocab: int = 500_000, seed: int = 1) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    words = np.array(pseudo_words(vocab), dtype=object)
    ranks = np.arange(1, vocab + 1)
    p = 1.0 / ranks**1.07
    p /= p.sum()
    with open(out, "w", encoding="utf-8") as f:
        for start in range(0, size, 10_000):
            n = min(10_000, size - start)
            lengths = rng.integers(40, 121, n)
            draws = words[rng.choice(vocab, int(lengths.sum()), p=p)]
            ends = np.cumsum(lengths)
            lines = [f"{start + j}\t{' '.join(draws[e - n_: e])}"
                     for j, (e, n_) in enumerate(zip(ends, lengths, strict=True))]
            f.write("\n".join(lines) + "\n")


def read_corpus(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            i, text = line.rstrip("\n").split("\t", 1)
            yield int(i), text


def queries(kind: str, folder: Path, n: int = 1000) -> list[str]:
    if kind == "squad":
        with open(folder / "questions.jsonl", encoding="utf-8") as f:
            return [json.loads(line)["question"] for _, line in zip(range(n), f, strict=False)]
    import numpy as np

    rng = np.random.default_rng(7)
    words = pseudo_words(20_000)  # questions use the commoner words, 2 to 6 of them
    return [" ".join(words[int(r)] for r in rng.integers(0, 20_000, rng.integers(2, 7)))
            for _ in range(n)]


# -- measurements, each in a child process ------------------------------------------------
def child_build(corpus: Path, out: Path) -> dict:
    from bot.retrieval import SegmentIndex

    before, t, c = rss_mb(), time.perf_counter(), cpu_s()
    index = SegmentIndex()
    index.add_stream(read_corpus(corpus))
    build, build_cpu = time.perf_counter() - t, cpu_s() - c
    peak = rss_mb()
    t = time.perf_counter()
    index.save(out)
    return {"build_s": build, "build_cpu_s": build_cpu, "rss_before_mb": before,
            "peak_mb": peak, "save_s": time.perf_counter() - t, "passages": index.size,
            "vocab": len(index.vocab)}


def child_query(index_dir: Path, kind: str, folder: Path) -> dict:
    t = time.perf_counter()
    from bot.retrieval import SegmentIndex
    from bot.text import tokenize

    index = SegmentIndex.load(index_dir)
    load = time.perf_counter() - t
    qs = [tokenize(q) for q in queries(kind, folder)]
    index.search(qs[0], 10)  # the first touch of the memory-mapped files
    first = time.perf_counter() - t
    lat = []
    for q in qs:
        t = time.perf_counter()
        index.search(q, 10)
        lat.append(time.perf_counter() - t)
    return {"load_s": load, "first_answer_s": first, "p50_ms": 1000 * pct(lat, .5),
            "p95_ms": 1000 * pct(lat, .95), "peak_mb": rss_mb()}


def child_change(index_dir: Path, corpus: Path) -> dict:
    """On the loaded index: a new article (10 passages) searchable, a changed one, a removed
    one, then a merge of everything."""
    from bot.retrieval import SegmentIndex
    from bot.text import tokenize

    index = SegmentIndex.load(index_dir)
    n = index.size
    some = [text for _, text in zip(range(10), read_corpus(corpus), strict=False)]
    new_ids = list(range(n + 10, n + 20))
    texts = [f"{t} Zyzzogeton{i}" for i, t in enumerate(some)]
    t = time.perf_counter()
    index.add(new_ids, texts)
    ids, _ = index.search(tokenize("Zyzzogeton3"), 5)
    add_s = time.perf_counter() - t
    assert ids.tolist() == [n + 13], ids
    t = time.perf_counter()
    index.replace(new_ids, [n + 30], ["Quuxbarian treaty changed"])
    ids, _ = index.search(tokenize("Quuxbarian Zyzzogeton3"), 5)
    change_s = time.perf_counter() - t
    assert ids.tolist() == [n + 30], ids
    t = time.perf_counter()
    index.remove(list(range(10)))
    remove_s = time.perf_counter() - t
    t = time.perf_counter()
    index.merge()
    merge_s = time.perf_counter() - t
    assert index.segment_sizes == [n - 10 + 1]
    return {"add_s": add_s, "change_s": change_s, "remove_s": remove_s, "merge_s": merge_s,
            "peak_mb": rss_mb()}


def child_tantivy(corpus: Path, kind: str, folder: Path, tmp: Path) -> dict:
    import tantivy

    tmp.mkdir(exist_ok=True)
    schema = tantivy.SchemaBuilder().add_text_field("body", stored=False).build()
    t, c = time.perf_counter(), cpu_s()
    index = tantivy.Index(schema, path=str(tmp))
    writer = index.writer()
    for _, text in read_corpus(corpus):
        writer.add_document(tantivy.Document(body=text))
    writer.commit()
    index.reload()
    build, build_cpu = time.perf_counter() - t, cpu_s() - c
    searcher = index.searcher()
    lat = []
    for q in queries(kind, folder):
        words = " ".join(re.findall(r"\w+", q.lower())) or "a"
        t = time.perf_counter()
        searcher.search(index.parse_query(words, ["body"]), 10)
        lat.append(time.perf_counter() - t)
    return {"build_s": build, "build_cpu_s": build_cpu, "peak_mb": rss_mb(),
            "p50_ms": 1000 * pct(lat, .5), "p95_ms": 1000 * pct(lat, .95)}


def child_equal(corpus: Path, kind: str, folder: Path) -> dict:
    """Largest |SegmentIndex - rank-bm25| over the first 10k passages, after changes."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    from bot.retrieval import SegmentIndex
    from bot.text import tokenize

    docs = dict(zip(range(10_000), (t for _, t in read_corpus(corpus)), strict=False))
    index = SegmentIndex()
    index.add_stream(list(docs.items())[:9000])
    index.add(list(docs)[9000:], list(docs.values())[9000:])
    index.remove(range(0, 10_000, 7))
    live = {i: t for i, t in docs.items() if i % 7}
    index.merge()
    ids = sorted(live)
    ref = BM25Okapi([tokenize(live[i]) for i in ids], k1=index.k1, b=index.b)
    worst = 0.0
    for q in queries(kind, folder, 100):
        tokens = tokenize(q)
        got_ids, got = index.scores(tokens)
        by_id = dict(zip(got_ids.tolist(), got.tolist(), strict=True))
        ours = np.array([by_id.get(i, 0.0) for i in ids])
        worst = max(worst, float(np.max(np.abs(ours - ref.get_scores(tokens)))))
    return {"max_diff": worst}


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, cwd=ROOT)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        fn = {"build": child_build, "query": child_query, "change": child_change,
              "tantivy": child_tantivy, "equal": child_equal}[kind]
        args = [a if a in ("squad", "zipf") else Path(a) for a in rest]
        print(json.dumps(fn(*args)))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="squad_v1.1_dev folder")
    parser.add_argument("--runs", nargs="+", default=["squad:100000", "zipf:1000000"],
                        help="corpus:size, corpus one of squad, zipf")
    parser.add_argument("--tantivy", type=int, nargs="*", default=[100000],
                        help="sizes also indexed by tantivy")
    args = parser.parse_args()
    for run in args.runs:
        kind, size = run.split(":")
        size = int(size)
        with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
            tmp = Path(tmp)
            corpus = tmp / "corpus.tsv"
            (write_squad(args.folder, size, corpus) if kind == "squad"
             else write_zipf(size, corpus))
            index_dir = tmp / "index"
            f = str(args.folder)
            res = {"corpus": kind, "passages": size}
            res["build"] = run_child("build", str(corpus), str(index_dir))
            res["query"] = run_child("query", str(index_dir), kind, f)
            res["change"] = run_child("change", str(index_dir), str(corpus))
            if size <= 100_000:
                res["equal"] = run_child("equal", str(corpus), kind, f)
            if size in args.tantivy:
                res["tantivy"] = run_child("tantivy", str(corpus), kind, f, str(tmp / "tv"))
            print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
