"""The command line: a thin click layer over the library.

``main`` first offers the arguments to the fast path (plain or JSON ``lookup`` output,
which must start in a few tens of milliseconds and so never imports click or rich);
everything else goes through the click group, whose commands are imported only when
they are run.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = sys.argv[1:] if argv is None else argv
    from ..streams import harden

    harden(sys.stdout)
    harden(sys.stderr)
    if args and args[0] == "lookup":
        from .fast import try_fast_lookup

        try:
            code = try_fast_lookup(args[1:])
            sys.stdout.flush()
        except BrokenPipeError:
            from .group import quiet_broken_pipe

            quiet_broken_pipe()
            code = 0
        except OSError as error:  # e.g. the output's disk is full
            from .group import output_error, quiet_broken_pipe

            quiet_broken_pipe()
            sys.stderr.write(f"bouncefix: {output_error(error)}\n")
            code = 2
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            code = 130
        if code is not None:
            sys.exit(code)
    from .group import run

    run(args)
