"""Validation before any query, and the resolver against the local test DNS server."""

from __future__ import annotations

import ipaddress
import threading
import time

import pytest

from bouncefix.dns.model import Check
from bouncefix.dns.resolver import Resolver
from bouncefix.dns.validate import (
    TargetError,
    check_ip,
    check_name,
    classify_target,
    parse_nameserver,
)
from dns_server import DnsServer, LocalOnly, silent_socket

# -- validation -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1",
                                  "[2001:db8::25]", "8.8.8.8", "2001:4860::8888"])
def test_public_and_documentation_addresses_are_allowed(text: str) -> None:
    assert check_ip(text) == ipaddress.ip_address(text.strip("[]"))


def test_documentation_ranges_are_private_to_python_but_allowed_here() -> None:
    assert ipaddress.ip_address("192.0.2.1").is_private
    assert str(check_ip("192.0.2.1")) == "192.0.2.1"


@pytest.mark.parametrize("text", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1", "0.0.0.0",
    "224.0.0.1", "255.255.255.255", "100.64.0.1", "::1", "::", "fe80::1", "fc00::1",
    "ff02::1", "::ffff:127.0.0.1", "2001:db8::1%eth0", "1.2.3", "example.org", "",
])
def test_refused_addresses(text: str) -> None:
    with pytest.raises(TargetError):
        check_ip(text)


# IPv6 forms that carry an IPv4 address are judged by the IPv4 address they carry.
@pytest.mark.parametrize(("text", "carried", "refused"), [
    ("::ffff:127.0.0.1", "127.0.0.1", True),  # IPv4-mapped
    ("::ffff:a00:1", "10.0.0.1", True),
    ("::ffff:8.8.8.8", "8.8.8.8", False),
    ("::127.0.0.1", "127.0.0.1", True),  # IPv4-compatible (deprecated)
    ("::192.168.0.1", "192.168.0.1", True),
    ("::2", "0.0.0.2", True),
    ("::8.8.8.8", "8.8.8.8", False),
    ("64:ff9b::7f00:1", "127.0.0.1", True),  # NAT64 well-known prefix
    ("64:ff9b::10.1.2.3", "10.1.2.3", True),
    ("64:ff9b::a9fe:a9fe", "169.254.169.254", True),
    ("64:ff9b::808:808", "8.8.8.8", False),
    ("64:ff9b::c000:20a", "192.0.2.10", False),  # documentation: allowed
    ("2002:7f00:1::", "127.0.0.1", True),  # 6to4
    ("2002:a00:1::", "10.0.0.1", True),
    ("2002:c0a8:101::1", "192.168.1.1", True),
    ("2002:808:808::1", "8.8.8.8", False),
    # Teredo: server 65.54.227.120, client XOR-obfuscated in the last 32 bits
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "10.0.0.1", True),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1", True),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "192.0.2.45", False),  # RFC 4380's example
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "8.8.8.8", False),
    ("2001:0:a00:1:8000:63bf:f7f7:f7f7", "10.0.0.1", True),  # a private server address
])
def test_ipv6_forms_carrying_ipv4(text: str, carried: str, refused: bool) -> None:
    if refused:
        with pytest.raises(TargetError, match=carried.replace(".", r"\.")):
            check_ip(text)
        with pytest.raises(TargetError):
            classify_target(text)
    else:
        mapped = text.startswith("::ffff:")  # checked as the IPv4 address itself
        assert check_ip(text) == ipaddress.ip_address(carried if mapped else text)


@pytest.mark.parametrize("text", ["64:ff9b:1::808:808", "64:ff9b:1:ffff::1"])
def test_local_use_nat64_is_refused(text: str) -> None:
    with pytest.raises(TargetError, match="local-use NAT64"):
        check_ip(text)


def test_reverse_names_of_carrying_forms_are_refused(resolver: Resolver) -> None:
    for text in ("64:ff9b::7f00:1", "2002:a00:1::", "::127.0.0.1"):
        assert resolver.reverse(text).status == "invalid"
    name = "1.0.0.0.0.0.f.7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0.ip6.arpa"
    assert resolver.query(name, "PTR").status == "invalid"
    assert resolver.sent == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("Example.ORG.", "example.org"),
    ("_dmarc.example.org", "_dmarc.example.org"),
    ("bücher.example", "xn--bcher-kva.example"),
    ("10.2.0.192.in-addr.arpa", "10.2.0.192.in-addr.arpa"),
])
def test_names_are_normalised(text: str, expected: str) -> None:
    assert check_name(text) == expected


