"""Plain text for pipes and logs: stable, greppable, no colour, no box drawing."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import MessageReport, RecipientReport
from ..sanitize import one_line


def render_reports(reports: Sequence[MessageReport], verbose: bool = False) -> str:
    """All reports as text."""
    chunks = [render_report(r, verbose) for r in reports]
    return "\n".join(chunks)


def render_report(report: MessageReport, verbose: bool = False) -> str:
    """One message."""
    lines = []
    head = f"{report.kind.value}"
    if report.source:
        head = f"{one_line(report.source)}: {head}"
    if report.subject:
        head += f" - {one_line(report.subject, 200)}"
    lines.append(head)
    if not report.recipients:
        lines.append("  no bounce found")
    for item in report.recipients:
        lines.extend(_recipient_lines(item, verbose))
    for note in report.notes:
        lines.append(f"  note: {one_line(note)}")
    return "\n".join(lines) + "\n"


def _recipient_lines(item: RecipientReport, verbose: bool) -> list[str]:
    finding, diagnosis = item.finding, item.diagnosis
    hard = "hard bounce" if diagnosis.hard_bounce else "soft"
    codes = " ".join(c for c in (finding.reply_code, diagnosis.status) if c) or "-"
    if diagnosis.status_inferred and diagnosis.status:
        codes += " (status inferred)"
    out = [
        f"  recipient: {one_line(finding.address) or '(not named)'}",
        f"    reason:  {diagnosis.reason.value} - {one_line(diagnosis.title)} ({hard})",
        f"    codes:   {codes}",
    ]
    if finding.diagnostic:
        out.append(f"    server said: {one_line(finding.diagnostic, 1000)}")
    if finding.remote_mta:
        out.append(f"    remote server: {one_line(finding.remote_mta, 200)}")
    if finding.smtp_command:
        out.append(f"    failed at: {finding.smtp_command}")
    if diagnosis.cause:
        out.append(f"    cause: {one_line(diagnosis.cause)}")
    for number, step in enumerate(diagnosis.fix, 1):
        out.append(f"    fix {number}. {one_line(step)}")
    if diagnosis.who:
        out.append(f"    who acts: {', '.join(diagnosis.who)}")
    if diagnosis.retry:
        out.append(f"    retry: {diagnosis.retry}")
    if verbose:
        out.append(f"    rule: {diagnosis.rule}  parser: {finding.parser}")
        if diagnosis.evidence:
            out.append(f"    evidence: {one_line(diagnosis.evidence, 300)}")
    return out
