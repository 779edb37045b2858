"""Dispatch from an output format to its renderer."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..cli.env import Env, OutputFormat
from ..model import MessageReport
from ..streams import unicode_ok
from .data import report_dict


def write_reports(
    env: Env, fmt: OutputFormat, reports: Sequence[MessageReport], verbose: bool = False
) -> None:
    """Print `reports` in format `fmt`."""
    if fmt is OutputFormat.JSON:
        json.dump([report_dict(r) for r in reports], env.stdout, indent=2,
                  ensure_ascii=not unicode_ok(env.stdout))
        env.stdout.write("\n")
    elif fmt is OutputFormat.JSONL:
        for report in reports:
            write_jsonl(env, report)
    elif fmt is OutputFormat.MARKDOWN:
        from .markdown import render_reports

        env.stdout.write(render_reports(reports, verbose=verbose))
    elif env.rich_output:
        from .rich_view import render_reports as rich_render

        rich_render(env.console(), reports, verbose=verbose)
    else:
        from .plain import render_reports as plain_render

        env.stdout.write(plain_render(reports, verbose=verbose))


def write_jsonl(env: Env, report: MessageReport) -> None:
    """One report as one JSON line."""
    env.stdout.write(json.dumps(report_dict(report), ensure_ascii=not unicode_ok(env.stdout))
                     + "\n")
