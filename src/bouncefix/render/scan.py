"""One scan result rendered where it was analysed (in the worker processes), so that the
main process only writes text and keeps a tally. Nothing here imports click: the workers
unpickle a Renderer without loading the command line."""

from __future__ import annotations

from typing import Any, NamedTuple

from ..model import Kind, MessageReport
from .formats import REPORT_FORMATS, OutputFormat


class Rendered(NamedTuple):
    """One message's output and what the summary needs of it (small to pickle)."""

    source: str | None
    chunk: str  #: the message's output; "" when the format only prints a summary
    found: bool  #: a bounce, delay or report (not ordinary mail)
    reasons: tuple[str, ...]
    hard: tuple[str, ...]  #: hard-bounced addresses


class Renderer:
    """Renders one report; runs in the worker processes (so it must pickle: the DNS
    resolver is only given to in-process scans). `fmt` None: only the tally."""

    __slots__ = ("ascii_only", "fmt", "resolver")

    def __init__(self, fmt: OutputFormat | None, ascii_only: bool, resolver: Any = None) -> None:
        self.fmt, self.ascii_only, self.resolver = fmt, ascii_only, resolver

    def __call__(self, report: MessageReport) -> Rendered:
        if self.resolver is not None:
            from ..evidence import add_dns_evidence

            report = add_dns_evidence(report, self.resolver)
        chunk = ""
        if self.fmt is not None:
            chunk = REPORT_FORMATS[self.fmt].item(report, False, self.ascii_only)
        recipients = report.recipients
        return Rendered(
            report.source,
            chunk,
            report.kind is not Kind.NOT_BOUNCE,
            tuple(item.diagnosis.reason.value for item in recipients),
            tuple(item.finding.address for item in recipients
                  if item.diagnosis.hard_bounce and item.finding.address),
        )
