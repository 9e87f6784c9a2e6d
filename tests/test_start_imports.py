"""What a start imports: `footnote ask` and `footnote search` from the caches load neither
aiohttp (0.6 s of a start: the stores once imported it for a type), nor scipy (0.3 s:
summaries and the optional word vectors use it), nor anything only fetching needs. Commands
that fetch or summarise import them where they use them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
# Only fetching (aiohttp, asyncio, robots.txt, pages, feeds, progress bars), summaries and
# word vectors (scipy), PostgreSQL or Discord need these.
FETCHING = ("aiohttp", "asyncio", "protego", "trafilatura", "lxml", "feedparser", "tqdm",
            "yarl", "multidict", "ssl")
NOT_ON_START = ("scipy", "discord", "psycopg", *FETCHING)
PROBE = """
import json, sys
from bot.__main__ import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(m.partition(".")[0] for m in sys.modules)}))
"""


def _probe(cwd: Path, *argv: str) -> tuple[int, set[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True,
                          text=True, cwd=cwd, check=False)
    assert done.stdout, done.stderr
    *out, last = done.stdout.splitlines()
    result = json.loads(last)
    return result["code"], set(result["loaded"]), "\n".join(out)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A data folder whose store (the seed articles), index cache and corpus cache are
    written, as after a first start."""
    data = tmp_path_factory.mktemp("start") / "data"
    assert main(["--data-dir", str(data), "ask", "--json", "How are articles quoted?"]) == 0
    index = data / "index"
    assert list(index.glob("index-v*.npz")) and list(index.glob("corpus-v*.npz"))
    return data


@pytest.mark.parametrize("argv", [
    ["ask", "--json", "--top", "3", "How are articles quoted?"],
    ["search", "articles quoted"],
])
def test_a_start_from_the_caches_imports_nothing_it_does_not_use(data_dir, argv):
    code, loaded, out = _probe(data_dir.parent, "--data-dir", str(data_dir), *argv)
    assert code == 0 and out
    assert {"numpy", "bot"} <= loaded  # the probe saw a real start
    assert sorted(loaded.intersection(NOT_ON_START)) == []


def test_a_summary_imports_scipy_where_it_uses_it():
    """The import moved into the function still runs when the function does."""
    probe = ("import sys; from bot.summarize import summarize; before = 'scipy' in sys.modules; "
             "s = summarize('T', ['The first sentence of the article is here today. The "
             "second sentence of the article says more words. A third sentence closes the "
             "whole article now.'], sentences=1); "
             "print(before, 'scipy' in sys.modules, bool(s))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.split() == ["False", "True", "True"]
