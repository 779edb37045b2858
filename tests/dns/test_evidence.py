"""The DNS evidence explain attaches: checks_for() and evidence_rows()."""

from __future__ import annotations

import time

import pytest

from bouncefix.dns.model import Check
from bouncefix.dns.resolver import Resolver
from bouncefix.evidence import checks_for, evidence_rows, evidence_sentences
from bouncefix.model import Reason
from dns_server import DnsServer, LocalOnly, silent_socket

BL = ("bl.example.net",)


def names(checks: list[Check]) -> list[tuple[str, str, str]]:
    return [(c.name, c.subject, c.status) for c in checks]


def test_hostunknown_checks_the_recipient_mx(resolver: Resolver) -> None:
    checks = checks_for("hostunknown", "nothing.example.net", "example.org", [],
                                  resolver)
    assert names(checks) == [("mx", "nothing.example.net", "fail")]
    assert evidence_sentences(checks) == ["nothing.example.net has no MX and no A record"]


def test_notaccept_finds_a_null_mx(resolver: Resolver) -> None:
    checks = checks_for(Reason.NOTACCEPT, "nullmx.example.net", None, [], resolver)
    assert evidence_sentences(checks) == ["nullmx.example.net accepts no mail (null MX, RFC 7505)"]


def test_authfailure_checks_sender_spf_for_the_ip_and_dmarc(resolver: Resolver) -> None:
    checks = checks_for("authfailure", "example.net", "jane@example.org",
                                  ["10.0.0.1", "203.0.113.5"], resolver)
    assert names(checks) == [("spf", "example.org", "fail"), ("dmarc", "example.org", "pass")]
    assert evidence_sentences(checks) == [
        "SPF of example.org does not cover 203.0.113.5 (result: fail)"]


def test_authfailure_without_ip_checks_the_record(resolver: Resolver) -> None:
    checks = checks_for("authfailure", None, "plusall.example.net", [], resolver)
    assert [c.name for c in checks] == ["spf", "dmarc"]
    evidence = evidence_sentences(checks)
    assert evidence[0].startswith("'+all' lets every server")
    assert "plusall.example.net has no DMARC record" in evidence[1]


def test_requireptr_checks_each_usable_ip(resolver: Resolver) -> None:
    checks = checks_for("requireptr", "example.net", None,
                                  ["192.0.2.30", "127.0.0.1", "bogus", "192.0.2.30"], resolver)
    assert names(checks) == [("ptr", "192.0.2.30", "fail"), ("fcrdns", "192.0.2.30", "fail")]
    assert evidence_sentences(checks)[0] == "192.0.2.30 has no PTR record (no reverse DNS)"


def test_blocked_with_an_ip_checks_blocklists_and_ptr(resolver: Resolver) -> None:
    checks = checks_for("blocked", "example.net", None, ["198.51.100.2"], resolver,
                                  zones=BL)
    assert names(checks) == [("dnsbl", "198.51.100.2", "fail"), ("ptr", "198.51.100.2", "pass")]
    assert evidence_sentences(checks) == ["198.51.100.2 is listed on bl.example.net (127.0.0.2)"]


def test_badreputation_refused_answer_is_not_a_listing(resolver: Resolver) -> None:
    checks = checks_for("badreputation", None, None, ["198.51.100.3"], resolver,
                                  zones=BL)
    assert checks[0].status == "error"
    assert evidence_sentences(checks)[-1].startswith(
        "could not check blocklists of 198.51.100.3: bl.example.net: the list refuses")


@pytest.mark.parametrize(("reason", "recipient", "sender", "ips"), [
    ("blocked", "example.net", None, []),
    ("mailboxfull", "example.net", "example.org", ["192.0.2.10"]),
    ("hostunknown", "localhost", None, []),
    ("hostunknown", None, None, []),
    ("authfailure", "example.net", "exa\u200bmple.org", []),
    ("requireptr", None, None, ["10.0.0.1", "::1"]),
])
def test_nothing_to_check(resolver: Resolver, server: DnsServer, reason: str,
                          recipient: str | None, sender: str | None, ips: list[str]) -> None:
    before = len(server.queries())
    assert checks_for(reason, recipient, sender, ips, resolver) == []
    assert len(server.queries()) == before


def test_timeouts_become_could_not_sentences(resolver: Resolver) -> None:
    checks = checks_for("hostunknown", "blackhole.example.net", None, [], resolver)
    assert evidence_sentences(checks) == ["could not check MX of blackhole.example.net: timeout"]


def test_no_dns_stays_within_budget(local_only: LocalOnly) -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        local_only.allow(host, port)
        resolver = Resolver([f"{host}:{port}"], timeout=0.2, budget=0.4)
        start = time.monotonic()
        checks = checks_for("blocked", None, None, ["192.0.2.10"], resolver)
        assert time.monotonic() - start < 0.8
    assert len(checks) == 4 and {c.status for c in checks} == {"error"}


def test_evidence_orders_and_dedupes() -> None:
    checks = [
        Check("mta-sts", "warn", "example.org publishes no MTA-STS policy", (), "example.org"),
        Check("mx", "pass", "example.org has 2 MX hosts", (), "example.org"),
        Check("spf", "error", "could not check: timeout", (), "example.org"),
        Check("dmarc", "fail", "example.org has no DMARC record", (), "example.org"),
        Check("dmarc", "fail", "example.org has no DMARC record", (), "example.org"),
    ]
    assert evidence_sentences(checks) == [
        "example.org has no DMARC record",
        "example.org publishes no MTA-STS policy",
        "could not check SPF of example.org: timeout",
    ]
    assert evidence_sentences([]) == []


def test_evidence_rows_show_passes_last_and_keep_the_reasons_order() -> None:
    checks = [
        Check("dnsbl", "fail", "192.0.2.7 is listed on bl.example.net (127.0.0.2)", (),
              "192.0.2.7"),
        Check("dnsbl", "pass", "192.0.2.7 is not listed on bl2.example.net", (), "192.0.2.7"),
        Check("ptr", "fail", "192.0.2.7 has no PTR record (no reverse DNS)", (), "192.0.2.7"),
    ]
    assert evidence_rows(checks) == [
        ("fail", "192.0.2.7 is listed on bl.example.net (127.0.0.2)"),
        ("fail", "192.0.2.7 has no PTR record (no reverse DNS)"),
        ("pass", "192.0.2.7 is not listed on bl2.example.net"),
    ]


def test_unknown_reason_has_no_checks(resolver: Resolver) -> None:
    assert checks_for("no-such-reason", "example.net", None, [], resolver) == []
