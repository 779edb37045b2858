"""``bouncefix scan``: many bounces at once (files, folders, Maildirs, mbox files)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..model import Kind, Reason
from ..render.scan import Rendered, Renderer, ScanSummary, count
from ..sanitize import shown_name
from ..streams import unicode_ok
from .env import Env, OutputFormat
from .exitcodes import ExitCode
from .options import (
    completes,
    format_option,
    make_resolver,
    max_size_option,
    network_options,
    resolve_format,
    wanted,
)
from .signals import Stopped, stopping, whole

if TYPE_CHECKING:
    from ..filters import RecipientFilter
    from ..ingest.errors import Failure, Skip

F = TypeVar("F", bound=Callable[..., Any])


def filter_options(func: F) -> F:
    """--reason, --hard/--soft, --domain, --since, --until, --kind."""
    options = [
        click.option("--kind", "kinds", multiple=True, metavar="KIND",
                     shell_complete=completes(lambda: [kind.value for kind in Kind]),
                     help="Only messages of this kind: bounce, delay, feedback, auto-reply, "
                          "delivered, not-bounce (repeatable)."),
        click.option("--until", metavar="DATE",
                     help="Only bounces dated up to DATE (YYYY-MM-DD: that whole day, "
                          "UTC; or ISO 8601)."),
        click.option("--since", metavar="DATE",
                     help="Only bounces dated DATE or later (YYYY-MM-DD or ISO 8601)."),
        click.option("--domain", "domains", multiple=True, metavar="DOMAIN",
                     help="Only recipients at DOMAIN or its subdomains (repeatable)."),
        click.option("--hard/--soft", "hard", default=None,
                     help="Only hard bounces, or only recipients that are not."),
        click.option("--reason", "reasons", multiple=True, metavar="REASON",
                     shell_complete=completes(lambda: [reason.value for reason in Reason]),
                     help="Only recipients with this reason, e.g. userunknown (repeatable)."),
    ]
    for option in options:
        func = option(func)
    return func


def make_filter(reasons: tuple[str, ...], hard: bool | None, domains: tuple[str, ...],
                since: str | None, until: str | None, kinds: tuple[str, ...]
                ) -> RecipientFilter:
    """The filter the options ask for; click.BadParameter names a bad value."""
    from ..filters import (
        RecipientFilter,
        parse_date,
        parse_domains,
        parse_kinds,
        parse_reasons,
    )

    def parsed(hint: str, parse: Callable[[], Any]) -> Any:
        try:
            return parse()
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=hint) from None

    keep = RecipientFilter(
        reasons=parsed("--reason", lambda: parse_reasons(reasons)),
        hard=hard,
        domains=parsed("--domain", lambda: parse_domains(domains)),
        since=parsed("--since", lambda: parse_date(since)) if since else None,
        until=parsed("--until", lambda: parse_date(until, end_of_day=True)) if until else None,
        kinds=parsed("--kind", lambda: parse_kinds(kinds)),
    )
    if keep.since and keep.until and keep.since > keep.until:
        raise click.BadParameter("--since is after --until", param_hint="--since")
    return keep


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.CSV,
               OutputFormat.HTML)
@click.option("--details", is_flag=True,
              help="Text: one line per recipient (date, address, reason, code, server words).")
@filter_options
@max_size_option
@network_options(online_by_default=False)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core for large scans).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
def scan(
    paths: tuple[str, ...], output_format: str, as_json: bool, details: bool,
    reasons: tuple[str, ...], hard: bool | None, domains: tuple[str, ...], since: str | None,
    until: str | None, kinds: tuple[str, ...], max_size: int,
    progress: bool | None, online: bool | None, nameservers: tuple[str, ...],
    timeout: float, budget: float, max_queries: int, jobs: int | None,
) -> None:
    """Analyse many bounces: files, folders (recursively, Maildir cur/new included),
    mbox files, and standard input (-). Each message gives one result with its source
    file and index.

    \b
    Examples:
      bouncefix scan archive.mbox            a report: totals, reasons, domains
      bouncefix scan --details bounces/      ... and one line per recipient
      bouncefix scan bounces/ --format jsonl > results.jsonl
      bouncefix scan bounces/ --format csv > recipients.csv
      bouncefix scan bounces/ --format html > report.html
      bouncefix scan --reason userunknown --domain example.org --since 2026-03-01 box.mbox
      cat archive.mbox | bouncefix scan -
      bouncefix scan --online bounces/       with DNS evidence

    On a terminal, text is a report of the whole scan; piped, it is each message in
    plain text, then the totals. csv: one row per recipient (columns: source, index,
    date, kind, address, domain, reason, hard_bounce, suppress, confidence, reply_code,
    status, provider, remote_mta, smtp_command, retry, feedback_type, diagnostic,
    original_from, original_message_id). html: one self-contained page with charts
    and a table of recipients.

    Filters apply to every format and to each recipient; a message with no recipient
    left is not output, and the totals count only what was kept. --kind, --since and
    --until test the message (its kind, the bounce's Date; a message without a date is
    left out by --since and --until).

    Scans make no DNS look-ups unless --online is given (then within --budget seconds
    for the whole scan). Unreadable files are reported on stderr and skipped.

    Exit codes: 0 some bounce, delay or report was found (and kept by the filters); 1
    nothing to report, or some message could not be analysed; 2 usage or input error
    (a path that does not exist or cannot be read); 130 interrupted, 143 terminated,
    129 hung up (what was read so far is printed first).
    """
    env = Env()
    fmt = resolve_format(output_format, as_json)
    keep = make_filter(reasons, hard, domains, since, until, kinds)
    resolver = (make_resolver(env, nameservers, budget, max_queries, timeout)
                if wanted(env, online, by_default=False) else None)
    _scan(env, fmt, paths, max_size, progress, resolver, jobs, keep, details)


class Inputs:
    """The files of a run's paths, and which named inputs could not be read (shared by
    scan and suppress)."""

    def __init__(self, env: Env, paths: tuple[str, ...]) -> None:
        from ..api import input_files

        self.env = env
        self.unreadable: list[str] = []  # inputs named on the command line, unreadable
        self.given = {_tidy(p) for p in paths if p != "-" and not os.path.isdir(p)}
        self.given |= {"standard input"} if "-" in paths else set()
        self.failures = 0
        self.files = input_files(paths, self.skipped)
        if not self.files and not any(os.path.isdir(p) for p in paths):
            click.get_current_context().exit(ExitCode.USAGE)  # not one path could be read

    def skipped(self, skip: Skip) -> None:
        """Tell a skipped input (an ingest Skip)."""
        self.env.error(str(skip))
        if skip.unreadable and skip.path in self.given:
            self.unreadable.append(skip.path)

    def failed(self, failure: Failure) -> None:
        """Tell a message that could not be analysed (an ingest Failure)."""
        self.failures += 1
        self.env.error(f"{shown_name(failure.source)}: message {failure.position + 1} not "
                       f"analysed: {failure.reason}")

    def exit(self, found: bool) -> None:
        """Exit as the results and the inputs say."""
        context = click.get_current_context()
        if self.failures:
            self.env.error(f"{count(self.failures, 'message')} could not be analysed "
                           "(named above)")
            context.exit(ExitCode.NOTHING)
        if self.unreadable:  # like grep: the results stand, the exit says an input was bad
            context.exit(ExitCode.USAGE)
        context.exit(ExitCode.OK if found else ExitCode.NOTHING)


def _scan(env: Env, fmt: OutputFormat, paths: tuple[str, ...], max_size: int,
          progress: bool | None, resolver: Any, jobs: int | None,
          keep: RecipientFilter, details: bool) -> None:
    from ..api import analyze_paths, warm_up

    inputs = Inputs(env, paths)
    files = inputs.files
    out = _ScanOutput(env, fmt, len(files), details, keep.active)
    if resolver is not None:
        jobs = 1  # DNS checks share one resolver and its budget
    renderer = Renderer(out.streamed, out.ascii, resolver, keep if keep.active else None,
                        digest=out.summary is not None)
    warm_up()  # every import done: a signal from here on lands in our own code
    bar = progress_bar(env, progress, files)
    # Until now a signal ends the process at once (nothing was written); from here on it
    # stops the scan between two messages, and the output is closed.
    try:
        with stopping():
            for rendered in analyze_paths(files, jobs, max_size=max_size,
                                          on_skip=inputs.skipped, on_failure=inputs.failed,
                                          finish=renderer):
                with whole:
                    out.add(rendered)
                if bar is not None:
                    bar.advance(rendered.source, rendered.size)
    except (KeyboardInterrupt, Stopped) as stop:
        if bar is not None:
            bar.close()
        out.finish()
        code = stop.code if isinstance(stop, Stopped) else ExitCode.INTERRUPTED
        kept = f" ({out.kept:,} kept by the filters)" if keep.active else ""
        env.error(f"{'interrupted' if code == ExitCode.INTERRUPTED else 'stopped'} after "
                  f"{count(out.messages, 'message')}{kept}")
        raise SystemExit(code) from None
    if bar is not None:
        bar.close()
    out.finish()
    inputs.exit(out.found > 0)


def _tidy(name: str) -> str:
    """A path as results name their source (ingest.tidy)."""
    from ..ingest import tidy

    return tidy(name)


class _ScanOutput:
    """Streams results as they come: memory does not grow with the number of messages
    (the whole-scan formats keep a ScanSummary: counters and at most MAX_ROWS rows)."""

    def __init__(self, env: Env, fmt: OutputFormat, files: int, details: bool,
                 filtered: bool) -> None:
        from ..render.formats import REPORT_FORMATS

        self.env, self.fmt, self.filtered = env, fmt, filtered
        self.spec = REPORT_FORMATS[fmt]
        self.messages = self.kept = self.found = self.written = 0
        self.ascii = not unicode_ok(env.stdout)
        text = fmt is OutputFormat.TEXT
        self.rich = text and env.rich_output
        #: plain --details: one line per recipient, written as they come
        self.detail_lines = text and details and not self.rich
        self.details = details
        whole_scan = self.rich or self.spec.whole is not None
        self.summary = (ScanSummary(files, keep_rows=whole_scan and (details or not text))
                        if whole_scan or text else None)
        #: the format the workers write each message in (None: only the summary)
        self.streamed = None if whole_scan or self.detail_lines else fmt

    def add(self, rendered: Rendered) -> None:
        # One write per message, counted once written: an interrupted scan's output ends
        # at a whole message (and its JSON array can be closed).
        chunk = rendered.chunk
        if self.detail_lines and rendered.digest is not None:
            from ..render.scan_report import detail_lines

            chunk = detail_lines(rendered.digest.rows)
        if chunk:
            self.env.stdout.write((self.spec.opening if self.written == 0
                                   else self.spec.separator if not self.detail_lines
                                   else "") + chunk)
            self.written += 1
        self.messages += 1
        self.kept += rendered.matched
        self.found += rendered.found
        if self.summary is not None:
            self.summary.add(rendered.digest)

    def finish(self) -> None:
        """Close the output: the JSON array's bracket, the whole-scan document, the
        report or the totals."""
        stdout = self.env.stdout
        summary = self.summary
        if summary is not None:
            summary.read, summary.filtered = self.messages, self.filtered
        if self.rich and summary is not None:
            from ..render.scan_report import render_scan_summary

            render_scan_summary(self.env.console(), summary, details=self.details,
                                ascii_only=self.ascii)
        elif self.spec.whole is not None and summary is not None:
            for chunk in self.spec.whole(summary, self.ascii):
                stdout.write(chunk)
        elif self.detail_lines:
            pass  # only the lines: for grep, cut and sort
        elif self.fmt is OutputFormat.TEXT and summary is not None:
            from ..render.scan_report import plain_summary

            if self.written:
                stdout.write("\n")
            stdout.write(plain_summary(summary))
        elif self.written:
            stdout.write(self.spec.closing)
        else:
            stdout.write(self.spec.empty)
        stdout.flush()


#: what an mbox spends between two messages, beside the messages' own bytes: a blank
#: line and "From MAILER-DAEMON Thu Mar  5 14:30:00 2026" (an estimate, for progress)
MBOX_SEPARATOR_BYTES = 46


class Bar:
    """Progress on stderr by bytes read against the input's size when it is known (each
    file's share capped at its size: a compressed file holds more than it measures), by
    messages when it is not (standard input from a pipe)."""

    def __init__(self, env: Env, sizes: dict[str, int], total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(file=env.stderr, markup=False, emoji=False, no_color=env.no_color)
        columns: list[Any] = [TextColumn("scanning"), BarColumn()]
        if total is not None:
            columns.append(TaskProgressColumn())
        columns += [TextColumn("{task.fields[messages]}"), TimeElapsedColumn()]
        if total is not None:
            columns.append(TimeRemainingColumn())
        self.progress = Progress(*columns, console=console, transient=True)
        self.task = self.progress.add_task("scanning", total=total, messages="0 messages")
        self.sizes, self.total = sizes, total
        self.done = self.in_file = self.messages = 0
        self.current: str | None = None
        self.progress.start()

    def advance(self, source: str | None, size: int) -> None:
        """One message of `size` bytes read from `source`."""
        if source != self.current:
            self.done += self.sizes.get(self.current or "", 0)
            self.current, self.in_file = source, 0
        # after the first message of a file, an mbox's "From " line and blank line too
        self.in_file += size + (MBOX_SEPARATOR_BYTES if self.in_file else 0)
        self.messages += 1
        cap = self.sizes.get(source or "")
        here = min(self.in_file, cap) if cap is not None else self.in_file
        self.progress.update(self.task, completed=self.done + here,
                             messages=count(self.messages, "message"))

    def close(self) -> None:
        """Take the bar off the terminal."""
        self.progress.stop()


def progress_bar(env: Env, wanted_: bool | None, files: list[str]) -> Bar | None:
    """A progress bar when asked for (default: when stderr is a terminal)."""
    if not (env.stderr_tty if wanted_ is None else wanted_):
        return None
    sizes: dict[str, int] = {}
    for path in files:
        size = _size(path)
        if size is not None:
            sizes[path] = size
    total = sum(sizes.values()) if len(sizes) == len(files) else None
    return Bar(env, sizes, total)


def _size(path: str) -> int | None:
    """A file's size; standard input's when it is a regular file; else None."""
    import stat
    import sys

    try:
        if path == "-":
            info = os.fstat(sys.stdin.fileno())
            return info.st_size if stat.S_ISREG(info.st_mode) else None
        return os.stat(path).st_size
    except (OSError, ValueError, AttributeError):
        return None
