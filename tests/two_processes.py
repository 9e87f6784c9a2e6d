"""Real `footnote run` processes against the fake Discord in this process: started through
tests/fake_discord/launch.py, each marking its REST calls with a name of its own
(`Call.via`), ready once it logs in. Used by tests/test_two_processes.py and
benchmarks/servers.py."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.signals import ctrl_c_heard

ROOT = Path(__file__).resolve().parent.parent
READY_LINE = "logged in as"


@dataclass
class BotProcess:
    """One `footnote run` child and what it wrote to stderr (kept for a failure's message)."""

    name: str
    proc: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task | None = None

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            if READY_LINE in line:
                self.ready.set()

    async def wait_ready(self, seconds: float) -> None:
        """Until the bot logged in (every shard ready); fail with its output otherwise."""
        done = asyncio.ensure_future(self.ready.wait())
        ended = asyncio.ensure_future(self.proc.wait())
        await asyncio.wait({done, ended}, timeout=seconds,
                           return_when=asyncio.FIRST_COMPLETED)
        for task in (done, ended):
            task.cancel()
        if not self.ready.is_set():
            raise AssertionError(f"bot {self.name} not ready in {seconds} s (exit "
                                 f"{self.proc.returncode}):\n" + self.output())

    def output(self) -> str:
        return "\n".join(self.lines[-40:])

    async def stop(self, seconds: float = 10.0) -> int:
        """Ctrl-C (the bot closes cleanly), then kill if it lingers; its exit status."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), seconds)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._reader, 2)
        return self.proc.returncode or 0


async def start_bot_process(name: str, api_base: str, gateway_url: str, config: Path,
                            data_dir: Path, args: list[str],
                            env: dict[str, str] | None = None) -> BotProcess:
    """`footnote run --config CONFIG --data-dir DATA_DIR ARGS` against the fake Discord."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fake_discord.launch", api_base, gateway_url,
        "run", "--config", str(config), "--data-dir", str(data_dir), *args,
        cwd=ROOT, preexec_fn=ctrl_c_heard,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "DISCORD_TOKEN": "fake-token", "PYTHONPATH": str(ROOT),
             **(env or {})},
    )
    bot = BotProcess(name, proc)
    bot._reader = asyncio.create_task(bot._read())
    return bot
