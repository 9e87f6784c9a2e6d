"""Private addresses are refused after DNS resolution, in the connector: every spelling,
every hop (redirect, sitemap entry, feed link, advertised API root), and DNS rebinding."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest
import yarl
from aiohttp import ThreadedResolver
from aiohttp.abc import AbstractResolver

from bot.config import Config
from bot.errors import FetchError
from bot.ingest import ingest_url
from bot.service import Service
from bot.sources.guard import PrivateAddress, is_private
from bot.sources.http import Fetcher, new_session
from bot.store import open_stores
from tests.fake_site import FAST, FakeSite

GUARDED = replace(FAST, allow_private=False, retries=0)
REFUSED = "resolves to a private address (set fetch.allow_private = true for an intranet site)"


class MapResolver(AbstractResolver):
    """Test DNS: each name answers its list of addresses in turn (the last one for ever)."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        self.asked.append(host)
        answers = self.names.get(host)
        if not answers:  # other names the system way (0x7f000001 is read without any DNS)
            return await ThreadedResolver().resolve(host, port, family)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        fam = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [{"hostname": host, "host": address, "port": port, "family": fam, "proto": 0,
                 "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


@pytest.fixture
async def local_site():
    s = FakeSite(n_posts=5)
    await s.start()
    yield s
    await s.stop()


@pytest.mark.parametrize("host", [
    "127.0.0.1", "0x7f000001", "[::1]", "[::ffff:127.0.0.1]", "169.254.169.254", "10.0.0.1",
    "172.16.5.4", "192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "[fe80::1]",
    "[fc00::1]", "[::]", "evil.test",
])
async def test_every_spelling_of_a_private_address_is_refused(local_site, host):
    resolver = MapResolver({"evil.test": ["127.0.0.1"]})
    async with new_session(GUARDED, resolver=resolver) as session:
        fetcher = Fetcher(session, GUARDED)
        with pytest.raises(FetchError) as exc:
            await fetcher.fetch(f"http://{host}:{local_site.port}/2024/post-1/")
    shown = yarl.URL(f"http://{host}/").raw_host  # as aiohttp spells it: ::ffff:7f00:1
    assert str(exc.value).endswith(f": refused: {shown} {REFUSED}")
    assert local_site.requests == []  # nothing reached the server, not even robots.txt


@pytest.mark.parametrize("host", ["2130706433", "127.1", "0177.0.0.1"])
async def test_numeric_spellings_never_reach_a_lookup(local_site, host):
    async with new_session(GUARDED) as session:
        with pytest.raises(FetchError, match=r"invalid URL \(a host must be a name or a"):
            await Fetcher(session, GUARDED).fetch(f"http://{host}:{local_site.port}/")
    assert local_site.requests == []


async def test_allow_private_reaches_an_intranet_site(local_site):
    async with new_session(FAST) as session:
        resp = await Fetcher(session, FAST).fetch(local_site.base + "/2024/post-1/")
    assert resp.status == 200


def test_what_counts_as_private():
    assert not is_private("93.184.216.34") and not is_private("2606:2800:220:1::1")
    assert is_private("::ffff:10.1.2.3") and is_private("2002:7f00:1::1")  # mapped, 6to4
    assert is_private("fe80::1%eth0") and is_private("not an address")


async def test_dns_rebinding_is_judged_on_every_resolution():
    resolver = MapResolver({"rebind.test": ["93.184.216.34", "127.0.0.1"]})
    async with new_session(GUARDED, resolver=resolver) as session:
        connector = session.connector
        first = await connector._resolve_host("rebind.test", 80)
        assert first[0]["host"] == "93.184.216.34"
        connector.clear_dns_cache()  # the record's TTL ran out; the name now says loopback
        with pytest.raises(PrivateAddress, match="refused: rebind.test"):
            await connector._resolve_host("rebind.test", 80)


@pytest.fixture
async def public_site():
    """A site on 127.0.0.2, which these tests' connector treats as the public internet; the
    private hops it points at (127.0.0.1, evil.test) are judged by the real rules."""
    s = FakeSite(n_posts=5, host="127.0.0.2")
    await s.start()
    yield s
    await s.stop()


@pytest.fixture
async def guarded(public_site):
    resolver = MapResolver({"evil.test": ["127.0.0.1"]})
    async with new_session(GUARDED, resolver=resolver, public={"127.0.0.2"}) as session:
        yield session


@pytest.fixture
def guarded_service(tmp_path):
    return Service(open_stores(tmp_path / "s.sqlite3"), Config(fetch=GUARDED))


async def test_a_redirect_to_loopback_is_refused(public_site, guarded):
    fetcher = Fetcher(guarded, GUARDED)
    assert (await fetcher.fetch(public_site.base + "/2024/post-1/")).status == 200
    with pytest.raises(FetchError) as exc:
        await fetcher.fetch(public_site.base + "/redirect-private/")
    assert str(exc.value) == (f"http://127.0.0.1:{public_site.port}/2024/post-1/: "
                              f"refused: 127.0.0.1 {REFUSED}")


@pytest.mark.parametrize("path, kind, refused, stored", [
    ("/private-sitemap.xml", "sitemap", ["127.0.0.1", "evil.test"], 1),
    ("/private-feed/", "feed", ["evil.test"], 1),
    ("/intranet-blog/", "auto", ["evil.test"], 0),
    ("/intranet-news/", "auto", ["evil.test"], 0),  # a feed the page advertises
])
async def test_links_to_private_addresses_are_refused(public_site, guarded, guarded_service,
                                                      path, kind, refused, stored):
    report = await ingest_url(guarded_service, guarded, public_site.base + path, kind)
    assert sorted(e.split(": refused: ")[1].split()[0] for e in report.errors) == refused
    assert all(e.endswith(REFUSED) for e in report.errors)
    assert report.new == stored and guarded_service.stores.articles.count()[0] == stored
