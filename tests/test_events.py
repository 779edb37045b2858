"""ESP events as input (bouncefix/events/, ingest/records.py, ingest/jsonstream.py): each
event of the fixtures in tests/events/ (written for these tests from the providers'
documented payload formats) gives the row of tests/events/expected.yaml; every JSON
shape (array, JSON Lines, concatenated, pages of events, SNS and webhook envelopes, a
Mandrill form) is read; malformed JSON is one line on stderr and reading goes on;
oversized values are skipped in bounded memory; fields of the wrong type never crash."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from bouncefix import analyze
from bouncefix.api import analyze_paths
from bouncefix.events import registry
from bouncefix.ingest import jsonstream
from bouncefix.ingest.records import EVENTS, FORM, sniff
from bouncefix.model import Kind, MessageReport
from helpers import invoke, run_cli
from hostile_cases import TIME_LIMIT, command, dsn

FIXTURES = Path(__file__).parent / "events"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
FILES = sorted({row[0] for row in EXPECTED})


def rows(reports: list[MessageReport]) -> list[list[Any]]:
    """The expected.yaml row of each recipient (or of a report without one)."""
    out: list[list[Any]] = []
    for report in reports:
        name = Path(report.source or "").name
        if not report.recipients:
            out.append([name, report.line, report.kind.value, None, None, None, None, None])
        for item in report.recipients:
            finding, diagnosis = item.finding, item.diagnosis
            out.append([name, report.line, report.kind.value, finding.address,
                        finding.action.value, diagnosis.reason.value, finding.esp_type,
                        diagnosis.hard_bounce])
    return out


@pytest.mark.parametrize("name", FILES)
def test_each_fixture_gives_its_expected_rows(name: str) -> None:
    found = rows(list(analyze_paths([str(FIXTURES / name)], 1)))
    assert found == [row for row in EXPECTED if row[0] == name]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("line_end", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_other_line_ends_give_the_same_events(name: str, line_end: bytes,
                                              tmp_path: Path) -> None:
    data = (FIXTURES / name).read_bytes().replace(b"\n", line_end)
    (tmp_path / name).write_bytes(data)
    found = rows(list(analyze_paths([str(tmp_path / name)], 1)))
    expected = [row for row in EXPECTED if row[0] == name]
    if line_end == b"\r":  # JSON reads bare CRs as white space; lines count LFs
        found = [row[:1] + row[2:] for row in found]
        expected = [row[:1] + row[2:] for row in expected]
    assert found == expected


def test_every_provider_recognises_only_its_own_events() -> None:
    own = {"ses": ["ses-bounce.json", "ses-events.jsonl", "ses-sns.json"],
           "sendgrid": ["sendgrid-batch.json"],
           "mailgun": ["mailgun-webhook.json", "mailgun-events-page.json"],
           "postmark": ["postmark-bounce.json", "postmark-records.jsonl"],
           "sparkpost": ["sparkpost-batch.json"], "mandrill": ["mandrill-webhook.txt"],
           "mailjet": ["mailjet-events.json"], "brevo": ["brevo-events.jsonl"],
           "resend": ["resend-events.jsonl"], "kumomta": ["kumomta-log.jsonl"]}
    assert sorted(own) == sorted(p.NAME for p in registry.PROVIDERS)
    for name, files in own.items():
        for report in analyze_paths([str(FIXTURES / f) for f in files], 1):
            assert report.parser == name and report.esp == name, (name, report.line)


def test_every_provider_module_is_documented_and_cites_its_source() -> None:
    for provider in registry.PROVIDERS:
        assert provider.__doc__ and "Source: https://" in provider.__doc__, provider.NAME
        for function in (provider.recognises, provider.read):
            assert function.__doc__, f"{provider.NAME}.{function.__name__}"


def test_detection_is_by_content_not_by_file_name(tmp_path: Path) -> None:
    for name in ("ses-bounce.json", "sendgrid-batch.json", "mandrill-webhook.txt"):
        renamed = tmp_path / f"{name}.eml"
        renamed.write_bytes((FIXTURES / name).read_bytes())
        found = [row[1:] for row in rows(list(analyze_paths([str(renamed)], 1)))]
        assert found == [row[1:] for row in EXPECTED if row[0] == name]
    assert sniff(b'  [\n  {"email"') == EVENTS and sniff(b'{"a": 1}') == EVENTS
    assert sniff(b"mandrill_events=%5B") == FORM
    # text that only starts with a bracket is no JSON: it is read as a pasted bounce
    assert sniff(b"[mx.example.org] 550 5.1.1 user unknown") is None
    assert sniff(dsn()[:1024]) is None


EVENT = {"email": "kim@example.org", "event": "bounce", "sg_event_id": "e1",
         "reason": "550 5.1.1 <kim@example.org>: user unknown", "timestamp": 1772442849}


def _addresses(data: bytes) -> list[str | None]:
    return [i.finding.address for r in analyze(data) for i in r.recipients]


@pytest.mark.parametrize("shape", ["array", "array-lines", "jsonl", "pretty", "arrays-per-line",
                                   "sns", "page"])
def test_every_json_shape_gives_the_same_events(shape: str) -> None:
    events = [dict(EVENT, email=f"u{n}@example.org", sg_event_id=f"e{n}") for n in range(3)]
    data = {
        "array": json.dumps(events),
        "array-lines": "[\n" + ",\n".join(json.dumps(e) for e in events) + "\n]\n",
        "jsonl": "".join(json.dumps(e) + "\n" for e in events),
        "pretty": "".join(json.dumps(e, indent=2) + "\n" for e in events),
        "arrays-per-line": json.dumps(events[:2]) + "\n" + json.dumps(events[2:]) + "\n",
        "sns": "".join(json.dumps({"Type": "Notification", "Message": json.dumps(e)}) + "\n"
                       for e in events),
        "page": json.dumps({"items": events, "paging": {}}),
    }[shape]
    assert _addresses(data.encode()) == ["u0@example.org", "u1@example.org", "u2@example.org"]


def test_lines_name_where_each_event_starts() -> None:
    data = b'[\n  {"email": "a@example.org", "event": "bounce", "sg_event_id": "1"},\n\n' \
           b'  {"email": "b@example.org",\n   "event": "bounce", "sg_event_id": "2"}\n]'
    assert [r.line for r in analyze(data)] == [2, 4]


def test_malformed_json_is_one_line_and_the_rest_is_read(tmp_path: Path) -> None:
    good = json.dumps(EVENT)
    path = tmp_path / "events.jsonl"
    path.write_text(f"{good}\n{{\"email\": \"x@example.org\",, }}\n{good}\nnot json at all\n"
                    f"{good}\n", encoding="utf-8")
    result = run_cli("scan", "-f", "jsonl", str(path))
    errors = result.stderr.decode().splitlines()
    assert errors == [f"bouncefix: {path}: line 2: not valid JSON (Expecting property name "
                      "enclosed in double quotes at column 27)",
                      f"bouncefix: {path}: line 4: not valid JSON (Expecting value at column 1)"]
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [1, 3, 5]
    assert result.returncode == 0 and b"Traceback" not in result.stderr


def test_a_broken_array_stops_with_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(f"[{json.dumps(EVENT)}, {{\"email\" 1}}, {json.dumps(EVENT)}]")
    result = run_cli("scan", "-f", "jsonl", str(path))
    assert result.stderr.decode().count("\n") == 1
    assert b"line 1: not valid JSON" in result.stderr and b"not read" in result.stderr
    assert len(result.stdout.splitlines()) == 1 and result.returncode == 2


def test_explain_reads_json_that_is_no_event_as_text() -> None:
    # not from a known ESP: read as the pasted text it is, as before events were read
    [report] = analyze(b'{"error": "550 5.1.1 <jo@example.org>: Recipient address rejected: '
                       b'User unknown"}')
    assert report.recipients[0].finding.address == "jo@example.org"
    assert report.recipients[0].diagnosis.reason.value == "userunknown"
    assert report.esp is None
    # malformed: the text is still read, and the note says why it was not an event
    [report] = analyze(b'{"event": "bounce", "email": "jo@example.org", "reason": "550 5.1.1 '
                       b'user unknown",}')
    assert report.recipients[0].diagnosis.reason.value == "userunknown"
    assert any("not valid JSON" in note for note in report.notes)


def test_explain_cli_reads_events() -> None:
    result = invoke("explain", "--format", "json", str(FIXTURES / "ses-bounce.json"))
    assert result.exit_code == 0
    [report] = json.loads(result.output)
    assert report["esp"] == "ses" and report["line"] == 1
    assert [r["esp_type"] for r in report["recipients"]] == ["Permanent/General"] * 2


def test_non_bounce_events_are_delivered_or_not_bounces_and_not_counted() -> None:
    events = [dict(EVENT, event=name, sg_event_id=name) for name in
              ("delivered", "open", "click", "processed", "group_unsubscribe")]
    reports = analyze("\n".join(json.dumps(e) for e in events).encode())
    assert [r.kind for r in reports] == [Kind.DELIVERED] * 3 + [Kind.NOT_BOUNCE] * 2
    result = invoke("scan", "-", input="\n".join(json.dumps(e) for e in events))
    assert "0 bounces" in result.output and result.exit_code == 0


def test_json_fields_are_added_at_the_end_and_only_to_events() -> None:
    [email] = analyze(dsn())
    [event] = analyze(json.dumps(EVENT).encode())
    email_keys, event_keys = list(email.to_dict()), list(event.to_dict())
    assert "line" not in email_keys and "esp" not in email_keys
    assert event_keys == [*email_keys, "line", "esp"]
    email_recipient = list(email.to_dict()["recipients"][0])
    event_recipient = list(event.to_dict()["recipients"][0])
    assert "esp_type" not in email_recipient
    assert event_recipient == [*email_recipient, "esp_type", "queue_id"]


def test_wrong_types_in_any_field_never_crash() -> None:
    """Every value of every fixture event replaced, in turn, by null, a number, a list,
    an object and a long string: each still gives a report."""
    values: list[Any] = [None, 7, [1, "x"], {"a": None}, "x" * 5000, True]
    for name in FILES:
        data = (FIXTURES / name).read_bytes()
        for report in analyze(data)[:3]:
            assert report.esp
        events = [v.value for v in jsonstream.values(io.BytesIO(data), 1 << 24)
                  if isinstance(v, jsonstream.Value)]
        for event in events[:3]:
            for path in _paths(event):
                for value in values:
                    broken = _replaced(event, path, value)
                    reading = registry.read_event(broken)
                    assert reading.kind is None or isinstance(reading.kind, Kind)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else []
    for key, inner in items:
        out.append((*prefix, key))
        out.extend(_paths(inner, (*prefix, key))[:40])
    return out[:200]


def _replaced(event: Any, path: tuple[Any, ...], value: Any) -> Any:
    broken = copy.deepcopy(event)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return broken


def test_an_oversized_value_is_skipped_in_bounded_memory_and_time() -> None:
    """64 MB of one JSON string on one line, with --max-size 1M: one line on stderr,
    the event after it read, memory far below the input's size."""
    size = 64
    script = ("import sys\nout = sys.stdout.buffer\n"
              "out.write(b'[{\"event\":\"bounce\",\"email\":\"a@example.org\",\"sg_event_id\":\"x\","
              "\"reason\":\"')\n"
              f"for _ in range({size}):\n    out.write(b'y' * (1 << 20))\n"
              "out.write(b'\"},' + " + repr(json.dumps(EVENT).encode()) + " + b']')\n")
    start = time.monotonic()
    producer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    scan = subprocess.Popen([*command(), "scan", "-f", "jsonl", "--max-size", "1M", "-"],
                            stdin=producer.stdout, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert producer.stdout is not None
    producer.stdout.close()
    out, err = scan.communicate(timeout=TIME_LIMIT * 3)
    producer.wait()
    assert b"line 1: a value larger than 1,048,576 bytes (the limit); skipped" in err
    assert [json.loads(line)["recipients"][0]["address"] for line in out.splitlines()] == [
        "kim@example.org"]
    assert time.monotonic() - start < TIME_LIMIT * 3


def test_oversized_memory_is_bounded_by_the_limit() -> None:
    """The same, measured: peak RSS of the scan with 64 MB in one line stays near that
    of a scan of one small event."""
    def peak(stream_mb: int) -> int:
        script = ("import sys\nout = sys.stdout.buffer\nout.write(b'{\"reason\":\"')\n"
                  f"for _ in range({stream_mb}):\n    out.write(b'y' * (1 << 20))\n"
                  "out.write(b'\"}\\n' + " + repr(json.dumps(EVENT).encode()) + ")\n")
        producer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        scan = subprocess.Popen([*command(), "scan", "-f", "jsonl", "--max-size", "1M", "-"],
                                stdin=producer.stdout, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        assert producer.stdout is not None
        producer.stdout.close()
        _, _, usage = os.wait4(scan.pid, 0)
        producer.wait()
        return usage.ru_maxrss  # KiB on Linux

    small, large = peak(0), peak(64)
    assert large - small < 20 * 1024, (small, large)


def test_results_come_in_input_order_with_workers(tmp_path: Path) -> None:
    events = [dict(EVENT, email=f"u{n}@example.org", sg_event_id=f"e{n}") for n in range(300)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(events))
    serial = [(r.index, r.recipients[0].finding.address) for r in analyze_paths([str(path)], 1)]
    parallel = [(r.index, r.recipients[0].finding.address)
                for r in analyze_paths([str(path)], 2)]
    assert serial == parallel == [(n, f"u{n}@example.org") for n in range(300)]


def test_a_mandrill_form_without_its_field_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "hook.txt"
    path.write_text("mandrill_events=&other=1")
    result = invoke("scan", str(path))
    assert result.exit_code == 2


def test_an_empty_batch_says_so() -> None:
    result = run_cli("scan", "-", input=b"[]\n")
    assert b"standard input: no events found" in result.stderr and result.returncode == 1


def test_pasted_bounces_and_emails_are_unchanged() -> None:
    """Text that is neither JSON nor a log takes the email path as before."""
    [report] = analyze(b"550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown")
    assert report.line is None and report.esp is None and report.parser == "pasted"


def test_an_ses_event_pasted_without_its_mail_object_is_still_read() -> None:
    # people copy the part of a notification they care about; "complaint" names the type
    pasted = (b'{"notificationType": "Complaint", "complaint": {"complainedRecipients": '
              b'[{"emailAddress": "pat@example.org"}], "complaintFeedbackType": "abuse"}}')
    [report] = analyze(pasted)
    assert report.esp == "ses" and report.kind is Kind.FEEDBACK
    assert [r.finding.address for r in report.recipients] == ["pat@example.org"]
    # a type with no object of its own is no SES event
    assert not registry.ses.recognises({"notificationType": "Bounce", "other": {}})


def test_a_mailgun_event_copied_in_part_is_still_read() -> None:
    # a shop's log keeps the event's name, recipient, time and message headers only
    pasted = (b'why does our log say this? {"event": "complained", "recipient": "al@example.net",'
              b' "timestamp": 1767225600.5, "message": {"headers": {"subject": "Your order",'
              b' "from": "Shop <orders@example.com>"}}}')
    [report] = analyze(pasted)
    assert report.esp == "mailgun" and report.kind is Kind.FEEDBACK
    assert [r.finding.address for r in report.recipients] == ["al@example.net"]
    # without its headers it is no Mailgun event
    assert not registry.mailgun.recognises({"event": "complained", "recipient": "al@example.net",
                                            "message": {}})


def test_mailjets_no_mail_host_is_a_domain_that_takes_no_mail() -> None:
    event = (b'{"event": "bounce", "email": "ivo@example.net", "hard_bounce": true,'
             b' "error_related_to": "domain", "error": "no mail host", "mj_message_id": 7}')
    [report] = analyze(event)
    [recipient] = report.recipients
    assert (recipient.diagnosis.reason.value, recipient.diagnosis.hard_bounce) == ("notaccept", True)


def test_json_openings_are_where_the_prefix_pattern_finds_them() -> None:
    """The bracket-first scan finds exactly the openings of the pattern it replaced (a line
    start, a log prefix's ':', '=' or '>', or '{"' after a blank), over random texts."""
    import random
    import re

    from bouncefix.analysis import json_openings

    oracle = re.compile(r"(?m)(?:^[ \t]*|(?:[:=>][ \t]*))([{\[])|[ \t](\{)(?=[ \t]*\")")
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(' \t\n:=>{["ax') for _ in range(rng.randint(0, 30)))
        expected = [m.start(1) if m.group(1) else m.start(2) for m in oracle.finditer(text)]
        assert list(json_openings(text)) == expected, repr(text)
