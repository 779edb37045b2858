"""The fast path for ``bouncefix lookup`` with plain or JSON output.

``lookup`` is the command people run in a loop or from scripts, and importing click and
rich alone costs several times Python's own start-up. This path reads the command's
arguments as click does (the tables below mirror the options of cli/lookup_cmd.py:
options anywhere among the codes, a value option taking the next argument whatever it
is, ``--name=value``, ``-fVALUE``, ``--`` ending the options, the last of a repeated
option winning) and runs the same body (cli/lookup_run.py). Whatever it cannot answer
exactly as click would it leaves to click, with nothing printed: options only click
handles (``--color``, ``-o/--output``, ``--help``), an unknown option, a bad value, a
malformed code, text bound for a terminal or a forced terminal layout.
tests/test_lookup_fast.py holds the two to the same output and exit status over a table
of argument lists, and to the same options.
"""

from __future__ import annotations

import os
import sys

#: flags of the lookup command -> the value they set
FLAGS = {"--json": "json", "--all": "all"}
#: options taking a value -> the value they set
VALUES = {"-f": "format", "--format": "format", "--search": "search"}
#: options of the lookup command only click handles (shared options of cli/options.py)
CLICK_ONLY = ("-o", "--output", "--color", "--colour", "-h", "--help")
FORMATS = ("text", "json")


def read_arguments(args: list[str]) -> tuple[list[str], str | None, str, bool] | None:
    """(codes, --search value or None, format, --all) as the click command reads `args`,
    or None when only click should read them."""
    values: dict[str, object] = {"json": False, "all": False, "format": "text",
                                 "search": None}
    codes: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            codes.extend(rest)
        elif not arg.startswith("-") or arg == "-":
            codes.append(arg)
        elif arg in FLAGS:
            values[FLAGS[arg]] = True
        elif arg in VALUES:
            value = next(rest, None)
            if value is None:
                return None
            values[VALUES[arg]] = value
        elif arg.startswith("--") and arg.partition("=")[0] in VALUES:
            values[VALUES[arg.partition("=")[0]]] = arg.partition("=")[2]
        elif not arg.startswith("--") and arg[:2] in VALUES:  # -fjson
            values[VALUES[arg[:2]]] = arg[2:]
        else:
            return None
    fmt, search = str(values["format"]), values["search"]
    if fmt not in FORMATS:
        return None
    if values["json"] and fmt == "text":
        fmt = "json"
    return codes, (str(search) if search is not None else None), fmt, bool(values["all"])


def try_fast_lookup(args: list[str]) -> int | None:
    """Run the lookup without click if click would read `args` the same way and write
    plain text or JSON; else None, having printed nothing."""
    parsed = read_arguments(args)
    if parsed is None:
        return None
    codes, search, fmt, show_all = parsed
    if fmt == "text" and _terminal_layout():
        return None
    from ..catalogue.lookup import QueryError
    from . import lookup_run

    try:
        answers = lookup_run.compute(codes, search)
    except QueryError:
        return None
    except Exception:  # leave error reporting to the full command
        return None
    if fmt == "json":
        lookup_run.write_json(answers)
    else:
        lookup_run.write_plain(answers, full=show_all)
    return lookup_run.exit_code(answers)


def _terminal_layout() -> bool:
    """Whether the click command would print rich output (cli/env.py: a terminal,
    BOUNCEFIX_FORCE_RICH, or FORCE_COLOR without NO_COLOR)."""
    environ = os.environ
    if environ.get("BOUNCEFIX_FORCE_RICH"):
        return True
    if not environ.get("NO_COLOR") and environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
