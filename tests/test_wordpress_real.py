"""Footnote against a real WordPress: Debian's `wordpress` package with MariaDB and PHP's
built-in server, all on 127.0.0.1 in a folder under /tmp (tests/real_wordpress.py).

One WordPress for the module; every test makes its own store and reads what WordPress
publishes at that moment, so the order of the tests does not matter. Skipped, loudly, only
where the packages are missing (.ci/run installs them)."""

from __future__ import annotations

import asyncio
import json
import re
import time

import aiohttp
import pytest

from bot.__main__ import main
from bot.config import Config, FetchConfig
from bot.ingest import ingest_url
from bot.service import Service
from bot.store import open_stores
from tests.real_wordpress import RealWordPress, Unavailable

FETCH = {"delay_seconds": 0.0, "backoff_seconds": 0.01, "retries": 1,
         "allow_private": True}  # the site is on 127.0.0.1
N_POSTS = 105  # two pages of the listing, even after the deletions below
TOPICS = ["Nile dam", "Kuril Islands", "Sahel coups", "Aral Sea", "Cyprus talks"]
LONG = ("Negotiators met again behind closed doors, and neither side would say what was on"
        " the table, though officials hinted at a framework for later rounds. ") * 5
ENTITY_TITLE = "Russia's \"peace\" plan & Japan's islands..."
BLOCKS = """<!-- wp:paragraph -->
<p>Tokyo insists the four islands return before any treaty; Moscow refuses.</p>
<!-- /wp:paragraph -->

<!-- wp:list -->
<ul><li>Fishing rights around Shikotan</li><li>Visa-free visits for former residents</li></ul>
<!-- /wp:list -->

<!-- wp:image -->
<figure class="wp-block-image"><img src="/dam.jpg" alt=""/>
<figcaption class="wp-element-caption">A photo caption here</figcaption></figure>
<!-- /wp:image -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><p>No treaty without the islands.</p>
<cite>A diplomat</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:buttons -->
<div class="wp-block-buttons"><!-- wp:button --><div class="wp-block-button">
<a class="wp-block-button__link wp-element-button" href="/donate/">Donate today</a></div>
<!-- /wp:button --></div>
<!-- /wp:buttons -->

<!-- wp:separator -->
<hr class="wp-block-separator has-alpha-channel-opacity"/>
<!-- /wp:separator -->"""


def _post(i: int, **extra: object) -> dict:
    topic = TOPICS[i % len(TOPICS)]
    return {"post_title": f"{topic} report {i}", "post_status": "publish",
            "post_date_gmt": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:15:00",
            "post_content": f"<!-- wp:paragraph -->\n<p>{topic}: dispatch codeword{i} on the"
                            f" talks between the parties.</p>\n<!-- /wp:paragraph -->\n\n"
                            f"<!-- wp:paragraph -->\n<p>Second paragraph of report {i}. {LONG}"
                            "</p>\n<!-- /wp:paragraph -->", **extra}


@pytest.fixture(scope="module")
def wp():
    site = RealWordPress()
    try:
        site.start()
    except Unavailable as e:
        site.stop()
        pytest.skip(f"NO REAL WORDPRESS HERE, its integration tests did not run: {e}")
    try:
        ids = site.insert_posts([_post(i) for i in range(N_POSTS)])
        special = site.insert_posts([
            {"post_title": ENTITY_TITLE, "post_content": BLOCKS, "post_status": "publish",
             "post_date_gmt": "2024-03-01 09:00:00"},
            _post(900, post_status="draft"),
            _post(901, post_status="private"),
            _post(902, post_status="future", post_date_gmt="2099-01-01 00:00:00"),
            _post(903, post_password="secret", post_date_gmt="2026-01-01 00:00:00"),
        ])
        site.ids = ids
        site.special = dict(zip(["entities", "draft", "private", "future", "protected"],
                                special, strict=True))
        yield site
    finally:
        site.stop()


def _service(tmp_path, name="s") -> Service:
    return Service(open_stores(tmp_path / f"{name}.sqlite3"), Config(fetch=FetchConfig(**FETCH)))


async def _ingest(service: Service, url: str, session=None, **kw):
    if session is not None:
        return await ingest_url(service, session, url, **kw)
    async with aiohttp.ClientSession() as s:
        return await ingest_url(service, s, url, **kw)


