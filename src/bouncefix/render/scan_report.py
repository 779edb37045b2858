"""The report of a whole scan, for people: on a terminal (rich) and after the messages
of plain text output.

It says how many messages were read and of which kind, how many recipients bounced hard
and soft, draws a bar chart of the reasons, lists the receiving domains and providers
that bounced most with their main reason, and the period the bounces cover. With
``--details`` it lists one line per recipient first (date, address, reason, code and
the start of what the server said). Every string from input was sanitised when the
summary row was made (render/scan.py) and reaches rich only as ``Text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .scan import Row, ScanSummary, count

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

TOP = 10
BAR_WIDTH = 40
#: the kinds of message in the order the totals name them: (kind, singular, plural)
KIND_WORDS = (
    ("bounce", "bounce", "bounces"),
    ("delay", "delay", "delays"),
    ("auto-reply", "auto-reply", "auto-replies"),
    ("feedback", "complaint", "complaints"),
    ("delivered", "delivery notice", "delivery notices"),
    ("not-bounce", "not a bounce", "not bounces"),
)
#: always named in the totals, even when there are none
_ALWAYS = {"bounce", "delay", "auto-reply", "not-bounce"}


def headline(summary: ScanSummary) -> str:
    """'2 files, 1,204 messages' (with filters: 'N messages read, M kept by the
    filters')."""
    files = count(summary.files, "file") + ", "
    if summary.filtered:
        return (files + count(summary.read, "message") + " read, "
                + f"{summary.messages:,} kept by the filters")
    return files + count(summary.messages, "message")


def kind_totals(summary: ScanSummary) -> str:
    """'30 bounces, 2 delays, 1 auto-reply, 0 not bounces'."""
    parts = []
    for kind, one, many in KIND_WORDS:
        number = summary.kinds.get(kind, 0)
        if number or kind in _ALWAYS:
            parts.append(f"{number:,} {one if number == 1 else many}")
    return ", ".join(parts)


def recipient_totals(summary: ScanSummary) -> str:
    """'32 bounced, 20 hard (18 to suppress), 12 soft'."""
    return (f"{summary.recipients:,} bounced, {summary.hard:,} hard "
            f"({summary.suppress:,} to suppress), {summary.soft:,} soft")


def period_text(summary: ScanSummary) -> str | None:
    """'2026-03-01 09:00 to 2026-03-05 14:30 UTC': the first and last date of a bounce,
    delay or complaint."""
    period = summary.period
    if period is None:
        return None
    first, last = (short_date(d) for d in period)
    return f"{first} UTC" if first == last else f"{first} to {last} UTC"


def short_date(date: str) -> str:
    """'2026-03-05T14:30:00+01:00' as '2026-03-05 14:30'."""
    return date[:16].replace("T", " ") if len(date) >= 16 else date


def plain_summary(summary: ScanSummary) -> str:
    """The summary as plain text (after the messages of piped text output)."""
    lines = [f"{headline(summary)}: {kind_totals(summary)}",
             f"recipients: {recipient_totals(summary)}"]
    period = period_text(summary)
    if period:
        lines.append(f"period: {period}")
    if summary.reasons:
        lines.append("reasons:")
        lines.extend(f"  {reason}: {number:,}"
                     for reason, number in _ordered(summary.reasons.items()))
    for title, table in (("top domains", summary.domains), ("top providers", summary.providers)):
        top = summary.top(table, TOP)
        if top:
            lines.append(f"{title}:")
            lines.extend(f"  {name}: {total:,} ({reason} {most:,})"
                         for name, total, reason, most in top)
        if table is summary.domains and summary.unnamed:
            lines.append(f"  ({count(summary.unnamed, 'recipient')} not named)")
    return "\n".join(lines) + "\n"


def detail_lines(rows: Iterable[Row]) -> str:
    """One tab-separated line per recipient: date, address, kind or hardness, reason,
    code, server words (plain --details)."""
    return "".join("\t".join((short_date(r.date) or "-", r.address or "(not named)",
                              _marker(r), r.reason, r.code or "-", r.words)) + "\n"
                   for r in rows)


def _marker(row: Row) -> str:
    if row.kind == "bounce":
        return "hard" if row.hard else "soft"
    return "complaint" if row.kind == "feedback" else row.kind


def _ordered(items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(items, key=lambda pair: (-pair[1], pair[0]))


# -- rich ----------------------------------------------------------------------------------


def render_scan_summary(console: Console, summary: ScanSummary, *, details: bool = False,
                        ascii_only: bool = False) -> None:
    """The whole-scan report on a terminal (``details``: the recipients first)."""
    from rich.text import Text

    if details:
        render_details(console, summary)
    console.print(Text(headline(summary), style="bold"))
    console.print(_line("messages", kind_totals(summary)))
    console.print(_line("recipients", recipient_totals(summary)))
    period = period_text(summary)
    if period:
        console.print(_line("period", period))
    if summary.reasons:
        console.print()
        console.print(_reason_chart(summary, ascii_only))
    for title, noun, table in (("Top receiving domains", "domain", summary.domains),
                               ("Top providers", "provider", summary.providers)):
        top = summary.top(table, TOP)
        if top:
            console.print()
            console.print(_top_table(title, noun, top))
        if noun == "domain" and summary.unnamed:
            console.print(Text(f"{count(summary.unnamed, 'bounced recipient')} not named by "
                               "the bounce", style="dim"))
    if summary.suppress:
        console.print()
        console.print(Text(f"{count(summary.suppress, 'hard-bounced recipient')} to "
                           "suppress: `bouncefix suppress` on the same paths lists them.",
                           style="dim"))
    if summary.filtered:
        console.print(Text("Counts cover the messages and recipients the filters kept.",
                           style="dim"))


def _line(label: str, value: str) -> Text:
    from rich.text import Text

    return Text.assemble((f"{label:<11}", "dim"), value)


def _reason_chart(summary: ScanSummary, ascii_only: bool) -> object:
    from rich.table import Table
    from rich.text import Text

    from ..model import HARD_REASONS

    hard = {reason.value for reason in HARD_REASONS}
    table = Table(title=Text("Reasons (recipients of bounces)", style="bold"),
                  title_justify="left", box=None, show_header=False, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="dim")
    items = _ordered(summary.reasons.items())
    largest = items[0][1]
    total = sum(summary.reasons.values())
    block = "#" if ascii_only else "█"
    for reason, number in items:
        width = max(1, round(BAR_WIDTH * number / largest))
        style = "red" if reason in hard else "yellow"
        table.add_row(Text(reason), Text(block * width, style=style), Text(f"{number:,}"),
                      Text(f"{100 * number / total:.0f}%"))
    return table


def _top_table(title: str, noun: str, top: list[tuple[str, int, str, int]]) -> object:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title, style="bold"), title_justify="left", box=None,
                  padding=(0, 1), header_style="dim")
    table.add_column(noun, overflow="ellipsis", max_width=48, no_wrap=True)
    table.add_column("bounces", justify="right")
    table.add_column("main reason")
    for name, total, reason, most in top:
        table.add_row(Text(name), Text(f"{total:,}"),
                      Text(f"{reason} ({100 * most / total:.0f}%)"))
    return table


