"""Fixtures shared by the DNS tests: a real DNS server on 127.0.0.1 answering from
tests/zones, a guard that lets sockets reach nothing else, and a resolver pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bouncefix.dns.resolver import Resolver
from dns_server import DnsServer, LocalOnly, guarded


@pytest.fixture(scope="module")
def server() -> Iterator[DnsServer]:
    with DnsServer() as running:
        yield running


@pytest.fixture(autouse=True)
def local_only(server: DnsServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalOnly]:
    with guarded(server, monkeypatch) as guard:
        yield guard


@pytest.fixture
def resolver(server: DnsServer) -> Resolver:
    return Resolver([server.address], timeout=0.3, budget=3.0)
