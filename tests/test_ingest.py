"""Input shapes: line ends, mbox splitting and streaming, fragments, size limits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bouncefix import ingest
from bouncefix.analysis import analyze_bytes

FRAGMENT = b"550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown\n"

MESSAGE = b"""From: MAILER-DAEMON@mx.example.net
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 2 Mar 2026 09:00:00 +0000

I'm sorry to have to inform you that your message could not be delivered.

<kim@example.org>: host mx.example.org[192.0.2.7] said: 550 5.1.1 <kim@example.org>:
    Recipient address rejected: User unknown in local recipient table (in reply to
    RCPT TO command)
"""


def _mbox(*messages: bytes) -> bytes:
    out = b""
    for index, message in enumerate(messages):
        out += f"From MAILER-DAEMON Mon Mar  2 09:0{index}:00 2026\n".encode() + message + b"\n"
    return out


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_line_endings_give_the_same_answer(ending: bytes) -> None:
    data = MESSAGE.replace(b"\n", ending)
    [report] = analyze_bytes(data)
    [item] = report.recipients
    assert item.finding.address == "kim@example.org"
    assert item.finding.reply_code == "550"
    assert item.finding.status == "5.1.1"
    assert item.finding.smtp_command == "RCPT"
    assert "Recipient address rejected" in (item.finding.diagnostic or "")


def test_fragment_with_address() -> None:
    [report] = analyze_bytes(FRAGMENT)
    [item] = report.recipients
    assert item.finding.address == "jane@example.org"
    assert item.diagnosis.reason.value == "userunknown"


def test_fragment_without_address_still_yields_one_finding() -> None:
    [report] = analyze_bytes(b"554 5.7.1 Message rejected as spam\n")
    [item] = report.recipients
    assert item.finding.address is None
    assert item.finding.reply_code == "554"


def test_mbox_is_split() -> None:
    reports = analyze_bytes(_mbox(MESSAGE, MESSAGE, MESSAGE))
    assert len(reports) == 3
    assert all(r.recipients for r in reports)


def test_mbox_body_from_line_without_blank_line_does_not_split() -> None:
    body = MESSAGE + b"From here on it is quoted text\n"
    assert len(ingest.split_messages(_mbox(body))) == 1


def test_mbox_streaming_matches_split() -> None:
    data = _mbox(MESSAGE, MESSAGE.replace(b"\n", b"\r\n"), MESSAGE)
    streamed = list(ingest.iter_mbox_file(io.BytesIO(data)))
    assert len(streamed) == 3
    assert streamed[0] == streamed[1]


def test_streaming_splits_crlf_across_reads() -> None:
    lines = list(ingest.mbox._normalised_lines(io.BytesIO(b"a\r\n" * 40000)))
    assert set(lines) == {b"a\n"}
    assert len(lines) == 40000


def test_read_limited() -> None:
    with pytest.raises(ingest.InputError, match="--max-size"):
        ingest.read_limited(io.BytesIO(b"x" * 11), 10)
    assert ingest.read_limited(io.BytesIO(b"x" * 10), 10) == b"x" * 10


def test_dsn_recipients_run_together_are_split() -> None:
    from bouncefix.mail import parse_field_blocks
    from bouncefix.parse.dsn import findings_from_blocks

    fields = parse_field_blocks(
        "Reporting-MTA: dns; mx.example.com\n"
        "Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n"
        "Final-Recipient: rfc822; b@example.org\nOriginal-Recipient: rfc822; b@example.org\n"
        "Action: delayed\nStatus: 4.4.1\n"
    )
    found = findings_from_blocks(fields)
    assert [(f.address, f.status, f.action.value) for f in found] == [
        ("a@example.org", "5.1.1", "failed"), ("b@example.org", "4.4.1", "delayed")]
    assert all(f.reporting_mta == "mx.example.com" for f in found)


def test_read_limited_sizes_its_read_and_still_enforces_the_limit(tmp_path: Path) -> None:
    import io
    import os

    from bouncefix.ingest import InputError, read_limited

    exact = tmp_path / "exact"
    exact.write_bytes(b"x" * 100)
    with open(exact, "rb") as handle:
        assert read_limited(handle, 100) == b"x" * 100
    with open(exact, "rb") as handle, pytest.raises(InputError):
        read_limited(handle, 99)
    assert read_limited(io.BytesIO(b"abc"), 10) == b"abc"
    reader, writer = os.pipe()  # fstat gives 0 for a pipe: the rest must still be read
    os.write(writer, b"y" * 5000)
    os.close(writer)
    with os.fdopen(reader, "rb") as handle:
        assert read_limited(handle, 10_000) == b"y" * 5000


def test_an_mbox_with_no_message_still_gets_a_report() -> None:
    """Found by hypothesis: a lone From_ line gave no report at all."""
    assert ingest.split_messages(b"From  Thu 00:00") == []
    assert len(analyze_bytes(b"From  Thu 00:00")) == 1


def test_message_stored_in_mbox_form_inside_an_mbox_keeps_its_headers() -> None:
    """A message file that began with its own From_ line, added to an mbox (which escapes
    that line as ">From "), is read from its header on, as the file itself is."""
    from bouncefix.analysis import analyze_message
    from bouncefix.ingest.mbox import split_messages

    message = (b"From MAILER-DAEMON Tue Mar  3 10:15:00 2026\n"
               b"From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
               b"To: ann@example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
               b"<bob@example.org>: host mx.example.org[192.0.2.9] said: 550 5.1.1\n"
               b"    <bob@example.org>: User unknown (in reply to RCPT TO command)\n")
    box = b"From MAILER-DAEMON Wed Mar  4 09:00:00 2026\n>" + message + b"\n"
    (inside,) = split_messages(box)
    assert inside.startswith(b"From: Mail Delivery System")
    (alone,) = split_messages(message)
    assert analyze_message(inside).recipients == analyze_message(alone).recipients
