"""WordPress sites against the fake site: deletions on every refresh, the offset-paging race,
a looping API, one identity per site, --full, ISO dates, and the fake's own fidelity."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.cli_parser import build_parser
from bot.config import Config
from bot.ingest import ingest_url
from bot.service import Service
from bot.sources.normal import iso_utc, source_name
from bot.store import open_stores
from tests.fake_site import FAST, FakeSite


def _service(tmp_path, name="s") -> Service:
    return Service(open_stores(tmp_path / f"{name}.sqlite3"), Config(fetch=FAST))


def _delete_during_listing(site: FakeSite, index: int) -> list[dict]:
    """Delete one post just before the listing's page 2 is answered (once)."""
    deleted: list[dict] = []

    def hook(query: dict) -> None:
        if query.get("page") == "2" and "include" not in query and not deleted:
            deleted.append(site.posts.pop(index))

    site.before_posts_page.append(hook)
    return deleted


async def test_a_post_deleted_during_the_listing_costs_no_live_post(site, session, tmp_path):
    existing = _service(tmp_path, "existing")
    await ingest_url(existing, session, site.base + "/")
    fresh = _service(tmp_path, "fresh")
    deleted = _delete_during_listing(site, 3)  # on page 1: page 2 shifts by one
    first = await ingest_url(fresh, session, site.base + "/")
    live = {p["link"] for p in site.posts}
    assert deleted and first.errors == []
    assert {a.url for a in fresh.stores.articles.iter_articles()} == live
    site.before_posts_page.clear()
    deleted = _delete_during_listing(site, 3)
    second = await ingest_url(existing, session, site.base + "/")
    live = {p["link"] for p in site.posts}
    assert deleted and second.errors == [] and second.removed == 2
    assert {a.url for a in existing.stores.articles.iter_articles()} == live


async def test_a_listing_missing_a_live_post_removes_nothing_live(site, session, tmp_path):
    service = _service(tmp_path)
    await ingest_url(service, session, site.base + "/")
    hidden = site.posts[120]

    def skip_one(query: dict) -> None:  # an inconsistent listing, whatever the cause
        if "include" not in query:
            site.posts.remove(hidden) if hidden in site.posts else None
        elif hidden not in site.posts:
            site.posts.insert(120, hidden)

    site.before_posts_page.append(skip_one)
    report = await ingest_url(service, session, site.base + "/")
    assert report.removed == 0 and service.stores.articles.count()[0] == 150
    assert site.queries[-1]["include"] == str(hidden["id"])  # asked for by id: still there


async def test_an_api_repeating_its_pages_is_stopped(site, session, tmp_path):
    service = _service(tmp_path)
    await ingest_url(service, session, site.base + "/")
    site.stuck = True  # claims 100,000 pages, answers page 1 every time
    before = len(site.queries)
    report = await ingest_url(service, session, site.base + "/")
    assert report.failed == 1 and "returned page 2 again" in report.errors[0]
    assert len(site.queries) - before == 2 and report.removed == 0
    assert service.stores.articles.count()[0] == 150


async def test_one_identity_per_site(site, session, tmp_path):
    service = _service(tmp_path)
    host = site.base.removeprefix("http://")
    assert (await ingest_url(service, session, site.base)).new == 150
    for spelling in (f"HTTP://{host.upper()}/", f"http://{host}//", f"http://{host}/index.php",
                     f"http://{host}/index.php?rest_route=/", f"http://{host}/wp-json/"):
        report = await ingest_url(service, session, spelling)
        assert (report.new, report.removed, report.errors) == (0, 0, []), spelling
    assert [name for name, _, _ in service.stores.sources.all()] == [site.base + "/"]
    site.posts.pop()
    assert (await ingest_url(service, session, site.base)).removed == 1


def test_source_names():
    assert source_name("HTTP://Example.ORG:80") == "http://example.org/"
    assert source_name("https://example.org:443/blog") == "https://example.org/blog"  # as typed
    assert source_name("https://example.org:443/blog/") == "https://example.org/blog/"
    assert source_name("https://example.org:8443/feed") == "https://example.org:8443/feed"
    assert source_name("http://e.org/index.php?rest_route=/wp/v2/posts") == "http://e.org/"
    assert source_name("http://e.org/blog/wp-json/") == "http://e.org/blog/"
    assert source_name("http://e.org/sitemap.xml") == "http://e.org/sitemap.xml"
    assert source_name("http://e.org/?p=12#x") == "http://e.org/?p=12"
    assert source_name("notes/articles.md") == "notes/articles.md"


def test_dates_are_iso_utc():
    assert iso_utc("Wed, 08 Nov 2023 10:30:00 +0100") == "2023-11-08T09:30:00Z"
    assert iso_utc("Wed, 08 Nov 2023 10:30:00 GMT") == "2023-11-08T10:30:00Z"
    assert iso_utc("2023-11-08T10:30:00") == "2023-11-08T10:30:00Z"  # date_gmt: UTC
    assert iso_utc("2023-11-08T10:30:00-05:00") == "2023-11-08T15:30:00Z"
    assert iso_utc("2023-11-08 10:30:00") == "2023-11-08T10:30:00Z"  # WXR post_date_gmt
    assert iso_utc("2023-11-08") == "2023-11-08" and iso_utc("") == ""
    assert iso_utc("sometime in spring") == "sometime in spring"


