"""The parts of the SMTP probe on their own: reading replies within limits, the
certificate reader (checked against the ``cryptography`` package), host name matching,
and the targets the command line names."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bouncefix.dns.validate import TargetError
from bouncefix.smtp.deadline import Deadline
from bouncefix.smtp.session import MAX_LINE, Reply, Session, SessionError
from bouncefix.smtp.targets import split_host_port
from bouncefix.smtp.tls import TlsInfo, certificate_check, names_host
from bouncefix.smtp.x509 import Certificate, CertificateError, parse_certificate


@pytest.fixture
def pair() -> Iterator[tuple[Session, socket.socket]]:
    ours, theirs = socket.socketpair()
    session = Session(ours, Deadline.after(3.0, 0.5))
    yield session, theirs
    ours.close()
    theirs.close()


# -- replies ----------------------------------------------------------------------------

def test_multiline_reply(pair: tuple[Session, socket.socket]) -> None:
    session, server = pair
    server.sendall(b"250-mx.example.org Hello\r\n250-SIZE 1000\r\n250 SMTPUTF8\r\n")
    reply = session.read_reply()
    assert reply == Reply(250, ("mx.example.org Hello", "SIZE 1000", "SMTPUTF8"))
    assert reply.first == "250 mx.example.org Hello"
    assert reply.joined() == "250-mx.example.org Hello 250-SIZE 1000 250 SMTPUTF8"


def test_bare_lf_and_bare_code(pair: tuple[Session, socket.socket]) -> None:
    session, server = pair
    server.sendall(b"220\n")
    assert session.read_reply() == Reply(220, ("",))


@pytest.mark.parametrize("data,kind", [
    (b"hello there\r\n", "malformed"),
    (b"2500 x\r\n", "malformed"),
    (b"650 x\r\n", "malformed"),
    (b"250-x\r\n" * 101, "too-long"),
    ((b"250-" + b"y" * 900 + b"\r\n") * 19 + b"250 end\r\n", "too-long"),
    (b"220 " + b"z" * (MAX_LINE + 10), "too-long"),  # no line end: not waited for
    (b"220 " + b"z" * 5000 + b"\r\n", "too-long"),
])
def test_replies_beyond_the_limits(pair: tuple[Session, socket.socket], data: bytes,
                                   kind: str) -> None:
    session, server = pair
    server.sendall(data)
    started = time.monotonic()
    with pytest.raises(SessionError) as raised:
        session.read_reply()
    assert raised.value.kind == kind
    assert time.monotonic() - started < 0.4


def test_closed_connection(pair: tuple[Session, socket.socket]) -> None:
    session, server = pair
    server.sendall(b"220-partial\r\n")
    server.close()
    with pytest.raises(SessionError) as raised:
        session.read_reply()
    assert raised.value.kind == "closed"


def test_a_dripping_reply_ends_at_the_step_limit(pair: tuple[Session, socket.socket]) -> None:
    session, server = pair
    stop = threading.Event()

    def drip() -> None:
        while not stop.wait(0.05):
            server.sendall(b"2")

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(SessionError) as raised:
            session.read_reply(step=0.5)
    finally:
        stop.set()
        thread.join()
    assert raised.value.kind in ("timeout", "malformed", "too-long")
    assert time.monotonic() - started < 0.9


def test_timeout_says_whether_the_budget_ended_it() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        with pytest.raises(SessionError) as raised:
            Session(ours, Deadline.after(0.3, 5.0)).read_reply()
        assert raised.value.kind == "timeout" and raised.value.budget_bound
        with pytest.raises(SessionError) as raised:
            Session(ours, Deadline.after(5.0, 0.2)).read_reply()
        assert raised.value.kind == "timeout" and not raised.value.budget_bound
        assert 0.15 < raised.value.waited < 0.5


# -- certificates ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> object:
    pytest.importorskip("cryptography")
    from smtp_server import Pki

    return Pki(tmp_path_factory.mktemp("pki-parts"))


def _der(path: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(Path(path).read_bytes()).public_bytes(
        serialization.Encoding.DER)


def test_certificate_fields_match_the_cryptography_package(pki: object) -> None:
    from cryptography import x509

    cert_file, _ = pki.issue("fields", ("mx.example.org", "*.example.org"),  # type: ignore[attr-defined]
                             ("192.0.2.25", "2001:db8::25"), days=(-2, 30))
    der = _der(cert_file)
    oracle = x509.load_der_x509_certificate(der)
    ours = parse_certificate(der)
    assert ours.not_before == oracle.not_valid_before_utc
    assert ours.not_after == oracle.not_valid_after_utc
    san = oracle.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert list(ours.dns_names) == san.get_values_for_type(x509.DNSName)
    assert list(ours.ip_addresses) == [str(a) for a in san.get_values_for_type(x509.IPAddress)]
    assert ours.subject_cn == ("mx.example.org",)
    assert ours.issuer == "bouncefix test CA (bouncefix tests)" and not ours.self_issued
    ca = parse_certificate(_der(pki.ca_file))  # type: ignore[attr-defined]
    assert ca.self_issued and ca.dns_names == ()


def test_every_truncation_is_refused_cleanly(pki: object) -> None:
    cert_file, _ = pki.issue("cut", ("mx.example.org",))  # type: ignore[attr-defined]
    der = _der(cert_file)
    for end in range(len(der)):
        with pytest.raises(CertificateError):
            parse_certificate(der[:end])
    for junk in (b"\x30\x84\xff\xff\xff\xff", b"\x1f\x01", b"\x30\x00", bytes(70000)):
        with pytest.raises(CertificateError):
            parse_certificate(junk)


def _cert(dns: tuple[str, ...] = (), ips: tuple[str, ...] = (), cn: tuple[str, ...] = (),
          days: tuple[int, int] = (-1, 90)) -> Certificate:
    now = datetime.now(timezone.utc)
    return Certificate(cn, "", "CA", "", now + timedelta(days=days[0]),
                       now + timedelta(days=days[1]), dns, ips, False)


@pytest.mark.parametrize("patterns,host,expected", [
    (("mx.example.org",), "MX.Example.org.", True),
    (("*.example.org",), "mx.example.org", True),
    (("*.example.org",), "a.mx.example.org", False),
    (("*.example.org",), "example.org", False),
    (("m*.example.org",), "mx.example.org", False),
    (("*.org",), "example.org", False),
    (("other.example.org",), "mx.example.org", False),
])
def test_host_name_matching(patterns: tuple[str, ...], host: str, expected: bool) -> None:
    assert names_host(_cert(dns=patterns), host) is expected


def test_addresses_and_common_name_fallback() -> None:
    assert names_host(_cert(ips=("192.0.2.25",)), "192.0.2.25")
    assert not names_host(_cert(dns=("192.0.2.25",)), "192.0.2.25")
    assert names_host(_cert(cn=("mx.example.org",)), "mx.example.org")
    assert not names_host(_cert(dns=("a.example.org",), cn=("mx.example.org",)),
                          "mx.example.org")


def test_certificate_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    import bouncefix.smtp.tls as tls

    def verdict(cert: Certificate, verify_error: str = "", strict: bool = False) -> tuple[str, str]:
        monkeypatch.setattr(tls, "parse_certificate", lambda der: cert)
        check = certificate_check(TlsInfo("TLSv1.3", "X", 256, b"x", verify_error),
                                  "mx.example.org", strict)
        return check.status, check.summary

    good = _cert(dns=("mx.example.org",))
    assert verdict(good)[0] == "pass"
    assert verdict(_cert(dns=("mx.example.org",), days=(-9, -1)))[0] == "fail"
    assert verdict(_cert(dns=("mx.example.org",), days=(2, 9)))[1].endswith(
        f"is not valid before {(datetime.now(timezone.utc) + timedelta(days=2)):%Y-%m-%d}")
    assert verdict(_cert(dns=("other.example.org",))) == (
        "warn", "certificate of mx.example.org does not name mx.example.org")
    assert verdict(_cert(dns=("other.example.org",)), strict=True)[0] == "fail"
    assert verdict(good, "unable to get local issuer certificate") == (
        "warn", "certificate of mx.example.org is not trusted (unable to get local issuer "
                "certificate)")
    status, summary = verdict(_cert(days=(-9, -1)), "self-signed certificate")
    assert status == "fail" and "expired on" in summary and "does not name" in summary


# -- targets -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("mx.example.org", ("mx.example.org", None)),
    ("MX.example.org:2525", ("mx.example.org", 2525)),
    ("192.0.2.25:25", ("192.0.2.25", 25)),
    ("[2001:db8::25]:587", ("2001:db8::25", 587)),
    ("2001:db8::25", ("2001:db8::25", None)),
    ("[2001:db8::25]", ("2001:db8::25", None)),
])
def test_host_and_port(text: str, expected: tuple[str, int | None]) -> None:
    assert split_host_port(text, allow_private=False) == expected


@pytest.mark.parametrize("text", [
    "127.0.0.1", "10.0.0.1:25", "[::1]:25", "fe80::1", "localhost", "printer.local",
    "mx.example.org:99999", "mx.example.org:x", "[2001:db8::1]x", "exa\u200bmple.org",
    "https://mx.example.org/", "0.0.0.0", "224.0.0.1",
])
def test_refused_hosts(text: str) -> None:
    with pytest.raises(TargetError):
        split_host_port(text, allow_private=False)


def test_allow_private_lets_loopback_through_but_not_unspecified() -> None:
    assert split_host_port("127.0.0.1:2525", allow_private=True) == ("127.0.0.1", 2525)
    assert split_host_port("[::1]:25", allow_private=True) == ("::1", 25)
    for text in ("0.0.0.0", "224.0.0.1", "localhost"):
        with pytest.raises(TargetError):
            split_host_port(text, allow_private=True)


def test_addresses_from_dns_or_mx_records_are_validated_too() -> None:
    from bouncefix.dns.resolver import Resolver
    from bouncefix.smtp.targets import addresses_of

    resolver = Resolver(budget=0.1)  # not asked: these are addresses already
    assert addresses_of("192.0.2.25", resolver, False).usable == ("192.0.2.25",)
    for private in ("127.0.0.1", "10.1.2.3", "::1", "169.254.1.1"):
        found = addresses_of(private, resolver, False)
        assert not found.usable and "--allow-private" in found.problem
    assert addresses_of("127.0.0.1", resolver, True).usable == ("127.0.0.1",)
    assert not addresses_of("0.0.0.0", resolver, True).usable