_DETAIL_BATCH = 500


def render_details(console: Console, summary: ScanSummary) -> None:
    """One line per recipient kept (aligned columns; printed in batches, so that
    100,000 rows take seconds, not minutes)."""
    from rich.text import Text

    rows = summary.rows
    if not rows:
        return
    width = console.width
    address_width = min(40, max(len(r.address) for r in rows))
    reason_width = max(len(r.reason) for r in rows)
    code_width = min(12, max(len(r.code) for r in rows))
    head = Text.assemble(
        (f"{'date':<16}  {'address':<{address_width}}  {'type':<9}  {'reason':<{reason_width}}  "
         f"{'code':<{code_width}}  server said", "dim"))
    console.print(Text(f"Recipients ({len(rows):,})", style="bold"))
    console.print(head)
    used = 16 + address_width + 9 + reason_width + code_width + 10
    words_width = max(10, width - used)
    batch = Text()
    for number, row in enumerate(rows, 1):
        marker = _marker(row)
        batch.append(f"{short_date(row.date) or '-':<16}  ", style="dim")
        batch.append(_fit(row.address or "(not named)", address_width))
        batch.append("  ")
        batch.append(f"{marker:<9}", style="red" if marker in ("hard", "complaint")
                     else "yellow")
        batch.append(f"  {row.reason:<{reason_width}}  {_fit(row.code, code_width)}  ")
        batch.append(_fit(row.words, words_width).rstrip(), style="italic")
        batch.append("\n")
        if number % _DETAIL_BATCH == 0:
            console.print(batch, end="", overflow="ignore", crop=False, no_wrap=True)
            batch = Text()
    console.print(batch, end="", overflow="ignore", crop=False, no_wrap=True)
    if summary.rows_cut:
        console.print(Text(f"... and {summary.rows_cut:,} more recipients not listed (the "
                           f"report keeps {summary.max_rows:,}; use --format csv for all)",
                           style="yellow"))
    console.print()


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[:max(width - 1, 0)] + "…"
