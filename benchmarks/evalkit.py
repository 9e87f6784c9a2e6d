"""Shared helpers for the quality benchmarks: reading the eval sets, asking through the real
batch path (`footnote ask --json --corpus FILE -`), judging a top passage right."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_corpus(articles: list[dict], path: Path) -> Path:
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    return path


def dated_news(articles: list[dict], questions: list[dict]) -> list[dict]:
    """The news articles with their links and dates: the link each quiz question gives for
    its article, and the date in that link's path (/2022/06/12/: CNN's and USA Today's; The
    Week's links carry none, so those articles stay undated)."""
    links: dict[str, str] = {}
    for q in questions:
        links.setdefault(q["title"], q.get("url", ""))
    out = []
    for a in articles:
        link = links.get(a["title"], "")
        day = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", link)
        out.append({**a, "url": link, **({"date": "-".join(day.groups())} if day else {})})
    return out


def asked_on(questions: list[dict]) -> list[str]:
    """The date each news quiz question was asked ("2022/06/16" -> "2022-06-16")."""
    return [q["date"].replace("/", "-") for q in questions]


# `python -m bot` with the answer policy's parameters read from another file (argv[1]): a
# held-out fold's fit (benchmarks/fit_confidence.py --folds), asked through the same command.
_WITH_PARAMS = ("import sys; from pathlib import Path; import bot.policy as p; "
                "p.PARAMS_PATH = Path(sys.argv.pop(1)); from bot.__main__ import main; "
                "sys.exit(main(sys.argv[1:]))")


def ask_batch(corpus: Path, questions: list[str], top: int = 5,
              params: Path | None = None, asked: list[str] | None = None) -> list[dict]:
    """Every question through one `footnote ask --json -` process: its JSON records.
    `params`: the answer policy's parameters from this file instead of the committed ones;
    `asked`: the date each question is asked on (`--dated`), else now."""
    command = ["-m", "bot"] if params is None else ["-c", _WITH_PARAMS, str(params.resolve())]
    lines = [q.replace("\n", " ") for q in questions]
    if asked is not None:
        lines = [f"{d}\t{q}" for d, q in zip(asked, lines, strict=True)]
    proc = subprocess.run(
        [sys.executable, *command, "ask", "--json", "--top", str(top),
         "--corpus", str(corpus), *(["--dated"] if asked is not None else []), "-"],
        input="\n".join(lines) + "\n",
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


def gold(q: dict) -> tuple[str, int]:
    """(article title, paragraph index) of the question's gold passage, SQuAD or news."""
    if "article" in q:
        return q["article"], q["paragraph_index"]
    return q["title"], q["paragraph"]


def _norm(s: str) -> str:
    return " ".join(s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
                    .lower().split())


def holds_answer(q: dict, passage: str) -> bool:
    """Does the passage hold the (news) quiz answer or one of the SQuAD answers?"""
    answers = q.get("answers") or ([q["answer"]] if q.get("answer") else [])
    text = _norm(passage)
    return any(_norm(a).strip('"') in text for a in answers if a.strip())


def rank_of(q: dict, hits: list[dict]) -> int | None:
    g = gold(q)
    return next((i for i, h in enumerate(hits, 1) if (h["title"], h["paragraph"]) == g), None)


def right_at_1(q: dict, title: str, paragraph: int, passage: str) -> bool:
    """The top passage is right: the gold one, or (news round-ups) one holding the answer."""
    if (title, paragraph) == gold(q):
        return True
    return "answer" in q and holds_answer(q, passage)
