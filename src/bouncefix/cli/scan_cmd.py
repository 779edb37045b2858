"""``bouncefix scan``: many bounces at once (files, folders, Maildirs, mbox files)."""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterator

import click

from ..ingest import InputError, is_mbox, iter_mbox_file, open_regular, read_limited
from ..model import ExitCode
from ..render.scan_chunks import Rendered, Renderer
from ..streams import unicode_ok
from .dns_evidence import dns_options, make_resolver
from .env import Env, OutputFormat
from .options import format_option, max_size_option, resolve_format

_SKIP_DIRS = {"tmp", ".git", ".hg", ".svn", "__pycache__"}
_MAX_DEPTH = 32


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.JSONL)
@max_size_option
@dns_options(offline_default=True)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core for large scans).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
def scan(
    paths: tuple[str, ...], output_format: str, as_json: bool, max_size: int,
    progress: bool | None, nameservers: tuple[str, ...], dns_budget: float,
    dns_max_queries: int, use_dns: bool,
    jobs: int | None,
) -> None:
    """Analyse many bounces: files, folders (recursively, Maildir cur/new included) and
    mbox files. Each message gives one result with its source file and index.

    \b
    Examples:
      bouncefix scan bounces/ --format jsonl > results.jsonl
      bouncefix scan ~/Maildir/.Bounces --format jsonl \
        | jq -r '.recipients[] | select(.hard_bounce) | .address'
      bouncefix scan archive.mbox            a summary table of reasons

    Scans make no DNS look-ups unless --dns is given (then within --dns-budget seconds
    for the whole scan). Unreadable files are reported on stderr and skipped.

    Exit codes: 0 some bounce, delay or report was found; 1 nothing to report;
    2 usage or input error; 130 interrupted (what was read so far is printed).
    """
    env = Env()
    fmt = resolve_format(output_format, as_json)
    files = list(_iter_files(paths, env))
    show_progress = env.stderr_tty if progress is None else progress
    out = _ScanOutput(env, fmt)
    resolver = make_resolver(env, nameservers, dns_budget, dns_max_queries) if use_dns else None
    bar = _progress_bar(env, len(files)) if show_progress else None
    from ..parallel import MIN_FILES_FOR_WORKERS, analyze_many, default_jobs
    from .startup import resume

    resume()

    if jobs is None:
        jobs = default_jobs() if len(files) >= MIN_FILES_FOR_WORKERS or _has_mbox(files) else 1
    if resolver is not None:
        jobs = 1  # DNS checks share one resolver and its budget
    renderer = Renderer(fmt, out.ascii, not env.rich_output, resolver)
    try:
        current = None
        for rendered in analyze_many(_messages(files, max_size, env), jobs, renderer):
            out.add(rendered)
            if bar is not None and rendered.source != current:
                current = rendered.source
                bar.advance()
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        out.finish(len(files))
        env.error(f"interrupted after {out.messages} messages")
        raise SystemExit(ExitCode.INTERRUPTED) from None
    if bar is not None:
        bar.close()
    out.finish(len(files))
    click.get_current_context().exit(ExitCode.OK if out.found else ExitCode.NOTHING)


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


def _messages(
    files: list[str], max_size: int, env: Env
) -> Iterator[tuple[str, int, bytes]]:
    """(source, index, bytes) of every message of every file, read lazily."""
    for path in files:
        yield from _messages_in(path, max_size, env)


def _messages_in(path: str, max_size: int, env: Env) -> Iterator[tuple[str, int, bytes]]:
    from ..ingest import normalise_newlines

    source = path
    try:
        with open_regular(path) as handle:
            head = handle.read(1024)
            handle.seek(0)
            if is_mbox(head):
                def cut(index: int) -> None:
                    env.error(f"{source}: message {index + 1} is larger than {max_size:,} "
                              "bytes; only its beginning was read (raise with --max-size)")

                for index, raw in enumerate(iter_mbox_file(handle, max_size, cut)):
                    yield source, index, normalise_newlines(raw)
                return
            data = read_limited(handle, max_size, source)
    except InputError as error:
        env.error(f"skipped: {error}")
        return
    except OSError as error:
        env.error(f"skipped {source}: {error.strerror or error}")
        return
    if not data.strip():
        env.error(f"skipped {source}: empty file")
        return
    yield source, 0, normalise_newlines(data)


def _has_mbox(files: list[str]) -> bool:
    """True when some file is an mbox (possibly many messages)."""
    for path in files:
        try:
            with open_regular(path) as handle:
                if is_mbox(handle.read(1024)):
                    return True
        except (InputError, OSError):
            continue
    return False


def _iter_files(paths: tuple[str, ...], env: Env) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    for name in paths:
        path = _tidy(name)
        try:
            info = os.stat(path)
        except OSError as error:
            env.error(f"skipped {name}: {error.strerror or error}")
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, env, seen)
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            env.error(f"skipped {name}: not a regular file")


def _tidy(name: str) -> str:
    """A path as the user gave it, tidied as results name their source: no repeated or
    trailing slashes, no "." steps."""
    steps = [step for step in name.split("/") if step and step != "."]
    return ("/" if name.startswith("/") else "") + "/".join(steps) or "."


def _walk(folder: str, env: Env, seen: set[tuple[int, int]]) -> Iterator[str]:
    for root, dirs, names in os.walk(folder, onerror=lambda e: env.error(f"skipped: {e}")):
        below = root[len(folder) :].lstrip("/")
        depth = below.count("/") + 1 if below else 0
        try:
            info = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen or depth > _MAX_DEPTH:
            dirs[:] = []
            continue
        seen.add(key)
        maildir = "cur" in dirs and "new" in dirs
        dirs[:] = sorted(
            d for d in dirs if d not in _SKIP_DIRS or (d == "tmp" and not maildir)
        )
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if folder == ".":
                path = path[2:]  # "x", not "./x" (as the user's own paths are tidied)
            try:
                mode = os.stat(path).st_mode
            except OSError as error:
                env.error(f"skipped {path}: {error.strerror or error}")
                continue
            if stat.S_ISREG(mode):
                yield path
            else:
                env.error(f"skipped {path}: not a regular file")


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
