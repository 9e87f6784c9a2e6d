"""Sources that break in the ways a reviewer found: a bad URL in a feed, a malformed HTTP
response, a robots.txt that asks to wait, entities hidden behind a long comment, legacy
charsets, an emptied folder, a source whose refresh fails unexpectedly."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from bot.config import Config, SourceConfig
from bot.errors import SourceError
from bot.ingest import ingest_paths, ingest_targets
from bot.models import IngestReport
from bot.refresh import refresh_all
from bot.service import Service
from bot.sources.html import decode
from bot.sources.xmlsafe import refuse_entities
from bot.store import open_stores
from tests.fake_site import FAST, serving

LONG = " ".join(["The reservoir fills each spring and drains by the autumn."] * 12)


@pytest.fixture
def service(tmp_path):
    return Service(open_stores(tmp_path / "s.sqlite3"), Config(fetch=FAST))


@pytest.fixture
async def pages():
    """A local server answering each path with the (status, body, headers) put in `routes`."""
    routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}

    async def handle(request: web.Request) -> web.Response:
        status, body, headers = routes.get(request.path, (404, b"", {}))
        return web.Response(status=status, body=body, headers=headers)

    async with serving(handle) as base:
        yield base, routes


def rss(*items: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
            'modules/content/"><channel><title>T</title>' + "".join(items)
            + "</channel></rss>").encode()


async def test_a_bad_url_in_a_feed_is_one_failure_and_the_good_items_are_stored(
        pages, service, session):
    base, routes = pages
    routes["/feed/"] = (200, rss(
        f"<item><title>Good</title><link>{base}/good/</link>"
        f"<content:encoded><![CDATA[<p>{LONG}</p>]]></content:encoded></item>",
        "<item><title>Bad</title><link>http://[127.0.0.1:1/x</link>"
        "<description>An excerpt.</description></item>"),
        {"Content-Type": "application/rss+xml"})
    (report,) = await ingest_targets(service, session, [base + "/feed/"])
    assert report.new == 1 and report.failed == 1, report.line()
    assert "invalid URL" in report.errors[0]
    from bot.errors import UsageError

    with pytest.raises(UsageError, match="invalid URL"):  # typed by hand: a usage error
        await ingest_targets(service, session, ["http://[::1/x"])


async def test_a_malformed_http_response_is_a_failure_not_a_traceback(service, session):
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nhi")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        (report,) = await ingest_targets(service, session, [f"http://127.0.0.1:{port}/page/"])
    finally:
        server.close()
        await server.wait_closed()
    assert report.failed == 1 and "malformed HTTP response" in report.errors[0], report.errors


async def test_a_robots_txt_that_asks_to_wait_is_not_crawled(pages, service, session):
    base, routes = pages
    routes["/robots.txt"] = (429, b"", {"Retry-After": "3600"})
    routes["/a/"] = (200, f"<html><body><article><h1>A</h1><p>{LONG}</p></article></body>"
                     "</html>".encode(), {"Content-Type": "text/html"})
    (report,) = await ingest_targets(service, session, [base + "/a/"])
    assert report.new == 0 and "robots.txt unavailable" in report.errors[0], report.errors


def test_entities_behind_a_long_comment_are_refused():
    hidden = (b'<?xml version="1.0"?><!--' + b"x" * 2_000_000 + b'--><!DOCTYPE r ['
              b'<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><rss>&lol2;</rss>')
    with pytest.raises(SourceError, match="declares entities"):
        refuse_entities(hidden, "feed")
    utf16 = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode("utf-16")
    with pytest.raises(SourceError, match="declares entities"):
        refuse_entities(utf16, "feed")


def test_legacy_charsets_are_read_as_browsers_read_them():
    latin = "Café owners\u2019 protest".encode("cp1252")
    assert decode(latin, "text/html; charset=iso-8859-1") == "Café owners\u2019 protest"
    # A page declared UTF-8 with one stray byte is not read as windows-1252 throughout.
    stray = "Le café de la gare".encode() + b"\xff"
    assert decode(stray, "text/html; charset=utf-8").startswith("Le café de la gare")


def test_an_emptied_folder_removes_nothing(service, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.md").write_text(f"# {name.upper()}\n\nThe dam on the {name} river.\n")
    assert ingest_paths(service, [folder]).new == 2
    for f in folder.iterdir():
        f.unlink()  # an unmounted share looks like this
    report = ingest_paths(service, [folder])
    assert report.removed == 0 and "nothing removed" in report.line()
    assert service.stores.articles.count()[0] == 2


async def test_one_sources_unexpected_failure_does_not_stop_the_others(service, session,
                                                                       tmp_path, monkeypatch):
    import bot.refresh as refresh

    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder in (good, bad):
        folder.mkdir()
        (folder / "a.md").write_text("# Dams\n\nThe dam holds water.\n")
    service.sources = [SourceConfig(path=str(good)), SourceConfig(path=str(bad))]
    real = refresh._refresh_one

    async def flaky(svc, sess, src, progress, full=False) -> IngestReport:
        if src.path == str(bad):
            raise RuntimeError("a bug")
        return await real(svc, sess, src, progress, full)

    monkeypatch.setattr(refresh, "_refresh_one", flaky)
    reports = {r.source: r for r in await refresh_all(service, session)}
    assert reports[str(good)].new == 1
    assert reports[str(bad)].failed == 1 and "failed unexpectedly (RuntimeError)" in \
        reports[str(bad)].errors[0]


async def test_a_redirected_robots_txt_is_followed(pages, service, session):
    base, routes = pages
    routes["/robots.txt"] = (301, b"", {"Location": "/real-robots.txt"})
    routes["/real-robots.txt"] = (200, b"User-agent: *\nDisallow: /private/\n",
                                  {"Content-Type": "text/plain"})
    page = f"<html><body><article><h1>A</h1><p>{LONG}</p></article></body></html>".encode()
    routes["/private/a/"] = (200, page, {"Content-Type": "text/html"})
    routes["/public/a/"] = (200, page, {"Content-Type": "text/html"})
    (private,) = await ingest_targets(service, session, [base + "/private/a/"])
    assert private.new == 0 and "disallowed by robots.txt" in private.errors[0]
    (public,) = await ingest_targets(service, session, [base + "/public/a/"])
    assert public.new == 1