def _api(requests: list[str]) -> list[str]:
    return [r for r in requests if "/wp/v2/posts" in r]


async def test_first_ingest_is_what_wordpress_publishes(wp, tmp_path):
    service = _service(tmp_path)
    before = len(wp.requests())
    report = await _ingest(service, wp.base)  # no trailing slash
    live = wp.permalinks()
    assert report.errors == [] and report.skipped == 1  # the password-protected post
    arts = {a.url: a for a in service.stores.articles.iter_articles()}
    assert set(arts) == set(live.values())  # no draft, private, scheduled or protected post
    pages = -(-(len(live) + 1) // 100)
    api = _api(wp.requests()[before:])
    assert len(api) == 2 * pages  # the ids listing, then the contents by id
    assert all("_fields=id%2Cmodified_gmt" in r.replace(",", "%2C") for r in api[:pages])
    special = arts[live[wp.special["entities"]]]
    assert special.title == "Russia\u2019s \u201cpeace\u201d plan & Japan\u2019s islands\u2026"
    text = " | ".join(special.paragraphs)
    assert "Fishing rights around Shikotan" in text and "No treaty without the islands." in text
    assert "caption" not in text and "Donate" not in text
    assert special.date == "2024-03-01T09:00:00Z"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a.date) for a in arts.values())