@pytest.mark.parametrize("text", [
    "localhost", "printer.local", "db.internal", "router.home.arpa", "x.localhost",
    "exa\u200bmple.org", "exa\u00admple.org", "example\u202e.org", "ex\x1bample.org",
    "ex ample.org", "a..example.org", "-a.example.org", "a-.example.org",
    "a" * 64 + ".example.org", ("a" * 60 + ".") * 5 + "org", "example", "1.2.3.4",
    "1.0.0.127.in-addr.arpa", "2.0.192.in-addr.arpa", "in-addr.arpa", "foo.arpa",
    "example.o_rg", "exam!ple.org", "",
])
def test_refused_names(text: str) -> None:
    with pytest.raises(TargetError):
        check_name(text)


def test_refusal_message_shows_hidden_characters() -> None:
    with pytest.raises(TargetError, match=r"\\u200b"):
        check_name("exa\u200bmple.org")


@pytest.mark.parametrize(("text", "expected"), [
    ("example.org", ("domain", "example.org")),
    ("jane@Example.org", ("domain", "example.org")),
    ("192.0.2.25", ("ip", "192.0.2.25")),
    ("[2001:DB8::25]", ("ip", "2001:db8::25")),
])
def test_classify_target(text: str, expected: tuple[str, str]) -> None:
    assert classify_target(text) == expected


@pytest.mark.parametrize("text", ["10.0.0.1", "1.2.3", "localhost", "  ", "::1", "a@b"])
def test_classify_refuses(text: str) -> None:
    with pytest.raises(TargetError):
        classify_target(text)


@pytest.mark.parametrize(("spec", "expected"), [
    ("127.0.0.1:5353", ("127.0.0.1", 5353)),
    ("192.0.2.53", ("192.0.2.53", 53)),
    ("10.0.0.1", ("10.0.0.1", 53)),
    ("::1", ("::1", 53)),
    ("[::1]:5353", ("::1", 5353)),
    ("[2001:db8::53]", ("2001:db8::53", 53)),
])
def test_nameserver_specs(spec: str, expected: tuple[str, int]) -> None:
    assert parse_nameserver(spec) == expected


@pytest.mark.parametrize("spec", ["ns.example.org", "1.2.3.4:0", "1.2.3.4:x", "0.0.0.0",
                                  "[::1]x", "1.2.3.4:70000", "224.0.0.1"])
def test_bad_nameserver_specs(spec: str) -> None:
    with pytest.raises(TargetError):
        parse_nameserver(spec)


def test_check_text_is_sanitised_and_capped() -> None:
    check = Check("ptr", "fail", "\x1b[31mred\x1b[0m \u202eevil", ("x" * 5000, "\x07"), "s\x1b")
    assert check.summary == "red evil"
    assert len(check.details) == 1 and len(check.details[0]) <= 400
    assert check.subject == "s"


# -- resolver against the test server -----------------------------------------------------

def test_answers(resolver: Resolver) -> None:
    assert resolver.query("mx1.example.org", "A").values == ("192.0.2.10",)
    assert sorted(resolver.query("example.org", "MX").values) == ["10 mx1.example.org",
                                                                  "20 mx2.example.org"]
    assert resolver.addresses("mx1.example.org").values == ("192.0.2.10", "2001:db8::10")
    assert resolver.query("example.org", "TXT").ok
    assert resolver.reverse("192.0.2.10").values == ("mx1.example.org",)
    assert resolver.reverse("2001:db8::10").values == ("mx1.example.org",)


def test_cname_is_followed(resolver: Resolver) -> None:
    assert resolver.query("www.example.org", "A").values == ("192.0.2.12",)


def test_nxdomain_and_nodata(resolver: Resolver) -> None:
    assert resolver.query("gone.example.net", "A").status == "nxdomain"
    assert resolver.query("mx2.example.org", "AAAA").status == "nodata"
    assert resolver.query("_domainkey.example.org", "TXT").status == "nodata"  # empty non-terminal
    assert resolver.addresses("gone.example.net").status == "nxdomain"
    assert resolver.addresses("_spf.example.net").status == "nodata"


def test_servfail_and_refused(resolver: Resolver) -> None:
    answer = resolver.query("broken.example.net", "A")
    assert answer.status == "servfail" and answer.failed
    refused = resolver.query("www.example", "A")  # outside the server's zones
    assert refused.failed and "refused" in refused.reason


