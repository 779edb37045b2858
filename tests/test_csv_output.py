"""CSV output (scan --format csv, suppress --format csv): stable columns, RFC 4180
quoting, and cells that a spreadsheet can never take for a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bouncefix.api import Finding, Kind, MessageReport, RecipientReport, analyze
from bouncefix.render.csv_rows import (
    SCAN_COLUMNS,
    SCAN_HEADER,
    SUPPRESS_COLUMNS,
    report_csv,
    safe_cell,
    suppression_csv,
)
from bouncefix.render.formats import OutputFormat, render
from bouncefix.suppress import Entry
from helpers import invoke
from test_scan_report import mixed_mbox

#: the documented columns, in order; new columns are only ever added at the end
DOCUMENTED = ["source", "index", "date", "kind", "address", "domain", "reason", "hard_bounce",
              "suppress", "confidence", "reply_code", "status", "provider", "remote_mta",
              "smtp_command", "retry", "feedback_type", "diagnostic", "original_from",
              "original_message_id"]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_columns_are_stable() -> None:
    assert list(SCAN_COLUMNS) == DOCUMENTED
    assert ",".join(DOCUMENTED) + "\r\n" == SCAN_HEADER
    assert list(SUPPRESS_COLUMNS) == ["address", "type", "reason", "code", "first_date",
                                      "last_date", "count"]


def test_scan_csv_has_one_row_per_recipient(tmp_path: Path) -> None:
    result = invoke("scan", "--format", "csv", str(mixed_mbox(tmp_path)))
    assert result.exit_code == 0
    text = result.stdout_bytes.decode()  # (click's .stdout turns CRLF into LF)
    assert text.startswith(SCAN_HEADER) and text.count("\r\n") == 7
    rows = _rows(text)
    # 3 bounced, a delay, an auto-reply, a complaint; ordinary mail has no recipient
    assert [r["kind"] for r in rows] == ["bounce"] * 3 + ["delay", "auto-reply", "feedback"]
    first = rows[0]
    assert first["address"] == "ann@example.org" and first["domain"] == "example.org"
    assert first["reason"] == "userunknown" and first["hard_bounce"] == "true"
    assert first["reply_code"] == "550" and first["status"] == "5.1.1"
    assert first["date"] == "2026-03-02T09:00:00+00:00" and first["index"] == "0"
    assert first["original_from"] == "news@our.example"


def test_empty_scan_is_the_header_alone(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(b"From: a@example.org\nSubject: hi\n\nhello\n")
    result = invoke("scan", "--format", "csv", str(tmp_path))
    assert result.exit_code == 1 and result.stdout_bytes.decode() == SCAN_HEADER


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1",
                                   "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"])
def test_formula_cells_are_neutralised(value: str) -> None:
    cell = safe_cell(value)
    assert cell.startswith("'"), cell
    assert "\r" not in cell and "\t" not in cell


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "true"), (False, "false"), (3, "3"), ("550", "550"),
    ("a, \"b\"", "a, \"b\""), ("x\ny", "x y"), ("\x1b[31mred", "red"),
])
def test_plain_cells(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_hostile_report_round_trips_through_rfc_4180() -> None:
    diagnostic = '=1+1 "quoted", comma\nsecond line\r\n@third'
    [sample] = analyze("550 5.1.1 <a@example.org>: user unknown")
    item = RecipientReport(Finding(address="+x@example.org", reply_code="550",
                                   diagnostic=diagnostic), sample.recipients[0].diagnosis)
    report = MessageReport(Kind.BOUNCE, (item,), source="-evil,\"name\".eml", index=2)
    text = report_csv(report)
    assert text.endswith("\r\n") and text.count("\r\n") == 1  # one record, CRLF
    [row] = list(csv.reader(io.StringIO(text, newline="")))
    assert len(row) == len(SCAN_COLUMNS)
    values = dict(zip(SCAN_COLUMNS, row, strict=True))
    assert values["address"] == "'+x@example.org"
    assert values["source"] == "'-evil,\"name\".eml"
    assert values["diagnostic"] == "'=1+1 \"quoted\", comma second line @third"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_render_gives_the_header_then_rows() -> None:
    reports = analyze("550 5.1.1 <a@example.org>: user unknown")
    text = render(OutputFormat.CSV, reports)
    assert text.startswith(SCAN_HEADER) and len(_rows(text)) == 1
    assert render(OutputFormat.CSV, []) == SCAN_HEADER


def test_suppression_csv_is_safe_too() -> None:
    entry = Entry("=evil@example.org", "hard", "userunknown", "550 5.1.1",
                  "2026-03-02T09:00:00+00:00", "2026-03-04T08:00:00+00:00", 2)
    rows = _rows(suppression_csv([entry]))
    assert rows == [{"address": "'=evil@example.org", "type": "hard", "reason": "userunknown",
                     "code": "550 5.1.1", "first_date": "2026-03-02T09:00:00+00:00",
                     "last_date": "2026-03-04T08:00:00+00:00", "count": "2"}]