async def test_edits_and_deletions_are_noticed_by_the_next_plain_ingest(wp, tmp_path):
    service = _service(tmp_path)
    await _ingest(service, wp.base + "/")
    edited, deleted, trashed, unpublished, protected = wp.ids[10:15]
    live = wp.permalinks()
    # WordPress keeps modification times to the second: edit in a later second than the one
    # the posts were created in, or the edit is indistinguishable (as on a real site).
    await asyncio.sleep(1.02 - time.time() % 1)
    wp.php("""[$edited, $deleted, $trashed, $unpublished, $protected] = $in;
        wp_update_post(['ID' => $edited,
                        'post_content' => '<p>Corrected: the summit moved to Geneva.</p>']);
        wp_delete_post($deleted, true);
        wp_trash_post($trashed);
        wp_update_post(['ID' => $unpublished, 'post_status' => 'draft']);
        wp_update_post(['ID' => $protected, 'post_password' => 'hunter2']);""",
           [edited, deleted, trashed, unpublished, protected])
    before = len(wp.requests())
    report = await _ingest(service, wp.base + "/")
    assert (report.new, report.updated, report.removed, report.errors) == (0, 1, 4, [])
    urls = {a.url for a in service.stores.articles.iter_articles()}
    assert urls == set(wp.permalinks().values())
    assert not {live[i] for i in (deleted, trashed, unpublished, protected)} & urls
    await asyncio.to_thread(service.reload)
    assert service.ask("where did the summit move to").hits[0].url == live[edited]
    hits = service.ask(f"codeword{wp.ids.index(deleted)} dispatch").hits
    assert all(h.url != live[deleted] for h in hits)
    api = _api(wp.requests()[before:])
    pages = -(-(len(live) + 1) // 100)
    assert len(api) == pages + 2  # listing, the missing ones asked for by id, the edited one
    await asyncio.sleep(1.02 - time.time() % 1)  # a later second than the edits above
    wp.php("""wp_update_post(['ID' => $in[0], 'post_status' => 'publish']);
              wp_update_post(['ID' => $in[1], 'post_password' => '']);""",
           [unpublished, protected])
    again = await _ingest(service, wp.base + "/")
    assert (again.new, again.updated, again.removed) == (0, 2, 0)  # back, same URLs


# What Settings > Permalinks does: the structure, and the rewrite rules that serve it.
PERMALINKS = ("global $wp_rewrite; $wp_rewrite->set_permalink_structure($in);"
              " flush_rewrite_rules(false);")


async def test_a_new_permalink_structure_moves_the_articles_and_adds_none(wp, tmp_path):
    service = _service(tmp_path)
    await _ingest(service, wp.base + "/")
    rows = {a.url: a.id for a in service.stores.articles.iter_articles()}
    old = wp.permalinks()
    try:  # Settings > Permalinks: "Post name"; no post's modified date changes
        wp.php(PERMALINKS, "/%postname%/")
        new = wp.permalinks()
        assert all(new[i] != old[i] for i in old)
        report = await _ingest(service, wp.base + "/")
        assert (report.new, report.removed, report.moved, report.errors) == (0, 0, len(old), [])
        now = {a.url: a.id for a in service.stores.articles.iter_articles()}
        assert {url: now[url] for url in new.values()} == {new[i]: rows[old[i]] for i in old}
        again = await _ingest(service, wp.base + "/")
        assert (again.new, again.updated, again.moved) == (0, 0, 0)
    finally:
        wp.php(PERMALINKS, "/%year%/%monthnum%/%postname%/")


async def test_a_post_deleted_during_the_listing_costs_no_live_post(wp, tmp_path):
    pending: list[int] = []
    listing_pages = 0

    async def delete_after_first_page(session, ctx, params) -> None:
        nonlocal listing_pages
        if "modified_gmt" in str(params.url) and "include" not in str(params.url):
            listing_pages += 1
            if pending:  # shifts every later page of this listing by one
                await asyncio.to_thread(wp.delete_post, pending.pop())

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(delete_after_first_page)
    fresh, existing = _service(tmp_path, "fresh"), _service(tmp_path, "existing")
    await _ingest(existing, wp.base)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        pending.append(wp.ids[20])
        first = await _ingest(fresh, wp.base, session)
        urls = {a.url for a in fresh.stores.articles.iter_articles()}
        assert urls == set(wp.permalinks().values())
        pending.append(wp.ids[21])
        listing_pages = 0
        second = await _ingest(existing, wp.base, session)
    live = set(wp.permalinks().values())
    assert first.errors == [] and second.errors == [] and second.removed == 2
    assert {a.url for a in existing.stores.articles.iter_articles()} == live
    assert listing_pages > 2  # the changed total was noticed and the listing done again


async def test_feed_skips_the_protected_post_and_dates_agree(wp, tmp_path):
    feed, api = _service(tmp_path, "feed"), _service(tmp_path, "api")
    report = await _ingest(feed, wp.base + "/feed/")
    assert report.errors == [] and report.skipped == 1 and report.new >= 10
    await _ingest(api, wp.base + "/")
    from_api = {a.url: a.date for a in api.stores.articles.iter_articles()}
    from_feed = {a.url: a.date for a in feed.stores.articles.iter_articles()}
    assert from_feed and {u: from_api[u] for u in from_feed} == from_feed


async def test_one_identity_per_site(wp, tmp_path):
    service = _service(tmp_path)
    host = wp.base.removeprefix("http://")
    first = await _ingest(service, wp.base)
    assert first.new > 100
    for spelling in (f"HTTP://{host}/", f"http://{host}/index.php?rest_route=/",
                     f"http://{host}/wp-json/"):
        again = await _ingest(service, spelling)
        assert (again.new, again.removed, again.errors) == (0, 0, []), spelling
    assert [name for name, _, _ in service.stores.sources.all()] == [wp.base + "/"]
    wp.delete_post(wp.ids[30])
    gone = await _ingest(service, f"http://{host}/index.php?rest_route=/")
    assert gone.removed == 1
    plain = _service(tmp_path, "plain")  # a site without pretty permalinks: ?rest_route=
    before = len(wp.requests())
    report = await _ingest(plain, f"http://{host}/index.php?rest_route=/", kind="wordpress")
    assert report.errors == [] and report.new == len(wp.permalinks())
    assert all("rest_route=/wp/v2/posts" in r for r in _api(wp.requests()[before:]))


def test_cli_refresh_and_full(wp, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    fetch = "\n".join(f"{k} = {json.dumps(v)}" for k, v in FETCH.items())
    cfg.write_text(f'[fetch]\n{fetch}\n\n[[sources]]\nurl = "{wp.base}"\n')
    assert main(["--config", str(cfg), "ingest", wp.base + "/"]) == 0
    out = capsys.readouterr().out
    count = len(wp.permalinks())
    assert f"{count} new" in out and "1 skipped (protected)" in out
    pages = -(-(count + 1) // 100)
    for argv, requests in ((["refresh"], pages), (["refresh", "--full"], 2 * pages),
                           (["ingest", wp.base, "--full"], 2 * pages)):
        before = len(wp.requests())
        assert main(["--config", str(cfg), *argv]) == 0
        out = capsys.readouterr().out
        assert "0 new, 0 updated, 0 removed" in out, argv  # the same source, nothing lost
        assert len(_api(wp.requests()[before:])) == requests, argv
