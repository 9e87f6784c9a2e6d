"""50 forum posts arriving at once in an `auto` forum (each event delivered twice, as a
gateway replay would): every post answered once or left alone, never twice. The real
discord.py client and FootnoteBot against the local fake Discord.

    python benchmarks/forum_load.py [--n 50] [--rate 0]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTS = [
    ("Peace treaty", "Why haven't Japan and Russia signed a peace treaty?"),
    ("Kurils", "Why are the Kuril Islands important to Russia's navy?"),
    ("Bread", "How do I bake sourdough bread at home?"),
    ("Yemen", "Who is fighting the civil war in Yemen?"),
    ("Football", "Who won the 1998 world cup?"),
]


async def run(n: int, rate: int) -> None:
    import discord
    import yarl
    from discord.gateway import DiscordWebSocket

    from bot.config import CommunityConfig, Config, DiscordConfig
    from bot.discord_app.client import FootnoteBot
    from bot.service import Service
    from bot.sources.http import new_session
    from bot.store import open_stores
    from tests.fake_discord.server import FORUM_ID, GUILD_ID, FakeDiscord, user

    fake = FakeDiscord()
    await fake.start()
    discord.http.Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(discord=DiscordConfig(guild_ids=(GUILD_ID,), cooldown_uses=0),
                        community=CommunityConfig(auto_answers_per_minute=rate,
                                                  modes={GUILD_ID: {FORUM_ID: "auto"}}))
        service = Service(open_stores(Path(tmp) / "s.sqlite3"), config)
        service.ensure_seeded()
        async with new_session(config.fetch) as session:
            bot = FootnoteBot(service, config, session)
            bot._connection.guild_ready_timeout = 0.05
            task = asyncio.create_task(bot.start("fake-token"))
            await asyncio.wait_for(bot.wait_until_ready(), 30)
            finished: list[tuple[int, bool, float]] = []
            real = bot.community.auto_answer
            loop = asyncio.get_running_loop()

            def recording(text, where, *a, **k):
                found = real(text, where, *a, **k)
                finished.append((where.channel_id, found is not None, loop.time()))
                return found

            bot.community.auto_answer = recording
            sent = loop.time()
            starters = []
            for i in range(n):
                title, body = POSTS[i % len(POSTS)]
                starters.append(await fake.forum_post(f"{title} #{i}", body,
                                                      author=user(10_000 + i, f"u{i}")))
            for m in starters:  # every starter message delivered a second time
                await fake.dispatch("MESSAGE_CREATE", m)
            dispatched = loop.time() - sent
            for _ in range(6000):
                if len(finished) >= min(n, rate or n):
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.5)  # let the last replies go out
            threads = {int(m["id"]) for m in starters}
            replies = Counter(int(c.path.split("/")[2]) for c in fake.calls
                              if c.method == "POST" and c.path.endswith("/messages")
                              and c.path.split("/")[2].isdigit()
                              and int(c.path.split("/")[2]) in threads)
            await bot.close()
            await task
    await fake.stop()
    answered = sum(1 for _, ok, _ in finished if ok)
    last = max((t for _, _, t in finished), default=sent) - sent
    print(f"{n} forum posts at once (each event twice), auto-answer rate {rate or 'unlimited'}"
          "/minute")
    print(f"- events dispatched in {dispatched:.2f} s; last post decided {last:.2f} s after "
          "the first event")
    print(f"- posts answered: {len(replies)}; left alone: {n - len(replies)}; "
          f"answers decided as answered: {answered}")
    print(f"- posts with more than one reply: {sum(1 for v in replies.values() if v > 1)}")
    if any(v > 1 for v in replies.values()) or fake.rejected:
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--rate", type=int, default=0, help="auto-answers per minute (0: none)")
    args = ap.parse_args()
    asyncio.run(run(args.n, args.rate))


if __name__ == "__main__":
    main()
