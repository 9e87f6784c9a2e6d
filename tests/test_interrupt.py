"""Ctrl-C in `footnote ask`, `ingest` and `run`, in real processes sent SIGINT: one line,
`Interrupted.`, on stderr, status 130, no traceback, and what was stored stays."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from aiohttp import web

from bot.store import open_stores
from tests.fake_discord.server import FakeDiscord
from tests.fake_site import serving
from tests.signals import ctrl_c_heard
from tests.two_processes import start_bot_process

ROOT = Path(__file__).resolve().parent.parent
INTERRUPTED = "Interrupted."


async def footnote(*args: str, data: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--data-dir", str(data), *args, cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=ctrl_c_heard)


async def interrupt(proc: asyncio.subprocess.Process) -> tuple[int, str, str]:
    """SIGINT, then the exit status, stdout and stderr."""
    proc.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode(), err.decode()


async def test_ctrl_c_in_ask_says_interrupted_and_exits_130(tmp_path):
    proc = await footnote("ask", "-", data=tmp_path / "data")
    proc.stdin.write(b"Why is there no peace treaty?\n")
    await proc.stdin.drain()
    line = await asyncio.wait_for(proc.stdout.readline(), 60)  # loaded, answered, waiting
    assert b'"question"' in line
    status, _, err = await interrupt(proc)
    assert status == 130 and err == f"{INTERRUPTED}\n"


async def test_an_interrupted_ingest_keeps_what_it_had_stored(tmp_path):
    asked, release = asyncio.Event(), asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        if request.path == "/robots.txt":
            return web.Response(status=404)
        asked.set()
        await release.wait()  # until the test ends: the ingest is interrupted while it waits
        return web.Response(text="<html><body><p>late</p></body></html>",
                            content_type="text/html")

    (tmp_path / "config.toml").write_text("[fetch]\nallow_private = true\n")
    (tmp_path / "notes.md").write_text("# Glaciers\n\nGlaciers in the Alps melt fast.\n")
    data = tmp_path / "data"
    async with serving(hang) as base:
        try:
            proc = await footnote("--config", str(tmp_path / "config.toml"), "ingest",
                                  str(tmp_path / "notes.md"), f"{base}/slow", data=data)
            await asyncio.wait_for(asked.wait(), 60)  # the file stored, the URL under way
            status, out, err = await interrupt(proc)
        finally:
            release.set()
    assert status == 130 and err == f"{INTERRUPTED}\n"
    assert out.startswith(f"{tmp_path / 'notes.md'}: 1 new")  # said once it was stored
    stores = open_stores(data / "footnote.sqlite3")
    try:
        assert [a.title for a in stores.articles.iter_articles()] == ["Glaciers"]
    finally:
        stores.close()


async def test_ctrl_c_stops_the_bot_with_one_line(tmp_path):
    fake = FakeDiscord()
    await fake.start()
    config = tmp_path / "config.toml"
    config.write_text("[discord]\nprefix_commands = false\n")
    try:
        bot = await start_bot_process("a", fake.api_base_for("a"), fake.gateway_url, config,
                                      tmp_path / "data", [])
        await bot.wait_ready(60)
        status = await bot.stop(30)
    finally:
        await fake.stop()
    assert status == 130, bot.output()
    assert bot.lines[-1] == INTERRUPTED and not any("Traceback" in x for x in bot.lines)
