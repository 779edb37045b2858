"""Bytes in, messages out: line ends normalised, mbox files split, size bounded.

Shapes recognised:
- an mbox (the first line starts with ``From ``): one message per ``From `` separator line
  that follows a blank line (or starts the file);
- anything else is one message; whether it has headers is decided later (mail.py), so a
  pasted fragment and a full .eml take the same path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from bouncefix import recache

DEFAULT_MAX_SIZE = 25 * 1024 * 1024

_FROM_LINE = recache.compile(rb"From \S*[ \t].{0,200}\d\d:\d\d")


class InputError(Exception):
    """Input that cannot be processed; the message is for the user."""


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


def iter_mbox_file(handle: BinaryIO, max_size: int = DEFAULT_MAX_SIZE) -> Iterator[bytes]:
    """Stream the messages of an mbox file; memory stays bounded by one message."""
    yield from _iter_mbox_lines(_normalised_lines(handle), max_size)


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


def _iter_mbox_lines(lines: Iterator[bytes], max_size: int = DEFAULT_MAX_SIZE) -> Iterator[bytes]:
    """Group lines into messages at ``From `` separators; drop oversized messages' tails."""
    current: list[bytes] = []
    size = 0
    previous_blank = True
    for line in lines:
        if previous_blank and line.startswith(b"From ") and _FROM_LINE.match(line):
            if current:
                yield b"".join(current)
            current, size = [], 0
            previous_blank = False
            continue
        previous_blank = line in (b"\n", b"")
        if size < max_size:
            if line.startswith(b">From "):
                line = line[1:]
            current.append(line)
            size += len(line)
    if current:
        yield b"".join(current)


def read_limited(handle: BinaryIO, max_size: int = DEFAULT_MAX_SIZE, name: str = "input") -> bytes:
    """Read at most `max_size` bytes; raise InputError if there is more."""
    data = handle.read(max_size + 1)
    if len(data) > max_size:
        raise InputError(
            f"{name} is larger than {max_size:,} bytes; raise the limit with --max-size"
        )
    return data
