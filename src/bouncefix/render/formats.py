"""The output formats of message reports: one registry from a format to its renderer.

Each format renders one report to text, and says what goes before the first report,
between two and after the last, so a whole document (``explain``) and a stream of
results written as they come (``scan``) use the same renderer. A new format is one
renderer function and one line in ``REPORT_FORMATS``. (Text on a terminal is drawn with
rich instead: rich_view.py.)

A format drawn from the whole scan (html) has a ``whole`` renderer instead: the workers
boil each report down (render/scan.py ``digest``), the main process adds the digests to a
bounded ``ScanSummary``, and ``whole`` writes the document from the summary.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..model import MessageReport
from ..sanitize import json_visible

if TYPE_CHECKING:
    from .scan import ScanSummary


class OutputFormat(str, enum.Enum):
    """How a command prints: ``text`` is rich on a terminal and plain when piped."""

    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"
    CSV = "csv"
    HTML = "html"


class ReportFormat(NamedTuple):
    """How one format writes a sequence of reports."""

    #: one report as text: (report, verbose, ascii-only output)
    item: Callable[[MessageReport, bool, bool], str]
    opening: str = ""
    separator: str = ""
    closing: str = ""
    #: the whole output when there is no report at all
    empty: str = ""
    #: for a format drawn from the whole scan: the document from the summary, in
    #: pieces to write one after the other (summary, ascii-only output); `item` is
    #: then not used
    whole: Callable[[ScanSummary, bool], Iterable[str]] | None = None


def _json_item(report: MessageReport, verbose: bool, ascii_only: bool) -> str:
    import json  # here: text output never needs it

    from .data import report_dict

    return json_visible(json.dumps(report_dict(report), indent=2,
                                   ensure_ascii=ascii_only or _undecodable(report.source)))


def _jsonl_item(report: MessageReport, verbose: bool, ascii_only: bool) -> str:
    import json

    from .data import report_dict

    return json_visible(json.dumps(report_dict(report),
                                   ensure_ascii=ascii_only or _undecodable(report.source))) + "\n"


def _undecodable(source: str | None) -> bool:
    """True when a file name holds bytes its encoding could not decode (kept as lone
    surrogates by os.fsdecode): JSON then writes them as ``\\udcNN`` escapes, which no
    output encoding refuses."""
    return bool(source) and not source.isascii() and any(  # type: ignore[union-attr]
        "\ud800" <= char <= "\udfff" for char in source)  # type: ignore[union-attr]


def _markdown_item(report: MessageReport, verbose: bool, ascii_only: bool) -> str:
    from .markdown import render_reports

    return render_reports([report], verbose=verbose)


def _plain_item(report: MessageReport, verbose: bool, ascii_only: bool) -> str:
    from .plain import render_report

    return render_report(report, verbose=verbose)


def _csv_item(report: MessageReport, verbose: bool, ascii_only: bool) -> str:
    from .csv_rows import report_csv

    return report_csv(report)


def _no_item(report: MessageReport, verbose: bool, ascii_only: bool) -> str:
    return ""


def _html_whole(summary: ScanSummary, ascii_only: bool) -> Iterable[str]:
    from .html_report import html_chunks

    return html_chunks(summary, ascii_only)


def _csv_header() -> str:
    from .csv_rows import SCAN_HEADER

    return SCAN_HEADER


REPORT_FORMATS: dict[OutputFormat, ReportFormat] = {
    OutputFormat.JSON: ReportFormat(_json_item, "[\n", ",\n", "\n]\n", "[]\n"),
    OutputFormat.JSONL: ReportFormat(_jsonl_item),
    OutputFormat.MARKDOWN: ReportFormat(_markdown_item, separator=""),
    OutputFormat.TEXT: ReportFormat(_plain_item, separator="\n"),
    OutputFormat.CSV: ReportFormat(_csv_item, _csv_header(), empty=_csv_header()),
    OutputFormat.HTML: ReportFormat(_no_item, whole=_html_whole),
}


def render(fmt: OutputFormat, reports: Sequence[MessageReport], verbose: bool = False,
           ascii_only: bool = False) -> str:
    """All `reports` in format `fmt`, as one text."""
    spec = REPORT_FORMATS[fmt]
    if spec.whole is not None:
        from .scan import summarise

        return "".join(spec.whole(summarise(list(reports)), ascii_only))
    if not reports:
        return spec.empty
    body = spec.separator.join(spec.item(report, verbose, ascii_only) for report in reports)
    return spec.opening + body + spec.closing
