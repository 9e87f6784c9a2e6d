"""Requests Footnote makes to a real WordPress (Debian's package, tests/real_wordpress.py) of
N published posts: a first ingest, an incremental refresh with nothing changed, one after an
edit and a deletion, and a full refresh. Needs the Debian packages (see .ci/run).

    python benchmarks/wordpress_requests.py [--posts 230]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def run(n: int) -> None:
    import aiohttp

    from bot.config import Config, FetchConfig
    from bot.ingest import ingest_url
    from bot.service import Service
    from bot.store import open_stores
    from tests.real_wordpress import RealWordPress
    from tests.test_wordpress_real import FETCH, _post

    wp = RealWordPress().start()
    try:
        ids = wp.insert_posts([_post(i) for i in range(n - 1)])  # and WordPress's Hello world
        print(f"{len(wp.permalinks())} published posts")
        with tempfile.TemporaryDirectory() as tmp:
            service = Service(open_stores(Path(tmp) / "s.sqlite3"),
                              Config(fetch=FetchConfig(**FETCH)))
            async with aiohttp.ClientSession() as session:
                async def measure(label: str, **kw) -> None:
                    before, start = len(wp.requests()), time.perf_counter()
                    report = await ingest_url(service, session, wp.base + "/", **kw)
                    done = wp.requests()[before:]
                    api = [r for r in done if "/wp/v2/posts" in r]
                    print(f"{label:34} {len(done):3} requests ({len(api)} to the API)"
                          f" {time.perf_counter() - start:5.2f}s  {report.line()}")

                await measure("first ingest")
                await measure("refresh, nothing changed")
                wp.update_post(ids[5], post_content="<p>An edited paragraph.</p>")
                wp.delete_post(ids[6])
                await measure("refresh, 1 edited, 1 deleted")
                await measure("refresh --full", full=True)
    finally:
        wp.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=230)
    asyncio.run(run(parser.parse_args().posts))


if __name__ == "__main__":
    main()
