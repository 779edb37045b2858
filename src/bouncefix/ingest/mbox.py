"""Line ends normalised, mbox files split (in memory or streamed), size bounded.

Shapes recognised:
- an mbox (the first line starts with ``From ``): one message per ``From `` separator line
  that follows a blank line (or starts the file), or that has the full separator shape
  (sender, then an asctime or ISO date) where its writer left no blank line before it;
- anything else is one message; whether it has headers is decided later (mail.py), so a
  pasted fragment and a full .eml take the same path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from bouncefix.regex import lazy

from .errors import DEFAULT_MAX_SIZE

# "From MAILER-DAEMON Thu Mar  5 14:30:00 2026", "From - Tue ...", "From () 2026-03-05 14:30":
# a weekday name or an ISO date, then a time. Body lines of an mbox whose writer did not
# escape them ("From the desk of the postmaster: 10:30") are not taken for separators.
_FROM_LINE = lazy(
    rb"From \S*[ \t]+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6},?[ \t]|\d{4}-\d\d-\d\d[ T])"
    rb".{0,200}\d\d:\d\d"
)


# The full separator shape, for a line with no blank line before it (some writers leave
# none): "From MAILER-DAEMON Tue Mar  3 10:15:00 2026", "From - Tue Mar 3 10:15:00 +0100
# 2026", "From jane@example.org 2026-03-03T10:15:00". A body line that merely starts with
# "From " ("From the desk of the postmaster: 10:30") has no such shape.
_STRICT_FROM_LINE = lazy(
    rb"From [^\s]{1,320}[ \t]+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[ \t]+"
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+\d{1,2}[ \t]+"
    rb"\d{1,2}:\d\d(?::\d\d)?(?:[ \t]+(?:[A-Z]{3,5}|[+-]\d{4}))?[ \t]+\d{4}"
    rb"|\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?)"
    rb"(?:[ \t]+remote from [^\s]{1,255})?[ \t]*\n?"
)


_HEADER_START = lazy(rb"[!-9;-~]{1,76}:")


def normalise_newlines(data: bytes) -> bytes:
    """CRLF and bare CR become LF, so every line-end convention reads the same."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def is_mbox(head: bytes) -> bool:
    """True when the data starts with an mbox ``From `` separator line."""
    head = head.lstrip(b"\n")
    if not head.startswith(b"From "):
        return False
    first = head.split(b"\n", 1)[0]
    return bool(_FROM_LINE.match(first)) or b"@" in first or len(first.split()) >= 3


def split_messages(data: bytes) -> list[bytes]:
    """Split already-normalised data into messages (one unless it is an mbox)."""
    if not is_mbox(data[:1024]):
        return [data]
    return list(_iter_mbox_lines(iter(data.splitlines(keepends=True))))


def iter_mbox_file(
    handle: BinaryIO, max_size: int = DEFAULT_MAX_SIZE,
    on_cut: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """Stream the messages of an mbox file; memory stays bounded by one message. A
    message larger than `max_size` keeps its head; `on_cut(index)` is told."""
    yield from _iter_mbox_lines(_normalised_lines(handle), max_size, on_cut)


def _normalised_lines(handle: BinaryIO, max_line: int = 1 << 20) -> Iterator[bytes]:
    """Lines of a binary stream with LF ends, whatever the file used."""
    buffer = b""
    while True:
        chunk = handle.read(1 << 16)
        if not chunk:
            break
        buffer += chunk
        held = b""
        if buffer.endswith(b"\r"):  # may be the first half of a CRLF split across reads
            held, buffer = b"\r", buffer[:-1]
        *lines, rest = normalise_newlines(buffer).split(b"\n")
        for line in lines:
            yield line + b"\n"
        if len(rest) > max_line:  # an endless line: pass it on in pieces
            yield rest
            rest = b""
        buffer = rest + held
    if buffer:
        yield normalise_newlines(buffer)


def _iter_mbox_lines(
    lines: Iterator[bytes], max_size: int = DEFAULT_MAX_SIZE,
    on_cut: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """Group lines into messages at ``From `` separators; drop oversized messages' tails."""
    current: list[bytes] = []
    size = index = 0
    cut = False
    previous_blank = True
    for line in lines:
        if line.startswith(b"From ") and (
            _FROM_LINE.match(line) if previous_blank
            # with no blank line before it, only after a message that has begun with
            # its header: "From sender date" lines in a row are one message's text
            else current and _HEADER_START.match(current[0])
            and _STRICT_FROM_LINE.fullmatch(line)
        ):
            if current:
                if cut and on_cut is not None:
                    on_cut(index)
                yield b"".join(current)
                index += 1
            current, size, cut = [], 0, False
            previous_blank = False
            continue
        previous_blank = line in (b"\n", b"")
        if line.startswith(b">From ") and not current and _FROM_LINE.match(line, 1):
            # the envelope line of a message that was itself stored in mbox form, escaped
            # when it was added to this one: the message starts after it
            continue
        if size < max_size:
            if line.startswith(b">From "):
                line = line[1:]
            current.append(line)
            size += len(line)
        else:
            cut = True
    if current:
        if cut and on_cut is not None:
            on_cut(index)
        yield b"".join(current)
