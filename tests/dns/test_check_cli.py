"""``bouncefix check`` as a user first meets it (issue 14, items 17 and 18): a domain
that does not exist is said once; nameservers that never answer are one line, not a row
per check; a spinner on a terminal while waiting; a URL is not a domain."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from dns_server import DnsServer, LocalOnly, silent_socket
from helpers import invoke, run_cli

FAST = ("--timeout", "0.3", "--budget", "3")


# -- 17: NXDOMAIN said once ---------------------------------------------------------------

def test_a_missing_domain_is_said_once() -> None:
    result = invoke("check", *FAST, "nosuch.example.net", "--selector", "s1")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "nosuch.example.net (domain)",
        "  FAIL   mx       nosuch.example.net does not exist (NXDOMAIN)",
        "                   not checked: spf, dmarc, dkim, mta-sts, tls-rpt (nothing is "
        "published under a name that does not exist)",
    ]


def test_a_missing_domain_in_json_has_one_check(server: DnsServer) -> None:
    before = len(server.queries())
    result = invoke("check", *FAST, "--json", "nosuch.example.net", "example.org")
    data = json.loads(result.stdout)
    assert [c["name"] for c in data[0]["checks"]] == ["mx"]
    assert data[0]["checks"][0]["summary"] == "nosuch.example.net does not exist (NXDOMAIN)"
    assert len(data[1]["checks"]) == 5  # an existing domain keeps every check
    asked = [name for _, name, _ in server.queries()[before:]]
    assert not [name for name in asked if name.endswith(".nosuch.example.net")]


def test_a_domain_without_mx_keeps_its_checks() -> None:
    result = invoke("check", *FAST, "--json", "nomx.example.net")
    assert [c["name"] for c in json.loads(result.stdout)[0]["checks"]] == [
        "mx", "spf", "dmarc", "mta-sts", "tls-rpt"]


# -- 18: nameservers that never answer --------------------------------------------------

def test_no_answer_at_all_is_one_line(local_only: LocalOnly) -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        local_only.allow(host, port)
        result = invoke("check", "--nameserver", f"{host}:{port}", "--timeout", "0.2",
                        "--budget", "0.5", "example.org", "192.0.2.10")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"bouncefix: no answer from {host}:{port} within 0.5 s: check the network or "
        "pass --nameserver"]


def test_no_answer_keeps_the_json_and_says_it_on_stderr(local_only: LocalOnly) -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        local_only.allow(host, port)
        result = invoke("check", "--json", "--nameserver", f"{host}:{port}", "--timeout",
                        "0.2", "--budget", "0.5", "example.org")
    assert {c["status"] for c in json.loads(result.stdout)[0]["checks"]} == {"error"}
    assert "no answer from" in result.stderr


def test_some_answers_keep_the_rows() -> None:
    result = invoke("check", "--timeout", "0.2", "--budget", "1", "blackhole.example.net",
                    "example.org")
    assert "no answer from" not in result.stderr
    assert "ERROR  mx       could not check: timeout" in result.stdout


def _terminal_stderr(args: list[str]) -> str:
    """Run bouncefix with stderr on a pseudo-terminal; what the terminal received."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "bouncefix", *args],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
                               env=env)
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    process.communicate(timeout=20)
    os.close(master)
    return received.decode("utf-8", "replace")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty behaviour")
def test_spinner_on_a_terminal_and_not_when_piped() -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        args = ["check", "--nameserver", f"{host}:{port}", "--timeout", "0.3", "--budget",
                "0.8", "example.org"]
        terminal = _terminal_stderr(args)
        piped = run_cli(*args, timeout=20)
    assert "checking" in terminal and "no answer from" in terminal
    assert b"checking" not in piped.stderr and b"\x1b" not in piped.stderr
    assert piped.stderr.decode().count("\n") == 1


# -- URLs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("target,message", [
    ("http://example.com", "'http://example.com' is a URL: give the domain, example.com"),
    ("https://www.Example.org/path?q=1", "is a URL: give the domain, www.example.org"),
    ("mailto:ann@example.net", "is a URL: give the domain, example.net"),
    ("ftp://", "'ftp://' is a URL: give the domain name alone"),
])
def test_a_url_is_not_a_domain(server: DnsServer, target: str, message: str) -> None:
    before = len(server.queries())
    result = invoke("check", target)
    assert result.exit_code == 2
    assert result.stderr == f"bouncefix: bad target: {message}\n" or message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(server.queries()) == before
