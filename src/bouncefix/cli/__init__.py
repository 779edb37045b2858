"""The command line: a thin click layer over the library.

``main`` first offers the arguments to the fast path (plain or JSON ``lookup`` output,
which must start in a few tens of milliseconds and so never imports click or rich);
everything else goes through the click group, whose commands are imported only when
they are run.

A real run (``argv`` not given) starts with garbage collection paused (startup.py) and
ends in ``leave``: the output is flushed and the exit handlers run, then the process
exits without the interpreter's teardown, which frees every object of every imported
module one by one (a tenth of a short run's time).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    if argv is not None:
        _main(argv)
        return
    from .startup import pause

    pause()
    args = sys.argv[1:]
    if args[:1] == ["scan"] and not {"-h", "--help"}.intersection(args):
        from ..workers import prepare

        prepare()  # the workers' spawner loads the analysis while click starts here
    try:
        _main(args)
    except SystemExit as done:
        leave(done.code)
        raise


def _main(args: list[str]) -> None:
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


def leave(code: object) -> None:
    """Exit now with `code` (an int) if that is safe: the output flushed, the exit
    handlers run (the regex cache is saved by one), and no other thread running. Else
    return, and the caller's normal exit takes over (it reports what went wrong)."""
    threading = sys.modules.get("threading")  # not imported: no other thread to wait for
    if not isinstance(code, int) or (threading is not None and threading.active_count() > 1):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    import atexit
    import os

    atexit._run_exitfuncs()
    os._exit(code)
