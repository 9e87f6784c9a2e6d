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
