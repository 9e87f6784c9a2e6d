import sqlite3

import pytest

from bot.errors import StoreError
from bot.models import Article, Link
from bot.store import open_stores
from bot.store.questions import Questions

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store_target(request, tmp_path):
    """Where a store lives, on each backend: an SQLite file, or a fresh PostgreSQL database
    on the session's throwaway cluster (skipped, loudly, only without its binaries)."""
    if request.param == "sqlite":
        return tmp_path / "s.sqlite3"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def stores(store_target):
    """The stores of every concern, on each backend."""
    opened = open_stores(store_target)
    yield opened
    opened.close()


def art(title="T", paras=("one", "two"), url="https://e.org/t", **kw):
    return Article(title=title, paragraphs=tuple(paras), url=url, **kw)


def test_ingest_is_idempotent_and_updates_changed_text(stores):
    store = stores.articles
    r1 = store.ingest([art(), art("U", url="https://e.org/u")], "src")
    assert (r1.new, r1.updated, r1.unchanged) == (2, 0, 0)
    rev = store.revision()
    r2 = store.ingest([art(), art("U", url="https://e.org/u")], "src")
    assert (r2.new, r2.updated, r2.unchanged) == (0, 0, 2)
    assert store.revision() == rev  # nothing changed, caches stay valid
    r3 = store.ingest([art(paras=("changed",))], "src")
    assert r3.updated == 1
    by_url = {a.url: a for a in list(store.iter_articles())}
    assert by_url["https://e.org/t"].paragraphs == ("changed",)
    assert store.count() == (2, 3)


def test_an_article_moved_to_a_new_link_keeps_its_row(stores):
    a = stores.articles
    a.ingest([art("A", url="https://e.org/a"), art("B", url="https://e.org/b"),
              art("C", url="https://e.org/c"), art("D", url="https://e.org/d")], "site")
    ids = {s.title: s.id for s in a.iter_articles()}
    # A chain (a -> b while b -> e) moves whole whatever the order; a swap (c <-> d) cannot
    # move a key onto a taken one, so those rows are updated in place; nothing is new.
    r = a.ingest([art("A", url="https://e.org/b"), art("B", url="https://e.org/e"),
                  art("C", url="https://e.org/d"), art("D", url="https://e.org/c")], "site",
                 complete=True, moved={"https://e.org/a": "https://e.org/b",
                                       "https://e.org/b": "https://e.org/e",
                                       "https://e.org/c": "https://e.org/d",
                                       "https://e.org/d": "https://e.org/c",
                                       "https://e.org/gone": "https://e.org/f"})
    assert (r.new, r.removed, r.moved, r.added) == (0, 0, 2, [])
    now = {s.title: (s.id, s.url) for s in a.iter_articles()}
    assert now["A"] == (ids["A"], "https://e.org/b") and now["B"] == (ids["B"], "https://e.org/e")
    assert {now["C"][1], now["D"][1]} == {"https://e.org/c", "https://e.org/d"}
    assert a.count() == (4, 8)
    # Another source's article is never taken over.
    a.ingest([art("X", url="https://x.org/x")], "other")
    r = a.ingest([art("A", url="https://x.org/y")], "site", moved={"https://x.org/x": "https://x.org/y"})
    assert r.moved == 0 and {s.url for s in a.iter_articles() if s.title == "X"} == {"https://x.org/x"}


def test_same_article_twice_in_one_ingest_is_one_article(stores):
    store = stores.articles
    report = store.ingest([art(), art()], "src")
    assert report.new == 1 and store.count()[0] == 1


def test_complete_listing_marks_missing_articles_removed_partial_never(stores):
    store = stores.articles
    store.ingest([art("A", url="https://e.org/a"), art("B", url="https://e.org/b")], "site")
    partial = store.ingest([art("A", url="https://e.org/a")], "site", complete=False)
    assert partial.removed == 0 and store.count()[0] == 2
    full = store.ingest([art("A", url="https://e.org/a")], "site", complete=True)
    assert full.removed == 1
    assert [a.title for a in list(store.iter_articles())] == ["A"]
    assert store.db.one("SELECT COUNT(*) FROM articles")[0] == 2  # kept, not searched
    back = store.ingest([art("B", url="https://e.org/b")], "site")
    assert back.updated == 1 and store.count()[0] == 2


