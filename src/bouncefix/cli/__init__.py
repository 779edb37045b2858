"""The command line: a thin click layer over the library (bouncefix.api).

``main`` first offers the arguments to the fast paths: plain or JSON ``lookup`` output,
which must start in a few tens of milliseconds and so never imports click or rich
(cli/fast.py), and the plain argument forms of ``explain``, which skip click
(cli/fast_explain.py). Tests hold each to click's reading of a table of argument lists.
Everything else goes through the click group, whose commands are imported only when
they are run.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .explain_run import Request

INTERRUPTED = b"bouncefix: interrupted\n"


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point. Ctrl-C at any moment, even while the command is still
    loading, ends with exit status 130 and one line, never a traceback.

    Until a command has something to clean up, Ctrl-C ends the process at once
    (:func:`exit_at_once`): a KeyboardInterrupt raised in the middle of an import or of
    the interpreter's own callbacks cannot always be caught. ``scan`` takes over the
    stop signals (cli/signals.py) when it starts writing, so that it can close its
    output and say how far it got."""
    try:
        _main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        _interrupted(0, None)


def exit_at_once() -> None:
    """From now on, Ctrl-C ends the process at once with status 130."""
    import contextlib
    import signal

    with contextlib.suppress(ValueError):  # not the main thread: leave it alone
        signal.signal(signal.SIGINT, _interrupted)


# plain try/except below, not contextlib.suppress: lookup's start-up must not import
# contextlib (tests/test_lookup.py)


def _interrupted(signum: int, frame: object) -> None:
    try:  # noqa: SIM105
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:  # noqa: SIM105
        os.write(2, INTERRUPTED)
    except OSError:
        pass
    os._exit(130)


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
        if code is not None:
            sys.exit(code)
    exit_at_once()  # not for the fast path above: ``signal`` imports ``enum``
    if args and args[0] == "explain":
        from .fast_explain import try_fast_explain

        request = try_fast_explain(args[1:])
        if request is not None:
            sys.exit(_fast_explain(request))
    from .group import run

    run(args)


def _fast_explain(request: Request) -> int:
    """Run explain_run.run as the click group would (group.run's error handling)."""
    from .env import Env
    from .explain_run import run

    try:
        code = run(Env(), request)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        from .group import quiet_broken_pipe

        quiet_broken_pipe()
        return 0
    except OSError as error:  # e.g. the output's disk is full
        from .group import output_error, quiet_broken_pipe

        quiet_broken_pipe()
        sys.stderr.write(f"bouncefix: {output_error(error)}\n")
        return 2
    except Exception as error:  # the last line of defence: a message, never a traceback
        from .group import internal_error

        sys.stderr.write(internal_error(error) + "\n")
        return 3
