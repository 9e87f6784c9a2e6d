"""Web sources against a local fake WordPress site (127.0.0.1 only)."""

from __future__ import annotations

import json

import pytest

from bot.config import Config, FetchConfig
from bot.errors import FetchError, SourceError
from bot.ingest import ingest_paths, ingest_url
from bot.service import Service
from bot.sources.http import Fetcher, new_session
from bot.sources.wxr import parse_wxr
from bot.store import open_stores
from tests.fake_site import FAST, WXR, XXE_WXR, FakeSite
from tests.waiting import WAIT_SECONDS


@pytest.fixture
def service(tmp_path):
    return Service(open_stores(tmp_path / "s.sqlite3"), Config(fetch=FAST))


async def test_wordpress_site_ingests_every_post_with_its_link(site, session, service):
    report = await ingest_url(service, session, site.base + "/")
    assert report.errors == [] and report.new == 150 and report.skipped == 1  # protected
    assert site.count("/wp-json/wp/v2/posts") == 4  # ids in 2 pages, contents in 2 batches
    q = site.queries[0]
    assert q["per_page"] == "100" and q["_fields"] == "id,modified_gmt,link"
    assert [len(q["include"].split(",")) for q in site.queries[2:]] == [100, 51]
    arts = list(service.stores.articles.iter_articles())
    assert {a.url for a in arts} == {p["link"] for p in site.posts}
    one = next(a for a in arts if a.url.endswith("/post-2/"))
    assert one.title == "Kuril Islands dispute (part 2) \u2013 analysis"
    assert one.paragraphs[0].startswith("Japan claims the four islands")
    assert not any("Share this" in p or "alert" in p or "photo" in p for p in one.paragraphs)
    ans = service.ask("Which mercenaries moved into Mali after the junta expelled French troops?")
    assert ans.answered and ans.hits[0].url.startswith(site.base + "/2024/post-")


async def test_reingest_adds_nothing_and_asks_only_for_changes(site, session, service):
    await ingest_url(service, session, site.base + "/")
    before = len(site.queries)
    again = await ingest_url(service, session, site.base + "/")
    assert (again.new, again.updated, again.removed, again.unchanged) == (0, 0, 0, 150)
    assert [q["_fields"] for q in site.queries[before:]] == ["id,modified_gmt,link"] * 2
    site.posts[3]["paragraphs"][0] = "A corrected first paragraph about the Kuril Islands."
    site.posts[3]["modified"] = "2099-01-01T00:00:00"
    changed = await ingest_url(service, session, site.base + "/")
    assert changed.updated == 1 and service.stores.articles.count()[0] == 150
    assert site.queries[-1]["include"] == "4"  # only the modified post's contents


async def test_a_new_permalink_structure_moves_the_articles_and_adds_none(site, session,
                                                                         service):
    await ingest_url(service, session, site.base + "/")
    rows = {a.url: a.id for a in service.stores.articles.iter_articles()}
    for post in site.posts:  # /2024/post-N/ -> /news/post-N/; no modified date changes
        post["link"] = post["link"].replace("/2024/", "/news/")
    site.posts[0]["link"] = site.base + "/news/renamed-slug/"
    before = len(site.queries)
    moved = await ingest_url(service, session, site.base + "/")
    assert (moved.new, moved.updated, moved.removed, moved.moved) == (0, 150, 0, 150)
    assert moved.added == [] and "150 moved to a new link" in moved.line()  # none announced
    assert sum("include" in q for q in site.queries[before:]) == 2  # contents fetched once
    now = {a.url: a.id for a in service.stores.articles.iter_articles()}
    assert sorted(now.values()) == sorted(rows.values())  # the same articles, new links
    assert now[site.base + "/news/post-7/"] == rows[site.base + "/2024/post-7/"]
    assert now[site.base + "/news/renamed-slug/"] == rows[site.base + "/2024/post-1/"]
    ans = service.ask("Which mercenaries moved into Mali after the junta expelled French troops?")
    assert ans.hits[0].url.startswith(site.base + "/news/post-")
    again = await ingest_url(service, session, site.base + "/")
    assert (again.new, again.updated, again.moved, again.unchanged) == (0, 0, 0, 150)