def test_failed_ingest_keeps_everything(stores):
    store = stores.articles
    store.ingest([art("A", url="https://e.org/a")], "site")

    def broken():
        yield art("B", url="https://e.org/b")
        raise RuntimeError("connection lost half-way")

    with pytest.raises(RuntimeError):
        store.ingest(broken(), "site", complete=True)
    assert [a.title for a in list(store.iter_articles())] == ["A"]


def test_store_survives_a_restart(store_target):
    store = open_stores(store_target).articles
    store.ingest([art()], "src")
    store.db.close()
    again = open_stores(store_target)
    assert again.articles.count() == (1, 2)
    again.close()
    if not isinstance(store_target, str):
        mode = sqlite3.connect(store_target).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_article_without_url_links_to_site_search():
    link = Link.to("", "Peace & Quiet", "https://news.example/")
    assert link == Link("https://news.example/?s=Peace+%26+Quiet", "search")
    assert Link.to("https://e.org/a", "A", "https://news.example/") == Link("https://e.org/a")
    assert not link.is_article and Link("https://e.org/a").is_article


def test_search_link_leaves_out_words_with_quotes():
    link = Link.to("", "Japan Still Haven’t Signed", "https://theowp.org").url
    assert link == "https://theowp.org/?s=Japan+Still+Signed"
    assert Link.to("", "“Quoted”", "https://x.org/").url == "https://x.org/?s=%E2%80%9CQuoted%E2%80%9D"