async def test_feed_dates_are_stored_as_iso_utc(site, session, tmp_path):
    service = _service(tmp_path)
    await ingest_url(service, session, site.base + "/feed/")
    await ingest_url(service, session, site.base + "/")
    dates = {a.url: a.date for a in service.stores.articles.iter_articles()}
    assert dates[site.posts[1]["link"]] == "2024-01-02T10:00:00Z"  # from the API
    feed = _service(tmp_path, "feed")
    await ingest_url(feed, session, site.base + "/feed-excerpts/")  # pages fetched too
    for art in feed.stores.articles.iter_articles():
        post = next(p for p in site.posts if p["link"] == art.url)
        assert art.date == f"1970-01-{1 + post['id'] % 28:02d}T00:00:00Z"  # RFC 822, local


def test_a_store_from_before_is_migrated(tmp_path):
    """A store made before versions were kept per concern (one `PRAGMA user_version`),
    and one from before the name and date normalisation: both open and move forward."""
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute("PRAGMA user_version = 0")
    for name, when in (("http://127.0.0.1:8080", 1.0), ("HTTP://127.0.0.1:8080/", 2.0)):
        db.execute("INSERT INTO sources VALUES (?, ?, 'ok', '{}')", (name, when))
    db.execute("INSERT INTO articles(key, title, url, date, source, text_hash, added_at,"
               " updated_at) VALUES ('k', 't', 'u', 'Wed, 08 Nov 2023 10:30:00 +0100',"
               " 'http://127.0.0.1:8080', 'h', 0, 0)")
    db.execute("INSERT INTO questions(text, asked_at) VALUES ('why?', 0)")
    db.commit()
    db.close()
    stores = open_stores(path)
    assert stores.sources.all() == [("http://127.0.0.1:8080/", 2.0, "ok")]
    (art,) = stores.articles.iter_articles()
    assert (art.source, art.date) == ("http://127.0.0.1:8080/", "2023-11-08T09:30:00Z")
    assert stores.sources.get("http://127.0.0.1:8080/")[2] == ""  # listed afresh next time
    assert stores.questions.get(1) == "why?"  # every concern keeps its rows
    versions = dict(stores.db.rows("SELECT component, version FROM schema_versions"))
    assert versions == {"articles": 4, "summaries": 1, "http_validators": 1, "sources": 2,
                        "questions": 2}
    stores.close()
    assert open_stores(path).sources.all() == [("http://127.0.0.1:8080/", 2.0, "ok")]


# The schema as the store of 2026-11 made it, for the migration test.
OLD_SCHEMA = """
CREATE TABLE articles (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '',
    partial INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL DEFAULT '', text_hash TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0, added_at REAL NOT NULL, updated_at REAL NOT NULL
);
CREATE INDEX articles_source ON articles(source);
CREATE TABLE passages (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE summaries (text_hash TEXT NOT NULL, params TEXT NOT NULL, body TEXT NOT NULL,
                        PRIMARY KEY (text_hash, params));
CREATE TABLE http_cache (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, fetched_at REAL);
CREATE TABLE questions (id INTEGER PRIMARY KEY, text TEXT NOT NULL, asked_at REAL NOT NULL);
CREATE TABLE sources (name TEXT PRIMARY KEY, last_refresh REAL, last_status TEXT, cursor TEXT);
"""


async def test_full_fetches_everything_again(site, session, tmp_path):
    service = _service(tmp_path)
    await ingest_url(service, session, site.base + "/")
    before = len(site.queries)
    report = await ingest_url(service, session, site.base + "/", full=True)
    assert (report.new, report.updated, report.unchanged, report.errors) == (0, 0, 150, [])
    assert sum("include" in q for q in site.queries[before:]) == 2  # every post's contents
    assert site.count("/") == 2  # and what the URL is, found out again
    for _ in range(2):  # the second run keeps the feed's ETag
        await ingest_url(service, session, site.base + "/atom/")
    plain = await ingest_url(service, session, site.base + "/atom/")
    full = await ingest_url(service, session, site.base + "/atom/", full=True)
    assert (plain.unchanged, full.unchanged) == (0, 4)  # 304, then no conditional GET
    args = build_parser().parse_args(["refresh", "--full"])
    assert args.full and build_parser().parse_args(["ingest", "x", "--full"]).full


