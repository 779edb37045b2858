"""Reports for people at a terminal: one panel per recipient (or per group of recipients
sharing a diagnosis). Every untrusted string reaches rich as a Text, never as markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import MessageReport, RecipientReport
from ..sanitize import clean, one_line, shown_name
from .codeinfo import codes_line
from .grouping import (
    confidence_line,
    dns_lines,
    group_recipients,
    kind_label,
    original_line,
    verdict,
)

_DNS_STYLES = {"FAIL": "red", "WARN": "yellow", "ERROR": "yellow", "PASS": "green"}
_KIND_STYLE = {"bounce": "red", "delay": "yellow", "delivered": "green", "auto-reply": "cyan",
               "feedback": "magenta", "not-bounce": "dim"}


def render_reports(
    console: Console, reports: Sequence[MessageReport], verbose: bool = False
) -> None:
    """Print every report."""
    for report in reports:
        render_report(console, report, verbose)


def render_report(console: Console, report: MessageReport, verbose: bool = False) -> None:
    """One message: a header line, then a panel per group of recipients."""
    head = Text()
    head.append(kind_label(report.kind), style=f"bold {_KIND_STYLE.get(report.kind.value, '')}")
    if report.source:
        head.append(f"  {shown_name(report.source)}", style="dim")
    if report.subject:
        head.append(f"  {one_line(report.subject, 200)}")
    console.print(head)
    original = original_line(report)
    if original:
        console.print(Text(one_line(original, 600), style="dim"))
    if not report.recipients:
        console.print(Text("No bounce found in this message.", style="dim"))
    for group in group_recipients(report.recipients):
        console.print(_panel(group, verbose))
    for note in report.notes:
        console.print(Text(f"note: {one_line(note)}", style="yellow"))


def _facts(group: list[RecipientReport]) -> Table:
    finding, diagnosis = group[0].finding, group[0].diagnosis
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    grid.add_row("reason", Text(diagnosis.reason.value + (f" · {diagnosis.provider}"
                                                          if diagnosis.provider else "")))
    grid.add_row("codes", Text(codes_line(finding, diagnosis)))
    if finding.remote_mta or finding.smtp_command:
        where = one_line(finding.remote_mta, 200)
        if finding.smtp_command:
            where = f"{where} (at {finding.smtp_command})".strip()
        grid.add_row("server", Text(where))
    if diagnosis.who:
        grid.add_row("who acts", Text(", ".join(diagnosis.who)))
    if diagnosis.probe:
        grid.add_row("test server", Text(diagnosis.probe))
    if len(group) > 1:
        names = [one_line(r.finding.address) or "(not named)" for r in group]
        grid.add_row("recipients", Text(", ".join(names[:50])))
    return grid


def _panel(group: list[RecipientReport], verbose: bool) -> Panel:
    finding, diagnosis = group[0].finding, group[0].diagnosis
    style = "red" if diagnosis.hard_bounce else "yellow"
    rows: list[Text | Table | Padding] = [Text(one_line(verdict(group[0])),
                                               style=f"bold {style}")]
    confidence = confidence_line(diagnosis)
    if confidence:
        rows.append(Text(f"confidence {one_line(confidence)}", style="dim"))
    rows.append(_facts(group))
    if finding.diagnostic:
        rows.append(Text("The server said:", style="dim"))
        rows.append(Padding(Text(f"“{clean(finding.diagnostic, newlines=False, limit=1500)}”",
                                 style="italic"), (0, 0, 0, 2)))
    if diagnosis.cause:
        rows.append(Text(one_line(diagnosis.cause)))
    evidence = dns_lines(diagnosis)
    if evidence:
        rows.append(Text("DNS:", style="bold"))
        rows.append(_hanging([(Text(status, style=_DNS_STYLES.get(status, "")),
                               Text(one_line(line))) for status, line in evidence]))
    if diagnosis.fix:
        rows.append(Text("What to do:", style="bold"))
        rows.append(_hanging([(Text(f"{n}."), Text(one_line(step)))
                              for n, step in enumerate(diagnosis.fix, 1)]))
    if verbose:
        rows.append(Text(f"rule {diagnosis.rule} · parser {finding.parser}", style="dim"))
        if diagnosis.evidence:
            rows.append(Text(f"evidence: “{one_line(diagnosis.evidence, 300)}”", style="dim"))
        if diagnosis.source:
            rows.append(Text(f"source: {one_line(diagnosis.source, 300)}", style="dim"))
    first = one_line(finding.address) or "(recipient not named)"
    title = first if len(group) == 1 else f"{first} and {len(group) - 1} more"
    return Panel(Group(*rows), title=Text(title), title_align="left", border_style=style)


def _hanging(rows: list[tuple[Text, Text]]) -> Padding:
    """Label and text in two columns, so that wrapped lines stay under the text (a
    hanging indent) instead of running back under the label."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column()
    for label, text in rows:
        grid.add_row(label, text)
    return Padding(grid, (0, 0, 0, 1))

