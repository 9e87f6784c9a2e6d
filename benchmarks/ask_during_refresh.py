"""/ask latency while a refresh of 2,000 pages runs: the real discord.py client and FootnoteBot
against the local fake Discord, the pages from a local aiohttp site (a sitemap of article
pages, each fetched and extracted). Latency is from the interaction's dispatch to the
followup carrying the answer; Discord wants the acknowledgement within 3 s.

    python benchmarks/ask_during_refresh.py [--pages 2000] [--interval 0.25]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "Where did Putin propose a peace treaty without preconditions?",
    "Why haven't Japan and Russia signed a peace treaty?",
    "Why are the Kuril Islands important to Russia's navy?",
    "What did Egypt and Ethiopia disagree about at the Nile dam?",
    "Who moved into Mali after the French troops left?",
]


def quantile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


async def ask_once(fake, question: str) -> tuple[float, float]:
    """(acknowledged, answered) seconds for one /ask."""
    from tests.fake_discord.server import APP_ID, option, slash

    payload = slash("ask", [option("question", question)])
    loop = asyncio.get_running_loop()
    sent = loop.time()
    await fake.dispatch("INTERACTION_CREATE", payload)
    (cb,) = await fake.wait_for(
        lambda c: c.path.startswith(f"/interactions/{payload['id']}/"), timeout=120)
    (fu,) = await fake.wait_for(
        lambda c: c.path.startswith(f"/webhooks/{APP_ID}/{payload['token']}"), timeout=120)
    return cb.at - sent, fu.at - sent


async def asks_until(fake, done: asyncio.Event | None, count: int, interval: float
                     ) -> list[tuple[float, float]]:
    """One /ask every `interval` seconds (each in flight on its own) until `done` or `count`."""
    tasks = []
    i = 0
    while (done is None and i < count) or (done is not None and not done.is_set()):
        tasks.append(asyncio.create_task(ask_once(fake, QUESTIONS[i % len(QUESTIONS)])))
        i += 1
        await asyncio.sleep(interval)
    return list(await asyncio.gather(*tasks))


def row(name: str, samples: list[tuple[float, float]]) -> str:
    acks = [a for a, _ in samples]
    answers = [b for _, b in samples]
    return (f"| {name} | {len(samples)} | {quantile(acks, .5):.3f} s | "
            f"{quantile(answers, .5):.3f} s | {quantile(answers, .95):.3f} s | "
            f"{max(answers):.3f} s |")


async def run(pages: int, interval: float) -> None:
    import aiohttp
    import discord
    import yarl
    from discord.gateway import DiscordWebSocket

    from bot.config import Config, DiscordConfig, FetchConfig, SourceConfig
    from bot.discord_app.client import FootnoteBot
    from bot.service import SEEDS_DIR, Service
    from bot.sources.files import load_paths
    from bot.store import open_stores
    from tests.fake_discord.server import GUILD_ID, FakeDiscord
    from tests.fake_site import FakeSite

    site = FakeSite(n_posts=pages)
    await site.start()
    fake = FakeDiscord()
    await fake.start()
    discord.http.Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    fetch = FetchConfig(delay_seconds=0.0, retries=1)
    if "allow_private" in {f.name for f in dataclasses.fields(FetchConfig)}:
        fetch = dataclasses.replace(fetch, allow_private=True)  # the site is on 127.0.0.1
    config = Config(
        discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=0), fetch=fetch,
        sources=(SourceConfig(kind="sitemap", url=f"{site.base}/all-sitemap.xml",
                              refresh_minutes=24 * 60),),
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = open_stores(Path(tmp) / "s.sqlite3")
        # The seed articles: a non-empty store, so the bot starts without refreshing first.
        store.articles.ingest(load_paths([SEEDS_DIR]).articles, "seed")
        service = Service(store, config, index_dir=Path(tmp) / "st")
        async with aiohttp.ClientSession() as session:
            bot = FootnoteBot(service, config, session, state_dir=Path(tmp) / "discord")
            bot._connection.guild_ready_timeout = 0.05
            task = asyncio.create_task(bot.start("fake-token"))
            await asyncio.wait_for(bot.wait_until_ready(), 60)
            if bot._refresh_task:  # only the refresh started below runs
                bot._refresh_task.cancel()
            idle = await asks_until(fake, None, 20, interval)

            done = asyncio.Event()
            started = time.perf_counter()

            async def refresh() -> list[str]:
                try:
                    return await bot.refresh_now()
                finally:
                    done.set()

            refresh_task = asyncio.create_task(refresh())
            busy = await asks_until(fake, done, 0, interval)
            lines = await refresh_task
            took = time.perf_counter() - started
            articles, passages = await asyncio.to_thread(service.counts)
            await bot.close()
            await task
    await fake.stop()
    await site.stop()
    print(f"/ask through the fake Discord, one every {interval} s; refresh of {pages} pages "
          f"(sitemap, fetch + extraction) took {took:.1f} s: {'; '.join(lines)}")
    print(f"store after: {articles} articles, {passages} passages; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| | asks | acknowledged p50 | answered p50 | answered p95 | answered max |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(row("idle", idle))
    print(row(f"during the refresh of {pages} pages", busy))
    late = sum(a > 3 for a, _ in busy)
    print(f"acknowledged within 3 s during the refresh: {len(busy) - late}/{len(busy)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--interval", type=float, default=0.25,
                        help="seconds between two /ask interactions")
    args = parser.parse_args()
    asyncio.run(run(args.pages, args.interval))


if __name__ == "__main__":
    main()
