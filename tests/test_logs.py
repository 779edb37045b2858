"""MTA logs as input (bouncefix/logs/, ingest/records.py): each failed or deferred
delivery of the fixtures in tests/logs/ (written for these tests in each MTA's log
format) gives the row of tests/logs/expected.yaml, joined with what earlier lines of its
queue id said; logs are read from files, compressed files and standard input (``grep
status=bounced mail.log | bouncefix scan -``), recognised by content; memory stays flat
(bounded per-queue-id state, endless lines skipped); every pattern takes linear time."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest
import yaml

from bouncefix import analyze
from bouncefix.api import analyze_paths
from bouncefix.ingest.records import LOG, sniff
from bouncefix.logs import registry
from bouncefix.logs.base import QueueState
from bouncefix.model import Kind
from helpers import invoke, run_cli
from test_events import rows

FIXTURES = Path(__file__).parent / "logs"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
FILES = sorted({row[0] for row in EXPECTED})


@pytest.mark.parametrize("name", FILES)
def test_each_fixture_gives_its_expected_rows(name: str) -> None:
    assert rows(list(analyze_paths([str(FIXTURES / name)], 1))) == [
        row for row in EXPECTED if row[0] == name]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("line_end", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_other_line_ends_give_the_same_records(name: str, line_end: bytes,
                                               tmp_path: Path) -> None:
    (tmp_path / name).write_bytes((FIXTURES / name).read_bytes().replace(b"\n", line_end))
    assert rows(list(analyze_paths([str(tmp_path / name)], 1))) == [
        row for row in EXPECTED if row[0] == name]


def test_every_format_module_is_documented_and_cites_its_source() -> None:
    for module in registry.FORMATS:
        assert module.__doc__ and "Source:" in module.__doc__, module.NAME
        assert module.read.__doc__ and module.Tracker.__doc__, module.NAME


def test_lines_of_one_queue_id_are_joined() -> None:
    reports = list(analyze_paths([str(FIXTURES / "postfix.log")], 1))
    first = reports[0]
    assert first.source == str(FIXTURES / "postfix.log") and first.line == 5
    assert first.original is not None
    assert (first.original.sender, first.original.message_id) == (
        "alice@example.net", "20260302091407.1@example.net")
    recipient = first.recipients[0].finding
    assert (recipient.queue_id, recipient.remote_mta, recipient.smtp_command) == (
        "4F1A2B3C4D", "mx1.example.org", "RCPT")
    assert reports[4].recipients[0].finding.original_recipient == "sales@example.net"
    exim = list(analyze_paths([str(FIXTURES / "exim-mainlog")], 1))
    assert exim[0].original is not None
    assert (exim[0].original.sender, exim[0].original.subject) == (
        "alice@example.net", "Invoice 42 for March")
    assert exim[0].date == "2026-03-02T09:14:09+00:00"


def test_an_expired_message_fails_each_recipient_still_deferred() -> None:
    reports = list(analyze_paths([str(FIXTURES / "postfix.log")], 1))
    expired = reports[2]
    assert expired.kind is Kind.BOUNCE and expired.line == 8
    finding = expired.recipients[0].finding
    assert (finding.address, finding.esp_type, finding.status) == (
        "lee@example.org", "expired", "4.7.1")
    assert "Greylisted" in (finding.diagnostic or "")


def test_grep_into_standard_input() -> None:
    """``grep status=bounced mail.log | bouncefix scan -``: no from= lines, still read."""
    lines = [line for line in (FIXTURES / "postfix.log").read_text().splitlines(True)
             if "status=bounced" in line]
    result = invoke("scan", "-f", "jsonl", "-", input="".join(lines))
    assert result.exit_code == 0
    found = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["source"], r["line"], r["recipients"][0]["address"]) for r in found] == [
        ("-", 1, "kim.lee@example.org"), ("-", 2, "ops@nosuch.example.com"),
        ("-", 3, "team@example.org"), ("-", 4, "nobody@mx1.example.net")]
    assert found[0]["recipients"][0]["queue_id"] == "4F1A2B3C4D"
    assert found[0]["original"] is None  # the from= line was not given


def test_detection_is_by_content_not_by_file_name(tmp_path: Path) -> None:
    for name in ("postfix.log", "exim-mainlog", "MSGTRK2026030209-1.LOG"):
        renamed = tmp_path / "bounce.eml"
        renamed.write_bytes((FIXTURES / name).read_bytes())
        assert [row[1:] for row in rows(list(analyze_paths([str(renamed)], 1)))] == [
            row[1:] for row in EXPECTED if row[0] == name]
    assert sniff(b"Mar  2 09:14:05 mx1 dovecot: imap-login: Login\n") == LOG
    assert sniff(b"2026-03-02T09:14:05.123+01:00 mx1 postfix/smtp[1]: x\n") == LOG
    assert sniff(b"2026-03-02 09:14:07 1vA9Xb-000Abc-4Q <= a@example.net\n") == LOG
    assert sniff(b"2026-03-02 09:14:07 my mail bounced: 550 5.1.1 user unknown\n") is None
    assert sniff(b"Received: from mx.example.org\nSubject: x\n") is None


def test_a_compressed_log_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mail.log.1.gz"
    path.write_bytes(gzip.compress((FIXTURES / "postfix.log").read_bytes()))
    assert [row[1:] for row in rows(list(analyze_paths([str(path)], 1)))] == [
        row[1:] for row in EXPECTED if row[0] == "postfix.log"]


def test_explain_reads_a_pasted_log_line() -> None:
    line = (FIXTURES / "postfix.log").read_text().splitlines()[4]
    [report] = analyze(line)
    assert report.parser == "postfix-log" and report.line == 1
    assert report.recipients[0].diagnosis.reason.value == "userunknown"
    # a log line that is no delivery (an inbound reject) is read as text, as before
    reject = ("Mar  2 09:14:07 mx1 postfix/smtpd[2099]: NOQUEUE: reject: RCPT from "
              "client.example.net[192.0.2.10]: 550 5.1.1 <kim@example.org>: Recipient address "
              "rejected: User unknown in local recipient table; from=<a@example.net> "
              "to=<kim@example.org> proto=ESMTP helo=<client.example.net>")
    [report] = analyze(reject)
    assert report.line is None
    assert report.recipients[0].diagnosis.reason.value == "userunknown"


@pytest.mark.parametrize("line_end", ["\n", "\\n"], ids=["pasted", "as-exim-logs-it"])
def test_a_multi_line_reply_in_an_exim_line_is_read_whole(line_end: str) -> None:
    # the cause is on the reply's second line; Exim writes its line ends as "\n", a
    # paste of the log shows them as lines of their own
    line = ("2026-03-02 09:14:09 1vA9Xb-000Abc-4Q ** kim@example.org R=dnslookup T=remote_smtp "
            "H=mx1.example.org [192.0.2.25]: SMTP error from remote mail server after end of "
            f"data: 554-5.7.1 [198.51.100.3] The filter of this site{line_end}554-5.7.1 judged "
            f"the message to be unsolicited bulk mail{line_end}554 5.7.1 and did not take it.")
    [report] = analyze(line)
    assert report.parser == "exim-log"
    [recipient] = report.recipients
    assert recipient.finding.diagnostic == (
        "554 5.7.1 [198.51.100.3] The filter of this site judged the message to be "
        "unsolicited bulk mail and did not take it.")
    assert recipient.diagnosis.reason.value == "spamdetected"


def test_a_log_without_failures_says_so(tmp_path: Path) -> None:
    path = tmp_path / "quiet.log"
    path.write_text("Mar  2 09:14:05 mx1 postfix/qmgr[1]: 4F1A2B3C4D: removed\n")
    result = run_cli("scan", str(path))
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        f"bouncefix: {path}: no failed or deferred deliveries found")


def test_an_endless_line_is_skipped_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "mail.log"
    first = "Mar  2 09:14:05 mx1 postfix/smtp[1]: 4F1A2B3C4D: to=<a@example.org>, status=bounced ("
    good = (FIXTURES / "postfix.log").read_text().splitlines()[-1]
    path.write_text(first + "x" * 3_000_000 + ")\n" + good + "\n")
    result = run_cli("scan", "-f", "jsonl", str(path))
    assert result.stderr.decode().strip() == (
        f"bouncefix: {path}: line 1: a line longer than 1,048,576 bytes; skipped")
    [report] = [json.loads(line) for line in result.stdout.splitlines()]
    assert report["line"] == 2 and report["recipients"][0]["address"] == "nobody@mx1.example.net"


def test_queue_state_is_bounded() -> None:
    state = QueueState(max_ids=1000, max_chars=50_000)
    for n in range(100_000):
        state.note(f"Q{n}", sender=f"sender{n}@example.net", message_id="m" * 500)
        if n % 3 == 0:
            state.defer(f"Q{n}", f"r{n}@example.org", {"text": "t" * 900, "dsn": "4.7.1"})
    assert len(state.entries) <= 1000 and state.chars <= 50_000
    assert state.get("Q99999")["sender"] == "sender99999@example.net"
    assert state.get("Q0") == {}
    for queue_id in list(state.entries):
        state.drop(queue_id)
    assert state.chars == 0


def test_a_log_whose_messages_never_leave_the_queue_keeps_memory_bounded() -> None:
    """Lines of 200,000 queue ids and no "removed" line: the reader's memory holds only
    the most recent ones."""
    reader = registry.LogReader()
    for n in range(200_000):
        for _ in reader.feed(n + 1, f"Mar  2 09:14:05 mx1 postfix/qmgr[1]: {n:010X}: "
                                    f"from=<s{n}@example.net>, size=1, nrcpt=1 (queue active)"):
            pass
    postfix_state = reader.trackers[0][1].state  # type: ignore[attr-defined]
    assert len(postfix_state.entries) <= postfix_state.max_ids


HOSTILE = {
    "postfix": "Mar  2 09:14:05 mx1 postfix/smtp[1]: 4F1A2B3C4D: to=<" + "a, relay=" * 50_000
               + ", status=bounced (" + "(" * 100_000,
    "exim": "2026-03-02 09:14:07 1vA9Xb-000Abc-4Q ** a@example.org" + ' R="' * 50_000
            + " H=x [" * 30_000 + ": text",
    "exim-defer": "2026-03-02 09:14:07 1vA9Xb-000Abc-4Q == a@example.org"
                  + " defer (-1" * 50_000,
    "sendmail": "Mar  2 09:14:05 mx3 sm-mta[1]: 622ABcDe012345: to=" + "<a@example.org>," * 40_000
                + ", stat=" + "Deferred: " * 40_000,
    "opensmtpd": "Mar  2 09:14:05 mx4 smtpd[1]: 8a2f3c4d5e6f7a8b mta delivery "
                 + 'stat="\\' * 100_000 + ' result="PermFail"',
    "syslog": "Mar  2 09:14:05 " + "h" * 250 + " " + "p" * 63 + "[" + "1" * 10 + "]" * 50_000,
    "exchange": "#Software: Microsoft Exchange Server\n#Fields: event-id,recipient-status\n"
                + 'FAIL,"[{LED=' + "{" * 100_000 + '}]"',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_lines_take_linear_time(name: str) -> None:
    start = time.monotonic()
    analyze(HOSTILE[name])
    assert time.monotonic() - start < 2.0, name


def test_the_cheap_log_precheck_never_hides_a_log() -> None:
    # sniff asks the log formats only when the first line starts as a log's does; every
    # fixture's first line, and the formats' own shapes, must still be found
    from bouncefix.ingest.records import LOG, sniff
    from bouncefix.logs.registry import detect

    folder = Path(__file__).parent / "logs"
    heads = [path.read_bytes()[:4096] for path in sorted(folder.iterdir())
             if path.suffix != ".yaml"]
    heads += [b"<22>Mar  2 09:14:09 mx1 postfix/smtp[2105]: 4F1A2: to=<a@example.org>",
              b"2026-03-02T09:14:09.123+01:00 mx1 postfix/smtp[2105]: x",
              b"2026-03-02 09:14:09 1vA9Xb-000Abc-4Q ** a@example.org: x",
              b"#Software: Microsoft Exchange Server\n", b"\n\nMar  2 09:14:09 mx1 exim[1]: x",
              b"550 5.1.1 User unknown", b"From: a@example.org\n", b"[mx] 550"]
    for head in heads:
        assert (sniff(head) == LOG) == detect(head.decode("utf-8", "surrogateescape")), head
