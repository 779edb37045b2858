"""Every check's pass / warn / fail / error paths, against the local test DNS server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from bouncefix.dns import dmarc as dmarc_module
from bouncefix.dns.dkim import check_dkim, rsa_bits
from bouncefix.dns.dmarc import check_dmarc, organisational_domain
from bouncefix.dns.dnsbl import check_dnsbl, interpret, meaning, query_name
from bouncefix.dns.model import Check
from bouncefix.dns.mtasts import check_mta_sts, check_tls_rpt
from bouncefix.dns.mx import check_mx
from bouncefix.dns.ptr import check_fcrdns, check_ptr, looks_generic
from bouncefix.dns.resolver import Resolver
from bouncefix.dns.runner import Options, check_targets
from bouncefix.dns.spf import check_spf
from bouncefix.dns.spf_parse import parse_spf, parse_term
from dns_server import LocalOnly, silent_socket


def expect(check: Check, status: str, *words: str) -> None:
    text = " | ".join((check.summary, *check.details))
    assert check.status == status, text
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"


# -- mx ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("domain", "status", "words"), [
    ("example.org", "pass", ("2 MX hosts", "10 mx1.example.org: 192.0.2.10, 2001:db8::10")),
    ("nullmx.example.net", "fail", ("accepts no mail (null MX, RFC 7505)",)),
    ("badnullmx.example.net", "fail", ("malformed null MX",)),
    ("nomx.example.net", "warn", ("no MX record", "198.51.100.30")),
    ("nothing.example.net", "fail", ("nothing.example.net has no MX and no A record",)),
    ("gone.example.net", "fail", ("does not exist (NXDOMAIN)",)),
    ("dangling.example.net", "fail", ("no MX host", "gone.example.net: does not resolve")),
    ("loopmx.example.net", "fail", ("127.0.0.1 is a loopback address",)),
    ("nat64mx.example.net", "fail", ("64:ff9b::7f00:1 is a NAT64 address carrying 127.0.0.1",)),
    ("ipmx.example.net", "fail", ("192.0.2.1",)),
    ("halfmx.example.net", "warn", ("some MX hosts", "198.51.100.25")),
    ("broken.example.net", "error", ("could not check: server failure",)),
    ("blackhole.example.net", "error", ("could not check: timeout",)),
    ("slowmx.example.net", "error", ("could not check", "timeout")),
])
def test_mx(resolver: Resolver, domain: str, status: str, words: tuple[str, ...]) -> None:
    expect(check_mx(domain, resolver), status, *words)


# -- spf --------------------------------------------------------------------------------

@pytest.mark.parametrize(("domain", "status", "words"), [
    ("example.org", "pass", ("valid (-all, 1 DNS lookup)",)),
    ("redir.example.net", "pass", ("redirect=_spf.example.net",)),
    ("softfail.example.net", "pass", ("~all",)),
    ("big.example.net", "pass", ("valid",)),
    ("tc.example.net", "pass", ("valid",)),
    ("macro.example.net", "pass", ("valid",)),
    ("example.com", "pass", ("1 DNS lookup",)),
    ("neutral.example.net", "warn", ("'?all'",)),
    ("noall.example.net", "warn", ("no 'all'",)),
    ("ptrspf.example.net", "warn", ("deprecates",)),
    ("plusall.example.net", "fail", ("'+all'",)),
    ("twospf.example.net", "fail", ("has 2 SPF records",)),
    ("badspf.example.net", "fail", ("bad address", "unknown mechanism 'frob'")),
    ("toomany.example.net", "fail", ("needs 13 DNS lookups, over the limit of 10",)),
    ("voids.example.net", "fail", ("3 void lookups, over the limit of 2",)),
    ("redirbad.example.net", "fail", ("redirect=nothing.example.net has no SPF record",)),
    ("incmissing.example.net", "fail", ("include:gone.example.net does not exist",)),
    ("loop.example.net", "fail", ("loops",)),
    ("nothing.example.net", "fail", ("nothing.example.net has no SPF record",)),
    ("gone.example.net", "fail", ("does not exist (NXDOMAIN)",)),
    ("broken.example.net", "error", ("could not check: server failure",)),
    ("slowinc.example.net", "error", ("could not check", "include:blackhole.example.net",
                                      "timeout")),
])
def test_spf(resolver: Resolver, domain: str, status: str, words: tuple[str, ...]) -> None:
    expect(check_spf(domain, resolver), status, *words)


@pytest.mark.parametrize(("domain", "ip", "status", "words"), [
    ("example.org", "192.0.2.5", "pass", ("SPF of example.org covers 192.0.2.5",)),
    ("example.org", "198.51.100.9", "pass", ("covers",)),  # via include:_spf.example.net
    ("example.org", "2001:db8:1::9", "pass", ("covers",)),
    ("example.org", "203.0.113.5", "fail",
     ("SPF of example.org does not cover 203.0.113.5 (result: fail)",)),
    ("example.com", "192.0.2.10", "pass", ("covers",)),  # mx -> mx1.example.org
    ("example.com", "2001:db8::10", "pass", ("covers",)),
    ("example.com", "192.0.2.11", "fail", ("does not cover",)),
    ("mxspf.example.net", "198.51.100.25", "pass", ("covers",)),
    ("redir.example.net", "198.51.100.3", "pass", ("covers",)),
    ("softfail.example.net", "203.0.113.1", "fail", ("result: softfail",)),
    ("neutral.example.net", "203.0.113.1", "warn", ("result: neutral",)),
    ("macro.example.net", "203.0.113.1", "fail",
     ("does not cover", "expands to '203.0.113.1.spf.example.net'")),
    ("macro.example.net", "198.51.100.7", "pass", ("covers",)),
    ("toomany.example.net", "198.51.100.25", "fail", ("needs 13 DNS lookups",)),
    ("slowinc.example.net", "203.0.113.1", "error", ("could not check",)),
])
def test_spf_for_an_address(resolver: Resolver, domain: str, ip: str, status: str,
                            words: tuple[str, ...]) -> None:
    expect(check_spf(domain, resolver, ip), status, *words)


@pytest.mark.parametrize(("word", "mechanism", "value", "cidr4", "cidr6"), [
    ("-all", "all", "", 32, 128),
    ("a", "a", "", 32, 128),
    ("a/24", "a", "", 24, 128),
    ("mx:Example.org/24//64", "mx", "example.org", 24, 64),
    ("a://64", "a", "", 32, 64),
    ("include:_spf.example.net", "include", "_spf.example.net", 32, 128),
    ("exists:%{i}.spf.example.net", "exists", "%{i}.spf.example.net", 32, 128),
])
def test_spf_terms(word: str, mechanism: str, value: str, cidr4: int, cidr6: int) -> None:
    term = parse_term(word)
    assert (term.mechanism, term.value, term.cidr4, term.cidr6) == (mechanism, value, cidr4,
                                                                     cidr6)


@pytest.mark.parametrize("word", ["ip4:192.0.2.0/33", "ip4:2001:db8::1", "ip6:192.0.2.1",
                                  "ip4", "include", "all:x", "foo", "a/33", "include:/24",
                                  "exists:%{", "a:localhost", "ip4:192.0.2.0/", "a/024"])
def test_bad_spf_terms(word: str) -> None:
    with pytest.raises(ValueError):
        parse_term(word)


def test_spf_modifiers() -> None:
    record = parse_spf("v=spf1 redirect=a.example.org redirect=b.example.org exp=x.example.org")
    assert record.redirect is not None and record.problems == ["modifier redirect= appears twice"]
    assert parse_spf("v=spf1 unknown-mod=whatever -all").problems == []


# -- dmarc ------------------------------------------------------------------------------

@pytest.mark.parametrize(("domain", "status", "words"), [
    ("example.org", "pass", ("p=reject", "DKIM strict, SPF relaxed", "mailto:dmarc@")),
    ("mail.example.org", "pass", ("p=quarantine", "organisational domain", "sp= of")),
    ("nonepol.example.net", "warn", ("'none'",)),
    ("pct.example.net", "warn", ("only 50%",)),
    ("norua.example.net", "warn", ("no rua=",)),
    ("baddmarc.example.net", "fail", ("invalid", "p=")),
    ("badrua.example.net", "fail", ("not a mailto: address",)),
    ("twodmarc.example.net", "fail", ("2 DMARC records",)),
    ("example.com", "fail", ("example.com has no DMARC record",)),
    ("sub.example.com", "fail", ("nor has its organisational domain example.com",)),
    ("a.b.example.co.uk", "pass", ("p=reject", "_dmarc.example.co.uk (organisational domain)")),
    ("mail.city.kawasaki.jp", "pass",
     ("p=reject", "_dmarc.city.kawasaki.jp (organisational domain)")),
    ("mail.shop.ward.kawasaki.jp", "pass",
     ("p=quarantine", "_dmarc.shop.ward.kawasaki.jp (organisational domain)")),
    ("mail.www.ck", "pass", ("p=reject", "_dmarc.www.ck (organisational domain)")),
    ("mail.shop.foo.ck", "pass", ("p=quarantine", "_dmarc.shop.foo.ck (organisational domain)")),
    ("broken.example.net", "error", ("could not check: server failure",)),
])
def test_dmarc(resolver: Resolver, domain: str, status: str, words: tuple[str, ...]) -> None:
    expect(check_dmarc(domain, resolver), status, *words)


@pytest.mark.parametrize(("domain", "org"), [
    ("example.org", "example.org"), ("mail.example.org", "example.org"),
    ("a.b.example.co.uk", "example.co.uk"), ("example.co.uk", "example.co.uk"),
    ("co.uk", "co.uk"),  # a public suffix itself: no organisational domain above it
    ("mail.example.com.au", "example.com.au"),
    ("a.b.c.example.ac.jp", "example.ac.jp"),
    ("mail.city.kawasaki.jp", "city.kawasaki.jp"),  # !city.kawasaki.jp
    ("mail.shop.ward.kawasaki.jp", "shop.ward.kawasaki.jp"),  # *.kawasaki.jp
    ("ward.kawasaki.jp", "ward.kawasaki.jp"),
    ("mail.shop.foo.ck", "shop.foo.ck"),  # *.ck
    ("foo.ck", "foo.ck"),
    ("mail.www.ck", "www.ck"),  # !www.ck
    ("www.ck", "www.ck"),
    ("mail.user.github.io", "user.github.io"),  # private section of the list
    ("a.b.example", "b.example"),  # unknown top-level domain: one label
    ("mail.xn--bcher-kva.xn--p1ai", "xn--bcher-kva.xn--p1ai"),  # IDN (.рф)
    ("Mail.Example.CO.UK", "example.co.uk"),
])
def test_organisational_domain(domain: str, org: str) -> None:
    assert organisational_domain(domain) == org


def test_the_suffix_list_is_loaded_only_when_dmarc_needs_it() -> None:
    code = (
        "import sys\n"
        "import bouncefix.dns.runner, bouncefix.dns.dmarc, bouncefix.dns.spf_eval\n"
        "assert 'publicsuffixlist' not in sys.modules, 'imported at import time'\n"
        "from bouncefix.dns.dmarc import organisational_domain\n"
        "assert organisational_domain('a.example.co.uk') == 'example.co.uk'\n"
        "assert 'publicsuffixlist' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_domain_with_its_own_dmarc_record_needs_no_suffix_list(
        resolver: Resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(domain: str) -> str:
        raise AssertionError("the suffix list was consulted")

    monkeypatch.setattr(dmarc_module, "organisational_domain", refuse)
    expect(check_dmarc("example.org", resolver), "pass", "p=reject")


# -- dkim -------------------------------------------------------------------------------

@pytest.mark.parametrize(("selector", "status", "words"), [
    ("s2048", "pass", ("RSA 2048 bits",)),
    ("ed", "pass", ("Ed25519",)),
    ("s1024", "warn", ("RSA 1024 bits; 2048 is recommended",)),
    ("testing", "warn", ("testing mode",)),
    ("s512", "fail", ("too weak (RSA 512 bits",)),
    ("revoked", "fail", ("revoked",)),
    ("garbage", "fail", ("not valid base64",)),
    ("notakey", "fail", ("holds no DKIM key",)),
    ("nope", "fail", ("no DKIM key for selector nope",)),
])
def test_dkim(resolver: Resolver, selector: str, status: str, words: tuple[str, ...]) -> None:
    expect(check_dkim("example.org", selector, resolver), status, *words)


def test_dkim_error(resolver: Resolver) -> None:
    expect(check_dkim("broken.example.net", "s1", resolver), "error", "could not check")


def test_rsa_bits_reads_pkcs1_and_rejects_junk() -> None:
    modulus = (1 << 2047) | 1
    body = b"\x02\x82\x01\x01\x00" + modulus.to_bytes(256, "big") + b"\x02\x03\x01\x00\x01"
    pkcs1 = b"\x30\x82" + len(body).to_bytes(2, "big") + body
    assert rsa_bits(pkcs1) == 2048
    assert rsa_bits(b"\x30\x05\x02\x03") is None
    assert rsa_bits(b"") is None
    assert rsa_bits(b"\x04\x00") is None


# -- mta-sts and tls-rpt ----------------------------------------------------------------

@pytest.mark.parametrize(("check", "domain", "status", "words"), [
    (check_mta_sts, "example.org", "pass", ("id=20240101T000000", "not fetched")),
    (check_tls_rpt, "example.org", "pass", ("mailto:tls-reports@example.org",)),
    (check_mta_sts, "example.net", "warn", ("publishes no MTA-STS policy",)),
    (check_tls_rpt, "example.net", "warn", ("publishes no TLS-RPT record",)),
    (check_mta_sts, "badsts.example.net", "fail", ("no valid id=",)),
    (check_tls_rpt, "badsts.example.net", "fail", ("bad rua=",)),
    (check_mta_sts, "twosts.example.net", "fail", ("2 MTA-STS records",)),
    (check_tls_rpt, "twosts.example.net", "fail", ("no rua=",)),
    (check_mta_sts, "broken.example.net", "error", ("could not check",)),
    (check_tls_rpt, "blackhole.example.net", "error", ("could not check: timeout",)),
])
def test_mta_sts_and_tls_rpt(resolver: Resolver, check: Callable[[str, Resolver], Check],
                             domain: str, status: str, words: tuple[str, ...]) -> None:
    expect(check(domain, resolver), status, *words)


# -- ptr and fcrdns ---------------------------------------------------------------------

@pytest.mark.parametrize(("ip", "ptr", "fcrdns"), [
    ("192.0.2.10", ("pass", "PTR of 192.0.2.10 is mx1.example.org"),
     ("pass", "mx1.example.org resolves back to 192.0.2.10")),
    ("2001:db8::10", ("pass", "mx1.example.org"), ("pass", "resolves back to 2001:db8::10")),
    ("192.0.2.20", ("pass", "mismatch.example.net"), ("fail", "does not resolve back")),
    ("192.0.2.30", ("fail", "has no PTR record"), ("fail", "has no PTR record")),
    ("192.0.2.40", ("warn", "generic or dynamic"), ("pass", "resolves back")),
    ("192.0.2.50", ("warn", "2 PTR records"), ("pass", ".example.net resolves back")),
    ("192.0.2.60", ("fail", "not a valid host name"), ("fail", "does not resolve back")),
    ("192.0.2.70", ("pass", "blackhole.example.net"), ("error", "could not check")),
    ("203.0.113.9", ("error", "could not check: timeout"), ("error", "timeout")),
])
def test_ptr_and_fcrdns(resolver: Resolver, ip: str, ptr: tuple[str, str],
                        fcrdns: tuple[str, str]) -> None:
    expect(check_ptr(ip, resolver), *ptr)
    expect(check_fcrdns(ip, resolver), *fcrdns)


@pytest.mark.parametrize(("name", "ip", "generic"), [
    ("192-0-2-40.dynamic.example.net", "192.0.2.40", True),
    ("40.2.0.192.example.net", "192.0.2.40", True),
    ("dsl-pool.example.net", "192.0.2.41", True),
    ("mail.example.net", "192.0.2.40", False),
    ("mx1.example.org", "2001:db8::10", False),
])
def test_looks_generic(name: str, ip: str, generic: bool) -> None:
    assert looks_generic(name, ip) is generic


# -- dnsbl ------------------------------------------------------------------------------

@pytest.mark.parametrize(("ip", "zone", "status", "words"), [
    ("192.0.2.10", "bl.example.net", "pass", ("192.0.2.10 is not listed on bl.example.net",)),
    ("2001:db8::10", "bl.example.net", "pass", ("not listed",)),
    ("198.51.100.2", "bl.example.net", "fail",
     ("198.51.100.2 is listed on bl.example.net (127.0.0.2)", "list says: Listed for spam")),
    ("198.51.100.3", "bl.example.net", "error", ("refuses queries from public or open",
                                                 "127.255.255.254")),
    ("198.51.100.2", "quota.example.net", "error", ("quota", "127.255.255.255")),
    ("198.51.100.4", "bl.example.net", "error", ("unexpected answer 192.0.2.99",)),
    ("198.51.100.2", "bl.example", "error", ("could not check", "refused")),
    ("198.51.100.2", "blackhole.example.net", "error", ("could not check: timeout",)),
])
def test_dnsbl(resolver: Resolver, ip: str, zone: str, status: str,
               words: tuple[str, ...]) -> None:
    expect(check_dnsbl(ip, zone, resolver), status, *words)


def test_dnsbl_names_and_codes() -> None:
    assert query_name("198.51.100.2", "zen.spamhaus.org") == "2.100.51.198.zen.spamhaus.org"
    assert query_name("2001:db8::1", "bl.example").startswith("1.0.0.0.0.0.0.0.0.0.0")
    assert query_name("2001:db8::1", "bl.example").endswith(".8.b.d.0.1.0.0.2.bl.example")
    assert meaning("zen.spamhaus.org", "127.0.0.2").startswith("SBL")
    assert meaning("zen.spamhaus.org", "127.0.0.3").startswith("CSS")
    assert meaning("zen.spamhaus.org", "127.0.0.4").startswith("XBL")
    assert meaning("zen.spamhaus.org", "127.0.0.9").startswith("DROP")
    assert meaning("zen.spamhaus.org", "127.0.0.10").startswith("PBL")
    assert meaning("zen.spamhaus.org", "127.0.0.11").startswith("PBL")
    assert meaning("dbl.spamhaus.org", "127.0.1.2").startswith("DBL")
    assert meaning("bl.example.net", "127.0.0.2") == ""
    for code in ("127.255.255.254", "127.255.255.255", "127.255.255.252"):
        assert interpret("zen.spamhaus.org", (code,))[0] == "refused"
    assert interpret("zen.spamhaus.org", ("127.0.0.2", "127.0.0.4"))[0] == "listed"


def test_hostile_dns_text_is_sanitised(resolver: Resolver) -> None:
    checks = [check_dnsbl("198.51.100.5", "bl.example.net", resolver),
              check_ptr("192.0.2.60", resolver), check_fcrdns("192.0.2.60", resolver)]
    text = repr([c.to_dict() for c in checks])
    for bad in ("\\x1b", "\\x07", "\\u202e", "\x1b", "\x07", "\u202e"):
        assert bad not in text
    assert "list says: click red" in " ".join(checks[0].details)


# -- the runner -------------------------------------------------------------------------

def test_targets_run_together(resolver: Resolver) -> None:
    reports = check_targets([("domain", "example.org"), ("ip", "192.0.2.10")],
                            Options(selectors=("s2048",), zones=("bl.example.net",)), resolver)
    assert [c.name for c in reports[0].checks] == ["mx", "spf", "dmarc", "dkim", "mta-sts",
                                                   "tls-rpt"]
    assert [c.name for c in reports[1].checks] == ["ptr", "fcrdns", "dnsbl"]
    assert not any(r.failed for r in reports)


def test_no_reachable_dns_ends_in_errors_within_budget(local_only: LocalOnly) -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        local_only.allow(host, port)
        resolver = Resolver([f"{host}:{port}"], timeout=0.25, budget=0.6)
        start = time.monotonic()
        reports = check_targets([("domain", "example.org"), ("ip", "192.0.2.10")],
                                Options(selectors=("s1",)), resolver)
        elapsed = time.monotonic() - start
    checks = [c for r in reports for c in r.checks]
    assert elapsed < 0.6 + 0.3
    assert len(checks) == 6 + 5  # mx spf dmarc dkim mta-sts tls-rpt; ptr fcrdns 3 x dnsbl
    assert {c.status for c in checks} == {"error"}
    assert all(c.summary.startswith("could not check: timeout") for c in checks)
