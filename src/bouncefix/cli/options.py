"""Reusable click options: every command spells the same thing the same way.

The vocabulary, shared by all commands:

- ``--format/-f FORMAT`` (``--json`` is kept as a short form of ``--format json``);
- ``--color auto|always|never`` and ``-o/--output FILE`` (:func:`output_options`);
- ``--online/--offline``, ``--nameserver``, ``--timeout`` (one query), ``--budget`` (all
  network time of the run), ``--max-queries`` (:func:`network_options`).

Spellings that older versions used (``--dns/--no-dns``, ``--dns-budget``,
``--dns-max-queries``) still work; they are hidden from ``--help``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from ..ingest import DEFAULT_MAX_SIZE
from . import network
from .env import Env, OutputFormat
from .network import NAMESERVER_ENV, OFFLINE_ENV, wanted

__all__ = [
    "NAMESERVER_ENV",
    "OFFLINE_ENV",
    "Option",
    "completes",
    "did_you_mean",
    "format_option",
    "make_resolver",
    "max_size_option",
    "network_options",
    "one_of",
    "output_options",
    "resolve_format",
    "wanted",
]

F = TypeVar("F", bound=Callable[..., Any])


class Option(click.Option):
    """A click option some of whose spellings are kept for old scripts but not shown
    in ``--help`` (`hidden_aliases`)."""

    def __init__(self, *args: Any, hidden_aliases: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden_aliases = tuple(hidden_aliases)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        opts, secondary = self.opts, self.secondary_opts
        self.opts = [o for o in opts if o not in self.hidden_aliases]
        self.secondary_opts = [o for o in secondary if o not in self.hidden_aliases]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts, self.secondary_opts = opts, secondary


COLOR_META = "bouncefix.color"
OUTPUT_META = "bouncefix.output"


def output_options(func: F) -> F:
    """``--color auto|always|never`` and ``-o/--output FILE``, read by Env."""
    func = click.option(
        "-o", "--output", type=click.File("w", encoding="utf-8", lazy=False), default=None,
        metavar="FILE", expose_value=False, callback=_remember(OUTPUT_META),
        help="Write to FILE instead of standard output.")(func)
    return click.option(
        "--color", "--colour", type=click.Choice(["auto", "always", "never"]), default=None,
        expose_value=False, callback=_remember(COLOR_META), cls=Option,
        hidden_aliases=("--colour",),
        help="Colour and terminal layout: auto (on a terminal), always (also when piped; "
             "also FORCE_COLOR=1), never (also NO_COLOR=1).")(func)


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def keep(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is not None:
            ctx.meta[key] = value
    return keep


def did_you_mean(value: str, valid: Sequence[str]) -> str:
    """' (did you mean blocked?)' for a near miss among `valid`, else ''."""
    import difflib

    close = difflib.get_close_matches(value.lower(), list(valid), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def one_of(valid: Callable[[], Sequence[str]], what: str
           ) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A callback refusing values not in `valid()` (computed when needed): the error
    lists the valid values and suggests the nearest."""
    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        allowed = list(valid())
        for item in (value if isinstance(value, tuple) else (value,)):
            if item is not None and item not in allowed:
                raise click.BadParameter(
                    f"{item!r} is not a {what}{did_you_mean(item, allowed)}; the {what}s "
                    f"are: {', '.join(allowed)}")
        return value
    return check


def completes(valid: Callable[[], Sequence[str]]
              ) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    """Tab completion among `valid()` (for ``shell_complete=``)."""
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        return [value for value in valid() if value.startswith(incomplete)]
    return complete


def format_option(*choices: OutputFormat) -> Callable[[F], F]:
    """``--format`` with the given choices, plus ``--json`` as an alias."""
    names = [c.value for c in choices]

    def decorate(func: F) -> F:
        func = click.option(
            "--json", "as_json", is_flag=True, help="Same as --format json."
        )(func)
        func = output_options(func)
        return click.option(
            "-f", "--format", "output_format", type=click.Choice(names), default="text",
            show_default=True,
            help="text: rich on a terminal, plain when piped; json for scripts"
            + (", jsonl one object per line" if "jsonl" in names else "")
            + (", markdown for tickets" if "markdown" in names else "")
            + (", csv one row per recipient" if "csv" in names else "")
            + (", html a self-contained report page" if "html" in names else "") + ".",
        )(func)

    return decorate


def resolve_format(output_format: str, as_json: bool) -> OutputFormat:
    """The chosen format, --json winning over the default."""
    return OutputFormat.JSON if as_json and output_format == "text" else OutputFormat(output_format)


def max_size_option(func: F) -> F:
    """``--max-size`` in bytes (with K/M suffixes)."""
    return click.option(
        "--max-size", type=str, default=str(DEFAULT_MAX_SIZE), metavar="BYTES",
        show_default="25M", callback=_parse_size,
        help="Refuse inputs larger than this (suffixes K, M, G).",
    )(func)


def _parse_size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    text = value.strip().upper()
    factor = 1
    for suffix, mult in (("K", 1024), ("M", 1024**2), ("G", 1024**3)):
        if text.endswith(suffix) or text.endswith(suffix + "B"):
            text = text.rstrip("B")[:-1]
            factor = mult
            break
    if not text.isdigit() or len(text) > 12 or int(text) == 0:
        raise click.BadParameter(f"{value!r} is not a size like 500K or 25M")
    return int(text) * factor


def network_options(online_by_default: bool | None) -> Callable[[F], F]:
    """--online/--offline, --nameserver, --timeout, --budget and --max-queries; the
    command gets ``online`` (None: not given), ``nameservers``, ``timeout``, ``budget``
    and ``max_queries``. `online_by_default` None: a command that always uses the
    network (``check``) and has no --online/--offline."""

    def decorate(func: F) -> F:
        func = click.option(
            "--max-queries", "--dns-max-queries", "max_queries", cls=Option,
            hidden_aliases=("--dns-max-queries",), type=click.IntRange(1, 100_000),
            default=1000, show_default=True, metavar="N",
            help="Network queries the run may send (each DNS name and type asked once).",
        )(func)
        func = click.option(
            "--budget", "--dns-budget", "budget", cls=Option,
            hidden_aliases=("--dns-budget",), type=click.FloatRange(0.1, 300), default=4.0,
            show_default=True, metavar="SECONDS",
            help="Seconds all network checks of the run may take together.")(func)
        func = click.option(
            "--timeout", type=click.FloatRange(0.05, 60), default=2.0, show_default=True,
            metavar="SECONDS", help="Time limit of each query.")(func)
        func = click.option(
            "--nameserver", "nameservers", multiple=True, metavar="HOST[:PORT]",
            help=f"Nameserver to ask (repeatable; default ${NAMESERVER_ENV}, "
                 "comma-separated, else the system's).")(func)
        if online_by_default is None:
            return func
        default = "on" if online_by_default else "off"
        return click.option(
            "--online/--offline", "--dns/--no-dns", "online", cls=Option,
            hidden_aliases=("--dns", "--no-dns"), default=None,
            help=f"Whether to check DNS for the diagnoses that turn on it (default {default}; "
                 f"${OFFLINE_ENV}=1 makes offline the default).")(func)

    return decorate


def make_resolver(
    env: Env, nameservers: Sequence[str], budget: float, max_queries: int = 1000,
    timeout: float = 2.0,
) -> Any:
    """network.make_resolver, with a malformed nameserver as click's usage error."""
    try:
        return network.make_resolver(env, nameservers, budget, max_queries, timeout)
    except network.UsageError as error:
        raise click.BadParameter(error.detail, param_hint=error.option) from None