async def test_site_breaking_midway_loses_nothing(site, session, service):
    await ingest_url(service, session, site.base + "/")
    site.posts.pop()  # gone from the site, but the listing will fail half-way
    site.failing.add("/wp-json/wp/v2/posts?page=2")
    state = service.stores.sources.get(site.base + "/")
    service.stores.sources.record(site.base + "/", "ok", json.dumps({}))  # force a full listing
    report = await ingest_url(service, session, site.base + "/")
    assert report.failed == 1 and "HTTP 500" in report.errors[0]
    assert report.removed == 0 and service.stores.articles.count()[0] == 150
    assert state[1].startswith("ok")


async def test_a_deleted_post_is_noticed_by_the_next_plain_ingest(site, session, service):
    await ingest_url(service, session, site.base + "/")
    gone = site.posts.pop(0)
    report = await ingest_url(service, session, site.base + "/")
    assert report.removed == 1 and service.stores.articles.count()[0] == 149
    assert gone["link"] not in {a.url for a in service.stores.articles.iter_articles()}
    assert site.queries[-1]["include"] == "1"  # asked for by id before it was removed


async def test_feed_with_full_content_needs_no_page_fetch(site, session, service):
    report = await ingest_url(service, session, site.base + "/feed/")
    assert report.new == 10 and report.errors == [] and report.skipped == 1  # protected
    assert not any(p.startswith("/2024/") for p in site.requests)


async def test_excerpt_feed_fetches_each_page_and_drops_chrome(site, session, service):
    report = await ingest_url(service, session, site.base + "/feed-excerpts/")
    assert report.new == 10
    assert sum(p.startswith("/2024/") for p in site.requests) == 10
    for art in service.stores.articles.iter_articles():
        text = " ".join(art.paragraphs)
        assert "Donate now" not in text and "Copyright" not in text and "Share this" not in text
        assert "Report number" in text and not art.partial


@pytest.mark.parametrize("path", ["/feed-excerpts/", "/feed-excerpts"])  # and redirected
async def test_an_excerpt_page_that_failed_is_fetched_once_the_feed_is_read_again(
        site, session, service, path):
    url = site.base + path
    broken = site.posts[3]["link"].removeprefix(site.base)
    site.failing.add(broken)
    first = await ingest_url(service, session, url)  # found a feed: read as one from now on
    assert first.new == 9 and len(first.errors) == 1
    second = await ingest_url(service, session, url)
    assert second.unchanged == 9 and len(second.errors) == 1
    tries = site.count(broken)
    site.failing.clear()
    # The feed itself has not changed (same ETag), but the page it lost is asked for again.
    again = await ingest_url(service, session, url)
    assert again.new == 1 and again.unchanged == 9 and again.errors == []
    assert service.stores.articles.count()[0] == 10
    last = await ingest_url(service, session, url)  # now the feed's 304 is believed
    assert (last.new, last.unchanged, last.errors) == (0, 0, [])
    assert site.count(broken) == tries + 1  # once more, and then no more


@pytest.mark.parametrize(("path", "count"), [("/feed-excerpts/", 10), ("/", 150)])
async def test_a_servers_source_removed_and_added_back_brings_its_articles_back(
        site, session, service, path, count):
    corpora, gid = service.corpora, 4242
    for _ in range(2):
        name, _ = corpora.add(gid, site.base + path)
        added = await ingest_url(service.for_guild(gid), session, name)
        assert added.new + added.updated + added.unchanged == count, added.line()
        refreshed = await ingest_url(service.for_guild(gid), session, name)  # keeps its ETag
        assert refreshed.new == 0 and refreshed.errors == []
        assert service.for_guild(gid).counts()[0] == count
        assert corpora.remove(gid, name)  # (its position kept, as stores before this had it)
        assert service.for_guild(gid).counts()[0] == 0


