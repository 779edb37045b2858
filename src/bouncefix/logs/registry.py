"""MTA logs: which format wrote a line, and the reader that joins a log's lines into
records.

A format is one module here with ``NAME``, ``owns(program)`` (the syslog program names
it writes as), a ``Tracker`` (``feed(line)`` for syslog lines, ``raw(number, text)``
for its own log files) and ``read(fields)`` (a :class:`~bouncefix.model.Reading`);
adding one is a module and a line in :data:`FORMATS`. A log is recognised by its first
line (a syslog line, an Exim main log line, an Exchange tracking log header), never by
a file name; within a log each line goes to the format that wrote it, so a mail.log
mixing Postfix with other programs' lines reads as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Kind, Reading, Record
from . import exchange, exim, opensmtpd, postfix, sendmail
from .base import is_syslog, syslog_line

#: every format; syslog lines go to the first that owns their program
FORMATS = (postfix, exim, sendmail, opensmtpd, exchange)
_BY_NAME = {module.NAME: module for module in FORMATS}


def detect(head: str) -> bool:
    """Whether `head` (the first text of an input) is an MTA log: its first line is a
    syslog line, an Exim main log line, or an Exchange tracking log header."""
    first = head.lstrip("\n").split("\n", 1)[0]
    return is_syslog(first) or exim.is_mainlog(first) or exchange.starts(first)


class LogReader:
    """Reads a log line by line, in order; each format's tracker keeps (bounded) what it
    must remember between lines."""

    def __init__(self) -> None:
        self.trackers = [(module, module.Tracker()) for module in FORMATS]
        self.raw_trackers = [t for m, t in self.trackers if m in (exchange, exim)]

    def feed(self, number: int, text: str) -> Iterator[Record]:
        """The records that line `number` completes (usually none)."""
        line = syslog_line(number, text)
        if line is not None:
            for module, tracker in self.trackers:
                if module.owns(line.program):
                    yield from tracker.feed(line)
                    return
            return
        for tracker in self.raw_trackers:
            found = tracker.raw(number, text)
            if found is not None:
                yield from found
                return


def read_log(format_name: str, fields: Any) -> Reading:
    """What one log record says, by the format that wrote it."""
    module = _BY_NAME.get(format_name)
    if module is None or not isinstance(fields, dict):
        return Reading(kind=Kind.NOT_BOUNCE, notes=(f"no reader for {format_name} logs",))
    reading: Reading = module.read(fields)
    return reading
