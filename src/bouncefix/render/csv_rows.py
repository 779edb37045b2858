"""CSV: one row per recipient (``scan --format csv``) and the suppression list
(``suppress --format csv``).

RFC 4180 through the csv module (fields quoted when they hold a comma, a quote or a line
break; CRLF line ends). Safe to open in a spreadsheet: every string from input is
sanitised (no control characters, one line), and a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is prefixed with a single quote, so that it is
never read as a formula (OWASP "CSV injection").

The columns are stable: new ones are only ever added at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..model import MessageReport
from ..sanitize import one_line, shown_name

if TYPE_CHECKING:
    from ..suppress import Entry

#: one row per recipient of ``scan --format csv``
SCAN_COLUMNS = (
    "source", "index", "date", "kind", "address", "domain", "reason", "hard_bounce",
    "suppress", "confidence", "reply_code", "status", "provider", "remote_mta",
    "smtp_command", "retry", "feedback_type", "diagnostic", "original_from",
    "original_message_id",
)
#: one row per address of ``suppress --format csv``
SUPPRESS_COLUMNS = ("address", "type", "reason", "code", "first_date", "last_date", "count")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """One cell: None as empty, booleans as true/false, text on one line, and a leading
    formula character neutralised with a single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = one_line(str(value), 4000)
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text (CRLF line ends), every cell through :func:`safe_cell`."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for values in rows:
        writer.writerow([safe_cell(v) for v in values])
    return buffer.getvalue()


# the column names need no quoting (and the csv module need not be loaded to write them)
SCAN_HEADER = ",".join(SCAN_COLUMNS) + "\r\n"
SUPPRESS_HEADER = ",".join(SUPPRESS_COLUMNS) + "\r\n"


def report_rows(report: MessageReport) -> list[tuple[object, ...]]:
    """The rows of one message: one per recipient (none for a message without)."""
    from ..filters import domain_of

    original = report.original
    out: list[tuple[object, ...]] = []
    for item in report.recipients:
        finding, diagnosis = item.finding, item.diagnosis
        out.append((
            shown_name(report.source, 1000) if report.source else "", report.index,
            report.date, report.kind.value, finding.address, domain_of(finding.address),
            diagnosis.reason.value, diagnosis.hard_bounce, diagnosis.suppress,
            diagnosis.confidence.value, finding.reply_code, diagnosis.status,
            diagnosis.provider, finding.remote_mta, finding.smtp_command,
            diagnosis.retry_when, finding.feedback_type, finding.diagnostic,
            original.sender if original else None, original.message_id if original else None,
        ))
    return out


def report_csv(report: MessageReport) -> str:
    """The CSV rows of one message, without the header."""
    return rows_text(report_rows(report))


def suppression_csv(entries: Iterable[Entry]) -> str:
    """The suppression list with its header."""
    return SUPPRESS_HEADER + rows_text(
        (e.address, e.type, e.reason, e.code, e.first, e.last, e.bounces) for e in entries)