async def test_a_source_whose_articles_another_holds_is_not_fetched_whole_every_time(
        site, session, service):
    await ingest_url(service, session, site.base + "/feed-excerpts/")
    # The same feed by another name: its articles stay stored under the first source.
    for _ in range(2):
        await ingest_url(service, session, site.base + "/feed-excerpts")
    pages = sum(p.startswith("/2024/") for p in site.requests)
    again = await ingest_url(service, session, site.base + "/feed-excerpts")
    assert again.errors == [] and sum(p.startswith("/2024/") for p in site.requests) == pages


async def test_sitemap_index_gzip_and_robots(site, session, service):
    report = await ingest_url(service, session, site.base + "/sitemap_index.xml")
    assert report.new == 8
    assert "/private/secret/" not in site.requests  # disallowed by robots.txt: never fetched
    assert any("disallowed by robots.txt" in e for e in report.errors)
    again = await ingest_url(service, session, site.base + "/sitemap_index.xml")
    assert again.new == 0 and again.unchanged == 8  # conditional GET: 304s


async def test_wxr_export_over_http_and_from_a_file(site, session, service, tmp_path):
    report = await ingest_url(service, session, site.base + "/export.xml")
    assert report.new == 2
    arts = parse_wxr(WXR.encode(), "export.xml")
    assert [a.title for a in arts] == ["Water & peace in the Jordan basin", "Classic editor post"]
    assert arts[0].paragraphs[0].startswith("Israel and Jordan signed")
    assert arts[1].paragraphs == ("First paragraph of a classic post about Cyprus.",
                                  "Second paragraph with emphasis on reunification talks.")
    bad = tmp_path / "xxe.xml"
    bad.write_text(XXE_WXR)
    report2 = ingest_paths(service, [bad])
    errors = report2.errors
    assert report2.new == 0 and "refused" in errors[0] and "xxe.xml" in errors[0]


async def fetch(site, session, path, **cfg):
    fetcher = Fetcher(session, FetchConfig(**{**FAST.__dict__, **cfg}))
    return await fetcher.fetch(site.base + path)


async def test_5xx_then_recovery(site, session):
    resp = await fetch(site, session, "/flaky/")
    assert resp.status == 200 and site.count("/flaky/") == 3


async def test_429_honours_retry_after(site, session):
    waits = []

    async def fake_sleep(seconds):
        waits.append(seconds)

    fetcher = Fetcher(session, FAST, sleep=fake_sleep)
    resp = await fetcher.fetch(site.base + "/ratelimited/")
    assert resp.status == 200 and 1.0 in waits


@pytest.mark.parametrize(
    "path, cfg, reason",
    [
        ("/always-500/", {}, "HTTP 500"),
        ("/slow/", {"timeout_seconds": 0.2, "retries": 1}, "timed out"),
        ("/truncated/", {"retries": 1}, "truncated"),
        ("/loop/a", {}, "redirect loop"),
        ("/huge/", {}, "larger than the 5 MB limit"),
        ("/private/secret/", {}, "disallowed by robots.txt"),
        ("/nothing-here/", {}, "HTTP 404"),
    ],
)
async def test_fetch_faults_are_named(site, session, path, cfg, reason):
    with pytest.raises(FetchError) as exc:
        await fetch(site, session, path, **cfg)
    assert reason in str(exc.value) and site.base in str(exc.value)


async def test_redirects_are_followed(site, session):
    resp = await fetch(site, session, "/redirect-ok")
    assert resp.url == site.posts[1]["link"]


async def test_only_http_and_https(session):
    fetcher = Fetcher(session, FAST)
    with pytest.raises(FetchError, match="only http and https"):
        await fetcher.fetch("file:///etc/passwd")


@pytest.mark.parametrize(
    "path, kind, reason",
    [
        ("/wrongtype/", "page", "unexpected content type"),
        ("/invalid.xml", "feed", "feed"),
        ("/bomb.xml", "auto", "refused"),
        ("/garbage/", "page", "no article text"),
    ],
)
async def test_bad_documents_fail_cleanly(site, session, service, path, kind, reason):
    report = await ingest_url(service, session, site.base + path, kind)
    assert report.failed == 1 and reason in report.errors[0]
    assert service.stores.articles.count()[0] == 0


