"""Markdown for pasting into a ticket. Untrusted text is escaped so it cannot open a
code block, a table, a link or HTML."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import MessageReport
from ..sanitize import one_line

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def escape(text: str | None) -> str:
    """Escape Markdown syntax in one line of untrusted text."""
    return _SPECIAL.sub(r"\\\1", one_line(text))


def render_reports(reports: Sequence[MessageReport], verbose: bool = False) -> str:
    """All reports as one Markdown document."""
    out: list[str] = []
    for report in reports:
        title = f"## {report.kind.value.capitalize()}"
        if report.subject:
            title += f": {escape(report.subject)}"
        out.append(title)
        out.append("")
        if not report.recipients:
            out.append("No bounce found in this message.")
            out.append("")
        for item in report.recipients:
            finding, diagnosis = item.finding, item.diagnosis
            out.append(f"### {escape(finding.address) or 'Recipient not named'}")
            out.append("")
            out.append(f"- **Verdict:** {escape(diagnosis.title)} "
                       f"({'hard bounce' if diagnosis.hard_bounce else 'soft'})")
            out.append(f"- **Reason:** `{diagnosis.reason.value}`")
            codes = " ".join(c for c in (finding.reply_code, diagnosis.status) if c)
            if codes:
                out.append(f"- **Codes:** {escape(codes)}")
            if finding.diagnostic:
                out.append(f"- **Server said:** {escape(finding.diagnostic)}")
            if diagnosis.cause:
                out.append(f"- **Cause:** {escape(diagnosis.cause)}")
            if diagnosis.who:
                out.append(f"- **Who acts:** {', '.join(diagnosis.who)}")
            if diagnosis.retry:
                out.append(f"- **Retry:** {escape(diagnosis.retry)}")
            if verbose:
                out.append(f"- **Rule:** `{diagnosis.rule}`")
            if diagnosis.fix:
                out.append("")
                out.extend(f"{n}. {escape(step)}" for n, step in enumerate(diagnosis.fix, 1))
            out.append("")
    return "\n".join(out)
