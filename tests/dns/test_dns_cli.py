"""``bouncefix check`` through click's CliRunner, and exit codes through a subprocess."""

from __future__ import annotations

import json
import time

import pytest

from dns_server import DnsServer, LocalOnly, silent_socket
from helpers import invoke, run_cli

FAST = ("--timeout", "0.3", "--budget", "3")


def test_help_has_examples() -> None:
    result = invoke("check", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and "bouncefix check example.org" in result.output
    for option in ("--selector", "--dnsbl", "--nameserver", "--timeout", "--budget"):
        assert option in result.output


def test_plain_text_when_piped() -> None:
    result = invoke("check", *FAST, "example.org", "--selector", "s2048")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "example.org (domain)"
    assert any(line.startswith("  PASS   mx       example.org has 2 MX hosts") for line in lines)
    assert any("DKIM key s2048._domainkey.example.org: RSA 2048 bits" in line for line in lines)
    assert "\x1b" not in result.stdout


def test_json_output() -> None:
    result = invoke("check", *FAST, "--format", "json", "nothing.example.net", "192.0.2.10",
                    "--dnsbl", "bl.example.net")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["target"], d["kind"]) for d in data] == [("nothing.example.net", "domain"),
                                                       ("192.0.2.10", "ip")]
    first = data[0]["checks"][0]
    assert set(first) >= {"name", "status", "summary", "details"}
    assert (first["name"], first["status"]) == ("mx", "fail")
    assert [c["status"] for c in data[1]["checks"]] == ["pass", "pass", "pass"]


def test_json_flag_alias() -> None:
    result = invoke("check", *FAST, "--json", "192.0.2.10", "--dnsbl", "bl.example.net")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["kind"] == "ip"


def test_default_blocklists_are_used(server: DnsServer) -> None:
    result = invoke("check", *FAST, "--json", "192.0.2.10")
    zones = [c["details"][0] for c in json.loads(result.stdout)[0]["checks"][2:]]
    assert zones == ["query: 10.2.0.192.zen.spamhaus.org", "query: 10.2.0.192.bl.spamcop.net",
                     "query: 10.2.0.192.b.barracudacentral.org"]  # refused by the test server
    assert result.exit_code == 1


def test_hostile_answers_are_sanitised_in_every_format() -> None:
    for args in ((), ("--json",)):
        result = invoke("check", *FAST, *args, "198.51.100.5", "192.0.2.60",
                        "--dnsbl", "bl.example.net")
        for bad in ("\x1b", "\x07", "\u202e", "\\u001b", "\\u0007", "\\u202e"):
            assert bad not in result.stdout
        assert "click red" in result.stdout


def test_rich_table_on_a_terminal_honours_no_color() -> None:
    result = invoke("check", *FAST, "198.51.100.5", "--dnsbl", "bl.example.net",
                    env={"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1", "COLUMNS": "120"})
    assert result.exit_code == 1
    assert "198.51.100.5 (ip)" in result.stdout and "FAIL" in result.stdout
    assert "│" in result.stdout or "┃" in result.stdout
    assert "\x1b" not in result.stdout


def test_nameserver_option_beats_the_environment(server: DnsServer,
                                                 local_only: LocalOnly) -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        local_only.allow(host, port)
        env = {"BOUNCEFIX_NAMESERVER": f"{host}:{port}"}
        result = invoke("check", *FAST, "--nameserver", server.address, "192.0.2.10",
                        "--dnsbl", "bl.example.net", env=env)
        assert result.exit_code == 0, result.output
        result = invoke("check", "--timeout", "0.2", "--budget", "0.5", "192.0.2.10",
                        "--dnsbl", "bl.example.net", env=env)
        assert result.exit_code == 1 and f"no answer from {host}:{port}" in result.stderr


def test_environment_lists_nameservers(server: DnsServer) -> None:
    env = {"BOUNCEFIX_NAMESERVER": f" {server.address} , 192.0.2.53"}
    result = invoke("check", *FAST, "192.0.2.10", "--dnsbl", "bl.example.net", env=env)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args", [
    ("10.0.0.1",), ("127.0.0.1",), ("::1",), ("localhost",), ("printer.local",),
    ("exa\u200bmple.org",), ("1.2.3",), ("",), ("ex\x1b[31mample.org",),
    ("--nameserver", "ns.example.org", "example.org"), ("--nameserver", "1.2.3.4:0", "x.org"),
    ("--dnsbl", "bad zone", "192.0.2.1"), ("--selector", "a b", "example.org"),
    ("--timeout", "0", "example.org"), tuple(f"d{i}.example.org" for i in range(51)),
])
def test_usage_errors_are_one_line(server: DnsServer, args: tuple[str, ...]) -> None:
    before = len(server.queries())
    result = invoke("check", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "\x1b" not in result.output
    if not args[0].startswith("--timeout"):
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("bouncefix: ")
    assert len(server.queries()) == before  # nothing was sent


def test_missing_target_is_a_usage_error() -> None:
    assert invoke("check").exit_code == 2


# -- the real entry point, in a subprocess ---------------------------------------------

def test_exit_codes_in_a_subprocess(server: DnsServer) -> None:
    ns = ("--nameserver", server.address, *FAST)
    good = run_cli("check", *ns, "example.org", "--selector", "s2048", timeout=20)
    assert good.returncode == 0, good.stderr
    bad = run_cli("check", *ns, "nothing.example.net", timeout=20)
    assert bad.returncode == 1 and b"no MX and no A record" in bad.stdout
    usage = run_cli("check", *ns, "192.168.1.1", timeout=20)
    assert usage.returncode == 2 and usage.stdout == b""
    assert usage.stderr.decode().strip().count("\n") == 0 and b"Traceback" not in usage.stderr


def test_no_dns_in_a_subprocess_ends_within_the_budget() -> None:
    with silent_socket() as sock:
        host, port = sock.getsockname()
        start = time.monotonic()
        done = run_cli("check", "--nameserver", f"{host}:{port}", "--timeout", "0.2",
                       "--budget", "0.5", "--json", "example.org", "192.0.2.10", timeout=20)
        elapsed = time.monotonic() - start
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    statuses = {c["status"] for t in json.loads(done.stdout) for c in t["checks"]}
    assert statuses == {"error"}
    assert elapsed < 5  # interpreter start-up plus a 0.5 s budget
