"""Where the fetcher keeps ETag/Last-Modified between runs: the interface the stores
implement. Apart from `http.py` so the stores (on every start's path) need not import
aiohttp for it."""

from __future__ import annotations


class Validators:
    """Where ETag/Last-Modified are kept between runs (the store implements it)."""

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        return None, None

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        return None
