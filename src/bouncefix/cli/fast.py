"""The fast path for ``bouncefix lookup`` with plain or JSON output.

``lookup`` is the command people run in a loop or from scripts, and importing click and
rich alone costs several times Python's own start-up. This path handles the common
arguments (codes, ``--json``, ``--format json|text``, ``--search WORDS``) with neither;
anything else (``--help``, a malformed code, output to a terminal) returns None so the
click command answers, with its usual messages.
"""

from __future__ import annotations

import os
import sys


def try_fast_lookup(args: list[str]) -> int | None:
    """Run the lookup without click if the arguments are simple; else None."""
    fmt = "text"
    codes: list[str] = []
    search: list[str] | None = None
    rest = iter(args)
    for arg in rest:
        if arg == "--json":
            fmt = "json"
        elif arg in ("--format", "-f"):
            fmt = next(rest, "")
        elif arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
        elif arg == "--search":
            search = list(rest)
        elif arg == "--":
            codes.extend(rest)
        elif arg.startswith("-") and not arg[1:2].isdigit():
            return None
        else:
            codes.append(arg)
    if fmt not in ("json", "text") or (search is not None and not search):
        return None
    if fmt == "text" and (sys.stdout.isatty() or os.environ.get("BOUNCEFIX_FORCE_RICH")):
        return None
    from ..catalogue.lookup import QueryError
    from . import lookup_run

    try:
        answers = lookup_run.compute(codes, " ".join(search) if search is not None else None)
    except QueryError:
        return None
    except Exception:  # leave error reporting to the full command
        return None
    if fmt == "json":
        lookup_run.write_json(answers)
    else:
        lookup_run.write_plain(answers)
    return lookup_run.exit_code(answers)
