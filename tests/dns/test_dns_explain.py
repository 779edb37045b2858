"""DNS evidence inside explain, against the loopback DNS server of tests/dns_server.py."""

from __future__ import annotations

import json
import time

from dns_server import DnsServer, LocalOnly, silent_socket
from helpers import invoke

HOSTUNKNOWN = (b"550 5.1.2 <ann@nosuchhost.example.org>: Recipient address rejected: "
               b"Domain not found\n")
AUTHFAILURE = b"""From: MAILER-DAEMON@mail.example.net
To: news@example.com
Subject: Undelivered Mail Returned to Sender

<bo@example.org>: host mx1.example.org[192.0.2.10] said: 550 5.7.26 This mail has been
    blocked because the sender is unauthenticated. SPF check failed for 198.51.100.77
    (in reply to end of DATA command)
"""


def _explain(data: bytes, *options: str) -> list[dict[str, object]]:
    result = invoke("explain", "--online", "--format", "json", *options, input=data)
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert isinstance(reports, list)
    return reports


def test_hostunknown_shows_mx_evidence(server: DnsServer) -> None:
    [report] = _explain(HOSTUNKNOWN, "--nameserver", server.address)
    [recipient] = report["recipients"]  # type: ignore[index]
    checks = recipient["dns_checks"]
    assert [c["name"] for c in checks] == ["mx"]
    assert checks[0]["status"] == "fail"
    assert "nosuchhost.example.org" in checks[0]["summary"]
    assert not any("DNS evidence" in step for step in recipient["fix"])
    text = invoke("explain", "--online", "--nameserver", server.address, input=HOSTUNKNOWN)
    block = text.output.split("    DNS:\n", 1)[1].split("    what to do:", 1)[0]
    assert block.strip().startswith("FAIL  nosuchhost.example.org does not exist")


def test_authfailure_checks_sender_spf_and_dmarc(server: DnsServer) -> None:
    [report] = _explain(AUTHFAILURE, "--nameserver", server.address)
    [recipient] = report["recipients"]  # type: ignore[index]
    assert recipient["reason"] == "authfailure"
    names = {c["name"]: c for c in recipient["dns_checks"]}
    assert set(names) == {"spf", "dmarc"}
    assert names["spf"]["subject"] == "example.com"
    assert "198.51.100.77" in names["spf"]["summary"]


def test_offline_flag_and_env_disable_dns(server: DnsServer) -> None:
    result = invoke("explain", "--offline", "--format", "json", "--nameserver", server.address,
                    input=HOSTUNKNOWN)
    assert json.loads(result.output)[0]["recipients"][0]["dns_checks"] == []
    assert server.queries() == [] or all("nosuchhost" not in q[0] for q in server.queries())


def test_dead_resolver_ends_within_budget(local_only: LocalOnly) -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        local_only.allow(host, port)
        start = time.monotonic()
        [report] = _explain(HOSTUNKNOWN, "--nameserver", f"{host}:{port}", "--dns-budget", "1")
        elapsed = time.monotonic() - start
        text = invoke("explain", "--online", "--nameserver", f"{host}:{port}", "--dns-budget",
                      "1", input=HOSTUNKNOWN).output
    [recipient] = report["recipients"]  # type: ignore[index]
    assert recipient["dns_checks"][0]["status"] == "error"
    assert "ERROR could not check MX of nosuchhost.example.org" in text
    assert elapsed < 3


def test_bad_nameserver_is_a_usage_error() -> None:
    result = invoke("explain", "--online", "--nameserver", "not a host", input=HOSTUNKNOWN)
    assert result.exit_code == 2
