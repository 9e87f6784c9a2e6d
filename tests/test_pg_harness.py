"""The PostgreSQL fixture works: tables, LISTEN/NOTIFY between connections, advisory locks."""

import os
import stat

import pytest

from tests.waiting import WAIT_SECONDS

psycopg = pytest.importorskip("psycopg")


def test_a_table_round_trip(pg_dsn):
    with psycopg.connect(pg_dsn) as conn:
        conn.execute("CREATE TABLE article (id serial PRIMARY KEY, title text NOT NULL)")
        conn.execute("INSERT INTO article (title) VALUES (%s), (%s)", ("Navy", "Treaty"))
        conn.commit()
    with psycopg.connect(pg_dsn) as conn:
        rows = conn.execute("SELECT id, title FROM article ORDER BY id").fetchall()
        version = conn.execute("SHOW server_version_num").fetchone()[0]
    assert rows == [(1, "Navy"), (2, "Treaty")]
    assert int(version) >= 150000


def test_each_test_gets_an_empty_database(pg_dsn):
    with psycopg.connect(pg_dsn) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_listen_notify_between_two_connections(pg_dsn):
    with psycopg.connect(pg_dsn, autocommit=True) as listener, \
            psycopg.connect(pg_dsn, autocommit=True) as sender:
        listener.execute("LISTEN index_changed")
        sender.execute("SELECT pg_notify('index_changed', %s)", ("revision 7",))
        notes = listener.notifies(timeout=WAIT_SECONDS, stop_after=1)
        got = [(n.channel, n.payload) for n in notes]
    assert got == [("index_changed", "revision 7")]


def test_an_advisory_lock_held_by_one_connection_is_refused_to_another(pg_dsn):
    with psycopg.connect(pg_dsn, autocommit=True) as a, \
            psycopg.connect(pg_dsn, autocommit=True) as b:
        take = "SELECT pg_try_advisory_lock(42)"
        assert a.execute(take).fetchone()[0] is True
        assert b.execute(take).fetchone()[0] is False
        a.execute("SELECT pg_advisory_unlock(42)")
        assert b.execute(take).fetchone()[0] is True


def test_the_cluster_lives_in_its_own_short_folder(pg_cluster):
    folder = pg_cluster.folder
    assert str(folder).startswith("/tmp/fnpg-") and len(str(folder)) < 40
    assert (folder / f".s.PGSQL.{5432}").exists()
    if os.geteuid() == 0:  # the server runs as postgres, in a folder postgres owns
        assert folder.stat().st_uid == __import__("pwd").getpwnam("postgres").pw_uid
        assert stat.S_IMODE((folder / "data").stat().st_mode) & 0o077 == 0
