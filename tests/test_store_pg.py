"""PostgreSQL as the store (storage.url): several processes on one database, migrations
that two processes start together, and the command line end to end. The behaviour shared
with SQLite is tested on both backends in test_store.py."""

import csv
import io
import json
import threading

import pytest

from bot.__main__ import main
from bot.community.feedback import Feedback
from bot.config import parse_config
from bot.errors import ConfigError, StoreError
from bot.models import Article
from bot.store import open_stores


def art(title, paras=("one", "two")):
    return Article(title=title, paragraphs=tuple(paras), url=f"https://e.org/{title.lower()}")


def test_two_processes_see_each_others_ingests_by_revision(pg_url):
    one, two = open_stores(pg_url), open_stores(pg_url)  # two connections, as two processes
    try:
        assert one.articles.revision() == two.articles.revision() == 0
        one.articles.ingest([art("Aral")], "site")
        assert two.articles.revision() == 1  # the other process notices the change ...
        assert [a.title for a in two.articles.iter_articles()] == ["Aral"]  # ... and reads it
        two.articles.ingest([art("Baikal")], "site")
        assert one.articles.revision() == 2
        assert [a.title for a in one.articles.iter_articles()] == ["Aral", "Baikal"]
        assert one.articles.count() == two.articles.count() == (2, 4)
    finally:
        one.close()
        two.close()


def test_corpus_reads_reuse_a_connection_and_see_each_commit(pg_url):
    """Loading a corpus opens no connection each time (one costs more than reading a small
    corpus): the long read's connection is kept, and the next read sees what was committed
    since."""
    one, two = open_stores(pg_url), open_stores(pg_url)
    try:
        one.articles.ingest([art("Aral")], "site")
        assert [a.title for a in two.articles.iter_articles()] == ["Aral"]
        kept = list(two.db._idle)
        assert len(kept) == 1
        one.articles.ingest([art("Baikal")], "site")
        assert [a.title for a in two.articles.iter_articles()] == ["Aral", "Baikal"]
        assert two.db._idle == kept  # the same connection, read again
    finally:
        one.close()
        two.close()
    assert kept[0].closed  # closed with the store


def test_two_processes_starting_together_migrate_once(pg_url):
    opened, failed = [], []
    start = threading.Barrier(3)

    def open_one() -> None:
        start.wait()
        try:
            opened.append(open_stores(pg_url))
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            failed.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not failed and len(opened) == 3
        versions = sorted(opened[0].db.rows("SELECT component, version FROM schema_versions"))
        assert versions == [("articles", 3), ("http_validators", 1), ("questions", 2),
                            ("sources", 1), ("summaries", 1)]
    finally:
        for stores in opened:
            stores.close()


