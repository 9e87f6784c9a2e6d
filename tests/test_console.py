"""The console as a newcomer meets it: `search`, `status --json`, a closed port reported at
once, a fast `--help`, and the seed articles' links. Each drives the real CLI."""

from __future__ import annotations

import json
import re

import pytest

from bot.__main__ import main
from tests.test_rough_edges import _closed_port


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- a refused connection is an answer, not a hiccup to retry
def test_a_refused_connection_fails_after_one_attempt(capsys, tmp_path, monkeypatch):
    from bot.sources.http import Fetcher

    attempts: list[str] = []
    get_once = Fetcher._get_once

    async def counted(self, url, *args):
        attempts.append(url)
        return await get_once(self, url, *args)

    monkeypatch.setattr(Fetcher, "_get_once", counted)
    (tmp_path / "config.toml").write_text(
        "[fetch]\nallow_private = true\nretries = 3\nbackoff_seconds = 5.0\n")
    url = f"http://127.0.0.1:{_closed_port()}/"
    code, out, err = _run(capsys, "ingest", url)
    assert code == 1 and "1 failed" in out
    assert err.strip() == f"footnote: {url}: connection refused"
    assert attempts == [f"{url}robots.txt"]  # one attempt, no retry (and the page not tried)


# -- the seed articles are theowp.org's, whatever site the config names
def _urls(capsys) -> dict[str, str]:
    code, out, err = _run(capsys, "articles", "--json")
    assert code == 0, err
    return {a["title"]: a["url"] for a in json.loads(out)}


def test_seed_links_stay_theowp_org_when_the_config_names_another_site(capsys, tmp_path):
    (tmp_path / "config.toml").write_text(
        '[site]\nbase_url = "https://mysite.example"\nname = "My Site"\n')
    seeded = _urls(capsys)  # a fresh store: the seeds
    assert len(seeded) == 2
    assert all(u.startswith("https://theowp.org/?s=") for u in seeded.values()), seeded
    own = tmp_path / "own.jsonl"
    own.write_text(json.dumps({"title": "Our own", "text": "Written here, no URL."}) + "\n")
    assert _run(capsys, "ingest", str(own))[0] == 0  # sets the seeds aside
    assert _run(capsys, "ingest", "seeds/")[0] == 0  # brings them back
    restored = _urls(capsys)
    assert restored["Our own"] == "https://mysite.example/?s=Our+own"  # the admin's site
    assert {t: u for t, u in restored.items() if t != "Our own"} == seeded
    code, out, _ = _run(capsys, "ask", "--json", "Where did Putin propose a peace treaty?")
    assert code == 0 and json.loads(out)["hits"][0]["url"].startswith("https://theowp.org/?s=")


# -- `footnote search`: /search in the console
ARTICLES = [
    {"title": "Glaciers of the Alps", "url": "https://e.org/alps",
     "text": "Alpine glaciers melt faster every summer.\n\nThe Rhone glacier lost a tenth."},
    {"title": "Glaciers of Patagonia", "url": "https://e.org/patagonia",
     "text": "Patagonian glaciers melt too, though more slowly."},
    {"title": "Rivers of Europe", "url": "https://e.org/rivers",
     "text": "The Rhone and the Rhine flood in spring."},
]


@pytest.fixture
def corpus(tmp_path) -> str:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    return str(path)


def _search(capsys, corpus: str, *argv: str) -> dict:
    code, out, err = _run(capsys, "search", "--json", "--corpus", corpus, *argv)
    assert code == 0, err
    return json.loads(out)


def test_search_lists_the_matching_articles_with_their_links(capsys, corpus):
    code, out, err = _run(capsys, "search", "--corpus", corpus, "glaciers", "melt")  # unquoted
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("1. Glaciers of ") and lines[2].startswith("2. Glaciers of ")
    assert {lines[1].strip(), lines[3].strip()} == {"https://e.org/alps",
                                                   "https://e.org/patagonia"}
    assert "Rivers" not in out and "More" not in out


