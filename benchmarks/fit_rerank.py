"""Fit the re-ranking weights (bot/rerank.py WEIGHTS) held out, and report them.

Every question's 50 candidates and their re-ranking features are computed once, with the
same code as `footnote ask` (bot/answer/: typo correction, the policy's word weights,
bot/rerank.features), over the whole news dev set and the whole of SQuAD v1.1 dev; then the
weights are searched coordinate by coordinate on a grid, maximising

    (news R@1 + news ans@1) / 2 on one half of the news articles  +  SQuAD R@1

and reported on the other half of the news articles (questions about the even-numbered
articles, then the odd ones, as benchmarks/fit_confidence.py splits them; the index always
holds all articles), and the reverse. The committed weights are checked on both halves, never
fitted on one and reported on the same one.

With `--vectors` (the `vectors` extra installed), each question's cosine with the closest
sentence of its best candidates (bot/vectors.py) is computed too, and the lexical scale and
the weight of that cosine (rerank.VECTOR_LEXICAL, rerank.SEMANTIC) are fitted held out the
same way, over a grid.

    python benchmarks/fit_rerank.py ../shared/eval [--squad-limit N] [--without NAME...]
        [--fit scale | --fit all [--only NAME...]] [--vectors]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from evalkit import gold, holds_answer, read_jsonl

from bot import policy, rerank, typos, vectors
from bot.answer import asks_for_number
from bot.index import Index
from bot.text import tokenize

# Grid searched for each weight (multiples of its current value are not enough: a feature
# at 0 must be able to come in).
GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 16.0)
ROUNDS = 2
LEXICAL = ("bm25", "sentence", "bigram")
SCALES = (4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 15.0, 20.0, 30.0, 50.0)
# No regression on SQuAD: weights whose SQuAD R@1 or R@5 fall below these are not taken
# (the committed ranking before this fit, measured here: 0.8247 / 0.9482).
SQUAD_FLOOR = (0.8245, 0.948)
# With --vectors: lexical scales (rerank.WEIGHTS' bm25 weight is 9) x weights of the cosine.
VECTOR_SCALES = (5.0, 6.0, 7.0, 8.0, 9.0)
SEMANTICS = (4.0, 6.0, 8.0, 10.0, 12.0)
# The cosine is computed for this many of the best candidates under the committed weights
# (the re-ranking uses rerank.VECTOR_CANDIDATES of them; a lower scale reorders a few).
SEMANTIC_POOL = 16


@dataclass
class Question:
    feats: np.ndarray  # candidates x features (order of `names`)
    cand: np.ndarray
    gold: np.ndarray  # candidate is the gold paragraph
    holds: np.ndarray  # candidate holds the quiz answer (news) / is gold (SQuAD)
    half: int  # article parity
    number: int  # position in the questions file
    semantic: np.ndarray | None = None  # cosine with the closest sentence (--vectors)


def collect(articles: list[dict], questions: list[dict], vecs: vectors.Vectors | None = None
            ) -> tuple[list[Question], list[str]]:
    index = Index.build([(a["title"], a["paragraphs"]) for a in articles])
    texts = [p for a in articles for p in a["paragraphs"]]
    pos = {a["title"]: i for i, a in enumerate(articles)}
    out, names = [], list(rerank.WEIGHTS)
    for number, q in enumerate(questions):
        text = " ".join(q["question"].split())
        tokens = typos.correct_typos(index, tokenize(text), text)
        title, para = gold(q)
        if not tokens:
            continue
        weights = policy.question_weights(index, text, tokens)
        cand, bm25 = index.retrieve(tokens, rerank.CANDIDATES)
        if not len(cand):
            continue
        f = rerank.features(index, tokens, cand, bm25, weights, asks_for_number(text))
        arts = index.passage_article[cand]
        paras = index.passage_para[cand]
        g = (arts == pos[title]) & (paras == para)
        if "answer" in q:
            h = np.array([holds_answer(q, articles[a]["paragraphs"][p])
                          for a, p in zip(arts, paras, strict=True)])
        else:
            h = g
        feats = np.column_stack([f[n] for n in names])
        sem = None
        if vecs is not None:
            pool = np.lexsort((cand, -rerank.combine(f)))[:SEMANTIC_POOL]
            sentences = [[texts[p][a:b] for a, b in index.sent_spans[
                index.sent_ptr[p]:index.sent_ptr[p + 1]]] for p in cand[pool]]
            sem = np.full(len(cand), -1.0)
            sem[pool] = vectors.best_sentence_similarity(vecs, text, sentences)
        out.append(Question(feats, cand, g, h, pos[title] % 2, number, sem))
    return out, names


def evaluate(qs: list[Question], w: np.ndarray, semantic: float = 0.0
             ) -> tuple[float, float, float]:
    """R@1, R@5 and ans@1 (top passage gold or holding the answer) under weights w (and,
    with word vectors, the cosine's weight `semantic`, as rerank.rank applies it)."""
    r1 = r5 = a1 = 0
    for q in qs:
        final = q.feats @ w
        order = np.lexsort((q.cand, -final))
        if semantic:
            top = order[: rerank.VECTOR_CANDIDATES]
            s2 = final[top] + semantic * q.semantic[top]
            order = np.concatenate([top[np.lexsort((q.cand[top], -s2))],
                                    order[rerank.VECTOR_CANDIDATES:]])
        r1 += bool(q.gold[order[0]])
        r5 += bool(q.gold[order[:5]].any())
        a1 += bool(q.holds[order[0]])
    n = max(1, len(qs))
    return r1 / n, r5 / n, a1 / n


def objective(news: list[Question], squad: list[Question], w: np.ndarray,
              semantic: float = 0.0) -> float:
    s1, s5, _ = evaluate(squad, w, semantic)
    if s1 < SQUAD_FLOOR[0] or s5 < SQUAD_FLOOR[1]:
        return -1.0
    r1, _, a1 = evaluate(news, w, semantic)
    return (r1 + a1) / 2 + s1


def fit_scale(news: list[Question], squad: list[Question], names: list[str],
              start: np.ndarray) -> tuple[float, np.ndarray]:
    """One parameter: the lexical features' (BM25, sentence BM25, word pairs) common scale
    against the shares, over SCALES; the ratios among them are kept."""
    lexical = np.array([n in LEXICAL for n in names])
    unit = np.where(lexical, start / start[names.index("bm25")], start)
    best, choice = -np.inf, start
    chosen = 0.0
    for s in SCALES:
        w = np.where(lexical, unit * s, unit)
        score = objective(news, squad, w)
        if score > best + 1e-9:
            best, choice, chosen = score, w, s
    return chosen, choice


def fit(news: list[Question], squad: list[Question], names: list[str], start: np.ndarray,
        only: list[str] | None = None) -> np.ndarray:
    """Coordinate ascent over GRID (BM25 keeps weight 1: it sets the scale); `only`: these
    weights alone, the others kept."""
    w = start.copy()
    best = objective(news, squad, w)
    for _ in range(ROUNDS):
        for j, name in enumerate(names):
            if name == "bm25" or (only and name not in only):
                continue
            for v in GRID:
                trial = w.copy()
                trial[j] = v
                score = objective(news, squad, trial)
                if score > best + 1e-9:
                    best, w = score, trial
    return w


def show(label: str, news: list[Question], squad: list[Question], w: np.ndarray,
         semantic: float = 0.0) -> None:
    r1, r5, a1 = evaluate(news, w, semantic)
    s1, s5, _ = evaluate(squad, w, semantic)
    print(f"  {label}: news R@1 {r1:.3f} R@5 {r5:.3f} ans@1 {a1:.3f} ({len(news)} q); "
          f"SQuAD R@1 {s1:.3f} R@5 {s5:.3f}")


def fit_vectors(news: list[Question], halves: list[list[Question]], squad: list[Question],
                names: list[str], current: np.ndarray) -> None:
    """The lexical scale x the cosine's weight: the table, then each half's fit reported on
    the other half."""
    lexical = np.array([n in LEXICAL for n in names])
    unit = np.where(lexical, current / current[names.index("bm25")], current)
    print("| lexical scale | cosine weight | even R@1 / ans@1 | odd R@1 / ans@1 | "
          "SQuAD R@1 / R@5 |\n| --- | --- | --- | --- | --- |")
    grid = [(s, c) for s in VECTOR_SCALES for c in SEMANTICS]
    for s, c in grid:
        w = np.where(lexical, unit * s, unit)
        (e1, _, ea), (o1, _, oa) = (evaluate(h, w, c) for h in halves)
        s1, s5, _ = evaluate(squad, w, c)
        print(f"| {s:g} | {c:g} | {e1:.3f} / {ea:.3f} | {o1:.3f} / {oa:.3f} | "
              f"{s1:.4f} / {s5:.4f} |")
    committed = np.where(lexical, unit * 9.0 * rerank.VECTOR_LEXICAL, unit)
    show("all news, committed with vectors", news, squad, committed, rerank.SEMANTIC)
    for fit_h, test_h in ((0, 1), (1, 0)):
        s, c = max(grid, key=lambda g: objective(
            halves[fit_h], squad, np.where(lexical, unit * g[0], unit), g[1]))
        w = np.where(lexical, unit * s, unit)
        print(f"fitted on the {('even', 'odd')[fit_h]} half: lexical scale {s}, cosine {c}")
        show(f"  fit half ({('even', 'odd')[fit_h]})", halves[fit_h], squad, w, c)
        show(f"  held out ({('even', 'odd')[test_h]})", halves[test_h], squad, w, c)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("eval", type=Path, help="the shared eval folder")
    parser.add_argument("--squad-limit", type=int, default=0, help="first N SQuAD questions")
    parser.add_argument("--fit", choices=("scale", "all"),
                        help="held out: the lexical features' scale, or every weight")
    parser.add_argument("--only", nargs="*", help="with --fit all: search only these weights")
    parser.add_argument("--vectors", action="store_true",
                        help="fit the lexical scale and the word-vector cosine's weight")
    parser.add_argument("--without", nargs="*", default=[],
                        help="also show the committed weights with these set to 0")
    args = parser.parse_args()
    started = time.perf_counter()
    news_dir, squad_dir = args.eval / "realtimeqa_news_dev", args.eval / "squad_v1.1_dev"
    if args.vectors:
        os.environ["FOOTNOTE_VECTORS"] = "on"
    vecs = vectors.load() if args.vectors else None
    if args.vectors and vecs is None:
        parser.error("--vectors needs the vectors extra (pip install -e '.[vectors]')")
    news, names = collect(read_jsonl(news_dir / "articles.jsonl"),
                          read_jsonl(news_dir / "questions.jsonl"), vecs)
    sq = read_jsonl(squad_dir / "questions.jsonl")
    squad, _ = collect(read_jsonl(squad_dir / "articles.jsonl"),
                       sq[: args.squad_limit] if args.squad_limit else sq, vecs)
    print(f"features of {len(news)} news and {len(squad)} SQuAD questions in "
          f"{time.perf_counter() - started:.0f} s")
    current = np.array([rerank.WEIGHTS[n] for n in names])
    print("committed weights:", dict(zip(names, current.tolist(), strict=True)))
    halves = [[q for q in news if q.half == h] for h in (0, 1)]
    for h, label in ((0, "even"), (1, "odd")):
        show(f"{label} half, committed", halves[h], squad, current)
    show("all news, committed", news, squad, current)
    if args.without:
        off = current * np.array([n not in args.without for n in names])
        for h, label in ((0, "even"), (1, "odd")):
            show(f"{label} half, without {' '.join(args.without)}", halves[h], squad, off)
        show(f"all news, without {' '.join(args.without)}", news, squad, off)
    if args.vectors:
        fit_vectors(news, halves, squad, names, current)
    if args.fit == "scale":
        lexical = np.array([n in LEXICAL for n in names])
        unit = np.where(lexical, current / current[names.index("bm25")], current)
        print("| lexical scale | even R@1 / ans@1 | odd R@1 / ans@1 | SQuAD R@1 / R@5 |\n"
              "| --- | --- | --- | --- |")
        for scale in SCALES:
            w = np.where(lexical, unit * scale, unit)
            (e1, _, ea), (o1, _, oa) = (evaluate(h, w) for h in halves)
            s1, s5, _ = evaluate(squad, w)
            print(f"| {scale:g} | {e1:.3f} / {ea:.3f} | {o1:.3f} / {oa:.3f} | "
                  f"{s1:.4f} / {s5:.4f} |")
    if args.fit:
        for fit_h, test_h in ((0, 1), (1, 0)):
            if args.fit == "scale":
                scale, w = fit_scale(halves[fit_h], squad, names, current)
                print(f"fitted on the {('even', 'odd')[fit_h]} half: lexical scale {scale}")
            else:
                w = fit(halves[fit_h], squad, names, current, args.only)
                print(f"fitted on the {('even', 'odd')[fit_h]} half:",
                      dict(zip(names, w.tolist(), strict=True)))
            show(f"  fit half ({('even', 'odd')[fit_h]})", halves[fit_h], squad, w)
            show(f"  held out ({('even', 'odd')[test_h]})", halves[test_h], squad, w)


if __name__ == "__main__":
    main()
