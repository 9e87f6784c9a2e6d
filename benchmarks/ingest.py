"""Ingest throughput: 2,000 articles from a local WordPress-like server, through the REST
API and through a sitemap (one page fetch per article). Articles/second and peak memory.

    python benchmarks/ingest.py [--n 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def run(n: int) -> None:
    from bot.config import Config, FetchConfig
    from bot.ingest import ingest_url
    from bot.service import Service
    from bot.sources.http import new_session
    from bot.store import open_stores
    from tests.fake_site import FakeSite

    site = FakeSite(n_posts=n)
    await site.start()
    fetch = FetchConfig(delay_seconds=0.0, per_host_concurrency=8, backoff_seconds=0.05,
                        allow_private=True)  # the local server is on 127.0.0.1
    print(f"{n} articles from a local server")
    print("| path | seconds | articles/s | requests |\n| --- | --- | --- | --- |")
    for label, url in (("WordPress REST API", site.base + "/"),
                       ("sitemap + page extraction", site.base + "/all-sitemap.xml")):
        with tempfile.TemporaryDirectory() as tmp:
            service = Service(open_stores(Path(tmp) / "s.sqlite3"), Config(fetch=fetch))
            async with new_session(fetch) as session:
                before = len(site.requests)
                started = time.perf_counter()
                report = await ingest_url(service, session, url)
                took = time.perf_counter() - started
            assert report.new == n, report
            print(f"| {label} | {took:.2f} | {n / took:.0f} | {len(site.requests) - before} |")
    await site.stop()
    print(f"peak memory (whole process, server included): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    asyncio.run(run(parser.parse_args().n))


if __name__ == "__main__":
    main()