def test_search_is_the_services_search_that_discord_uses(capsys, corpus, monkeypatch):
    from bot.service import Service

    asked = []
    search = Service.search_articles

    def spy(self, query, limit=10):
        asked.append((query, limit))
        return search(self, query, limit)

    monkeypatch.setattr(Service, "search_articles", spy)
    data = _search(capsys, corpus, "rhone", "glacier")
    assert asked == [("rhone glacier", 11)]  # a page of 10 and one more: is there a next?
    assert data["query"] == "rhone glacier" and data["page"] == 1 and data["more"] is False
    assert [a["url"] for a in data["articles"]][0] == "https://e.org/alps"
    assert set(data["articles"][0]) == {"title", "url", "date", "passages", "partial"}


def test_search_pages(capsys, corpus):
    first = _search(capsys, corpus, "glaciers", "--limit", "1")
    second = _search(capsys, corpus, "glaciers", "--limit", "1", "--page", "2")
    assert first["more"] is True and second["more"] is False
    assert len(first["articles"]) == len(second["articles"]) == 1
    assert {first["articles"][0]["title"], second["articles"][0]["title"]} == {
        "Glaciers of the Alps", "Glaciers of Patagonia"}
    code, out, _ = _run(capsys, "search", "--corpus", corpus, "--limit", "1", "glaciers")
    assert code == 0 and out.rstrip().endswith("More matches: --page 2 --limit 1")
    code, out, _ = _run(capsys, "search", "--corpus", corpus, "--page", "2", "--limit", "1",
                        "glaciers")
    assert code == 0 and out.startswith("2. Glaciers of ") and "More" not in out


@pytest.mark.parametrize("argv, says", [
    (["--limit", "0", "x"], "--limit must be between 1 and 100"),
    (["--limit", "100", "--page", "11", "x"], "--page must be at least 1"),
    (["  "], "Search for what?"),
    (["x" * 100_000], "That query is too long"),
])
def test_search_usage_errors(capsys, argv, says):
    code, out, err = _run(capsys, "search", *argv)
    assert code == 2 and out == "" and says in err and len(err.splitlines()) == 1


def test_search_without_a_match_says_so(capsys, corpus):
    code, out, _ = _run(capsys, "search", "--corpus", corpus, "volcano")
    assert code == 0 and out.strip() == "No article matches that."
    assert _search(capsys, corpus, "volcano")["articles"] == []


# -- `footnote status --json`
def test_status_json_has_stable_keys(capsys, tmp_path, corpus):
    code, out, err = _run(capsys, "status", "--json")
    assert code == 0, err
    fresh = json.loads(out)
    assert set(fresh) == {"articles", "passages", "revision", "last_refresh", "store", "sources"}
    assert (fresh["articles"], fresh["passages"], fresh["last_refresh"]) == (2, 6, None)
    store = tmp_path / "data" / "footnote.sqlite3"
    assert fresh["store"] == {"backend": "sqlite", "path": str(store)}
    assert _run(capsys, "ingest", corpus)[0] == 0
    data = json.loads(_run(capsys, "status", "--json")[1])
    assert data["articles"] == 3 and data["revision"] > fresh["revision"]
    (source,) = data["sources"]
    assert source["name"] == corpus and source["state"] == "ok (file)"
    assert data["last_refresh"] == source["last_refresh"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", source["last_refresh"])
    code, out, _ = _run(capsys, "status")  # the lines say the same
    assert f"store: sqlite {store}" in out and f"source {corpus}: ok (file), " in out


# -- `--help` and argument errors load nothing heavy
HEAVY = ("numpy", "scipy", "discord", "aiohttp", "trafilatura", "wordfreq", "lxml",
         "rapidfuzz", "feedparser", "bot.service", "bot.answer", "bot.store")
PROBE = """
import json, sys
from bot.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
print(json.dumps({"code": code, "loaded": [m for m in HEAVY if m in sys.modules]}))
"""


@pytest.mark.parametrize("argv, code", [
    (["--help"], 0), (["search", "--help"], 0), (["ask", "--bogus", "x"], 2), ([], 2),
])
def test_help_and_argument_errors_import_nothing_heavy(tmp_path, argv, code):
    import subprocess
    import sys

    probe = f"HEAVY = {HEAVY!r}\n{PROBE}"
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True,
                          text=True, cwd=tmp_path, check=False)
    assert done.stdout, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"code": code, "loaded": []}, done.stderr


def test_a_date_is_never_cut_mid_word():
    from bot.render.console import short_date

    assert short_date("2025-03-05T09:00:00Z") == "2025-03-05"
    assert short_date("5 March 2025") == "5 March 2025"  # a store from before normalising