async def test_windows_1252_page(site, session, service):
    report = await ingest_url(service, session, site.base + "/cp1252/")
    assert report.new == 1
    (art,) = service.stores.articles.iter_articles()
    assert art.title == "Café diplomacy"
    assert "caf\u00e9 in Gen\u00e8ve \u2013 the \u201cquiet\u201d talks" in art.paragraphs[0]


def test_cli_ingest_exit_status(tmp_path, capsys, monkeypatch):
    import asyncio
    import threading

    import bot.sources.http
    from bot.__main__ import main

    sessions: list[object] = []  # the root makes one session per process, for every URL

    def counted(*args, **kwargs):
        sessions.append(new_session(*args, **kwargs))
        return sessions[-1]

    monkeypatch.setattr(bot.sources.http, "new_session", counted)  # App.run imports it on use

    # The CLI runs its own event loop; the fake site gets its own, in a thread.
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(other.start())
        ready.set()
        loop.run_forever()

    other = FakeSite(n_posts=5)
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(WAIT_SECONDS)  # (not started: its base names port 0)
    try:
        cfg = tmp_path / "c.toml"
        cfg.write_text("[fetch]\nbackoff_seconds = 0.01\ndelay_seconds = 0.0\nretries = 1\n"
                       "allow_private = true\n")
        ok = main(["--config", str(cfg), "ingest", other.base + "/"])
        out = capsys.readouterr()
        assert ok == 0 and "5 new" in out.out
        bad = main(["--config", str(cfg), "ingest", other.base + "/always-500/",
                    other.base + "/feed/"])
        out = capsys.readouterr()
        assert bad == 1 and len(sessions) == 2  # one for the first command, one for both URLs
        assert out.err.strip().splitlines() == [
            f"footnote: {other.base}/always-500/: HTTP 500"]
        with pytest.raises(SystemExit) as exc:
            main(["ingest", "--kind", "nonsense", other.base])
        assert exc.value.code == 2
    finally:
        asyncio.run_coroutine_threadsafe(other.stop(), loop).result(WAIT_SECONDS)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(WAIT_SECONDS)
        loop.close()


def test_source_error_is_the_only_error(tmp_path):
    with pytest.raises(SourceError):
        parse_wxr(b"<rss><channel></channel></rss>", "x")


async def test_wordpress_below_the_root_and_kind_remembered(site, session, service):
    first = await ingest_url(service, session, site.base + "/blog/")
    assert first.new == 150
    await ingest_url(service, session, site.base + "/blog/")
    assert site.count("/blog/") == 1  # the second run knew it was WordPress already
    assert "include" not in site.queries[-1]  # nothing changed: the listing only


async def test_atom_feed_and_conditional_refresh(site, session, service):
    report = await ingest_url(service, session, site.base + "/atom/")
    assert report.new == 4 and report.errors == []
    art = next(a for a in service.stores.articles.iter_articles() if a.url.endswith("/post-2/"))
    assert art.paragraphs[0].startswith("Japan claims the four islands")
    again = await ingest_url(service, session, site.base + "/atom/")
    assert (again.new, again.updated, again.removed, again.errors) == (0, 0, 0, [])
    # 304: nothing lost
    assert site.count("/atom/") == 2 and service.stores.articles.count()[0] == 4


async def test_a_listing_page_is_read_through_the_feed_it_advertises(site, session, service):
    report = await ingest_url(service, session, site.base + "/news/")
    assert report.new == 10 and report.errors == []  # the feed's articles, not "Latest"
    assert "Latest" not in {a.title for a in service.stores.articles.iter_articles()}
    assert site.count("/feed/") == 1 and site.count("/comments/feed/") == 0
    assert report.line().endswith(f"; read through the feed it advertises, {site.base}/feed/")


async def test_an_article_page_naming_a_feed_is_still_read_as_itself(site, session, service):
    report = await ingest_url(service, session, site.base + "/news/story/")
    assert report.new == 1 and report.errors == [] and site.count("/feed/") == 0
    assert "feed" not in report.line()


