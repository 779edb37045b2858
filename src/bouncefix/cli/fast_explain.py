"""The fast start-up path of ``bouncefix explain``: the common argument lists read
without click (importing click costs a fifth of a one-line explain).

Only plain forms are taken: ``-f/--format FORMAT`` (``--format=FORMAT``), ``--json``,
``--online``/``--offline``, ``-v/--verbose``, ``--`` and at most one SOURCE. Anything
else (``--help``, another option, a bad value, two sources) returns None and click
reads the arguments, with its usual messages. The run itself is explain_run.run, the
same as the click command's; tests/test_explain_fast.py holds the two paths to the same
output and exit status over a table of argument lists.
"""

from __future__ import annotations

from .env import OutputFormat
from .explain_run import Request

_FORMATS = {"text": OutputFormat.TEXT, "json": OutputFormat.JSON,
            "markdown": OutputFormat.MARKDOWN}
_FLAGS = {"--online": ("online", True), "--offline": ("online", False),
          "-v": ("verbose", True), "--verbose": ("verbose", True),
          "--json": ("as_json", True)}


def try_fast_explain(args: list[str]) -> Request | None:
    """The request `args` make, if they are of the plain forms; else None."""
    values: dict[str, object] = {"online": None, "verbose": False, "as_json": False}
    fmt = "text"
    sources: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg in _FLAGS:
            name, value = _FLAGS[arg]
            values[name] = value
        elif arg in ("-f", "--format"):
            fmt = next(rest, "")
        elif arg.startswith("--format="):
            fmt = arg.partition("=")[2]
        elif arg == "--":
            sources.extend(rest)
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            sources.append(arg)
    if fmt not in _FORMATS or len(sources) > 1:
        return None
    chosen = _FORMATS[fmt]
    if values["as_json"] and chosen is OutputFormat.TEXT:
        chosen = OutputFormat.JSON
    online = values["online"]
    return Request(source=sources[0] if sources else None, fmt=chosen,
                   verbose=bool(values["verbose"]),
                   online=online if isinstance(online, bool) else None)
