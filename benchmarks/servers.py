"""Many servers, two processes (issue 14): 1,000 Discord servers, each with a small corpus of
its own (5-20 articles, every one carrying the server's marker word and its own site's
URLs), in one PostgreSQL store, served by two `footnote run` processes (shards 0 and 1 of 2)
through the fake Discord running in this process. Questions arrive as real slash
interactions at a steady rate, spread over the servers as real traffic is (Zipf: a few busy
servers, a long tail).

Reports the answer time (interaction sent -> its followup received at the fake) p50 / p95 /
max, how many were answered and how fast, the memory of each bot process (VmHWM, VmRSS),
the corpora each process loaded and unloaded (at most `discord.loaded_corpora` held), and
the leaks: answers quoting another server's article (must be 0), and interactions answered
by the wrong process or twice (must be 0).

    python benchmarks/servers.py [--servers 1000] [--rate 50] [--seconds 60]
                                 [--articles 5-20] [--loaded 512] [--pg-url URL]

Without --pg-url a throwaway PostgreSQL cluster is started as the tests do (tests/pg.py;
Debian's postgresql binaries needed) and removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOUNS = ("harbour lighthouse ferry council budget school river bridge festival library "
         "museum election tide storm fishing market railway hospital garden bakery choir "
         "tunnel quarry mill castle orchard vineyard pier canal dairy forge glacier "
         "monastery brewery airport stadium reservoir observatory theatre").split()
VERBS = ("rebuilt closed reopened flooded funded sold repaired moved expanded renamed "
         "inspected protected").split()
PLACES = ("the old town", "the north shore", "the valley", "the island", "the market square",
          "the river mouth", "the hills", "the station", "the harbour wall", "the east gate")
MARKER = re.compile(r"\bqx[a-z]{3}q\b")
SITE = re.compile(r"https?://s(\d+)\.example/")


def marker(i: int) -> str:
    """Server i's own word, found in no other server's articles."""
    a, b, c = i // 676 % 26, i // 26 % 26, i % 26
    return "qx" + "".join(chr(97 + x) for x in (a, b, c)) + "q"


def corpus(i: int, lo: int, hi: int) -> tuple[list, list[str]]:
    """Server i's articles (the same every run) and questions their sentences answer."""
    from bot.models import Article

    rng = random.Random(i)
    word, articles, questions = marker(i), [], []
    for j in range(rng.randint(lo, hi)):
        paras = []
        for _ in range(3):
            sentences = []
            for _ in range(3):
                n1, n2 = rng.sample(NOUNS, 2)
                verb, place, year = rng.choice(VERBS), rng.choice(PLACES), rng.randint(1900, 2024)
                sentences.append(f"In {year} the {word} {n1} {verb} the {n2} near {place}.")
                questions.append(f"Why was the {n2} near {place} {verb} by the {n1}?")
            paras.append(" ".join(sentences))
        title = f"The {word} {rng.choice(NOUNS)} report {j + 1}"
        articles.append(Article(title, tuple(paras), url=f"https://s{i}.example/{j + 1}/"))
    return articles, questions


def zipf_weights(n: int, s: float, rng: random.Random) -> list[float]:
    """Traffic share per server: rank r gets 1/r^s, ranks dealt out at random."""
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    return [1 / r**s for r in ranks]


