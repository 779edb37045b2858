"""Reusable click options, so every command spells them the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..ingest import DEFAULT_MAX_SIZE
from .env import OutputFormat

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