# -- under contention and faults
def _hold_write_lock(path):
    """Another connection (as another process would) holding the write lock."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_held_write_lock_is_one_store_error_and_nothing_is_lost(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = open_stores(path, busy_timeout=0.05).articles
    store.ingest([art("A", url="https://e.org/a")], "site")
    other = _hold_write_lock(path)
    try:
        with pytest.raises(StoreError) as exc:
            store.ingest([art("B", url="https://e.org/b")], "site", complete=True)
        assert str(exc.value).startswith("store unavailable: the database is locked")
        with pytest.raises(StoreError):
            Questions(store.db).remember("why?")
        assert not store.db.conn.in_transaction
    finally:
        other.rollback()
        other.close()
    assert [a.title for a in list(store.iter_articles())] == ["A"]
    assert store.ingest([art("B", url="https://e.org/b")], "site").new == 1  # usable again


def test_a_write_waits_for_the_lock_and_says_so_once(tmp_path, caplog, monkeypatch):
    import threading

    import bot.store.connection

    monkeypatch.setattr(bot.store.connection, "FIRST_WAIT", 0.01)
    path = tmp_path / "s.sqlite3"
    store = open_stores(path, busy_timeout=30).articles
    other = _hold_write_lock(path)
    released = threading.Event()

    def release_when_warned() -> None:  # the holder lets go once the store says it waits
        while not any("waiting up to 30 s" in r.getMessage() for r in caplog.records):
            released.wait(0.01)
        other.rollback()
        released.set()

    helper = threading.Thread(target=release_when_warned)
    with caplog.at_level("WARNING", logger="bot.store.connection"):
        helper.start()
        report = store.ingest([art()], "src")
        helper.join()
    assert report.new == 1 and released.is_set()
    waits = [r for r in caplog.records if "locked by another process" in r.getMessage()]
    assert len(waits) == 1
    other.close()


def test_a_full_database_rolls_back_and_keeps_everything(tmp_path):
    store = open_stores(tmp_path / "s.sqlite3").articles
    store.ingest([art("A", url="https://e.org/a")], "site")
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow: a full disk
    big = [art(f"N{i}", paras=("word " * 2000,), url=f"https://e.org/n{i}") for i in range(20)]
    with pytest.raises(StoreError) as exc:
        store.ingest(big, "site", complete=True)
    assert "cannot rollback" not in str(exc.value)
    assert str(exc.value).startswith("store unavailable: the disk")
    assert not store.db.conn.in_transaction
    assert [a.title for a in list(store.iter_articles())] == ["A"]


def test_a_file_that_is_not_a_database_is_one_store_error(tmp_path):
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not a database, just some text " * 100)
    with pytest.raises(StoreError, match="store unavailable: the file is not a Footnote store"):
        open_stores(path)


def test_a_store_path_under_a_file_is_one_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="the data folder is a file, not a folder") as exc:
        open_stores(blocker / "s.sqlite3")
    assert exc.value.path == str(blocker)  # for the console; never shown in Discord
    with pytest.raises(StoreError, match="store unavailable: cannot create"):
        open_stores(blocker / "below" / "s.sqlite3")
    with pytest.raises(StoreError, match="the store is a folder, not a file"):
        open_stores(tmp_path)


# -- what articles may bring in: http(s) links that stay one link, text without controls
def test_only_http_urls_are_stored_others_link_to_the_site_search(stores):
    store = stores.articles
    store.ingest([art("Evil", url="javascript:alert(1)"), art("Data", url="data:text/html,x"),
                  art("Good", url="HTTPS://e.org/good")], "src")
    by_title = {a.title: a for a in list(store.iter_articles())}
    assert by_title["Evil"].url == ""
    assert by_title["Data"].url == ""
    assert by_title["Good"].url == "HTTPS://e.org/good"


def test_a_url_cannot_smuggle_a_second_markdown_link(stores):
    store = stores.articles
    hostile = "https://e.org/x)[Claim free nitro](https://evil.example/phish"
    store.ingest([art("Nitro", url=hostile)], "src")
    (stored,) = list(store.iter_articles())
    assert not set("()[]<> \"'") & set(stored.url)
    assert stored.url == ("https://e.org/x%29%5BClaim%20free%20nitro%5D%28"
                           "https://evil.example/phish")
    assert open_stores(":memory:").articles.ingest([art("Nitro", url=stored.url)], "src").new == 1


def test_links_from_an_older_store_are_made_safe_on_the_way_out(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = open_stores(path).articles
    store.ingest([art("Old")], "src")
    store.db.conn.execute("UPDATE articles SET url = 'https://e.org/a b)[x](https://evil.example'")
    store.db.conn.execute("INSERT INTO articles(key, title, url, text_hash, added_at, updated_at)"
                      " VALUES ('k', 'Js', 'javascript:alert(1)', 'h', 0, 0)")
    urls = {a.title: a.url for a in store.iter_articles()}
    assert urls["Old"] == "https://e.org/a%20b%29%5Bx%5D%28https://evil.example"
    assert urls["Js"] == ""  # linked to the site search by the service


def test_invisible_controls_are_removed_from_stored_text_emoji_joiners_kept(stores):
    store = stores.articles
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    store.ingest([art("Tit\u202ele\u200b", paras=(f"Pay \u2066$100\u2069 now {family}.",
                                                  "\u200b\ufeffzero\u200d width"))], "src")
    (stored,) = list(store.iter_articles())
    assert stored.title == "Title"
    assert stored.paragraphs == (f"Pay $100 now {family}.", "zero width")


def test_remembering_a_question_never_waits_long_for_the_lock(tmp_path, caplog, monkeypatch):
    import bot.store.connection

    monkeypatch.setattr(bot.store.connection, "FIRST_WAIT", 0.01)
    path = tmp_path / "s.sqlite3"
    questions = open_stores(path, busy_timeout=30).questions
    other = _hold_write_lock(path)
    try:
        with caplog.at_level("WARNING", logger="bot.store.connection"), pytest.raises(StoreError):
            questions.remember("why?")  # a side write: the answer goes without it
        assert not [r for r in caplog.records if "waiting" in r.getMessage()]
    finally:
        other.rollback()
        other.close()
    assert questions.get(questions.remember("why?")) == "why?"


def test_an_unchanged_article_with_an_encoded_url_is_not_removed(stores):
    store = stores.articles
    raw = "https://e.org/a b"
    store.ingest([art("A", url=raw), art("B", url="https://e.org/b")], "site")
    report = store.ingest([art("B", url="https://e.org/b")], "site", complete=True,
                          unchanged_keys=[raw])  # A answered 304 under its raw URL
    assert report.removed == 0 and store.count()[0] == 2


def test_a_summary_is_given_when_it_cannot_be_cached(seed_service, monkeypatch):
    def locked(*args) -> None:
        raise StoreError("store unavailable: the database is locked by another process")

    monkeypatch.setattr(seed_service.stores.summaries, "put", locked)
    summary = seed_service.summary("Japan and Russia peace treaty")
    assert summary.sentences and summary.title.startswith("Japan And Russia")


def test_each_concern_is_behind_its_protocol(stores):
    from bot.store import protocols

    assert isinstance(stores.articles, protocols.Articles)
    assert isinstance(stores.summaries, protocols.Summaries)
    assert isinstance(stores.validators, protocols.Validators)
    assert isinstance(stores.sources, protocols.SourceState)
    assert isinstance(stores.questions, protocols.RememberedQuestions)
    tables = {c for (c,) in stores.db.rows("SELECT component FROM schema_versions")}
    assert tables == {"articles", "summaries", "http_validators", "sources", "questions"}


# -- every concern's behaviour, on both backends
def test_an_article_listed_again_as_unchanged_is_searchable_again(stores):
    store = stores.articles
    one, two = art("One", url="https://e.org/1"), art("Two", url="https://e.org/2")
    store.ingest([one, two], "site", complete=True)
    assert store.ingest([one], "site", complete=True).removed == 1  # dropped from the sitemap
    # Listed again, its page answering 304: unchanged, but no longer removed.
    report = store.ingest([], "site", complete=True, unchanged_keys=[one.url, two.url])
    assert (report.updated, report.unchanged, report.removed) == (1, 1, 0)
    assert sorted(a.title for a in store.iter_articles()) == ["One", "Two"]
    # ... and only its own source's: another source's removed article stays removed.
    store.ingest([art("Other", url="https://e.org/3")], "other", complete=True)
    store.ingest([], "other", complete=True)
    assert store.ingest([], "site", unchanged_keys=["https://e.org/3"]).updated == 0


def test_revision_bumps_on_every_change_only_and_articles_come_in_id_order(stores):
    store = stores.articles
    assert store.revision() == 0 and store.count() == (0, 0)
    store.ingest([art("C", url="https://e.org/c"), art("A", url="https://e.org/a")], "site")
    store.ingest([art("B", url="https://e.org/b", paras=("x",))], "site")
    assert store.revision() == 2
    assert [a.title for a in store.iter_articles()] == ["C", "A", "B"]  # as first stored
    store.ingest([art("B", url="https://e.org/b", paras=("x",))], "site")
    assert store.revision() == 2  # unchanged
    store.ingest([art("A", url="https://e.org/a")], "site", complete=True)
    assert store.revision() == 3 and store.count() == (1, 2)
    (only,) = store.iter_articles()
    assert (only.title, only.paragraphs, only.passages, only.partial) == ("A", ("one", "two"),
                                                                         2, False)


def test_new_articles_of_a_known_source_are_reported_as_added(stores):
    store = stores.articles
    assert store.ingest([art("A", url="https://e.org/a")], "file.jsonl").added == []
    added = store.ingest([art("B", url="https://e.org/b")], "file.jsonl").added
    assert [a.title for a in added] == ["B"]
    site = "https://e.org"  # a URL source is known once a refresh completed (its cursor)
    assert store.ingest([art("C", url="https://e.org/c")], site).added == []
    stores.sources.record(site, "ok", "page-2")
    assert [a.title for a in store.ingest([art("D", url="https://e.org/d")], site).added] == ["D"]


def test_source_state_keeps_the_cursor_until_a_new_one(stores):
    sources = stores.sources
    assert sources.get("https://e.org") == (None, "", "")
    sources.record("https://e.org", "ok", "cursor-1")
    sources.record("https://e.org", "failed: timeout")  # no cursor: the old one stays
    last, status, cursor = sources.get("https://e.org")
    assert (status, cursor) == ("failed: timeout", "cursor-1") and last > 0
    sources.record("https://e.org", "ok", "")
    assert sources.get("https://e.org")[2] == ""
    sources.record("feed.xml", "ok")
    assert sorted((n, s) for n, _, s in sources.all()) == [("feed.xml", "ok"),
                                                           ("https://e.org", "ok")]


def test_summaries_questions_and_validators_round_trip(stores):
    assert stores.summaries.get("h1", "n=3") is None
    stores.summaries.put("h1", "n=3", {"sentences": ["a", "b"], "title": "T"})
    stores.summaries.put("h1", "n=3", {"sentences": ["c"], "title": "T"})  # the last wins
    assert stores.summaries.get("h1", "n=3") == {"sentences": ["c"], "title": "T"}
    assert stores.summaries.get("h1", "n=5") is None
    first, second = stores.questions.remember("why?"), stores.questions.remember("how?")
    assert second > first > 0
    assert (stores.questions.get(first), stores.questions.get(second)) == ("why?", "how?")
    assert stores.questions.get(second + 1) is None
    assert stores.validators.http_validators("https://e.org/") == (None, None)
    stores.validators.save_validators("https://e.org/", '"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    stores.validators.save_validators("https://e.org/", '"v2"', None)
    assert stores.validators.http_validators("https://e.org/") == ('"v2"', None)


def test_migrations_run_on_an_empty_database_and_once_only(store_target):
    first = open_stores(store_target)
    first.articles.ingest([art()], "src")
    versions = sorted(first.db.rows("SELECT component, version FROM schema_versions"))
    first.close()
    again = open_stores(store_target)  # re-running the migrations changes nothing
    try:
        assert sorted(again.db.rows("SELECT component, version FROM schema_versions")) == versions
        assert {c for c, _ in versions} == {"articles", "summaries", "http_validators",
                                            "sources", "questions"}
        assert again.articles.count() == (1, 2) and again.articles.revision() == 1
    finally:
        again.close()


def test_a_large_ingest_counts_every_article_once_across_batches(stores):
    store = stores.articles
    many = [art(f"A{i}", paras=(f"p{i}", "q"), url=f"https://e.org/{i}") for i in range(450)]
    first = store.ingest(many + many[:5], "site")  # repeats are one article
    assert (first.new, first.updated, first.unchanged) == (450, 0, 0)
    edited = [art(f"A{i}", paras=("new",), url=f"https://e.org/{i}") if i in (0, 199, 200, 449)
              else a for i, a in enumerate(many)]
    again = store.ingest(edited, "site")
    assert (again.new, again.updated, again.unchanged) == (0, 4, 446)
    texts = {a.title: a.paragraphs for a in store.iter_articles()}
    assert len(texts) == 450 and texts["A199"] == ("new",) and texts["A198"] == ("p198", "q")
    assert store.count() == (450, 446 * 2 + 4)


def test_per_server_corpora_keep_apart_on_every_backend(stores):
    """The same URL in two servers' corpora is two articles; each corpus has its own
    revision, removals, source states and remembered questions."""
    from bot.store.scoped import corpus_stores

    store = stores.articles
    store.ingest([art("Tides", ("The tides rise.",))], "https://x.org/", corpus="g1")
    store.ingest([art("Bees", ("Bees hum.",))], "https://x.org/", corpus="g2")
    assert store.revision(("g1",)) == 1 and store.revision(("g1", "g2")) == 2
    assert [a.title for a in store.iter_articles(("g1",))] == ["Tides"]
    assert [a.title for a in store.iter_articles(("g1", "g2"))] == ["Tides", "Bees"]
    assert store.count() == (0, 0) and list(store.iter_articles()) == []
    assert store.holdings() == {"g1": {"https://x.org/"}, "g2": {"https://x.org/"}}
    # One corpus looked up alone (a server's load), and "any server's" (None).
    assert store.holds("g1") and store.holds(None) and not store.holds("") \
        and not store.holds("g3")
    assert store.holds("g1", besides="seeds") and not store.holds("g1", besides="https://x.org/")
    store.ingest([], "https://x.org/", complete=True, corpus="g2")
    assert not store.holds("g2")  # removed articles are not held
    assert store.count(("g1",)) == (1, 1) and store.count(("g2",)) == (0, 0)
    one = corpus_stores(stores, "g1", ("g1",), scope="g1")
    one.sources.record("https://x.org/", "ok (feed)")
    assert [n for n, _, _ in one.sources.all()] == ["https://x.org/"]
    assert stores.sources.all() == []  # not the shared corpus's
    qid = one.questions.remember("why tides?")
    assert one.questions.get(qid) == "why tides?" and stores.questions.get(qid) is None


def _changed(store, since):
    """{title: (removed, stamp)} of the articles stamped after `since`."""
    return {r[1]: (bool(r[8]), r[9]) for r in store.changed_since(since)}


def test_change_stamps_find_adds_edits_removals_and_restores(stores):
    """What a loaded index reads to catch up: only the articles an ingest added, changed or
    removed after its stamp, removed ones included, a restored one as searchable again."""
    store = stores.articles
    assert store.stamp() == 0 and store.changed_since(0) == []
    store.ingest([art("A", url="https://e.org/a"), art("B", url="https://e.org/b")], "src")
    one = store.stamp()
    assert one == 1 and _changed(store, 0) == {"A": (False, 1), "B": (False, 1)}
    assert store.ingest([art("A", url="https://e.org/a")], "src").unchanged == 1
    assert store.stamp() == one and store.changed_since(one) == []  # nothing changed
    store.ingest([art("A", ("edited",), url="https://e.org/a"),
                  art("C", url="https://e.org/c")], "src")
    assert _changed(store, one) == {"A": (False, 2), "C": (False, 2)}
    store.ingest([art("A", ("edited",), url="https://e.org/a")], "src", complete=True)
    assert _changed(store, 2) == {"B": (True, 3), "C": (True, 3)}  # removed: still listed
    store.ingest([art("B", url="https://e.org/b")], "src")  # restored as it was
    assert _changed(store, 3) == {"B": (False, 4)}
    assert store.stamp() == 4
    # A row is the catalog's row, then removed and stamp.
    assert [r[:8] for r in store.changed_since(3)] == [tuple(store.catalog()[1])]
    # Another corpus's change moves the store-wide stamp, but is not this corpus's.
    store.ingest([art("Tides", url="https://x.org/t")], "https://x.org/", corpus="g1")
    assert store.stamp() == 5 and store.changed_since(4) == []
    assert [r[1] for r in store.changed_since(4, ("g1",))] == ["Tides"]


def test_an_older_store_gets_change_stamps(store_target):
    """A store made before the stamps migrates: its articles hold stamp 0, and the next
    change is stamped after them."""
    from bot.store.articles import MIGRATIONS

    if isinstance(store_target, str):
        from bot.store.pg.articles import MIGRATIONS as PG_MIGRATIONS
        from bot.store.pg.connection import PgDatabase

        old_steps, db = PG_MIGRATIONS[:-1], PgDatabase(store_target)
    else:
        from bot.store.connection import Database

        old_steps, db = MIGRATIONS[:-1], Database(store_target)
    db.migrate("articles", old_steps)
    insert = db.dialect.sql("INSERT INTO articles(key, title, text_hash, added_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?)")
    db.write(insert, ("https://e.org/old", "Old", "h", 1.0, 1.0))
    db.close()
    opened = open_stores(store_target)
    try:
        store = opened.articles
        assert [a.title for a in store.iter_articles()] == ["Old"]
        assert store.stamp() == 0 and store.changed_since(0) == []
        assert _changed(store, -1) == {"Old": (False, 0)}
        store.ingest([art("New", url="https://e.org/new")], "src")
        assert _changed(store, 0) == {"New": (False, 1)}
    finally:
        opened.close()
