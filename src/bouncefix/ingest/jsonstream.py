"""JSON values read one at a time from a stream of any size, in bounded memory.

Shapes read: a JSON array of values (``[{...}, {...}]``, one line or many), JSON Lines
(one value per line), values simply concatenated (pretty-printed objects one after
another), and any mix of these (a file of one array per line, as webhook batches are
often saved). Each top-level value, or each element of a top-level array, is one
:class:`Value`, with the line where it starts.

Memory: the text of at most one value is held (plus one read), and a value longer than
``max_size`` is skipped without being held: it is stepped over by a scanner that keeps
only its nesting depth. Time: each value is parsed by the C decoder once; a value split
across reads is tried again only after the text held has doubled.

Malformed JSON is a :class:`Problem` with its line and the decoder's words. After one
in a top-level value, reading goes on at the next line that starts with ``{`` or ``[``
(the next JSON Lines record); inside an array it cannot know where the next element
starts, so the rest of the input is not read (``fatal``).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Generator, Iterator
from typing import Any, BinaryIO, NamedTuple

CHUNK = 1 << 16
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
#: the start of the next record after a malformed one (a line opening a value)
_RESYNC = re.compile(r"\n(?=[\[{])")
#: what the structural scanner stops at: quotes, escapes and brackets
_STRUCTURE = re.compile(r'["\[\]{}]')
_IN_STRING = re.compile(r'["\\]')


class Value(NamedTuple):
    """One value: the line where it starts, the parsed value, its length."""

    line: int
    value: Any
    size: int


class Problem(NamedTuple):
    """Input that could not be read as JSON, and where."""

    line: int
    message: str
    fatal: bool = False


class _Text:
    """The text read so far and not yet consumed, with the line number of its start."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self.buffer = ""
        self.position = 0  #: consumed up to here
        self.line = 1  #: line number at `position`
        self.eof = False
        self.dropped = False  #: whether text before `buffer` was dropped

    def more(self) -> bool:
        """Read once more; False at the end of the input."""
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK)
        if not chunk:
            self.eof = True
            self.buffer += self.decoder.decode(b"", final=True)
            return False
        if self.position > CHUNK:  # drop what was consumed, now and then
            self.forget()
        self.buffer += self.decoder.decode(chunk)
        return True

    def advance(self, to: int) -> None:
        """Consume the text up to `to`, counting its lines."""
        self.line += self.buffer.count("\n", self.position, to)
        self.position = to

    def skip_space(self) -> str:
        """Consume white space; the next character, "" at the end of the input."""
        while True:
            end = _SPACE.match(self.buffer, self.position).end()  # type: ignore[union-attr]
            self.advance(end)
            if end < len(self.buffer):
                return self.buffer[end]
            if not self.more():
                return ""

    def forget(self) -> None:
        """Drop everything consumed (keeps the text held small while skipping)."""
        if self.position:
            self.buffer = self.buffer[self.position:]
            self.position = 0
            self.dropped = True


def values(stream: BinaryIO, max_size: int) -> Iterator[Value | Problem]:
    """The values of a JSON stream (see the module text)."""
    text = _Text(stream)
    while True:
        char = text.skip_space()
        if not char:
            return
        if char != "[":
            yield from _one(text, max_size, in_array=False)
            continue
        text.advance(text.position + 1)
        finished = yield from _elements(text, max_size)
        if not finished:
            return


def _elements(text: _Text, max_size: int) -> Generator[Value | Problem, None, bool]:
    """The elements of an array whose "[" was consumed; True when its "]" was read."""
    first = True
    while True:
        char = text.skip_space()
        if char == "]":
            text.advance(text.position + 1)
            return True
        if not char:
            yield Problem(text.line, "not valid JSON (the input ends inside an array)", True)
            return False
        if not first:
            if char != ",":
                yield Problem(text.line, "not valid JSON (expected ',' or ']' between array "
                                         "elements); the rest of the input is not read", True)
                return False
            text.advance(text.position + 1)
            char = text.skip_space()
        if not char:
            yield Problem(text.line, "not valid JSON (the input ends inside an array)", True)
            return False
        first = False
        for item in _one(text, max_size, in_array=True):
            yield item
            if isinstance(item, Problem) and item.fatal:
                return False


def _one(text: _Text, max_size: int, in_array: bool) -> Iterator[Value | Problem]:
    """The value at the current position (white space skipped)."""
    while True:
        start, line = text.position, text.line
        try:
            value, end = _DECODER.raw_decode(text.buffer, start)
        except json.JSONDecodeError as error:
            end = -1
            incomplete = not text.eof and (error.pos >= len(text.buffer) - 8
                                           or error.msg.startswith("Unterminated string"))
            if not incomplete:
                yield _malformed(text, error, in_array)
                return
        if end >= 0 and (end < len(text.buffer) or text.eof):
            text.advance(end)
            yield Value(line, value, end - start)
            return
        # the value may go on past what was read: read on, at least doubling the text
        held = len(text.buffer) - start
        if held > max_size:
            yield _oversized(text, max_size)
            return
        wanted = min(max(2 * held, held + CHUNK), max_size + 1)
        while len(text.buffer) - text.position < wanted and text.more():
            pass


def _malformed(text: _Text, error: json.JSONDecodeError, in_array: bool) -> Problem:
    line = text.line + text.buffer.count("\n", text.position, error.pos)
    newline = text.buffer.rfind("\n", 0, error.pos)
    where = f" at column {error.pos - newline}" if newline >= 0 or not text.dropped else ""
    message = f"not valid JSON ({error.msg}{where})"
    if text.eof and (error.pos >= len(text.buffer.rstrip())
                     or error.msg.startswith("Unterminated string")):
        message = "not valid JSON (the input ends inside a value)"
    if in_array:
        return Problem(line, message + "; the rest of the input is not read", fatal=True)
    # go on at the next line that opens a value (the next JSON Lines record)
    start = max(error.pos, text.position)
    while True:
        found = _RESYNC.search(text.buffer, start)
        if found is not None:
            text.advance(found.end())
            return Problem(line, message)
        text.advance(max(len(text.buffer) - 1, text.position))  # the "\n" may end it
        text.forget()
        start = 0
        if not text.more():
            text.advance(len(text.buffer))
            return Problem(line, message)


def _oversized(text: _Text, max_size: int) -> Problem:
    """Step over a value longer than `max_size` without holding it."""
    line = text.line
    skipped = Problem(line, f"a value larger than {max_size:,} bytes (the limit); skipped")
    if text.buffer[text.position:text.position + 1] not in ("[", "{"):
        # a long string or number: to the end of its line
        while True:
            found = text.buffer.find("\n", text.position)
            text.advance(found if found >= 0 else len(text.buffer))
            text.forget()
            if found >= 0 or not text.more():
                return skipped
    depth, in_string, escaped = 0, False, False
    while True:
        buffer, position = text.buffer, text.position
        while position < len(buffer):
            if escaped:
                escaped, position = False, position + 1
                continue
            stop = (_IN_STRING if in_string else _STRUCTURE).search(buffer, position)
            if stop is None:
                position = len(buffer)
                break
            char, position = stop.group(), stop.end()
            if in_string:
                escaped = char == "\\"
                in_string = escaped
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    text.advance(position)
                    return skipped
        text.advance(position)
        text.forget()
        if not text.more():
            return Problem(line, f"a value larger than {max_size:,} bytes (the limit), "
                                 "and the input ends inside it", fatal=True)
