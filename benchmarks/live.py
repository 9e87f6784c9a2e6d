"""From a store commit to searchable, through the Service (bot/live.py): a corpus of SQuAD
paragraphs copied to N passages (as benchmarks/speed.py makes it) is loaded, then articles
are added, changed and removed one at a time, each applied incrementally (a delta index of
that article, its old passages masked); questions are timed with the deltas present, then
after the merge that folds them into a fresh index (and before it, the deltas are folded into
one delta, as the Service does past 8 layers). Each apply's wall and CPU time is split
into its phases (what changed, reading the articles, the delta, the new corpus) by timing
the functions the Service calls.

    python benchmarks/live.py ../shared/eval/squad_v1.1_dev --sizes 100000 1000000

`--keep DIR` keeps the ingested store and its built index in DIR/<size>/ (made once, the
first time: at 1M an ingest of minutes and a build of about as long), and every run works on
a copy of them, so runs can be repeated without building again.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from speed import make_corpus, pct, questions, rss_mb, timed_questions  # noqa: E402

from bot import live, rerank  # noqa: E402
from bot import service as service_mod  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.index import FORMAT, Index  # noqa: E402
from bot.models import Article  # noqa: E402
from bot.postings import Postings  # noqa: E402
from bot.service import Service  # noqa: E402
from bot.sources.files import load_paths  # noqa: E402
from bot.store import open_stores  # noqa: E402
from bot.text import tokenize  # noqa: E402


def new_article(paras: list[str], n: int, marker: str) -> Article:
    """Ten real paragraphs with a word no other passage holds."""
    body = tuple(f"{p} {marker}." for p in paras[n * 10:(n + 1) * 10])
    return Article(f"Live {marker}", body, url=f"https://example.org/live/{n}")


def found(svc: Service, marker: str, text: str | None = None) -> bool:
    corpus = svc.corpus()
    ids, _ = rerank.search(corpus.index, tokenize(marker), 10)
    passages = [corpus.passage(int(i))[2] for i in ids]
    return bool(passages) and (text is None or text in passages)


def tile(index: Index, times: int) -> Index:
    """The index laid `times` times end to end (articles, passages, sentences renumbered):
    an index of a corpus `times` as large without building it. Its words are those of one
    copy, so it stands for the real corpus in size only (apply and query timings), never in
    scores."""
    def postings(p: Postings, n_docs: int) -> Postings:
        counts = np.diff(p.indptr)
        term = np.repeat(np.arange(len(counts)), counts)
        offset = np.arange(len(p.indices)) - p.indptr[term]
        indptr = p.indptr * times
        fields = {"indices": np.empty(len(p.indices) * times, p.indices.dtype),
                  "data": np.empty(len(p.data) * times, p.data.dtype)}
        if p.tf is not None:
            fields["tf"] = np.empty(len(p.tf) * times, p.tf.dtype)
        for k in range(times):
            at = indptr[term] + k * counts[term] + offset
            fields["indices"][at] = p.indices + k * n_docs
            fields["data"][at] = p.data
            if p.tf is not None:
                fields["tf"][at] = p.tf
        return Postings(indptr, fields["indices"], fields["data"], p.idf, p.df * times,
                        p.n_docs * times, fields.get("tf"),
                        None if p.lengths is None else np.tile(p.lengths, times))

    n, n_sent = index.size, len(index.sent_spans)
    n_arts = int(index.passage_article.max()) + 1
    steps = np.arange(times)
    return Index(
        index.vocab, postings(index.passages, n), postings(index.sentences, n_sent),
        (index.passage_article + (steps * n_arts)[:, None]).ravel().astype(np.int32),
        np.tile(index.passage_para, times),
        np.append((index.sent_ptr[:-1] + (steps * n_sent)[:, None]).ravel(), n_sent * times),
        np.tile(index.sent_spans, (times, 1)), index.bigram_keys,
        postings(index.bigrams, n), np.tile(index.sent_number, times), index.k1, index.b)


class Phases:
    """Wall and CPU seconds spent in named functions during the applies (a function called
    inside another is counted in both: `apply` holds the delta's builds)."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}
        self.undo: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, attr: str, name: str) -> None:
        fn = getattr(owner, attr, None)
        if fn is None:
            return

        def timed(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                found = fn(*args, **kwargs)
            finally:
                self.add(name, t, c)
            return self.drained(name, found) if isinstance(found, Iterator) else found

        self.undo.append((owner, attr, fn))
        setattr(owner, attr, timed)

    def add(self, name: str, t: float, c: float) -> None:
        got = self.spent.setdefault(name, [0.0, 0.0])
        got[0] += time.perf_counter() - t
        got[1] += time.process_time() - c

    def drained(self, name: str, items: Iterator) -> Iterator:
        """A generator's items, the time of each step counted (a store's cursor)."""
        while True:
            t, c = time.perf_counter(), time.process_time()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self.add(name, t, c)
            yield item

    def restore(self) -> None:
        for owner, attr, fn in reversed(self.undo):
            setattr(owner, attr, fn)

    def per_apply(self, applies: int) -> dict[str, dict[str, float]]:
        return {k: {"wall_ms": 1000 * w / applies, "cpu_ms": 1000 * c / applies}
                for k, (w, c) in self.spent.items()}


def watch_phases(stores) -> Phases:
    """Time what an apply calls: the store's queries, the diff, the delta's builds (the
    replaced articles' old passages, then the new ones), and the new corpus's maps."""
    phases = Phases()
    articles = stores.articles
    for attr in ("revision", "catalog", "changed_since", "iter_articles"):
        phases.wrap(articles, attr, f"store.{attr}")
    for attr in ("changes", "changes_since", "apply", "_build", "_corpus"):
        phases.wrap(live, attr, f"live.{attr}")
    phases.wrap(live.LiveIndex, "__init__", "live.LiveIndex")
    return phases


def reload_timed(svc: Service, timings: list[tuple[float, float]]) -> None:
    """Apply what was just committed; (wall, CPU) seconds until it is searchable."""
    t, c = time.perf_counter(), time.process_time()
    svc.reload()
    timings.append((time.perf_counter() - t, time.process_time() - c))


def ingested(folder: Path, size: int, target: Path | str, tmp: Path, out: dict) -> None:
    corpus = tmp / "corpus.jsonl"
    make_corpus(folder, size, corpus)
    stores = open_stores(target)
    t = time.perf_counter()
    stores.articles.ingest(load_paths([corpus]).articles, "bench")
    out["ingest_s"] = time.perf_counter() - t
    stores.close()
    corpus.unlink()


def prepared(folder: Path, size: int, keep: Path | None, tmp: Path, out: dict,
             tile_from: Path | None, pg_url: str | None = None) -> Path | str:
    """The store of `size` passages at tmp/footnote.sqlite3 (or in PostgreSQL at `pg_url`,
    ingested each time), with its index cache in tmp/index when `keep` holds one (copied
    from `keep`, made there the first time: a PostgreSQL store's articles get the same ids
    and revision as the SQLite one's, so it loads the same index)."""
    made = (keep / str(size)) if keep else tmp / "made"
    made.mkdir(parents=True, exist_ok=True)
    store = made / "footnote.sqlite3"
    if pg_url is not None:
        ingested(folder, size, pg_url, tmp, out)
    elif not store.exists():
        ingested(folder, size, tmp / "building.sqlite3", tmp, out)
        shutil.move(tmp / "building.sqlite3", store)
    if tile_from is not None:  # the real corpus in the store, a tiled index as its cache
        stores = open_stores(store)
        rev = stores.articles.revision()
        stores.close()
        cache = made / f"index-v{FORMAT}-{rev}.npz"
        if not cache.exists():
            times = size // Index.load(tile_from).size
            tile(Index.load(tile_from), times).save(cache)
        out["tiled"] = True
    for cache in made.glob(f"index-v{FORMAT}-*.npz"):
        (tmp / "index").mkdir(exist_ok=True)
        os.link(cache, tmp / "index" / cache.name)
    if pg_url is not None:
        return pg_url
    if made == tmp / "made":
        return store
    shutil.copyfile(store, tmp / "footnote.sqlite3")
    return tmp / "footnote.sqlite3"


def run(folder: Path, size: int, changes: int, n_questions: int, merge: bool,
        tile_from: Path | None = None, keep: Path | None = None, pg_url: str | None = None
        ) -> dict:
    service_mod.MERGE_SHARE = 1.0  # merged by hand, at the end
    service_mod.MAX_LAYERS = 10 * changes
    out: dict = {"passages": size, "store": "postgresql" if pg_url else "sqlite",
                 "load_before": os.getloadavg()[0]}
    with open(folder / "articles.jsonl", encoding="utf-8") as f:
        paras = [p for line in f for p in json.loads(line)["paragraphs"]]
    qs = questions(folder, n_questions)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = prepared(folder, size, keep, tmp, out, tile_from, pg_url)
        stores = open_stores(store)
        svc = Service(stores, Config(), index_dir=tmp / "index")
        svc.merge_idle_seconds = 1e9
        t, c = time.perf_counter(), time.process_time()
        svc.corpus()
        out["load_s"], out["load_cpu_s"] = time.perf_counter() - t, time.process_time() - c
        out["peak_mb"] = rss_mb()
        if keep and not list((keep / str(size)).glob(f"index-v{FORMAT}-*.npz")):
            for cache in (tmp / "index").glob(f"index-v{FORMAT}-*.npz"):  # built: kept
                shutil.copyfile(cache, keep / str(size) / cache.name)
        out["plain"] = timed_questions(svc, qs)
        timings: dict[str, list[tuple[float, float]]] = {"add": [], "change": [], "remove": []}
        phases = watch_phases(stores)
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
        phases.restore()
        everything = [x for values in timings.values() for x in values]
        for kind, values in (*timings.items(), ("all", everything)):
            wall, cpu = [w for w, _ in values], [c for _, c in values]
            out[f"{kind}_s"] = {"p50": pct(wall, .5), "p95": pct(wall, .95), "max": max(wall),
                                "cpu_p50": pct(cpu, .5), "cpu_p95": pct(cpu, .95)}
        out["phases"] = phases.per_apply(len(everything))
        out["load_after"] = os.getloadavg()[0]
        out["layers"] = len(svc.corpus().index.layers)
        out["with_deltas"] = timed_questions(svc, qs)
        out["peak_mb_deltas"] = rss_mb()
        t, c = time.perf_counter(), time.process_time()
        assert svc.compact()  # the deltas folded into one (what the Service runs past 8)
        out["fold_s"], out["fold_cpu_s"] = time.perf_counter() - t, time.process_time() - c
        assert len(svc.corpus().index.layers) == 2 and found(svc, f"Livemarker{changes - 1}x")
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
    parser.add_argument("--tile-from", type=Path, help="an index cache of this corpus at a "
                        "fraction of the size, laid end to end instead of building (timings "
                        "only)")
    parser.add_argument("--keep", type=Path, help="a folder keeping each size's store and "
                        "index across runs (made there once)")
    parser.add_argument("--pg", action="store_true", help="the store in PostgreSQL (a "
                        "throwaway local cluster, as the tests start) instead of SQLite")
    args = parser.parse_args()
    cluster = None
    if args.pg:
        from tests.pg import start_cluster

        cluster = start_cluster()
    try:
        for size in args.sizes:
            with contextlib.ExitStack() as stack:
                pg_url = None
                if cluster is not None:
                    from tests.pg import fresh_database

                    pg_url = cluster.url(stack.enter_context(fresh_database(cluster)))
                print(json.dumps(run(args.folder, size, args.changes, args.questions,
                                     not args.no_merge, args.tile_from, args.keep, pg_url)),
                      flush=True)
    finally:
        if cluster is not None:
            from tests.pg import stop_cluster

            stop_cluster(cluster)


if __name__ == "__main__":
    main()