def proc_memory(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of a process, in MB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0]) // 1024
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(xs: list[float], q: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def write_config(path: Path, url: str, loaded: int) -> Path:
    path.write_text(f"""
[storage]
url = "{url}"
[discord]
prefix_commands = false
cooldown_uses = 0
loaded_corpora = {loaded}
""")
    return path


def populate(url: str, n: int, lo: int, hi: int) -> tuple[list[int], list[list[str]], int]:
    """Every server's corpus into the store; (guild ids, questions per server, articles)."""
    from bot.store import open_stores
    from tests.fake_discord.server import GUILD_ID

    gids = [GUILD_ID + ((i + 1) << 22) for i in range(n)]  # shards of 2 alternate
    stores = open_stores(url)
    questions, total = [], 0
    try:
        for i, gid in enumerate(gids):
            articles, asks = corpus(i, lo, hi)
            stores.articles.ingest(articles, f"https://s{i}.example/", corpus=f"g{gid}")
            questions.append(asks)
            total += len(articles)
    finally:
        stores.close()
    return gids, questions, total


async def traffic(fake, gids: list[int], questions: list[list[str]], rate: float,
                  seconds: float, rng: random.Random, weights: list[float]) -> dict:
    """Send rate*seconds /ask interactions on schedule (open loop: a late bot does not slow
    the senders); token -> (sent at, server index)."""
    from tests.fake_discord.server import guild_channel, option, slash

    loop = asyncio.get_running_loop()
    sent: dict[str, tuple[float, int, str]] = {}
    start = loop.time()
    picks = rng.choices(range(len(gids)), weights, k=int(rate * seconds))
    for k, i in enumerate(picks):
        delay = start + k / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        gid = gids[i]
        p = slash("ask", [option("question", rng.choice(questions[i]))], guild_id=gid,
                  channel_id=guild_channel(gid), user_id=930000000000000001 + rng.randrange(500))
        sent[p["token"]] = (loop.time(), i, p["id"])
        await fake.dispatch("INTERACTION_CREATE", p)
    return sent


async def warm_up(fake, gids: list[int], questions: list[list[str]]) -> set[int]:
    """One question in a server of each process, answered before the measured traffic: a
    process's first question loads the background word frequencies (the answer policy's),
    once per process, which is start-up, not serving."""
    from tests.fake_discord.server import APP_ID, guild_channel, option, slash

    loop = asyncio.get_running_loop()
    for i in (0, 1):  # servers 0 and 1 are on shards 1 and 0
        gid = gids[i]
        p = slash("ask", [option("question", questions[i][0])], guild_id=gid,
                  channel_id=guild_channel(gid))
        at = loop.time()
        await fake.dispatch("INTERACTION_CREATE", p)
        await fake.wait_for(lambda c, p=p: c.path.startswith(
            f"/webhooks/{APP_ID}/{p['token']}"), timeout=120)
        print(f"warm-up: the first question of a process answered in {loop.time() - at:.1f} s")
    return {0, 1}


async def run(args: argparse.Namespace, url: str, tmp: Path) -> None:
    from tests.fake_discord.server import APP_ID, FakeDiscord, shard_of
    from tests.two_processes import start_bot_process

    started = time.perf_counter()
    lo, hi = (int(x) for x in args.articles.split("-"))
    gids, questions, n_articles = await asyncio.to_thread(populate, url, args.servers, lo, hi)
    print(f"stored {args.servers} server corpora, {n_articles} articles, in "
          f"{time.perf_counter() - started:.1f} s")
    fake = FakeDiscord()
    fake.guild_ids = gids
    await fake.start()
    cfg = write_config(tmp / "config.toml", url, args.loaded)
    names = ("a", "b")
    bots = []
    try:
        started = time.perf_counter()
        for shard, name in enumerate(names):
            bots.append(await start_bot_process(
                name, fake.api_base_for(name), fake.gateway_url, cfg, tmp / name,
                ["--shards", str(shard), "--shard-count", "2"]))
        for bot in bots:
            await bot.wait_ready(600)
        print(f"2 processes ready (each in {args.servers // 2} servers) in "
              f"{time.perf_counter() - started:.1f} s")
        warmed = await warm_up(fake, gids, questions)
        rng = random.Random(args.seed)
        weights = zipf_weights(len(gids), args.zipf, rng)
        load_before = os.getloadavg()
        cpu_before = {b.name: cpu_seconds(b.proc.pid) for b in bots}
        print(f"sending {int(args.rate * args.seconds)} questions over {args.seconds:.0f} s "
              f"({args.rate:g}/s), load average {load_before[0]:.1f}")
        sent = await traffic(fake, gids, questions, args.rate, args.seconds, rng, weights)
        sending_done = asyncio.get_running_loop().time()
        followups = {}
        deadline = sending_done + args.grace
        prefix = f"/webhooks/{APP_ID}/"
        while asyncio.get_running_loop().time() < deadline:
            followups = {token: c for c in fake.calls
                         if c.method == "POST" and c.path.startswith(prefix)
                         and (token := c.path[len(prefix):].split("/")[0]) in sent}
            if len(followups) >= len(sent):
                break
            await asyncio.sleep(0.2)
        memory = {b.name: proc_memory(b.proc.pid) | {
            "cpu": cpu_seconds(b.proc.pid) - cpu_before[b.name]} for b in bots}
        load_after = os.getloadavg()
        report(args, fake, gids, sent, followups, memory, bots, shard_of,
               (load_before, load_after), warmed)
    finally:
        for bot in bots:
            await bot.stop()
        await fake.stop()


def report(args, fake, gids, sent, followups, memory, bots, shard_of, loads, warmed) -> None:
    times, leaks, wrong_process = [], 0, 0
    per_process = Counter()
    answered_with_quotes = own_links = 0
    for token, (at, i, _iid) in sent.items():
        call = followups.get(token)
        if call is None:
            continue
        times.append(call.at - at)
        expected = "ab"[shard_of(gids[i], 2)]
        per_process[call.via] += 1
        wrong_process += call.via != expected
        text = str(call.body)
        own = marker(i)
        others = {m for m in MARKER.findall(text) if m != own}
        found = {int(s) for s in SITE.findall(text)}
        own_links += i in found  # (the check sees the links it checks)
        leaks += bool(others or found - {i})
        answered_with_quotes += bool((call.body or {}).get("embeds"))
    callbacks = Counter(c.path.split("/")[2] for c in fake.calls
                        if c.path.startswith("/interactions/"))
    twice = sum(1 for iid in (v[2] for v in sent.values()) if callbacks.get(iid, 0) > 1)
    n = len(sent)
    missing = [(at, i, iid) for token, (at, i, iid) in sent.items() if token not in followups]
    if missing:
        at, i, iid = min(missing)
        replies = [str(c.body)[:200] for c in fake.calls if iid in c.path]
        print(f"not answered within {args.grace:.0f} s of the last question: {len(missing)}; "
              f"the first sent {at - min(v[0] for v in sent.values()):.1f} s into the run "
              f"(server {i}), the bot's replies to it: {replies}")
    span = max((c.at for c in followups.values()), default=0) - min(v[0] for v in sent.values())
    print(f"answered {len(times)} of {n} ({len(times) / max(span, 1e-9):.1f}/s over "
          f"{span:.1f} s); {answered_with_quotes} with quoted passages")
    if times and args.verbose:
        ordered = [followups[t].at - v[0] for t, v in sorted(sent.items(), key=lambda x: x[1][0])
                   if t in followups]
        tenth = max(1, len(ordered) // 10)
        print("answer time p50 by tenth of the run: " + " ".join(
            f"{pct(ordered[k:k + tenth], .5):.2f}" for k in range(0, len(ordered), tenth)))
    if times:
        print(f"answer time (sent -> followup at the fake): p50 {pct(times, .5):.3f} s, "
              f"p95 {pct(times, .95):.3f} s, max {max(times):.3f} s, "
              f"mean {statistics.mean(times):.3f} s")
    asked = {v[1] for v in sent.values()}
    servers_asked = Counter("ab"[shard_of(gids[i], 2)] for i in asked | warmed)
    busiest = Counter(v[1] for v in sent.values()).most_common(1)[0][1]
    print(f"servers asked: {len(asked)} of {len(gids)} (busiest: {busiest} questions; "
          f"{len(warmed - asked)} more in the warm-up)")
    for bot in bots:
        unloaded = sum("unloaded the corpus of server" in line for line in bot.lines)
        built = sum("built index of" in line for line in bot.lines)
        made = sum(": loaded the corpus of server" in line for line in bot.lines)
        mem = memory[bot.name]
        print(f"process {bot.name}: {per_process[bot.name]} answers, "
              f"{servers_asked[bot.name]} servers asked, corpora loaded {made} times "
              f"({built} index builds, the rest from the index cache), {unloaded} unloaded "
              f"(least recently used), {made - unloaded} held at the end; "
              f"memory VmHWM {mem.get('VmHWM')} MB, VmRSS {mem.get('VmRSS')} MB; "
              f"{mem['cpu']:.1f} s of CPU during the run "
              f"({mem['cpu'] * 1000 / max(1, per_process[bot.name]):.0f} ms an answer)")
        errors = [line for line in bot.lines if line.startswith(("ERROR", "CRITICAL"))]
        if errors:
            print(f"  {len(errors)} error lines, first: {errors[0]}")
        if args.verbose:
            print("\n".join(f"  {line}" for line in bot.lines if not line.startswith("INFO")))
    print(f"answers quoting another server's article: {leaks} (answers linking their own "
          f"server's site: {own_links})")
    print(f"answered by the wrong process: {wrong_process}; interactions answered twice: "
          f"{twice}; refused by the fake (400): {len(fake.rejected)}")
    print(f"load average (1 min) before {loads[0][0]:.1f}, after {loads[1][0]:.1f} "
          f"({os.cpu_count()} cores)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--servers", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=50.0, help="questions a second")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--articles", default="5-20", help="articles per server: MIN-MAX")
    ap.add_argument("--loaded", type=int, default=512, help="discord.loaded_corpora")
    ap.add_argument("--zipf", type=float, default=1.1, help="the traffic's Zipf exponent")
    ap.add_argument("--grace", type=float, default=30.0,
                    help="seconds to wait for late answers after the last question")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--verbose", action="store_true", help="answer time over the run")
    ap.add_argument("--pg-url", help="a PostgreSQL URL (an empty database) instead of a "
                                     "throwaway cluster")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fn-servers-") as tmp:
        if args.pg_url:
            asyncio.run(run(args, args.pg_url, Path(tmp)))
            return
        from tests import pg

        if pg.find_bin_dir() is None:
            sys.exit("no PostgreSQL binaries (apt-get install postgresql), or pass --pg-url")
        cluster = pg.start_cluster()
        try:
            import psycopg

            with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
                conn.execute('CREATE DATABASE "bench"')
            asyncio.run(run(args, cluster.url("bench"), Path(tmp)))
        finally:
            pg.stop_cluster(cluster)


if __name__ == "__main__":
    main()
