"""What every reader of input shares: the error for input that cannot be processed, what
is told about input skipped, and the default size limit."""

# (no "from __future__ import annotations": NamedTuple would compile each field's
# annotation from its string at start-up)

from typing import NamedTuple

DEFAULT_MAX_SIZE = 25 * 1024 * 1024


class InputError(ValueError):
    """Input that cannot be processed; the message is for the user."""


class Skip(NamedTuple):
    """Input left out of a scan, told to the user as one line (``str(skip)``).

    `unreadable` is True when the input could not be read at all (missing, not a regular
    file, refused, damaged) and False when there was simply nothing in it (an empty file)
    or only part was read (`partial`: an oversized message cut to its head)."""

    path: str
    reason: str
    unreadable: bool = True
    partial: bool = False
    #: the reason already names the input (an InputError's message)
    named: bool = False

    def __str__(self) -> str:
        from ..sanitize import shown_name

        path = shown_name(self.path)
        if self.named or not path:
            return f"skipped: {self.reason}"
        if self.partial:
            return f"{path}: {self.reason}"
        return f"skipped {path}: {self.reason}"


class Failure(NamedTuple):
    """A message that was read but could not be analysed (its worker died or hung on
    it, or the analysis raised): its source, position in the source, and why."""

    source: str
    position: int
    reason: str
