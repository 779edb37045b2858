"""Reports for people at a terminal: one panel per recipient (or per group of recipients
sharing a diagnosis). Every untrusted string reaches rich as a Text, never as markup."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import MessageReport, RecipientReport
from ..sanitize import clean, one_line

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
    head.append(report.kind.value.upper(), style=f"bold {_KIND_STYLE.get(report.kind.value, '')}")
    if report.source:
        head.append(f"  {one_line(report.source)}", style="dim")
    if report.subject:
        head.append(f"  {one_line(report.subject, 200)}")
    console.print(head)
    if not report.recipients:
        console.print(Text("No bounce found in this message.", style="dim"))
    for group in _groups(report.recipients):
        console.print(_panel(group, verbose))
    for note in report.notes:
        console.print(Text(f"note: {one_line(note)}", style="yellow"))


def _groups(recipients: Sequence[RecipientReport]) -> list[list[RecipientReport]]:
    """Recipients with the same diagnosis and server words share one panel."""
    groups: dict[tuple[object, ...], list[RecipientReport]] = {}
    for item in recipients:
        key = (item.diagnosis.reason, item.diagnosis.rule, item.diagnosis.status,
               item.finding.reply_code, item.finding.diagnostic)
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def _panel(group: list[RecipientReport], verbose: bool) -> Panel:
    first = group[0]
    finding, diagnosis = first.finding, first.diagnosis
    rows: list[Text | Table] = []
    verdict = Text()
    verdict.append(one_line(diagnosis.title) or diagnosis.reason.value, style="bold")
    verdict.append("  hard bounce: remove the address" if diagnosis.hard_bounce else "  soft",
                   style="red" if diagnosis.hard_bounce else "yellow")
    if diagnosis.retry:
        verdict.append(f"  retry: {diagnosis.retry}", style="dim")
    rows.append(verdict)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    codes = " ".join(c for c in (finding.reply_code, diagnosis.status) if c) or "none stated"
    if diagnosis.status_inferred and diagnosis.status:
        codes += " (status inferred)"
    grid.add_row("reason", Text(diagnosis.reason.value))
    grid.add_row("codes", Text(codes))
    if finding.remote_mta:
        grid.add_row("server", Text(one_line(finding.remote_mta, 200)))
    if finding.smtp_command:
        grid.add_row("failed at", Text(finding.smtp_command))
    if diagnosis.who:
        grid.add_row("who acts", Text(", ".join(diagnosis.who)))
    rows.append(grid)
    if finding.diagnostic:
        rows.append(Text("The server said:", style="dim"))
        rows.append(Text(f"  “{clean(finding.diagnostic, newlines=False, limit=1500)}”",
                         style="italic"))
    if diagnosis.cause:
        rows.append(Text(one_line(diagnosis.cause)))
    for number, step in enumerate(diagnosis.fix, 1):
        rows.append(Text(f"{number}. {one_line(step)}"))
    if verbose:
        rows.append(Text(f"rule {diagnosis.rule} · parser {finding.parser}", style="dim"))
        if diagnosis.evidence:
            rows.append(Text(f"evidence: {one_line(diagnosis.evidence, 300)}", style="dim"))
    addresses = [one_line(r.finding.address) or "(recipient not named)" for r in group]
    title = addresses[0] if len(addresses) == 1 else f"{addresses[0]} and {len(addresses) - 1} more"
    if len(addresses) > 1:
        rows.append(Text("Recipients: " + ", ".join(addresses[:50]), style="dim"))
    style = "red" if diagnosis.hard_bounce else "yellow"
    return Panel(Group(*rows), title=Text(title), title_align="left", border_style=style)


def render_scan_summary(
    console: Console, reports: Sequence[MessageReport], tally: Counter[str], files: int
) -> None:
    """A table of reasons after a scan, with the hard bounces to suppress."""
    table = Table(title=Text(f"{files} files, {len(reports)} messages"), title_justify="left")
    table.add_column("reason")
    table.add_column("recipients", justify="right")
    for reason, count in tally.most_common():
        table.add_row(Text(reason), Text(str(count)))
    console.print(table)
    hard = sorted({one_line(r.finding.address) for rep in reports for r in rep.recipients
                   if r.diagnosis.hard_bounce and r.finding.address})
    if hard:
        console.print(Text(f"{len(hard)} addresses to suppress (hard bounces):", style="bold"))
        for address in hard[:200]:
            console.print(Text(f"  {address}"))