def test_concurrent_ingests_of_the_same_articles_make_one_copy(pg_url):
    one, two = open_stores(pg_url), open_stores(pg_url)
    batch = [art(f"A{i}") for i in range(30)]
    start, reports, failed = threading.Barrier(2), [], []

    def ingest(stores) -> None:
        start.wait()  # both at once, as two processes refreshing together
        try:
            reports.append(stores.articles.ingest(batch, "site"))
        except StoreError as e:  # reported by the assertion below
            failed.append(e)

    threads = [threading.Thread(target=ingest, args=(s,)) for s in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not failed and sorted((r.new, r.unchanged) for r in reports) == [(0, 30), (30, 0)]
        assert one.articles.count() == (30, 60)
        assert one.articles.revision() == 1  # the second ingest found nothing new
    finally:
        one.close()
        two.close()


def test_an_unreachable_server_is_one_store_error_exit_3(tmp_path, capsys):
    url = f"postgresql://nobody:secret@/footnote?host={tmp_path}&port=1&password=hush"
    with pytest.raises(StoreError, match="cannot reach PostgreSQL") as exc:
        open_stores(url)
    shown = f"{exc.value} {exc.value.path}"
    assert "secret" not in shown and "hush" not in shown and "nobody:***@" in shown
    assert main(["--config", _config(tmp_path, url), "status"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("footnote: store unavailable: cannot reach PostgreSQL")
    assert "secret" not in err and "hush" not in err  # the password is never shown


def test_a_dropped_connection_is_opened_again(pg_url):
    stores = open_stores(pg_url)
    try:
        stores.articles.ingest([art("Aral")], "site")
        pid = stores.db.one("SELECT pg_backend_pid()")[0]
        other = open_stores(pg_url)
        other.db.write("SELECT pg_terminate_backend(%s)", (pid,))  # a server restart, say
        other.close()
        with pytest.raises(StoreError):  # the statement under way fails, as one line ...
            stores.articles.revision()
        assert stores.articles.revision() == 1  # ... and the next one reconnects
        assert stores.articles.ingest([art("Baikal")], "site").new == 1
    finally:
        stores.close()


def test_storage_url_must_be_a_postgresql_url():
    assert parse_config({"storage": {"url": "postgresql://u@db/footnote"}}).storage_url \
        == "postgresql://u@db/footnote"
    assert parse_config({}).storage_url == ""
    with pytest.raises(ConfigError, match="storage.url must be empty"):
        parse_config({"storage": {"url": "mysql://db/footnote"}})


def _config(tmp_path, url):
    path = tmp_path / "config.toml"
    path.write_text(f"[storage]\nurl = {json.dumps(url)}\ndata_dir = {json.dumps(str(tmp_path))}\n")
    return str(path)


def test_ingest_then_ask_with_the_store_in_postgresql(pg_url, tmp_path, capsys):
    config = _config(tmp_path, pg_url)
    doc = tmp_path / "x.jsonl"
    doc.write_text(json.dumps({"title": "Aral Sea", "text": "The Aral Sea shrank by the "
                               "nineties.\n\nIts northern part recovers behind a dam."}) + "\n")
    assert main(["--config", config, "ingest", str(doc)]) == 0
    assert "1 new" in capsys.readouterr().out
    assert main(["--config", config, "ask", "Which part of the Aral Sea recovers?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. Aral Sea") and "Its northern" in out
    assert not (tmp_path / "footnote.sqlite3").exists()  # nothing went to SQLite
    stores = open_stores(pg_url)  # the article is in PostgreSQL (beside the seeds)
    try:
        assert "Aral Sea" in [a.title for a in stores.articles.iter_articles()]
    finally:
        stores.close()


def test_report_and_forget_with_the_store_in_postgresql(pg_url, tmp_path, capsys):
    config = _config(tmp_path, pg_url)
    stores = open_stores(pg_url)  # what the bot would have recorded, in PostgreSQL
    try:
        fb = Feedback(stores.db)
        guild = 1_234_567_890_123_456_789  # a 64-bit Discord id
        for q in ("why no peace treaty between japan and russia?",
                  "Why haven't Japan and Russia signed a peace treaty?"):
            fb.record_ask(q, "closest", nearest="Japan", guild_id=guild, user_id=100)
        voted = fb.record_ask("who runs yemen", "answered", guild_id=guild, user_id=200)
        fb.vote(voted, 100, -1)
    finally:
        stores.close()
    assert main(["--config", config, "report", "--csv", "--guild", str(guild)]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0][0] == "count" and [r[0] for r in table[1:]] == ["2", "1"]
    assert main(["--config", config, "forget", "--user", "100"]) == 0
    assert capsys.readouterr().out == "forgot 2 questions and 1 votes of user 100\n"
    assert main(["--config", config, "report", "--csv"]) == 0
    assert [r[0] for r in csv.reader(io.StringIO(capsys.readouterr().out))] == ["count"]
    assert not (tmp_path / "footnote.sqlite3").exists()  # nothing went to SQLite


def test_a_database_dropped_without_close_closes_its_connections(pg_url):
    """Left to psycopg's finaliser, a forgotten connection warns "deleted while still open"
    whenever the collector gets to it, failing whatever test runs then."""
    import gc
    import warnings

    from bot.store.pg.connection import PgDatabase

    db = PgDatabase(pg_url)
    with db.reading() as conn:
        conn.execute("SELECT 1")
    conns = [db.conn, *db._idle]
    assert len(conns) == 2 and not any(c.closed for c in conns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del db, conn
        gc.collect()
    assert all(c.closed for c in conns)
