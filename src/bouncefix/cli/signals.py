"""Stopping cleanly on SIGTERM, SIGHUP and Ctrl-C.

A scan that is told to stop (``kill``, a closed terminal, Ctrl-C) closes its output (a
JSON array gets its closing bracket), says how many messages it wrote, stops its workers
and exits with 128 + the signal number (143, 129, 130), instead of dying mid-line.

The signal raises :class:`Stopped` wherever the program is (so that a scan blocked on
its input stops too), except inside :data:`whole`: a message's output and its count are
written together, and a signal that arrives meanwhile is raised just after.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType

_STOP_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")


class Stopped(BaseException):
    """The process was told to stop by a signal; ``code`` is its exit status. Like
    KeyboardInterrupt, not an Exception: no ``except Exception`` may swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum
        self.code = 128 + signum

    @property
    def interrupted(self) -> bool:
        """True for Ctrl-C (SIGINT)."""
        return self.signum == signal.SIGINT


class _Whole:
    """A block that a stop signal does not cut in two: the signal is raised after it."""

    def __init__(self) -> None:
        self.active = False
        self.pending: int | None = None

    def __enter__(self) -> None:
        self.active = True

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.active = False
        pending, self.pending = self.pending, None
        if pending is not None and kind is None:
            raise Stopped(pending)


whole = _Whole()


def _raise(signum: int, frame: FrameType | None) -> None:
    if whole.active:
        whole.pending = signum
        return
    raise Stopped(signum)


@contextmanager
def stopping() -> Iterator[None]:
    """Within the block, SIGTERM, SIGHUP and SIGINT raise Stopped in the main thread."""
    names = [name for name in _STOP_SIGNALS if hasattr(signal, name)]
    previous = {name: signal.signal(getattr(signal, name), _raise) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
