"""Writing check results: JSON, plain text (piped) and a rich table (terminal).

Everything printed comes from Check/TargetReport, whose text is sanitised on
construction; rich receives only rich.text.Text objects, never markup strings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..dns.model import TargetReport
from ..sanitize import one_line
from ..streams import unicode_ok

if TYPE_CHECKING:
    from rich.console import Console

STYLES = {"pass": "green", "warn": "yellow", "fail": "bold red", "error": "magenta"}


def write_json(reports: Sequence[TargetReport], stream: TextIO) -> None:
    """A JSON array, one object per target."""
    json.dump([report.to_dict() for report in reports], stream, indent=2,
              ensure_ascii=not unicode_ok(stream))
    stream.write("\n")


def write_plain(reports: Sequence[TargetReport], stream: TextIO) -> None:
    """Aligned plain text; details indented under their check."""
    for index, report in enumerate(reports):
        if index:
            stream.write("\n")
        stream.write(f"{one_line(report.target, 300)} ({report.kind})\n")
        for check in report.checks:
            stream.write(f"  {check.status.upper():<6} {check.name:<8} {check.summary}\n")
            for line in check.details:
                stream.write(f"{'':19}{line}\n")


def write_rich(console: Console, reports: Sequence[TargetReport]) -> None:
    """One table per target."""
    from rich.table import Table
    from rich.text import Text

    for index, report in enumerate(reports):
        if index:
            console.print()
        table = Table(title=Text(f"{report.target} ({report.kind})", style="bold"),
                      title_justify="left", show_lines=False, expand=False)
        table.add_column(Text("check"), no_wrap=True)
        table.add_column(Text("status"), no_wrap=True)
        table.add_column(Text("result"))
        for check in report.checks:
            result = Text(check.summary)
            for line in check.details:
                result.append("\n")
                result.append(line, style="dim")
            table.add_row(Text(check.name), Text(check.status.upper(),
                                                 style=STYLES[check.status]), result)
        console.print(table)
