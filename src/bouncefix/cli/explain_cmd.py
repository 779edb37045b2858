"""``bouncefix explain``: one bounce (or a pasted fragment, or an mbox) explained."""

from __future__ import annotations

import io
import os
import sys
from typing import BinaryIO

import click

from ..ingest import InputError, open_regular, read_input
from ..model import Kind
from .env import Env, OutputFormat
from .exitcodes import ExitCode
from .options import (
    format_option,
    make_resolver,
    max_size_option,
    network_options,
    resolve_format,
    wanted,
)


@click.command()
@click.argument("source", required=False, type=click.Path(allow_dash=True))
@format_option(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN)
@max_size_option
@network_options(online_by_default=True)
@click.option("-v", "--verbose", is_flag=True,
              help="Also show the rule that fired and its evidence.")
def explain(
    source: str | None, output_format: str, as_json: bool, max_size: int, verbose: bool,
    online: bool | None, nameservers: tuple[str, ...], timeout: float, budget: float,
    max_queries: int,
) -> None:
    """Explain a bounce: who failed, what the server said, why, and what to do.

    SOURCE is a saved message (.eml), an mbox, or a text file holding a pasted bounce;
    without SOURCE (or with -) the bounce is read from standard input.

    \b
    Examples:
      bouncefix explain bounce.eml
      bouncefix explain --format json bounce.eml | jq '.[0].recipients'
      echo '550 5.1.1 <jane@example.org>: User unknown' | bouncefix explain
      bouncefix explain --format markdown bounce.eml > ticket.md
      bouncefix explain --offline bounce.eml      no DNS look-ups

    When the diagnosis turns on DNS (unknown domain, SPF/DKIM/DMARC failure, missing
    reverse DNS, a blocked IP), the relevant records are checked and shown as evidence
    (within --budget seconds). Those look-ups send names taken from the bounce (the
    recipient's domain, the sender's domain, the sending IP) to your resolver;
    --offline, or BOUNCEFIX_OFFLINE=1 in the environment, turns them off.

    Exit codes: 0 a bounce, delay or report was found; 1 nothing to report (or an
    empty input); 2 usage or input error (a directory, FIFO or device is refused);
    130 interrupted.
    """
    env = Env()
    fmt = resolve_format(output_format, as_json)
    try:
        data = _read_source(source, max_size, env)
    except InputError as error:
        env.error(str(error))
        click.get_current_context().exit(ExitCode.USAGE)
    if not data.strip():
        env.error(f"{'standard input' if source in (None, '-') else source} is empty")
        click.get_current_context().exit(ExitCode.NOTHING)
    from ..api import add_dns_evidence, analyze
    from ..evidence import needs_dns

    reports = analyze(data)
    if wanted(env, online) and any(needs_dns(report) for report in reports):
        resolver = make_resolver(env, nameservers, budget, max_queries, timeout)
        reports = [add_dns_evidence(report, resolver) for report in reports]
    if fmt is OutputFormat.TEXT and env.rich_output:
        from ..render.rich_view import render_reports

        render_reports(env.console(), reports, verbose=verbose)
    else:
        from ..render.formats import render
        from ..streams import unicode_ok

        env.stdout.write(render(fmt, reports, verbose, not unicode_ok(env.stdout)))
    found = any(r.kind is not Kind.NOT_BOUNCE for r in reports)
    if not found and fmt is OutputFormat.TEXT:
        env.error("no bounce found in the input")
    click.get_current_context().exit(ExitCode.OK if found else ExitCode.NOTHING)


def _read_source(source: str | None, max_size: int, env: Env) -> bytes:
    if source in (None, "-"):
        if sys.stdin is None:
            raise InputError("no standard input to read")
        stdin: BinaryIO = getattr(sys.stdin, "buffer", None) or io.BytesIO()
        if sys.stdin.isatty():
            print("bouncefix: paste the bounce, then press Ctrl-D", file=env.stderr)
        return read_input(stdin, max_size, "standard input")
    if os.path.isdir(source):
        raise InputError(f"{source} is a directory; use 'bouncefix scan' for folders")
    try:
        with open_regular(source) as handle:
            return read_input(handle, max_size, source)
    except OSError as error:
        raise InputError(f"cannot read {source}: {error.strerror or error}") from None
