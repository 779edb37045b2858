"""One scan result rendered where it was analysed (in the worker processes), so that
the main process only writes text and keeps a tally. Nothing here imports click: the
workers' spawner must unpickle a Renderer without loading the command line."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ..cli.env import OutputFormat
from ..model import Kind, MessageReport


class Rendered(NamedTuple):
    """One message's output and what the summary needs of it (small to pickle)."""

    source: str | None
    chunk: str  #: the message's output; "" when the format only prints a summary
    found: bool  #: a bounce, delay or report (not ordinary mail)
    reasons: tuple[str, ...]
    hard: tuple[str, ...]  #: hard-bounced addresses


class Renderer:
    """Renders one report; runs in the worker processes (so it must pickle: the DNS
    resolver is only given to in-process scans)."""

    __slots__ = ("ascii", "fmt", "plain_text", "resolver")

    def __init__(self, fmt: OutputFormat, ascii: bool, plain_text: bool,
                 resolver: Any = None) -> None:
        self.fmt, self.ascii, self.plain_text, self.resolver = fmt, ascii, plain_text, resolver

    def __call__(self, report: MessageReport) -> Rendered:
        from .data import report_dict

        if self.resolver is not None:
            from ..cli.dns_evidence import add_evidence

            report = add_evidence(report, self.resolver)
        chunk = ""
        if self.fmt is OutputFormat.JSONL:
            chunk = json.dumps(report_dict(report), ensure_ascii=self.ascii) + "\n"
        elif self.fmt is OutputFormat.JSON:
            chunk = json.dumps(report_dict(report), indent=2, ensure_ascii=self.ascii)
        elif self.plain_text:
            from .plain import render_report

            chunk = render_report(report)
        recipients = report.recipients
        return Rendered(
            report.source,
            chunk,
            report.kind is not Kind.NOT_BOUNCE,
            tuple(item.diagnosis.reason.value for item in recipients),
            tuple(item.finding.address for item in recipients
                  if item.diagnosis.hard_bounce and item.finding.address),
        )