async def test_the_fake_api_answers_like_wordpress(site, session, tmp_path):
    api = site.base + "/wp-json/wp/v2/posts"
    async with session.get(api, params={"_fields": "id", "per_page": "100"}) as r:
        assert r.headers["X-WP-Total"] == "151"  # the protected post counts
        assert r.headers["X-WP-TotalPages"] == "2" and "ETag" not in r.headers
        assert 'rel="next"' in r.headers["Link"] and "page=2" in r.headers["Link"]
        assert all(set(p) == {"id"} for p in await r.json())
    async with session.get(api, params={"page": "3", "per_page": "100"}) as r:
        assert r.status == 400 and (await r.json())["code"] == "rest_post_invalid_page_number"
    async with session.get(api, params={"modified_after": "2999-01-01T00:00:00"}) as r:
        assert r.headers["X-WP-TotalPages"] == "0" and await r.json() == []
    async with session.get(site.posts[0]["link"]) as r:
        assert len(r.headers.getall("Link")) == 3
    service = _service(tmp_path)
    await ingest_url(service, session, site.base + "/")
    art = next(a for a in service.stores.articles.iter_articles() if a.url == site.posts[5]["link"])
    assert art.title == "Egypt\u2019s \u201cred line\u201d & the dam\u2026 \u2013 analysis"
    text = " ".join(art.paragraphs)
    assert "Water is a shared blessing." in text and "Report number 6" in text
    assert "A photo of the dam" not in text and "Donate today" not in text
    assert json.dumps(site.hidden[2]["link"]) not in json.dumps([a.url for a in
                                                                 service.stores.articles.iter_articles()])


async def test_a_listing_that_shrinks_past_its_last_page_is_done_again(site, session, tmp_path):
    service = _service(tmp_path)
    await ingest_url(service, session, site.base + "/")
    doomed = site.posts[:51]

    def delete_many(query: dict) -> None:  # 151 -> 100: page 2 answers 400
        if query.get("page") == "2" and "include" not in query and doomed[0] in site.posts:
            for post in doomed:
                site.posts.remove(post)

    site.before_posts_page.append(delete_many)
    report = await ingest_url(service, session, site.base + "/")
    assert report.errors == [] and report.removed == 51 and service.stores.articles.count()[0] == 99


def test_odd_posts_are_source_errors_or_articles():
    from bot.errors import SourceError
    from bot.sources.wordpress import parse_listing, parse_posts

    odd = [{"id": 1, "link": "http://e.org/1/", "title": {"rendered": "T"},
            "content": {"rendered": 5}, "excerpt": "not an object"}]
    (post,) = parse_posts(json.dumps(odd).encode())
    assert post.article is not None and post.article.paragraphs == ("5",)
    for bad in ([{"id": "1"}], [{"id": True}], {"id": 1}):
        with pytest.raises(SourceError):
            parse_listing(json.dumps(bad).encode())


async def test_a_failed_contents_batch_keeps_the_others_and_goes_on_next_time(site, session,
                                                                              tmp_path):
    service = _service(tmp_path)

    def break_second_batch(query: dict) -> None:
        if query.get("include", "").startswith("101,"):
            raise RuntimeError("database went away")  # a 500 for this batch, every time

    site.before_posts_page.append(break_second_batch)
    first = await ingest_url(service, session, site.base + "/")
    assert first.failed == 1 and first.new == 100 and first.removed == 0
    site.before_posts_page.clear()
    before = len(site.queries)
    second = await ingest_url(service, session, site.base + "/")
    assert (second.new, second.errors) == (50, []) and service.stores.articles.count()[0] == 150
    assert [len(q["include"].split(",")) for q in site.queries[before:] if "include" in q] == [51]


async def test_posts_moved_in_a_run_that_fails_half_way_are_still_moved(site, session,
                                                                       tmp_path):
    service = _service(tmp_path)
    await ingest_url(service, session, site.base + "/")
    for post in site.posts:
        post["link"] = post["link"].replace("/2024/", "/news/")
    site.before_posts_page.append(lambda q: q.get("include", "").startswith("101,")
                                  and 1 / 0)  # the second contents batch fails
    broken = await ingest_url(service, session, site.base + "/")
    assert broken.failed == 1 and (broken.new, broken.moved, broken.added) == (0, 100, [])
    site.before_posts_page.clear()
    again = await ingest_url(service, session, site.base + "/")
    assert (again.new, again.moved, again.removed, again.errors) == (0, 50, 0, [])
    assert {a.url for a in service.stores.articles.iter_articles()} == {
        p["link"] for p in site.posts}


async def test_a_site_named_as_wordpress_below_the_root_is_asked_at_its_own_api(
        site, session, tmp_path):
    site.root_api_gone = True  # only https://…/news-site/ is WordPress
    service = _service(tmp_path)
    report = await ingest_url(service, session, site.base + "/news-site/", "wordpress")
    assert report.errors == [] and report.new == 150
    assert "/news-site/wp-json/wp/v2/posts" in site.requests
    assert "/wp-json/wp/v2/posts" not in site.requests
    again = await ingest_url(service, session, site.base + "/news-site/", "wordpress")
    assert again.errors == [] and again.new == 0 and site.count("/news-site/") == 1