async def test_a_page_source_is_named_and_fetched_as_typed(site, session, service):
    # /about is an article; /about/ is a 404. They are two URLs, so two sources, each named
    # for (and reporting on) what it fetched: no slash added, no second fetch.
    about = await ingest_url(service, session, site.base + "/about")
    assert about.source == site.base + "/about" and about.new == 1 and about.errors == []
    assert site.count("/about/") == 0
    again = await ingest_url(service, session, site.base + "/about")
    assert again.unchanged == 1 and site.count("/about/") == 0
    slash = await ingest_url(service, session, site.base + "/about/")
    assert slash.source == site.base + "/about/" and slash.errors == [
        f"{site.base}/about/: HTTP 404"]
    states = service.stores.sources
    assert states.get(site.base + "/about")[1] == "ok (page)"
    assert states.get(site.base + "/about/")[1] == "failed: HTTP 404"
    assert [a.url for a in service.stores.articles.iter_articles()] == [site.base + "/about"]


def test_which_pages_name_a_feed_and_which_are_articles():
    from bot.sources.feeds import advertised_feed, looks_like_an_article

    tag = ("<LINK REL='alternate' TYPE='application/atom+xml; charset=utf-8' "
           "HREF='feed.atom?a=1&amp;b=2'>")
    assert advertised_feed(tag, "http://h/x/y") == "http://h/x/feed.atom?a=1&b=2"
    assert advertised_feed('<link rel="alternate" type="application/json" href="/x">',
                           "http://h/") is None
    assert advertised_feed('<link rel="alternate" type="application/rss+xml" '
                           'href="/2024/x/comments/feed/">', "http://h/") is None
    # A WordPress category page names the site's feed, then its own: its own is the section.
    head = ('<link rel="alternate" type="application/rss+xml" title="Site &raquo; Feed" '
            'href="https://h/feed/">'
            '<link rel="alternate" type="application/rss+xml" title="Site &raquo; Comments Feed"'
            ' href="https://h/comments/feed/">'
            '<link rel="alternate" type="application/rss+xml" title="Site &raquo; Energy '
            'Category Feed" href="https://h/category/energy/feed/">')
    assert advertised_feed(head, "https://h/category/energy/") == \
        "https://h/category/energy/feed/"
    assert advertised_feed(head, "https://h/") == "https://h/feed/"
    assert advertised_feed(head, "https://h/category/energy/page/2/") == \
        "https://h/category/energy/feed/"
    assert advertised_feed(head, "https://h/category/energy-policy/") == "https://h/feed/"
    below = head.replace("https://h/", "https://h/blog/")  # installed below the root
    assert advertised_feed(below, "https://h/blog/category/energy/") == \
        "https://h/blog/category/energy/feed/"
    assert advertised_feed(below, "https://h/blog/") == "https://h/blog/feed/"
    assert looks_like_an_article('<body class="page-template-default page page-id-7">')
    assert looks_like_an_article('<script type="application/ld+json">{"@type": "BlogPosting"}')
    assert not looks_like_an_article('<meta property="og:type" content="website">'
                                     '<body class="archive category">')


async def test_a_wordpress_listing_without_its_page_count_is_read_to_the_end(site, session,
                                                                            service):
    site.counts = False  # a proxy strips X-WP-Total and X-WP-TotalPages
    report = await ingest_url(service, session, site.base + "/")
    assert report.new == 150 and report.errors == []


def test_a_classic_editor_post_with_a_heading_keeps_its_bare_paragraphs():
    from bot.sources.wxr import content_paragraphs

    # The classic editor stores no <p>; a heading made every bare paragraph vanish.
    stored = ("The dam will be finished in 2027, the ministry says.\n\nFarmers doubt it.\n\n"
              "<h2>What comes next</h2>\n\nTalks resume in May.")
    assert content_paragraphs(stored) == [
        "The dam will be finished in 2027, the ministry says.", "Farmers doubt it.",
        "What comes next", "Talks resume in May."]
    # Block-editor content is read as it was.
    blocks = ("<!-- wp:paragraph -->\n<p>One.</p>\n<!-- /wp:paragraph -->\n\n"
              "<!-- wp:heading -->\n<h2>Two</h2>\n<!-- /wp:heading -->")
    assert content_paragraphs(blocks) == ["One.", "Two"]
