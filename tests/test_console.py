"""The console as a newcomer meets it: `search`, `status --json`, a closed port reported at
once, a fast `--help`, and the seed articles' links. Each drives the real CLI."""

from __future__ import annotations

import json
import socket

import pytest

from bot.__main__ import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    return port


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
