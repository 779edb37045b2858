"""Hostile and broken input through the installed CLI, in a subprocess, with a time guard.

The table lives in tests/hostile_cases.py (bench/hostile.py --table prints it with times).
Each case asserts its exit code and its literal or absent text; every case also asserts
no traceback, no control bytes on stdout or stderr, and JSON that parses. The DNS cases
run against the loopback server of tests/dns_server.py.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from bouncefix.dns.resolver import Resolver
from dns_server import DnsServer
from helpers import invoke
from hostile_cases import TIME_LIMIT, Case, Outcome, cases, command, dsn, many_messages, run_case

CASES = cases()


@pytest.mark.parametrize("case", [
    pytest.param(case, marks=pytest.mark.xfail(reason=case.xfail, strict=True))
    if case.xfail else case for case in CASES], ids=[case.name for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    problems = outcome.problems()
    assert not problems, (f"{case.name}: {problems}\nstdout: {outcome.stdout[-1500:]!r}\n"
                          f"stderr: {outcome.stderr[-1500:]!r}")


def test_table_covers_every_class_of_the_issue() -> None:
    groups = Counter(case.group for case in CASES)
    assert len(CASES) >= 40
    assert set(groups) == {"sanitise", "limits", "stdlib", "files", "exit"}
    assert min(groups.values()) >= 5
    assert len({case.name for case in CASES}) == len(CASES)


def test_table_checks_each_exit_code_of_each_command() -> None:
    seen = {(case.args[0], case.expect) for case in CASES}
    for command_name, code in [("explain", 0), ("explain", 1), ("explain", 2), ("scan", 0),
                               ("scan", 1), ("scan", 2), ("lookup", 0), ("lookup", 1),
                               ("lookup", 2), ("check", 2)]:
        assert (command_name, code) in seen, (command_name, code)


def test_check_exit_codes_against_loopback_server(tmp_path: Path) -> None:
    """check: 0 when nothing failed, 1 when a check failed; DNS answers full of escape
    sequences (tests/zones) print sanitised in every format."""
    with DnsServer() as server:
        base = ("check", "--nameserver", server.address, "--budget", "5")
        clean = Case("check-ok", "exit", (*base, "--dnsbl", "bl.example.net", "192.0.2.10"))
        failed = Case("check-failed", "exit", (*base, "nosuchhost.example.org"), expect=1)
        targets = ("--dnsbl", "bl.example.net", "198.51.100.5", "192.0.2.60")
        hostile = [Case(f"check-escapes-{name}", "sanitise", (*base, *extra, *targets),
                        expect=1, env=env, is_json=bool(extra), literal=("click",))
                   for name, extra, env in (
                       ("plain", (), {}), ("json", ("--format", "json"), {}),
                       ("rich", (), {"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1"}))]
        for case in (clean, failed, *hostile):
            outcome = run_case(case, tmp_path / case.name)
            assert not outcome.problems(), (case.name, outcome.problems(), outcome.stdout)


def test_dns_queries_are_deduplicated_validated_and_capped() -> None:
    with DnsServer() as server:
        resolver = Resolver([server.address], timeout=0.5, budget=5.0, max_queries=3)
        for name in ("example.org", "EXAMPLE.org.", "example.org", "example.net"):
            assert resolver.query(name, "MX").ok
        assert resolver.query("printer.local", "A").status == "invalid"
        assert resolver.query("exa\u200bmple.org", "A").status == "invalid"
        assert resolver.reverse("10.1.2.3").status == "invalid"
        assert resolver.reverse("::1").status == "invalid"
        assert resolver.query("example.com", "MX").ok  # the third query sent
        over = resolver.query("mail.example.org", "A")
        assert over.status == "error" and "limit of 3 DNS queries" in over.problem
        sent = [(name, kind) for _, name, kind in server.queries()]
    assert resolver.sent == 3
    assert sorted(sent) == [("example.com", "MX"), ("example.net", "MX"),
                            ("example.org", "MX")]


def test_explain_dns_query_limit_flag() -> None:
    bounces = b"".join(
        b"From MAILER-DAEMON Thu Mar  5 14:30:00 2026\n"
        + dsn(f"550 5.1.2 <ann@nosuch{i}.example.org>: Domain not found",
              recipient=f"ann@nosuch{i}.example.org", status="5.1.2")
        + b"\n" for i in range(4))
    with DnsServer() as server:
        result = invoke("explain", "--online", "--format", "json", "--nameserver",
                        server.address, "--dns-max-queries", "2", input=bounces)
        assert result.exit_code == 0, result.output
        checks = [check for report in json.loads(result.output)
                  for recipient in report["recipients"] for check in recipient["dns_checks"]]
        assert len(server.queries()) == 2
    assert len(checks) == 4
    assert sum("limit of 2 DNS queries" in json.dumps(check) for check in checks) >= 2


def test_stdin_that_never_ends_is_bounded_by_max_size() -> None:
    """An endless producer (yes(1)) on standard input: refused at --max-size, at once."""
    producer = subprocess.Popen(["yes", "550 5.1.1 unknown"], stdout=subprocess.PIPE)
    try:
        done = subprocess.run([*command(), "explain", "--max-size", "2M"],
                              stdin=producer.stdout, capture_output=True, timeout=TIME_LIMIT,
                              check=False)
    finally:
        producer.kill()
        producer.wait()
    outcome = Outcome(Case("endless-stdin", "limits", (), expect=2), done.returncode, 0.0,
                      done.stdout, done.stderr)
    assert not outcome.problems()
    assert b"--max-size" in done.stderr


@pytest.mark.parametrize("args", [("lookup", "550"), ("lookup", "--json", "550"),
                                  ("explain", "{in}"), ("scan", "--format", "jsonl", "{in}")])
def test_output_to_a_full_disk(args: tuple[str, ...], tmp_path: Path) -> None:
    """Writing fails (ENOSPC): one line on stderr, exit 2, no traceback."""
    source = tmp_path / "input.eml"
    source.write_bytes(dsn())
    argv = [a.replace("{in}", str(source)) for a in args]
    with open("/dev/full", "w") as full:
        done = subprocess.run([*command(), *argv], stdout=full, stderr=subprocess.PIPE,
                              timeout=TIME_LIMIT, check=False)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "bouncefix: input/output error: No space left on device"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reader_that_goes_away_is_not_an_error(jobs: str, tmp_path: Path) -> None:
    """``bouncefix scan ... | head -1``: exit 0, nothing on stderr (click alone says 1)."""
    box = tmp_path / "box.mbox"
    box.write_bytes(many_messages(500))
    process = subprocess.Popen([*command(), "scan", "--format", "jsonl", "--jobs", jobs,
                                str(box)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=TIME_LIMIT) == 0
    assert stderr == b""


@pytest.mark.parametrize("name", ["explain", "scan", "lookup", "check", "rules"])
def test_exit_codes_are_documented_in_help(name: str) -> None:
    text = " ".join(invoke(name, "--help").output.split())
    assert "Exit codes: 0 " in text
    for code in ("1 ", "2 usage", "130 interrupted"):
        assert f"; {code}" in text or f", {code}" in text, (name, code)
