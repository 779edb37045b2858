"""The click group. Commands live in their own modules and are imported on demand."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from .. import __version__
from .exitcodes import ExitCode

# command name -> (module, attribute, one-line help shown in the command list)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "explain": ("bouncefix.cli.explain_cmd", "explain",
                "Explain a bounce: why it failed, what to do."),
    "scan": ("bouncefix.cli.scan_cmd", "scan", "Analyse many bounces: files, folders, mboxes."),
    "suppress": ("bouncefix.cli.suppress_cmd", "suppress", "The addresses to stop sending to."),
    "lookup": ("bouncefix.cli.lookup_cmd", "lookup", "What SMTP reply and status codes mean."),
    "rules": ("bouncefix.cli.rules_cmd", "rules", "List the diagnosis rules, in order."),
    "check": ("bouncefix.cli.check_cmd", "check", "DNS evidence: MX, SPF, DMARC, PTR, blocklists."),
    "completion": ("bouncefix.cli.completion_cmd", "completion",
                   "Print the tab-completion script for bash, zsh or fish."),
}


class ReaderGone(Exception):
    """The reader of our output went away (``bouncefix scan ... | head``)."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used."""

    def invoke(self, ctx: click.Context) -> Any:
        # click turns a broken pipe into exit status 1 ("nothing found"); it is not.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise ReaderGone from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        return self._load(entry)

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            from .options import did_you_mean

            ctx.fail(f"no such command {name!r}{did_you_mean(name, list(COMMANDS))}; the "
                     f"commands are: {', '.join(COMMANDS)}")
        return super().resolve_command(ctx, args)

    @staticmethod
    def _load(entry: tuple[str, str, str]) -> click.Command:
        module = importlib.import_module(entry[0])
        command: click.Command = getattr(module, entry[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, entry[2]) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="bouncefix")
def cli() -> None:
    """Explain why an email bounced and what to do about it.

    \b
    Examples:
      bouncefix explain bounce.eml          read a saved bounce
      pbpaste | bouncefix explain           read a pasted bounce from stdin
      bouncefix scan ~/Maildir --format jsonl
      bouncefix lookup 550 5.1.1            what a code means

    Exit codes: 0 found / all known, 1 nothing found / unknown code,
    2 usage or input error, 130 interrupted.
    """


def run(args: list[str]) -> None:
    """Run the group with `args`; no traceback ever reaches the user."""
    try:
        code = cli.main(args=args, prog_name="bouncefix", standalone_mode=False)
        sys.stdout.flush()  # a full disk shows here, not in the interpreter's exit
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("bouncefix: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(ExitCode.USAGE if error.exit_code in (1, 2) else error.exit_code)
    except (BrokenPipeError, ReaderGone):
        quiet_broken_pipe()
        sys.exit(ExitCode.OK)
    except OSError as error:  # e.g. the output's disk is full
        quiet_broken_pipe()
        click.echo(f"bouncefix: {output_error(error)}", err=True)
        sys.exit(ExitCode.USAGE)
    except Exception as error:  # the last line of defence: a message, never a traceback
        click.echo(internal_error(error), err=True)
        sys.exit(ExitCode.INTERNAL)
    sys.exit(_exit_value(code))


def _exit_value(code: Any) -> int:
    return int(code) if isinstance(code, int) else 0


def internal_error(error: Exception) -> str:
    """One line for a bug: the exception's type and (sanitised) message."""
    from ..sanitize import one_line  # the message may quote the input

    return f"bouncefix: internal error: {type(error).__name__}: {one_line(str(error), 500)}"


def output_error(error: OSError) -> str:
    """One line for an input or output failure that escaped the commands."""
    return f"input/output error: {error.strerror or error}"


def quiet_broken_pipe() -> None:
    """Stop Python complaining at exit when the reader of our output went away."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