def test_timeout_is_bounded(resolver: Resolver) -> None:
    start = time.monotonic()
    answer = resolver.query("blackhole.example.net", "A")
    assert answer.status == "timeout" and answer.reason == "timeout"
    assert time.monotonic() - start < 1.0


def test_truncated_answer_is_retried_over_tcp(resolver: Resolver, server: DnsServer) -> None:
    answer = resolver.query("big.example.net", "TXT")
    assert answer.ok and len(answer.values) == 2
    assert sum(len(value) for value in answer.values) > 1232
    assert ("tcp", "big.example.net", "TXT") in server.queries("tcp")


def test_forced_truncation_goes_to_tcp(resolver: Resolver, server: DnsServer) -> None:
    answer = resolver.query("tc.example.net", "TXT")
    assert answer.values == ("v=spf1 ip4:198.51.100.0/24 -all",)
    assert ("udp", "tc.example.net", "TXT") in server.queries("udp")
    assert ("tcp", "tc.example.net", "TXT") in server.queries("tcp")


def test_stray_replies_are_ignored(resolver: Resolver, server: DnsServer) -> None:
    # Before the answer the server sends a reply with the wrong ID, one with the wrong
    # ID and TC set, one for another name, one for another type, and junk bytes.
    answer = resolver.query("spoof.example.net", "A")
    assert answer.status == "ok" and answer.values == ("198.51.100.77",)
    assert "192.0.2.66" not in answer.values
    assert server.queries().count(("udp", "spoof.example.net", "A")) == 1  # no retry
    assert ("tcp", "spoof.example.net", "A") not in server.queries("tcp")  # the TC stray
    txt = resolver.query("spoof.example.net", "TXT")
    assert txt.values == ("v=spf1 ip4:198.51.100.77 -all",)


def test_stray_replies_do_not_extend_the_wait(server: DnsServer) -> None:
    resolver = Resolver([server.address], timeout=0.3, budget=3.0)
    start = time.monotonic()
    answer = resolver.query("strays.example.net", "A")
    assert answer.status == "timeout" and answer.values == ()
    assert time.monotonic() - start < 0.6
    assert server.queries().count(("udp", "strays.example.net", "A")) == 2  # two rounds


def test_answers_are_cached(resolver: Resolver, server: DnsServer) -> None:
    before = len(server.queries())
    for _ in range(3):
        resolver.query("mx2.example.org", "A")
    assert len(server.queries()) == before + 1 and resolver.sent == 1


def test_concurrent_asks_share_one_query(resolver: Resolver, server: DnsServer) -> None:
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        resolver.query("blackhole.example.net", "MX"))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert resolver.sent == 1 and {r.status for r in results} == {"timeout"}


def test_refused_names_are_never_sent(resolver: Resolver, server: DnsServer) -> None:
    before = len(server.queries())
    for name in ("localhost", "printer.local", "exa\u200bmple.org", "1.0.0.127.in-addr.arpa"):
        assert resolver.query(name, "A").status == "invalid"
    assert resolver.reverse("127.0.0.1").status == "invalid"
    assert resolver.reverse("10.0.0.1").status == "invalid"
    assert len(server.queries()) == before and resolver.sent == 0


def test_budget_ends_every_query(server: DnsServer) -> None:
    resolver = Resolver([server.address], timeout=0.3, budget=0.5)
    start = time.monotonic()
    answers = [resolver.query(f"n{i}.blackhole.example.net", "A") for i in range(6)]
    assert time.monotonic() - start < 1.0
    assert all(answer.status == "timeout" for answer in answers)
    assert "budget" in answers[-1].reason


def test_no_reachable_nameserver(local_only: LocalOnly) -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        local_only.allow(host, port)
        resolver = Resolver([f"{host}:{port}"], timeout=0.2, budget=1.0)
        start = time.monotonic()
        assert resolver.query("example.org", "MX").status == "timeout"
        assert time.monotonic() - start < 0.6


def test_bad_nameserver_is_refused_up_front() -> None:
    with pytest.raises(TargetError):
        Resolver(["ns.example.org"])


def test_the_guard_stops_the_system_resolver(local_only: LocalOnly) -> None:
    resolver = Resolver(timeout=0.2, budget=0.5)  # no nameserver: the system's
    answer = resolver.query("example.org", "A")
    assert answer.failed  # refused by the guard, or no system configuration at all
    assert local_only.refused or answer.status == "error"
    local_only.refused.clear()
