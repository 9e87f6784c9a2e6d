"""100 concurrent /ask interactions against the local fake Discord: how long until each is
acknowledged (the 3 s rule) and answered. The real discord.py client and FootnoteBot.

    python benchmarks/discord_load.py [--n 100]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "Where did Putin propose a peace treaty without preconditions?",
    "Why haven't Japan and Russia signed a peace treaty?",
    "Why are the Kuril Islands important to Russia's navy?",
    "What is the capital of France?",
    "Was Putin offered a division of the islands?",
]


async def run(n: int) -> None:
    import discord
    import yarl
    from discord.gateway import DiscordWebSocket

    from bot.config import Config, DiscordConfig
    from bot.discord_app.client import FootnoteBot
    from bot.service import Service
    from bot.sources.http import new_session
    from bot.store import open_stores
    from tests.fake_discord.server import APP_ID, GUILD_ID, FakeDiscord, option, slash

    fake = FakeDiscord()
    await fake.start()
    discord.http.Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=0))
        service = Service(open_stores(Path(tmp) / "s.sqlite3"), config)
        service.ensure_seeded()
        async with new_session(config.fetch) as session:
            bot = FootnoteBot(service, config, session)
            bot._connection.guild_ready_timeout = 0.05
            task = asyncio.create_task(bot.start("fake-token"))
            await asyncio.wait_for(bot.wait_until_ready(), 30)
            loop = asyncio.get_running_loop()
            payloads = [slash("ask", [option("question", QUESTIONS[i % len(QUESTIONS)])])
                        for i in range(n)]
            sent = loop.time()
            await asyncio.gather(*(fake.dispatch("INTERACTION_CREATE", p) for p in payloads))
            acks, answers = [], []
            for p in payloads:
                cb = await fake.wait_for(lambda c, p=p: c.path.startswith(
                    f"/interactions/{p['id']}/"), timeout=60)
                fu = await fake.wait_for(lambda c, p=p: c.path.startswith(
                    f"/webhooks/{APP_ID}/{p['token']}"), timeout=60)
                acks.append(cb[0].at - sent)
                answers.append(fu[0].at - sent)
            await bot.close()
            await task
    await fake.stop()
    acks.sort()
    answers.sort()

    def q(v: list[float], p: float) -> float:
        return v[min(len(v) - 1, int(p * len(v)))]

    print(f"{n} concurrent /ask interactions")
    print("| | p50 | p95 | max |\n| --- | --- | --- | --- |")
    print(f"| acknowledged (deferred) | {q(acks, .5):.3f} s | {q(acks, .95):.3f} s | "
          f"{acks[-1]:.3f} s |")
    print(f"| answered (followup sent) | {q(answers, .5):.3f} s | {q(answers, .95):.3f} s | "
          f"{answers[-1]:.3f} s |")
    late = sum(a > 3 for a in acks)
    print(f"acknowledged within 3 s: {n - late}/{n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100)
    asyncio.run(run(parser.parse_args().n))


if __name__ == "__main__":
    main()
