"""Input that is not email: ESP events (JSON) and MTA logs, recognised by their first
bytes and read as a stream of :class:`~bouncefix.model.Record` s.

Shapes recognised (the first bytes decide, never the file name):

- JSON: an array or an object first (``[{"...``, ``{"...``): a webhook batch, an events
  API page, JSON Lines, concatenated objects (ingest/jsonstream.py); each event is one
  record, the events of a page (``{"items": [...]}``) each one too;
- a Mandrill webhook body, the form field ``mandrill_events=...`` (URL-encoded JSON);
- an MTA log: the first line is a syslog line, an Exim main log line, or an Exchange
  tracking log header (bouncefix.logs); each failed or deferred delivery is one record.

Memory stays bounded however long the input: a JSON value, a log line, and what a log
reader remembers between lines are each bounded (by ``max_size``, and by the readers'
own limits). Input that cannot be read is told through ``on_skip`` as one line with its
line number, and reading goes on where it can.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from ..model import Record
from .errors import InputError, Skip

EVENTS = "json"
FORM = "form"
LOG = "log"
#: log lines longer than this are skipped whatever the size limit (no log line is)
MAX_LOG_LINE = 1 << 20

# "[{"", "[ ]", "{"" after white space: a JSON array or object, not text that merely
# starts with a bracket ("[mx.example.org] 550 ...")
_JSON_START = re.compile(rb'\A[ \t\r\n]*(?:\[[ \t\r\n]*(?:\{[ \t\r\n]*["}]|\])|\{[ \t\r\n]*["}])')
_FORM_START = b"mandrill_events="
#: how the first line of every log logs/registry.detect knows starts: a syslog priority
#: or time stamp (month name, ISO 8601 date), an Exim main log date, an Exchange header
_LOG_START = re.compile(rb"<\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) |\d{4}-\d\d-\d\d|#")
#: a JSON value that is a page of events gives at most this many records
MAX_BATCH = 100_000

Item = tuple[str, int, Record]


def sniff(head: bytes) -> str | None:
    """What the first bytes of an input say it is: EVENTS, FORM, LOG, or None (email)."""
    if _JSON_START.match(head):
        return EVENTS
    if head.startswith(_FORM_START):
        return FORM
    if not _LOG_START.match(head.lstrip(b"\n")):
        return None  # what every log format's first line starts with: no need to ask them
    from ..logs.registry import detect

    return LOG if detect(head.decode("utf-8", "surrogateescape")) else None


def records_in(stream: BinaryIO, name: str, shape: str, max_size: int,
               on_skip: Callable[[Skip], None], label: str | None = None) -> Iterator[Item]:
    """(source, index, record) of every record of an input of `shape` (see
    :func:`sniff`); problems are told to `on_skip`, one line each."""
    label = label or name
    told = [0]

    def problem(line: int, message: str, fatal: bool = False) -> None:
        told[0] += 1
        on_skip(Skip(label, f"line {line}: {message}", unreadable=fatal, partial=True))

    records = (_log_records(stream, max_size, problem) if shape == LOG
               else _event_records(_form(stream, max_size) if shape == FORM else stream,
                                   max_size, problem))
    index = -1
    for index, record in enumerate(records):
        yield name, index, record
    if index < 0 and not told[0]:
        what = "failed or deferred deliveries" if shape == LOG else "events"
        on_skip(Skip(label, f"no {what} found", unreadable=False, partial=True))


def _event_records(stream: BinaryIO, max_size: int,
                   problem: Callable[..., None]) -> Iterator[Record]:
    from ..events.registry import batch
    from .jsonstream import Problem, values

    for item in values(stream, max_size):
        if isinstance(item, Problem):
            problem(item.line, item.message, item.fatal)
            continue
        events = batch(item.value)
        if events is None:
            yield Record("event", item.line, item.value, item.size)
            continue
        share = max(item.size // max(len(events), 1), 1)
        for event in events[:MAX_BATCH]:
            yield Record("event", item.line, event, share)


def _log_records(stream: BinaryIO, max_size: int,
                 problem: Callable[..., None]) -> Iterator[Record]:
    from ..logs.registry import LogReader

    reader = LogReader()
    limit = min(max_size, MAX_LOG_LINE)
    held: tuple[int, str] | None = None  # a line that a wrapped paste may go on with
    for number, text in lines(stream, limit):
        if text is None:
            problem(number, f"a line longer than {limit:,} bytes; skipped")
            continue
        if held is not None:
            if _continues(held[1], text) and len(held[1]) + len(text) < limit:
                # "... SMTP error from remote mail server after RCPT TO:<a@b>:" and, on
                # the next line, the reply: a long log line wrapped when it was pasted
                # (the lines of a multi-line reply stay lines: the reply is read whole)
                joint = "\n" if _opens_with_code(text) else " "
                held = (held[0], f"{held[1].rstrip()}{joint}{text.strip()}")
                continue
            yield from reader.feed(*held)
        held = (number, text)
    if held is not None:
        yield from reader.feed(*held)


def _continues(line: str, following: str) -> bool:
    """Whether `following` goes on with `line`: the line ends in a colon (the reply comes
    next) and the next one is indented or opens with a reply code; or the line holds
    a multi-line reply not yet ended ("550-5.7.1 ...") and the next one opens with the
    same code, as the reply's next line ("550-5.7.1 ..." or its last, "550 5.7.1 ...")."""
    coded = _opens_with_code(following)
    if coded and f"{following[:3]}-" in line:
        return True
    return (line.rstrip().endswith(":") and bool(following.strip())
            and (following[:1] in " \t" or coded))


def _opens_with_code(line: str) -> bool:
    """Whether `line` opens with a reply code, as a line of a reply does ("550-5.7.1 ...")."""
    return line[:3].isdigit() and line[:1] in "245" and line[3:4] in (" ", "-")


def lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, str | None]]:
    """(number, text) of each line of `stream` without its line end (LF, CRLF or a bare
    CR); None as the text of a line longer than `limit` bytes (never held whole)."""
    from .mbox import normalise_newlines

    buffer = b""
    number = 0
    too_long = False
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        buffer += chunk
        held = b""
        if buffer.endswith(b"\r"):  # may be the first half of a CRLF split across reads
            held, buffer = b"\r", buffer[:-1]
        parts = normalise_newlines(buffer).split(b"\n")
        buffer = parts.pop()
        for part in parts:
            number += 1
            if too_long or len(part) > limit:
                too_long = False
                yield number, None
            else:
                yield number, part.decode("utf-8", "surrogateescape")
        if len(buffer) > limit:  # an endless line: drop it as it comes
            too_long, buffer = True, b""
        buffer += held
    if too_long or len(buffer) > limit:
        yield number + 1, None
    elif buffer.strip():
        yield number + 1, normalise_newlines(buffer).rstrip(b"\n").decode("utf-8", "surrogateescape")


def _form(stream: BinaryIO, max_size: int) -> BinaryIO:
    """The JSON of a Mandrill webhook body (``mandrill_events=<URL-encoded JSON>``)."""
    import io
    from urllib.parse import parse_qs

    from .files import read_limited

    body = read_limited(stream, max_size, "the webhook body").decode("ascii", "replace")
    values = parse_qs(body, max_num_fields=16).get("mandrill_events")
    if not values:
        raise InputError("a form without a mandrill_events field")
    return io.BytesIO(values[0].encode("utf-8", "surrogateescape"))
