"""Markdown for pasting into a ticket. Untrusted text is escaped so it cannot open a
code block, a table, a link, an image or HTML, or start a heading or list."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import MessageReport
from ..regex import lazy
from ..sanitize import one_line
from .codeinfo import describe_codes
from .grouping import confidence_line, dns_lines, group_recipients, verdict

_SPECIAL = lazy(r"([\\`*_{}\[\]()#+\-.!|<>~=:&])")


def escape(text: str | None) -> str:
    """Escape Markdown (and HTML) syntax in one line of untrusted text."""
    return _SPECIAL.sub(r"\\\1", one_line(text))


def render_reports(reports: Sequence[MessageReport], verbose: bool = False) -> str:
    """All reports as one Markdown document."""
    out: list[str] = []
    for report in reports:
        title = f"## {report.kind.value.capitalize()}"
        if report.subject:
            title += f": {escape(report.subject)}"
        out += [title, ""]
        if not report.recipients:
            out += ["No bounce found in this message.", ""]
        for group in group_recipients(report.recipients):
            finding, diagnosis = group[0].finding, group[0].diagnosis
            names = ", ".join(escape(r.finding.address) or "recipient not named" for r in group)
            out += [f"### {names}", "", f"**{escape(verdict(diagnosis))}**", ""]
            out.append(f"- **Reason:** `{diagnosis.reason.value}`")
            confidence = confidence_line(diagnosis)
            if confidence:
                out.append(f"- **Confidence:** {escape(confidence)}")
            out.append("- **Codes:** " + escape(describe_codes(
                finding.reply_code, diagnosis.status, diagnosis.status_inferred)))
            if finding.diagnostic:
                out.append(f"- **Server said:** {escape(finding.diagnostic)}")
            if finding.remote_mta:
                out.append(f"- **Server:** {escape(finding.remote_mta)}")
            if diagnosis.cause:
                out.append(f"- **Cause:** {escape(diagnosis.cause)}")
            if diagnosis.who:
                out.append(f"- **Who acts:** {', '.join(diagnosis.who)}")
            if verbose:
                out.append(f"- **Rule:** `{diagnosis.rule}`")
            evidence = dns_lines(diagnosis)
            if evidence:
                out += ["", "DNS:", ""]
                out += [f"- **{status}** {escape(line)}" for status, line in evidence]
            if diagnosis.fix:
                out += ["", "What to do:", ""]
                out += [f"{n}. {escape(step)}" for n, step in enumerate(diagnosis.fix, 1)]
            out.append("")
        if report.notes:
            out += [f"*Note: {escape(note)}*" for note in report.notes] + [""]
    return "\n".join(out)
