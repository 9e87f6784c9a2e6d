"""Refusing private addresses: judged after DNS resolution, inside the connector, so every
request and every redirect hop is covered, and DNS rebinding too. No URL text is matched."""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Sequence

import aiohttp
from aiohttp.abc import ResolveResult


class PrivateAddress(OSError):
    """A host resolved to an address Footnote does not fetch from (an OSError, so aiohttp
    reports it as a connection failure, which the Fetcher turns into one clear line)."""

    def __init__(self, host: str) -> None:
        super().__init__(f"refused: {host} resolves to a private address "
                         "(set fetch.allow_private = true for an intranet site)")
        self.host = host


def is_private(address: str) -> bool:
    """Loopback, link-local, private, reserved, multicast, unspecified (IPv4 or IPv6, an
    IPv4 address mapped into IPv6 judged as the IPv4 address it carries)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    except ValueError:
        return True  # not an address we can judge: refuse
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            ip = embedded
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


class GuardedConnector(aiohttp.TCPConnector):
    """Refuses private addresses after DNS resolution, on every connection: every request,
    every redirect hop, and a name that resolves differently the second time (DNS
    rebinding) are all judged by the address actually connected to, never by URL text."""

    def __init__(self, *args, public: Collection[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._public = frozenset(public)  # tests: addresses to treat as the public internet

    async def _resolve_host(self, host: str, port: int, traces: Sequence | None = None
                            ) -> list[ResolveResult]:
        hosts = await super()._resolve_host(host, port, traces=traces)
        for h in hosts:
            if h["host"] not in self._public and is_private(h["host"]):
                raise PrivateAddress(host.strip("[]"))
        return hosts
