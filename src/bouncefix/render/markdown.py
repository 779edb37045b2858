"""Markdown for pasting into a ticket. Server words, addresses and host names go in code
spans (shown as they are, nothing in them is Markdown); other text from the input is
escaped so that it cannot open a code block, a table, a link, an image or HTML. No line
starts with text from the input, so none can become a heading or a list item."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import MessageReport
from ..regex import lazy
from ..sanitize import one_line
from .codeinfo import codes_line
from .grouping import (
    confidence_line,
    dns_lines,
    group_recipients,
    kind_label,
    original_line,
    verdict,
)

_SPECIAL = lazy(r"([\\`*_\[\]<>|~&])")
_BACKTICKS = lazy(r"`+")
_OUR_CODE = lazy(r"`([^`\n]{1,500})`")


def escape(text: str | None) -> str:
    """Escape Markdown (and HTML) syntax in one line of untrusted text."""
    return _SPECIAL.sub(r"\\\1", one_line(text))


def code(text: str | None) -> str:
    """One line of untrusted text as an inline code span: fenced with more backticks than
    any run inside it, padded when it starts or ends with one (CommonMark)."""
    value = one_line(text)
    if not value:
        return ""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def prose(text: str | None) -> str:
    """Our own advice (which may quote values from the input): its `code` spans kept as
    code spans, the rest escaped."""
    value = one_line(text)
    out, last = [], 0
    for match in _OUR_CODE.finditer(value):
        out.append(_SPECIAL.sub(r"\\\1", value[last:match.start()]))
        out.append(code(match.group(1)))
        last = match.end()
    out.append(_SPECIAL.sub(r"\\\1", value[last:]))
    return "".join(out)


def render_reports(reports: Sequence[MessageReport], verbose: bool = False) -> str:
    """All reports as one Markdown document."""
    out: list[str] = []
    for report in reports:
        title = f"## {kind_label(report.kind).capitalize()}"
        if report.subject:
            title += f": {escape(report.subject)}"
        out += [title, ""]
        original = original_line(report)
        if original:
            out += [f"*{escape(original)}*", ""]
        if not report.recipients:
            out += ["No bounce found in this message.", ""]
        for group in group_recipients(report.recipients):
            finding, diagnosis = group[0].finding, group[0].diagnosis
            names = ", ".join(code(r.finding.address) or "recipient not named" for r in group)
            out += [f"### {names}", "", f"**{escape(verdict(group[0]))}**", ""]
            out.append(f"- **Reason:** `{diagnosis.reason.value}`")
            confidence = confidence_line(diagnosis)
            if confidence:
                out.append(f"- **Confidence:** {escape(confidence)}")
            out.append("- **Codes:** " + escape(codes_line(finding, diagnosis)))
            if finding.diagnostic:
                out.append(f"- **Server said:** {code(finding.diagnostic)}")
            if finding.remote_mta:
                out.append(f"- **Server:** {code(finding.remote_mta)}")
            if diagnosis.cause:
                out.append(f"- **Cause:** {prose(diagnosis.cause)}")
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
                out += [f"{n}. {prose(step)}" for n, step in enumerate(diagnosis.fix, 1)]
            if diagnosis.probe:
                out += ["", f"Test the server: {code(diagnosis.probe)}"]
            out.append("")
        if report.notes:
            out += [f"*Note: {escape(note)}*" for note in report.notes] + [""]
    return "\n".join(out)
