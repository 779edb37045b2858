"""Fixtures of the SMTP probe tests: a DNS server on 127.0.0.1 answering from
tests/smtp/zones (probe.example), a guard that lets sockets reach only the servers a
test started, SMTP servers on loopback addresses, and certificates made in the test."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from dns_server import DnsServer, LocalOnly, guarded
from smtp_server import Behaviour, Certificates, Pki, SmtpServer, StartServer

ZONES = Path(__file__).resolve().parent / "zones"


@pytest.fixture(scope="module")
def dns() -> Iterator[DnsServer]:
    with DnsServer(zone_dir=ZONES) as running:
        yield running


@pytest.fixture(autouse=True)
def local_only(dns: DnsServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalOnly]:
    with guarded(dns, monkeypatch) as guard:
        monkeypatch.delenv("BOUNCEFIX_SMTP_PASSWORD", raising=False)
        yield guard


@pytest.fixture
def start(local_only: LocalOnly) -> Iterator[StartServer]:
    """Start an SMTP server: ``start(Behaviour(...), context, host="127.0.0.1")``."""
    servers: list[SmtpServer] = []

    def run(behaviour: Behaviour | None = None, context: ssl.SSLContext | None = None,
            host: str = "127.0.0.1", port: int = 0) -> SmtpServer:
        server = SmtpServer(behaviour or Behaviour(), context, host, port).__enter__()
        servers.append(server)
        local_only.allow(host, server.port)
        return server

    yield run
    for server in servers:
        server.__exit__(None, None, None)


NAMES = ("mail.probe.example", "mx2.probe.example", "both.probe.example",
         "implicit.probe.example")
ADDRESSES = ("127.0.0.1", "::1")


@pytest.fixture(scope="session")
def made_certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    pytest.importorskip("cryptography")
    pki = Pki(tmp_path_factory.mktemp("pki"))
    return Certificates(
        pki=pki,
        good=pki.context(*pki.issue("good", NAMES, ADDRESSES)),
        expired=pki.context(*pki.issue("expired", NAMES, ADDRESSES, days=(-90, -3))),
        wrong_name=pki.context(*pki.issue("wrong", ("elsewhere.example",))),
        self_signed=pki.context(*pki.issue("self", NAMES, ADDRESSES, self_signed=True)),
        expiring=pki.context(*pki.issue("expiring", NAMES, ADDRESSES, days=(-80, 5))),
    )


@pytest.fixture
def certificates(made_certificates: Certificates,
                 monkeypatch: pytest.MonkeyPatch) -> Certificates:
    """The certificates, with the test CA as the only trusted one (SSL_CERT_FILE)."""
    monkeypatch.setenv("SSL_CERT_FILE", made_certificates.pki.ca_file)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return made_certificates
