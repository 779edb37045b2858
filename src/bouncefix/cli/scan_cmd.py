"""``bouncefix scan``: many bounces at once (files, folders, Maildirs, mbox files)."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import click

from ..render.scan import Rendered, Renderer
from ..sanitize import shown_name
from ..streams import unicode_ok
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
from .signals import Stopped, stopping, whole


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@format_option(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.JSONL)
@max_size_option
@network_options(online_by_default=False)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core for large scans).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
def scan(
    paths: tuple[str, ...], output_format: str, as_json: bool, max_size: int,
    progress: bool | None, online: bool | None, nameservers: tuple[str, ...],
    timeout: float, budget: float, max_queries: int, jobs: int | None,
) -> None:
    """Analyse many bounces: files, folders (recursively, Maildir cur/new included),
    mbox files, and standard input (-). Each message gives one result with its source
    file and index.

    \b
    Examples:
      bouncefix scan bounces/ --format jsonl > results.jsonl
      bouncefix scan ~/Maildir/.Bounces --format jsonl \\
        | jq -r '.recipients[] | select(.hard_bounce) | .address'
      bouncefix scan archive.mbox            a summary table of reasons
      cat archive.mbox | bouncefix scan -
      bouncefix scan --online bounces/       with DNS evidence

    Scans make no DNS look-ups unless --online is given (then within --budget seconds
    for the whole scan). Unreadable files are reported on stderr and skipped.

    Exit codes: 0 some bounce, delay or report was found; 1 nothing to report, or some
    message could not be analysed; 2 usage or input error (a path that does not exist or
    cannot be read); 130 interrupted, 143 terminated, 129 hung up (what was read so far
    is printed first).
    """
    env = Env()
    fmt = resolve_format(output_format, as_json)
    resolver = (make_resolver(env, nameservers, budget, max_queries, timeout)
                if wanted(env, online, by_default=False) else None)
    _scan(env, fmt, paths, max_size, progress, resolver, jobs)


def _scan(env: Env, fmt: OutputFormat, paths: tuple[str, ...], max_size: int,
          progress: bool | None, resolver: Any, jobs: int | None) -> None:
    from ..api import Failure, Skip, analyze_paths, input_files, warm_up

    unreadable: list[str] = []  # inputs named on the command line that could not be read
    given = {_tidy(p) for p in paths if p != "-" and not os.path.isdir(p)}
    given |= {"standard input"} if "-" in paths else set()

    def skipped(skip: Skip) -> None:
        env.error(str(skip))
        if skip.unreadable and skip.path in given:
            unreadable.append(skip.path)

    files = input_files(paths, skipped)
    if not files and not any(os.path.isdir(p) for p in paths):
        click.get_current_context().exit(ExitCode.USAGE)  # not one path could be read
    show_progress = env.stderr_tty if progress is None else progress
    out = _ScanOutput(env, fmt)
    bar = _progress_bar(env, len(files)) if show_progress else None
    if resolver is not None:
        jobs = 1  # DNS checks share one resolver and its budget
    failures: list[Failure] = []

    def failed(failure: Failure) -> None:
        failures.append(failure)
        env.error(f"{shown_name(failure.source)}: message {failure.position + 1} not "
                  f"analysed: {failure.reason}")

    terminal_summary = fmt is OutputFormat.TEXT and env.rich_output
    renderer = Renderer(None if terminal_summary else fmt, out.ascii, resolver)
    warm_up()  # every import done: a signal from here on lands in our own code
    # Until now a signal ends the process at once (nothing was written); from here on it
    # stops the scan between two messages, and the output is closed.
    try:
        with stopping():
            current = None
            for rendered in analyze_paths(files, jobs, max_size=max_size, on_skip=skipped,
                                          on_failure=failed, finish=renderer):
                with whole:
                    out.add(rendered)
                if bar is not None and rendered.source != current:
                    current = rendered.source
                    bar.advance()
    except (KeyboardInterrupt, Stopped) as stop:
        if bar is not None:
            bar.close()
        out.finish(len(files))
        code = stop.code if isinstance(stop, Stopped) else ExitCode.INTERRUPTED
        env.error(f"{'interrupted' if code == ExitCode.INTERRUPTED else 'stopped'} after "
                  f"{_count(out.messages, 'message')}")
        raise SystemExit(code) from None
    if bar is not None:
        bar.close()
    out.finish(len(files))
    if failures:
        env.error(f"{_count(len(failures), 'message')} could not be analysed (named above)")
        click.get_current_context().exit(ExitCode.NOTHING)
    if unreadable:  # like grep: the results stand, the exit says an input was bad
        click.get_current_context().exit(ExitCode.USAGE)
    click.get_current_context().exit(ExitCode.OK if out.found else ExitCode.NOTHING)


def _tidy(name: str) -> str:
    """A path as results name their source (ingest.tidy)."""
    from ..ingest import tidy

    return tidy(name)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class _ScanOutput:
    """Streams results as they come: memory does not grow with the number of messages
    (only the reason tally and, for the terminal summary, the hard-bounced addresses)."""

    MAX_REMEMBERED = 100_000

    def __init__(self, env: Env, fmt: OutputFormat) -> None:
        self.env, self.fmt = env, fmt
        self.messages = self.found = 0
        self.tally: Counter[str] = Counter()
        self.hard: set[str] = set()
        self.ascii = not unicode_ok(env.stdout)

    def add(self, rendered: Rendered) -> None:
        # One write per message, counted once written: an interrupted scan's output ends
        # at a whole message (and its JSON array can be closed).
        chunk = rendered.chunk
        if self.fmt is OutputFormat.JSON:
            chunk = ("[\n" if self.messages == 0 else ",\n") + chunk
        elif self.fmt is OutputFormat.TEXT and chunk and self.messages:
            chunk = "\n" + chunk
        if chunk:
            self.env.stdout.write(chunk)
        self.messages += 1
        self.found += rendered.found
        self.tally.update(rendered.reasons)
        for address in rendered.hard:
            if len(self.hard) >= self.MAX_REMEMBERED:
                break
            self.hard.add(address)

    def finish(self, files: int) -> None:
        """Close the JSON array, or print the summary."""
        stdout = self.env.stdout
        if self.fmt is OutputFormat.JSON:
            stdout.write("[]\n" if self.messages == 0 else "\n]\n")
        elif self.fmt is OutputFormat.TEXT and self.env.rich_output:
            from ..render.rich_view import render_scan_summary

            render_scan_summary(self.env.console(), self.tally, self.hard, files,
                                self.messages)
        elif self.fmt is OutputFormat.TEXT:
            stdout.write(f"{files} files, {self.messages} messages, {self.found} reports\n")
            for reason, count in self.tally.most_common():
                stdout.write(f"  {reason}: {count}\n")
        stdout.flush()


class _Bar:
    def __init__(self, env: Env, total: int) -> None:
        from rich.console import Console
        from rich.progress import Progress

        console = Console(file=env.stderr, markup=False, emoji=False, no_color=env.no_color)
        self.progress = Progress(console=console, transient=True)
        self.task = self.progress.add_task("scanning", total=total)
        self.progress.start()

    def advance(self) -> None:
        self.progress.advance(self.task)

    def close(self) -> None:
        self.progress.stop()


def _progress_bar(env: Env, total: int) -> _Bar | None:
    return _Bar(env, total) if total > 1 else None
