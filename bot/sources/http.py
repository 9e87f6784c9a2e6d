"""The one aiohttp session and polite fetching: robots.txt, per-host limits, timeouts, a size
cap, bounded redirects, retries with backoff and jitter (Retry-After honoured), conditional
GET, a deadline per request and budgets per refresh; private addresses are refused by the
session's connector (guard.py). Fetching only: parsing lives in the other modules."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import socket
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from protego import Protego

from bot import __version__
from bot.config import FetchConfig
from bot.errors import FetchError
from bot.sources.guard import GuardedConnector, PrivateAddress
from bot.sources.validators import Validators

log = logging.getLogger(__name__)

USER_AGENT = f"Footnote/{__version__} (+https://github.com/footnote-bot/footnote)"
ROBOTS_AGENT = "Footnote"
REDIRECTS = (301, 302, 303, 307, 308)
# aiohttp itself refuses a host such as 2130706433, 127.1 or 0177.0.0.1 (IPv4 spelled
# other than as four decimal numbers) before any lookup.
ROBOTS_REDIRECTS = 5
INVALID_URL = "invalid URL (a host must be a name or a canonical IP address)"
KINDS = {
    "html": ("text/html", "application/xhtml+xml"),
    "xml": ("xml", "rss", "atom", "gzip", "octet-stream", "text/plain"),
    "json": ("json",),
}


def new_session(cfg: FetchConfig, resolver: AbstractResolver | None = None,
                public: Collection[str] = ()) -> aiohttp.ClientSession:
    """The process's one ClientSession, created by the composition root and passed down.
    `resolver` and `public` exist for tests of the private-address guard."""
    timeout = aiohttp.ClientTimeout(
        total=None, connect=cfg.connect_timeout_seconds, sock_read=cfg.timeout_seconds
    )
    limits = {"limit": 32, "limit_per_host": max(cfg.per_host_concurrency, 1),
              "resolver": resolver}
    connector = (aiohttp.TCPConnector(**limits) if cfg.allow_private
                 else GuardedConnector(public=public, **limits))
    return aiohttp.ClientSession(
        timeout=timeout, headers={"User-Agent": USER_AGENT}, connector=connector,
    )


class Refused(FetchError):
    """A request to a private address (not retried, and not a robots.txt failure)."""


class Unreachable(FetchError):
    """The host could not be connected to (refused, unknown name, no route): said as such,
    never as "robots.txt unavailable" (the page would fail the same way)."""


def _connect_reason(error: aiohttp.ClientConnectionError) -> str:
    """What a user can act on: "connection refused" rather than an exception's class name."""
    os_error = getattr(error, "os_error", None)
    if isinstance(os_error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(os_error, socket.gaierror):  # what the resolver raises for an unknown name
        return "host name not found"
    return f"connection failed ({type(error).__name__})"


class BudgetSpent(FetchError):
    """The source's time budget for this refresh is spent: no new request starts."""


class Budget:
    """The time one refresh of one source may take (tests replace the clock)."""

    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = self.clock() + seconds

    def left(self) -> float:
        return self._end - self.clock()

    def spent(self) -> bool:
        return self.left() <= 0


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes = b""
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").lower()


@dataclass
class _Host:
    gate: asyncio.Semaphore
    next_start: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Fetcher:
    """Polite HTTP GETs over a shared session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        cfg: FetchConfig,
        validators: Validators | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        budget: Budget | None = None,
    ) -> None:
        self.session, self.cfg = session, cfg
        self.validators = validators or Validators()
        self._sleep = sleep
        # One Fetcher serves one refresh of one source: its time budget, and the waits
        # between retries (Retry-After included) it may still spend.
        self.budget = budget or Budget(cfg.source_seconds)
        self._retry_left = cfg.retry_budget_seconds
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, Protego | None | FetchError] = {}

    # -- public
    async def fetch(
        self, url: str, expect: str | None = None, conditional: bool = False,
        headers: dict[str, str] | None = None,
    ) -> Fetched:
        """GET `url` politely; FetchError (naming the URL and the reason) when it fails."""
        try:
            return await self._fetch(url, expect, conditional, headers)
        except ValueError:  # "http://[::1/x", a 64-letter label: urlsplit's and IDNA's errors
            raise FetchError(INVALID_URL, url) from None

    async def _fetch(self, url: str, expect: str | None, conditional: bool,
                     headers: dict[str, str] | None) -> Fetched:
        seen = {url}
        current = url
        if self.budget.spent():
            raise BudgetSpent(f"the {self.budget.seconds:g}s budget for this refresh is spent "
                              "(fetch.source_seconds)", url)
        for _ in range(self.cfg.max_redirects + 1):
            self._check_scheme(current)
            await self._check_robots(current)
            result = await self._get_with_retries(current, conditional, headers or {})
            if result.status in REDIRECTS:
                location = result.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {result.status} without a Location", current)
                nxt = urljoin(current, location)
                if nxt in seen:
                    raise FetchError("redirect loop", url)
                seen.add(nxt)
                current = nxt
                continue
            if expect and not result.not_modified:
                self._check_type(result, expect)
            return result
        raise FetchError(f"more than {self.cfg.max_redirects} redirects", url)

    # -- checks
    @staticmethod
    def _check_scheme(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("only http and https URLs can be fetched", url)

    @staticmethod
    def _check_type(result: Fetched, expect: str) -> None:
        ct = result.content_type
        if ct and not any(k in ct for k in KINDS[expect]):
            raise FetchError(f"unexpected content type {ct.split(';')[0]!r}", result.url)

    async def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                self._robots[origin] = await self._load_robots(origin)
            except FetchError as e:  # refused or invalid: about the host, so name this URL
                raise type(e)(e.reason, url) from None
        rules = self._robots[origin]
        if isinstance(rules, FetchError):
            raise FetchError(f"robots.txt unavailable ({rules.reason}); not crawling", url)
        if rules is not None and not rules.can_fetch(url, ROBOTS_AGENT):
            raise FetchError("disallowed by robots.txt", url)

    async def _load_robots(self, origin: str) -> Protego | None | FetchError:
        url = f"{origin}/robots.txt"
        for _ in range(ROBOTS_REDIRECTS + 1):  # RFC 9309: at least five redirects followed
            try:
                result = await self._get_with_retries(url, False, {})
            except (Refused, Unreachable):
                raise
            except FetchError as e:
                if e.reason == INVALID_URL:
                    raise
                if e.reason.startswith("HTTP 4") and not e.reason.startswith("HTTP 429"):
                    return None  # no robots.txt: everything allowed (asked to wait: not)
                return e
            location = result.headers.get("location")
            if result.status in REDIRECTS and location:
                url = urljoin(url, location)
                if urlsplit(url).scheme not in ("http", "https"):
                    return None
                continue
            if result.status != 200:
                return None
            return Protego.parse(result.body.decode("utf-8", errors="replace"))
        return None  # redirected too often: as if there were none (RFC 9309)

    # -- the request itself
    def _host(self, url: str) -> _Host:
        netloc = urlsplit(url).netloc
        if netloc not in self._hosts:
            self._hosts[netloc] = _Host(asyncio.Semaphore(max(self.cfg.per_host_concurrency, 1)))
        return self._hosts[netloc]

    async def _get_with_retries(self, url: str, conditional: bool, extra: dict[str, str]
                                ) -> Fetched:
        attempts = self.cfg.retries + 1
        last, failure = "failed", FetchError  # what the last attempt ran into
        for attempt in range(attempts):
            wait, failure = None, FetchError
            try:
                result = await self._get_once(url, conditional, extra)
            except aiohttp.ClientPayloadError:
                last = "truncated response body"
            except aiohttp.ServerTimeoutError:
                last = "timed out"
            except TimeoutError:  # the whole-request deadline (a server dripping bytes)
                # Not retried: another attempt would drip as slowly, and retries would hold
                # the refresh for (retries + 1) times the deadline the message names.
                raise FetchError(f"timed out (no complete response within "
                                 f"{self.cfg.request_seconds:g}s; not retried)", url) from None
            except aiohttp.TooManyRedirects:
                raise FetchError("too many redirects", url) from None
            except aiohttp.InvalidURL:
                raise FetchError(INVALID_URL, url) from None
            except aiohttp.ClientResponseError as e:  # a header too long, "HTTP/1.1 2OO" …
                raise FetchError(f"malformed HTTP response ({e.message})", url) from None
            except aiohttp.ClientConnectorError as e:
                if isinstance(e.os_error, PrivateAddress):
                    raise Refused(str(e.os_error), url) from None
                if isinstance(e.os_error, ConnectionRefusedError):
                    # Nothing listens on that port: an answer, not a hiccup. Retrying with
                    # back-off only made a closed port take 10 s to report.
                    raise Unreachable(_connect_reason(e), url) from None
                last, failure = _connect_reason(e), Unreachable
            except aiohttp.ClientConnectionError as e:
                last, failure = _connect_reason(e), Unreachable
            else:
                if result.status == 429 or 500 <= result.status < 600:
                    last = f"HTTP {result.status}"
                    wait = _retry_after(result.headers.get("retry-after"))
                    if wait is not None and wait > self.cfg.max_retry_after_seconds:
                        raise FetchError(f"HTTP {result.status}, asked to retry after {wait:.0f}s"
                                         " (more than fetch.max_retry_after_seconds)", url)
                elif 400 <= result.status < 500:
                    raise FetchError(f"HTTP {result.status}", url)
                else:
                    return result
            if attempt + 1 < attempts:
                backoff = self.cfg.backoff_seconds * 2**attempt
                delay = wait if wait is not None else backoff + random.uniform(0, backoff / 2)
                if delay > self._retry_left:
                    raise FetchError(f"{last}; the retry budget for this refresh is spent "
                                     "(fetch.retry_budget_seconds)", url)
                if delay > self.budget.left():  # not a failure of the URL: asked again next time
                    raise BudgetSpent(f"{last}; no time left to retry in this refresh", url)
                self._retry_left -= delay
                log.info("retrying %s in %.2fs (%s)", url, delay, last)
                await self._sleep(delay)
        raise failure(last, url)

    async def _get_once(self, url: str, conditional: bool, extra: dict[str, str]) -> Fetched:
        headers = dict(extra)
        if conditional:
            etag, modified = await asyncio.to_thread(self.validators.http_validators, url)
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        host = self._host(url)
        async with host.gate:
            async with host.lock:  # space out request starts on one host
                pause = host.next_start - time.monotonic()
                if pause > 0:
                    await self._sleep(pause)
                host.next_start = time.monotonic() + self.cfg.delay_seconds
            timeout = aiohttp.ClientTimeout(
                total=None, connect=self.cfg.connect_timeout_seconds,
                sock_read=self.cfg.timeout_seconds,
            )
            # From the first byte sent to the last received: a slow drip of bytes keeps the
            # per-read timeout from firing, this does not. (A request under way when the
            # source's budget runs out may finish: the budget is overrun by one at most.)
            async with asyncio.timeout(self.cfg.request_seconds), self.session.get(
                url, headers=headers, allow_redirects=False, timeout=timeout
            ) as resp:
                hdrs = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status in REDIRECTS or resp.status == 304 or resp.status >= 400:
                    unchanged = resp.status == 304
                    return Fetched(str(resp.url), resp.status, hdrs, not_modified=unchanged)
                body = await self._read_capped(resp, url)
        if conditional:
            await asyncio.to_thread(self.validators.save_validators, url, hdrs.get("etag"),
                                    hdrs.get("last-modified"))
        return Fetched(url, resp.status, hdrs, body)

    async def _read_capped(self, resp: aiohttp.ClientResponse, url: str) -> bytes:
        cap = self.cfg.max_bytes
        length = resp.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            raise FetchError(f"larger than the {cap // 1024 // 1024 or 1} MB limit", url)
        chunks, size = [], 0
        async for chunk in resp.content.iter_chunked(65536):
            size += len(chunk)
            if size > cap:  # stop reading: the rest is never downloaded
                raise FetchError(f"larger than the {cap // 1024 // 1024 or 1} MB limit", url)
            chunks.append(chunk)
        return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
