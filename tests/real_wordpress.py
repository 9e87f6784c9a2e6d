"""Debian's WordPress on 127.0.0.1 for integration tests: MariaDB on a Unix socket (no TCP),
PHP's built-in server, everything in one folder under /tmp, outbound HTTP blocked.

`RealWordPress.start()` raises `Unavailable` (with the reason) when the packages are missing;
posts are made and changed with PHP through wp-load.php, the way WordPress itself would.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

WP = Path("/usr/share/wordpress")
PACKAGES = "wordpress mariadb-server php-cli php-mysql"
READY_SECONDS = 120  # MariaDB and PHP start slowly on a busy machine; late, the tests skip


class Unavailable(RuntimeError):
    """The packages (or a service) are missing: the tests are skipped with this reason."""


def _mariadbd() -> str | None:
    return next((p for p in ("/usr/sbin/mariadbd", "/usr/sbin/mysqld") if os.access(p, os.X_OK)),
                None)


def missing() -> str | None:
    """Why a real WordPress cannot run here, or None."""
    php = shutil.which("php")
    if not (WP / "wp-load.php").exists() or not _mariadbd() or not php:
        return f"Debian packages missing (apt-get install -y {PACKAGES})"
    mods = subprocess.run([php, "-m"], capture_output=True, text=True).stdout
    if "mysqli" not in mods:
        return "PHP has no mysqli (apt-get install -y php-mysql)"
    return None


def _signal_group(p: subprocess.Popen, sig: int) -> None:
    """Signal the process and the workers it forked (its own session's group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, sig)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what: str, check, log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise Unavailable(f"{what} did not start: {log.read_text(errors='replace')[-2000:]}")


CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{socket}');
define('DB_CHARSET', 'utf8mb4');
$table_prefix = 'wp_';
define('WP_HOME', '{home}');
define('WP_SITEURL', '{home}');
define('WP_CONTENT_DIR', '/usr/share/wordpress/wp-content');
define('WP_HTTP_BLOCK_EXTERNAL', true);  // nothing leaves 127.0.0.1
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_DEBUG', false);
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
"""

# PHP's server has no rewrite rules: every path that is not a file goes to index.php.
ROUTER = """<?php
file_put_contents(__DIR__ . '/../requests.log', $_SERVER['REQUEST_URI'] . "\\n",
                  FILE_APPEND | LOCK_EX);
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file(__DIR__ . $path)) return false;
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = __DIR__ . '/index.php';
require __DIR__ . '/index.php';
"""

# Every PHP snippet runs inside WordPress, as the administrator; JSON in on stdin, out on stdout.
BOOT = """<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1:{port}';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
{before}
require '{www}/wp-load.php';
wp_set_current_user(1);
$in = json_decode(stream_get_contents(STDIN), true);
$out = null;
{code}
echo json_encode($out);
"""

INSTALL = """
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Peace Site', 'admin', 'admin@example.org', true, '', 'secret-password');
update_option('permalink_structure', '/%year%/%monthnum%/%postname%/');
update_option('posts_per_rss', 20);
update_option('rss_use_excerpt', 0);
update_option('timezone_string', 'Europe/Paris');  // local time != UTC, as on real sites
flush_rewrite_rules(false);
"""


class RealWordPress:
    """One WordPress for a test module. Not thread-safe; call `stop()` in a finally."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="footnote-wp-", dir="/tmp"))
        self.port = _free_port()
        self._procs: list[subprocess.Popen] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RealWordPress:
        """Database, files, install, web server; Unavailable when any of them cannot run."""
        reason = missing()
        if reason:
            raise Unavailable(reason)
        try:
            self._start_db()
            self._make_docroot()
            self.php(INSTALL, before="define('WP_INSTALLING', true);")
            self._start_web()
        except BaseException:  # a failure or a Ctrl-C half-way: nothing left running
            self.stop()
            raise
        return self

    def _start_db(self) -> None:
        db = self.root / "db"
        db.mkdir()
        user = []
        if os.geteuid() == 0:  # mariadbd refuses to run as root: it runs as mysql, in its folder
            shutil.chown(self.root, "mysql", "mysql")
            shutil.chown(db, "mysql", "mysql")
            os.chmod(self.root, 0o755)
            user = ["--user=mysql"]
        self.socket = db / "sock"
        log = self.root / "db.log"
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            self._spawn(out, 
            [_mariadbd(), "--no-defaults", *user, f"--datadir={db}", f"--socket={self.socket}",
             "--skip-networking", "--skip-grant-tables", "--skip-log-bin",
             f"--pid-file={db / 'pid'}", "--innodb-buffer-pool-size=16M",
             "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
             "--character-set-server=utf8mb4"])
        _wait("MariaDB", lambda: self.socket.exists() and self._procs[0].poll() is None, log)
        self.php_raw('$m = new mysqli("localhost", "root", "", "", 0, $argv[1]);'
                     '$m->query("CREATE DATABASE wordpress CHARACTER SET utf8mb4");',
                     str(self.socket))

    def _spawn(self, log, argv: list, **kw) -> None:
        # A session of its own: PHP's server forks workers (PHP_CLI_SERVER_WORKERS), which
        # stopping the parent alone left running, listening, after the tests.
        self._procs.append(subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True,
                                            **kw))

    def _make_docroot(self) -> None:
        www = self.root / "www"
        www.mkdir()
        # Copies, not links, of the top-level files: PHP resolves links in __DIR__, and
        # Debian's own wp-config.php would then look for its config in /etc.
        for f in WP.glob("*.php"):
            if f.name != "wp-config.php":
                shutil.copy(f, www / f.name)
        for d in ("wp-admin", "wp-includes", "wp-content"):
            (www / d).symlink_to(WP / d)
        (www / "wp-config.php").write_text(
            CONFIG.replace("{socket}", str(self.socket)).replace("{home}", self.base))
        (www / "router.php").write_text(ROUTER)
        self.www = www

    def _start_web(self) -> None:
        self.web_log = self.root / "web.log"
        with self.web_log.open("wb") as out:
            self._spawn(out, [*self._php_cmd(), "-S",
                              f"127.0.0.1:{self.port}", "-t", str(self.www),
                              str(self.www / "router.php")],
                        env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"}, cwd=self.www)

        def up() -> bool:
            try:
                with urllib.request.urlopen(self.base + "/wp-json/", timeout=10) as r:
                    return r.status == 200
            except OSError:
                return False

        _wait("PHP's server", up, self.web_log)

    def stop(self) -> None:
        """Stop the processes this object started, and remove its folder."""
        for p in reversed(self._procs):
            _signal_group(p, signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                _signal_group(p, signal.SIGKILL)
                p.wait()
            _signal_group(p, signal.SIGKILL)  # its workers, if any outlived it
        shutil.rmtree(self.root, ignore_errors=True)

    # -- PHP
    def _php_cmd(self) -> list[str]:
        """php with its compiled scripts kept on disk: each snippet boots WordPress afresh."""
        cache = self.root / "opcache"
        cache.mkdir(exist_ok=True)
        return ["php", "-d", "opcache.enable_cli=1", "-d", f"opcache.file_cache={cache}"]

    def php_raw(self, code: str, *args: str) -> str:
        script = self.root / "raw.php"
        script.write_text("<?php\n" + code)
        done = subprocess.run(["php", str(script), *args], capture_output=True, text=True,
                              timeout=120)
        if done.returncode:
            raise RuntimeError(f"PHP failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return done.stdout

    def php(self, code: str, data: object = None, before: str = "") -> object:
        """Run `code` inside WordPress with `$in` = data; returns what it put in `$out`."""
        script = self.root / "run.php"
        script.write_text(BOOT.replace("{port}", str(self.port)).replace("{www}", str(self.www))
                          .replace("{before}", before).replace("{code}", code))
        done = subprocess.run([*self._php_cmd(), str(script)], input=json.dumps(data),
                              capture_output=True, text=True, timeout=120, cwd=self.root)
        out = done.stdout.strip().splitlines()
        if done.returncode or not out:
            raise RuntimeError(f"PHP failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return json.loads(out[-1])

    def insert_posts(self, posts: list[dict]) -> list[int]:
        """wp_insert_post for each dict (post_title, post_content, post_status, ...); ids."""
        return self.php("""
            wp_defer_term_counting(true);
            $out = [];
            foreach ($in as $p) {
                $id = wp_insert_post(wp_slash($p), true);
                if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
                $out[] = $id;
            }""", posts)

    def update_post(self, post_id: int, **fields: object) -> None:
        """wp_update_post (the modified date moves, as with an edit in the editor)."""
        self.php("""$r = wp_update_post(wp_slash($in), true);
                    if (is_wp_error($r)) exit(1);""", {"ID": post_id, **fields})

    def delete_post(self, post_id: int, trash: bool = False) -> None:
        """Delete for good, or move to the trash."""
        self.php("$out = $in[1] ? (bool) wp_trash_post($in[0])"
                 " : (bool) wp_delete_post($in[0], true);", [post_id, trash])

    def permalinks(self) -> dict[int, str]:
        """id -> permalink of every published post that anyone may read (no password)."""
        rows = self.php("""$out = [];
            foreach (get_posts(['numberposts' => -1, 'post_status' => 'publish',
                                'has_password' => false]) as $p)
                $out[$p->ID] = get_permalink($p);""")
        return {int(k): v for k, v in (rows or {}).items()}

    def requests(self) -> list[str]:
        """Path and query of every request the site answered so far (the router logs them)."""
        log = self.root / "requests.log"
        return log.read_text().splitlines() if log.exists() else []
