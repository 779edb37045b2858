"""Plain text for pipes and logs: stable, greppable, no colour, no box drawing."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import MessageReport, RecipientReport
from ..sanitize import one_line, shown_name
from .codeinfo import codes_line
from .grouping import confidence_line, dns_lines, group_recipients, original_line, verdict


def render_reports(reports: Sequence[MessageReport], verbose: bool = False) -> str:
    """All reports as text."""
    return "\n".join(render_report(r, verbose) for r in reports)


def render_report(report: MessageReport, verbose: bool = False) -> str:
    """One message: a header line, then a block per group of recipients."""
    head = report.kind.value
    if report.source:
        head = f"{shown_name(report.source)}: {head}"
    if report.subject:
        head += f": {one_line(report.subject, 200)}"
    lines = [head]
    original = original_line(report)
    if original:
        lines.append(f"  {one_line(original, 600)}")
    if not report.recipients:
        lines.append("  no bounce found")
    for group in group_recipients(report.recipients):
        lines.extend(_group_lines(group, verbose))
    lines.extend(f"  note: {one_line(note)}" for note in report.notes)
    return "\n".join(lines) + "\n"


def _group_lines(group: list[RecipientReport], verbose: bool) -> list[str]:
    finding, diagnosis = group[0].finding, group[0].diagnosis
    out = [f"  {one_line(item.finding.address) or '(recipient not named)'}" for item in group]
    out.append(f"    {one_line(verdict(group[0]))}")
    out.append(f"    reason: {diagnosis.reason.value}"
               + (f" ({diagnosis.provider})" if diagnosis.provider else ""))
    confidence = confidence_line(diagnosis)
    if confidence:
        out.append(f"    confidence: {one_line(confidence)}")
    out.append("    codes: " + codes_line(finding, diagnosis))
    if finding.diagnostic:
        out.append(f"    server said: \"{one_line(finding.diagnostic, 1000)}\"")
    where = [one_line(finding.remote_mta, 200)] if finding.remote_mta else []
    if finding.smtp_command:
        where.append(f"at {finding.smtp_command}")
    if where:
        out.append("    remote server: " + " ".join(where))
    if diagnosis.cause:
        out.append(f"    cause: {one_line(diagnosis.cause)}")
    evidence = dns_lines(diagnosis)
    if evidence:
        out.append("    DNS:")
        out.extend(f"      {status:<6}{one_line(line)}" for status, line in evidence)
    if diagnosis.fix:
        out.append("    what to do:")
        out.extend(f"      {n}. {one_line(step)}" for n, step in enumerate(diagnosis.fix, 1))
    if diagnosis.probe:
        out.append(f"    test the server: {diagnosis.probe}")
    if diagnosis.who:
        out.append(f"    who acts: {', '.join(diagnosis.who)}")
    if verbose:
        out.append(f"    rule: {diagnosis.rule}  parser: {finding.parser}")
        if diagnosis.evidence:
            out.append(f"    evidence: \"{one_line(diagnosis.evidence, 300)}\"")
        if diagnosis.source:
            out.append(f"    source: {one_line(diagnosis.source, 300)}")
    return out
