"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a folder of its own.

The cluster listens only on a Unix socket in a short folder (/tmp/fnpg-XXXX: socket paths
are limited to ~100 bytes), with fsync off and trust authentication: it lives as long as
the test session and holds nothing worth protecting. PostgreSQL refuses to run as root, so
when the tests run as root the server runs as the `postgres` user, in a folder that user
owns (pytest's own temporary folders are private to root).

tests/conftest.py imports the fixtures (one definition, so one cluster per session):
`pg_dsn` is a fresh, empty database per test (`pg_url`: a fresh schema as a postgresql:// URL);
`pg_cluster` the session's cluster.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_USER = "postgres"
PORT = 5432  # only names the socket file; nothing listens on TCP
INSTALL_TIMEOUT = 600


def find_bin_dir() -> Path | None:
    """Debian's PostgreSQL binaries, 15 preferred, else the newest installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: (not p.startswith("/usr/lib/postgresql/15/"), p))
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _try_install() -> str:
    """apt-get install postgresql, when we are root and apt is there; returns what failed."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "not root, or no apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        out = subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], env=env,
                             capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return "" if out.returncode == 0 else (out.stderr.strip().splitlines() or ["failed"])[-1]


@dataclass
class Cluster:
    """A running cluster: where its socket is, and how to reach a database on it."""

    folder: Path
    bin_dir: Path
    user: str = SERVER_USER

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.folder} port={PORT} user={self.user} dbname={dbname}"

    def url(self, dbname: str = "postgres") -> str:
        """The same as a postgresql:// URL (the socket folder as the host parameter)."""
        return f"postgresql://{self.user}@/{dbname}?host={self.folder}&port={PORT}"


def _as_server_user(cmd: list[str], cwd: Path) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *cmd]
    return cmd


def _run(cmd: list[str], cwd: Path) -> None:
    out = subprocess.run(_as_server_user(cmd, cwd), cwd=cwd, capture_output=True, text=True,
                         timeout=120)
    if out.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr.strip() or out.stdout}")


def start_cluster() -> Cluster:
    """initdb and start a cluster in a new /tmp/fnpg-XXXX folder; skips the test (loudly)
    only when PostgreSQL is missing and cannot be installed."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        why = _try_install()
        bin_dir = find_bin_dir()
        if bin_dir is None:
            pytest.skip(f"PostgreSQL TESTS SKIPPED: no initdb under /usr/lib/postgresql/*/bin "
                        f"and installing it failed ({why}); apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="fnpg-", dir="/tmp"))
    user = SERVER_USER if os.geteuid() == 0 else _current_user()
    if os.geteuid() == 0:
        shutil.chown(folder, SERVER_USER, SERVER_USER)
    data = folder / "data"
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", user, "-A", "trust",
              "-E", "UTF8", "--locale=C", "--no-sync"], folder)
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
              "-w", "-t", "60", "-o",
              f"-k {folder} -p {PORT} -c listen_addresses='' -F -c max_connections=50",
              "start"], folder)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Cluster(folder, bin_dir, user)


def stop_cluster(cluster: Cluster) -> None:
    """Stop the server at once and remove its folder."""
    try:
        _run([str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.folder / "data"), "-m",
              "immediate", "-w", "stop"], cluster.folder)
    finally:
        shutil.rmtree(cluster.folder, ignore_errors=True)


def _current_user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One PostgreSQL cluster for the whole test session."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@contextmanager
def fresh_database(cluster: Cluster) -> Iterator[str]:
    """A new empty database on the cluster, dropped (even if still in use) afterwards;
    its name."""
    psycopg = pytest.importorskip("psycopg", reason="PostgreSQL TESTS SKIPPED: no psycopg")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_dsn(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh database on the session's cluster, dropped after the test; its conninfo."""
    with fresh_database(pg_cluster) as name:
        yield pg_cluster.conninfo(name)


@pytest.fixture(scope="session")
def pg_store_database(pg_cluster: Cluster) -> Iterator[str]:
    """One database for the session's store tests (each test has a schema of its own in it:
    a schema is made in milliseconds, a database in most of a second on a busy machine)."""
    with fresh_database(pg_cluster) as name:
        yield name


@pytest.fixture
def pg_url(pg_cluster: Cluster, pg_store_database: str) -> Iterator[str]:
    """A fresh, empty schema as a postgresql:// URL (storage.url) whose search_path is that
    schema alone: to the store, an empty database of its own. Dropped after the test."""
    psycopg = pytest.importorskip("psycopg", reason="PostgreSQL TESTS SKIPPED: no psycopg")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = pg_cluster.conninfo(pg_store_database)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{pg_cluster.url(pg_store_database)}&options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
