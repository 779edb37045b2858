"""What ``bouncefix explain`` does once its arguments are read, without click: the click
command (explain_cmd.py) and the fast start-up path (fast_explain.py) both call
:func:`run`, so they cannot answer differently."""

# (no "from __future__ import annotations": NamedTuple would compile each field's
# annotation from its string at start-up)

import io
import os
import sys
from typing import BinaryIO, NamedTuple

from ..ingest import InputError, open_regular, read_input
from ..model import Kind
from .env import Env, OutputFormat
from .exitcodes import ExitCode
from .network import UsageError, make_resolver, wanted


class Request(NamedTuple):
    """The arguments of one explain run."""

    source: str | None = None
    fmt: OutputFormat = OutputFormat.TEXT
    max_size: int = 25 * 1024 * 1024
    verbose: bool = False
    online: bool | None = None
    nameservers: tuple[str, ...] = ()
    timeout: float = 2.0
    budget: float = 4.0
    max_queries: int = 1000


def run(env: Env, request: Request) -> int:
    """Explain the bounce `request` names; the exit status."""
    try:
        data = read_source(request.source, request.max_size, env)
    except InputError as error:
        env.error(str(error))
        return ExitCode.USAGE
    if not data.strip():
        env.error(f"{'standard input' if request.source in (None, '-') else request.source}"
                  " is empty")
        return ExitCode.NOTHING
    from ..api import add_dns_evidence, analyze
    from ..evidence import needs_dns

    reports = analyze(data)
    if wanted(env, request.online) and any(needs_dns(report) for report in reports):
        try:
            resolver = make_resolver(env, request.nameservers, request.budget,
                                     request.max_queries, request.timeout)
        except UsageError as error:
            env.error(str(error))
            return ExitCode.USAGE
        reports = [add_dns_evidence(report, resolver) for report in reports]
    if request.fmt is OutputFormat.TEXT and env.rich_output:
        from ..render.rich_view import render_reports

        render_reports(env.console(), reports, verbose=request.verbose)
    else:
        from ..render.formats import render
        from ..streams import unicode_ok

        env.stdout.write(render(request.fmt, reports, request.verbose,
                                not unicode_ok(env.stdout)))
    found = any(r.kind is not Kind.NOT_BOUNCE for r in reports)
    if not found and request.fmt is OutputFormat.TEXT:
        env.error("no bounce found in the input")
    return ExitCode.OK if found else ExitCode.NOTHING


def read_source(source: str | None, max_size: int, env: Env) -> bytes:
    """The input: standard input for None or "-", else the named file (decompressed,
    without a byte-order mark); InputError for what cannot be read."""
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
