"""Process exit codes, shared by every command.

A plain class of int constants rather than an IntEnum: this module is on the fast
start-up path of ``lookup``, where importing ``enum`` (with the functools and collections
it pulls in) costs several milliseconds of a budget of a few tens.
"""

from __future__ import annotations


class ExitCode:
    """Process exit codes, shared by every command."""

    OK = 0  #: found something / every code known / no check failed
    NOTHING = 1  #: nothing to report / some code unknown / some check failed
    USAGE = 2  #: usage or input error
    INTERNAL = 3  #: a bug in bouncefix (reported as one line, never a traceback)
    INTERRUPTED = 130  #: Ctrl-C
