"""Reusable click options, so every command spells them the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from ..ingest import DEFAULT_MAX_SIZE
from .env import Env, OutputFormat

F = TypeVar("F", bound=Callable[..., Any])



def format_option(*choices: OutputFormat) -> Callable[[F], F]:
    """``--format`` with the given choices, plus ``--json`` as an alias."""
    names = [c.value for c in choices]

    def decorate(func: F) -> F:
        func = click.option(
            "--json", "as_json", is_flag=True, help="Same as --format json."
        )(func)
        return click.option(
            "--format", "output_format", type=click.Choice(names), default="text",
            show_default=True,
            help="text: rich on a terminal, plain when piped; json for scripts"
            + (", jsonl one object per line" if "jsonl" in names else "")
            + (", markdown for tickets" if "markdown" in names else "") + ".",
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


NAMESERVER_ENV = "BOUNCEFIX_NAMESERVER"
OFFLINE_ENV = "BOUNCEFIX_OFFLINE"


def dns_options(offline_default: bool) -> Callable[[F], F]:
    """--nameserver, --dns-budget, and --offline (explain) or --dns (scan)."""

    def decorate(func: F) -> F:
        func = click.option(
            "--nameserver", "nameservers", multiple=True, metavar="HOST[:PORT]",
            help=f"Nameserver for the DNS checks (repeatable; default ${NAMESERVER_ENV}, "
                 "then the system's).")(func)
        func = click.option(
            "--dns-budget", type=click.FloatRange(0.1, 120), default=4.0, show_default=True,
            help="Seconds all DNS checks of the run may take together.")(func)
        func = click.option(
            "--dns-max-queries", type=click.IntRange(1, 100_000), default=1000,
            show_default=True, metavar="N",
            help="DNS queries the run may send (each name and type asked once).")(func)
        if offline_default:
            return click.option("--dns/--no-dns", "use_dns", default=False,
                                help="Run DNS checks for DNS-related diagnoses (off by "
                                     "default for scans).")(func)
        return click.option("--offline/--online", "offline", default=None,
                            help=f"No network use at all (also ${OFFLINE_ENV}=1).")(func)

    return decorate


def wanted(env: Env, offline: bool | None) -> bool:
    """Whether DNS checks may run: --offline wins, then $BOUNCEFIX_OFFLINE."""
    if offline is not None:
        return not offline
    return env.environ.get(OFFLINE_ENV, "").strip().lower() not in ("1", "true", "yes")


def make_resolver(
    env: Env, nameservers: Sequence[str], budget: float, max_queries: int = 1000
) -> Any:
    """A resolver for the run; raises click.BadParameter for a malformed nameserver."""
    from ..dns.resolver import Resolver
    from ..dns.validate import TargetError

    servers = list(nameservers) or [
        part.strip() for part in env.environ.get(NAMESERVER_ENV, "").split(",") if part.strip()
    ]
    try:
        return Resolver(servers, timeout=min(2.0, budget), budget=budget,
                        max_queries=max_queries)
    except TargetError as error:
        raise click.BadParameter(str(error), param_hint="--nameserver") from None
