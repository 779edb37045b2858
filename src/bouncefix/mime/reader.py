"""The MIME reader: a message's text into a tree of parts (part.py).

The email package's feed parser reads every line of every part through a chain of
generators; on bounces that return the original message with its attachments this
dominates the run time. Here header blocks are read with a few regular expressions
(line by line only when a block is unusual), and bodies are cut into parts with plain
string searches for the boundary lines. The tree has the shape compat32 gives: a
multipart's payload is a list of parts, a message/rfc822 part's payload is a
one-element list holding the inner message's head, every leaf's payload is its raw
text. Header fields keep the values compat32 would keep (tests/test_mime_fast_path.py
and tests/test_part.py hold the two side by side).
"""

from __future__ import annotations

from bouncefix.regex import lazy

from . import transfer
from .part import Part

MAX_DEPTH = 16  #: multipart levels read; deeper parts stay unread text
MAX_PARTS = 400  #: MIME parts read per message
MAX_HEADERS = 1000  #: header fields read per header block (MIME structure fields excepted)
MAX_HEADER_LENGTH = 64 * 1024  #: characters kept of one header field, folded lines included

_HEADER_START = lazy(r"[!-9;-~]{1,200}:")
_BLANK = lazy(r"\n[ \t]*\n")
MAX_PARAMETER_FIELD = 1024  #: longer Content-Type/-Disposition values are rebuilt
MAX_PARAMETERS = 32  #: ... and so are values with more semicolons than this
_PARAMETERISED = frozenset({"content-type", "content-disposition"})
_USEFUL_PARAMETERS = frozenset({"boundary", "charset", "report-type", "type", "name",
                                "filename", "format", "delsp", "micalg", "protocol"})
_PARAMETER = lazy(r';[ \t\n]{0,20}([!#$%&\'*+.^_`|~0-9A-Za-z-]{1,60})[ \t\n]{0,20}='
                             r'[ \t\n]{0,20}("[^"\n]{0,300}"|[^;"\s]{1,300})')
_BLANK_LINE = lazy(r"[ \t]*(?:\n|\Z)")
_BARE_PARAMETER = lazy(r"(?i)(?:boundary|charset|name|filename|format|report-type|"
                             r"type|delsp|micalg|protocol)\s{0,4}=")
#: a header block of field lines (name, colon) and indented continuation lines only
_PLAIN_BLOCK = lazy(r"(?:[!-9;-~]{1,200}:[^\n]*\n(?:[ \t][^\n]*\n)*)*")
#: one field of such a block: its name, and its value as compat32 keeps it (the first
#: line's leading blanks dropped, continuation lines kept with their line breaks). The
#: fields of a checked block follow each other, so findall never scans in between.
_FIELD = lazy(r"([!-9;-~]{1,200}):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)\n")
_PARAMETERISED_START = lazy(r"\n(?i:content-(?:type|disposition))[ \t]*:")
# Read even past MAX_HEADERS, once each: without them the structure would be lost.
_STRUCTURE_FIELDS = frozenset({"content-type", "content-transfer-encoding", "mime-version",
                               "content-disposition"})


class ParseState:
    """What the parse of one message has used of the limits, and the notes it made."""

    __slots__ = ("notes", "parts")

    def __init__(self) -> None:
        self.parts = 0
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        """Record that a limit was reached (once per kind)."""
        if text not in self.notes:
            self.notes.append(text)


def parse_bytes(raw: bytes) -> Part:
    """Parse a whole message given as bytes (line ends already normalised to LF); the
    limits reached are listed in the message's ``notes``."""
    state = ParseState()
    message = parse_text(raw.decode("ascii", "surrogateescape"), 0, state)
    message.notes = state.notes
    return message


def parse_text(text: str, depth: int, state: ParseState, descend: bool = True) -> Part:
    """Parse a message or part given as text; `state` bounds the number of parts.
    With `descend` False only the headers are read (the body stays text)."""
    state.parts += 1
    message, body = read_head(text, state)
    message.set_payload(body)
    if not descend:
        return message
    maintype = message.get_content_maintype()
    nested = maintype == "multipart" or message.get_content_type() in (
        "message/rfc822", "message/global")
    if nested and depth >= MAX_DEPTH:
        state.note(f"MIME parts nested deeper than {MAX_DEPTH} levels were not read (limit)")
        return message
    if nested and state.parts >= MAX_PARTS:
        state.note(f"only the first {MAX_PARTS} MIME parts were read (limit)")
        return message
    if maintype == "multipart":
        boundary = message.get_boundary()
        if boundary:
            preamble, parts, epilogue = split_multipart(body, boundary)
            if len(parts) >= MAX_PARTS:
                state.note(f"only the first {MAX_PARTS} MIME parts were read (limit)")
            if parts:
                message.preamble = preamble
                message.epilogue = epilogue
                message.set_payload([parse_text(p, depth + 1, state) for p in parts])
    elif nested:
        inner = _transfer_decoded(message, body)
        if inner.strip():
            # Only the attached message's headers are read now; its body stays text
            # (parse_text(str(inner)) later if a forwarded bounce must be looked into).
            attached = parse_text(inner.lstrip("\n"), depth + 1, state, descend=False)
            attached.raw_text = inner.lstrip("\n")
            message.set_payload([attached])
    return message


def read_head(text: str, state: ParseState | None = None) -> tuple[Part, str]:
    """The header block at the start of `text` as a Part, and the body after it.

    The block ends at the first empty (or blank) line, or at the first line that is
    neither a header nor a continuation (which then starts the body, the feed parser's
    rule). Text that does not start with a header line has no headers at all (a part
    may legitimately start with its body's blank line). One pass, linear in the text:
    fields past MAX_HEADERS are skipped and each field is cut at MAX_HEADER_LENGTH.
    """
    message = Part()
    if text.startswith("\n"):
        return message, text[1:]
    if not _HEADER_START.match(text):
        return message, text
    body = _read_plain_head(message, text)
    if body is not None:
        return message, body
    return message, _read_head_by_lines(message, text, state)


def _read_head_by_lines(message: Part, text: str, state: ParseState | None) -> str:
    """read_head's general case, one line at a time; returns the body."""
    current: list[str] = []
    length = fields = 0
    in_field = False
    seen_structure: set[str] = set()
    position, size = 0, len(text)
    while position < size:
        end = text.find("\n", position)
        end = size if end < 0 else end
        first = text[position : position + 1]
        if first in (" ", "\t") and _BLANK_LINE.match(text, position):
            position = end + 1  # a blank line ends the block
            break
        if in_field and (first in (" ", "\t") or _BARE_PARAMETER.match(text, position)):
            # a continuation; some mailers fold 'boundary="..."' without indenting it
            if current and length < MAX_HEADER_LENGTH:
                line = text[position : min(end, position + MAX_HEADER_LENGTH - length)]
                current.append((line if first in (" ", "\t") else " " + line) + "\n")
                length += len(line) + 1
            elif current and state is not None:
                state.note(f"a header field longer than {MAX_HEADER_LENGTH // 1024} KB "
                           "was cut (limit)")
            position = end + 1
            continue
        if current:
            _add_field(message, current)
        current, length, in_field = [], 0, False
        if end == position:  # the empty line
            position = end + 1
            break
        if not _HEADER_START.match(text, position):
            return _body_from(text, position)  # not a header: the body starts here
        in_field = True
        fields += 1
        line = text[position : min(end, position + MAX_HEADER_LENGTH)]
        name = line.split(":", 1)[0].strip().lower()
        if fields <= MAX_HEADERS or (name in _STRUCTURE_FIELDS and name not in seen_structure):
            if name in _STRUCTURE_FIELDS:
                seen_structure.add(name)
            current, length = [line + "\n"], len(line) + 1
            if end - position > MAX_HEADER_LENGTH and state is not None:
                state.note(f"a header field longer than {MAX_HEADER_LENGTH // 1024} KB "
                           "was cut (limit)")
        elif state is not None:
            state.note(f"only the first {MAX_HEADERS} header fields were read (limit)")
        position = end + 1
    if current:
        _add_field(message, current)
    return text[position:] if position < size else ""


def _read_plain_head(message: Part, text: str) -> str | None:
    """The common case of read_head in a few C-speed steps: a header block that ends
    at a blank line, holds only field lines and indented continuations, is smaller than
    one field may be and has no oversized Content-Type. Sets the fields and returns the
    body; None (nothing set) for any other block, which read_head then reads line by
    line. Both ways give the same fields (tests/test_mime_fast_path.py)."""
    end = _BLANK.search(text, 0, MAX_HEADER_LENGTH)
    if end is None:
        return None
    block = text[: end.start() + 1]
    if "\r" in block or not _PLAIN_BLOCK.fullmatch(block):
        return None
    lined = "\n" + block
    for found in _PARAMETERISED_START.finditer(lined):
        stop = lined.find("\n", found.end())
        while lined.startswith((" ", "\t"), stop + 1):
            stop = lined.find("\n", stop + 1)
        value = lined[found.end() : stop]
        if len(value) > MAX_PARAMETER_FIELD or value.count(";") > MAX_PARAMETERS:
            return None  # reduce_parameters is the line-by-line reader's job
    fields = _FIELD.findall(block)
    if len(fields) > MAX_HEADERS or "=" in "\n".join([name for name, _ in fields]):
        return None  # a name with '=': maybe an unindented 'boundary=...' continuation
    message.set_fields(fields)
    return text[end.end() :]


def _add_field(message: Part, lines: list[str]) -> None:
    """Add the field of `lines` (its first line and continuation lines): the value as
    compat32 keeps it, the first line's leading blanks dropped, line breaks kept but the
    last one."""
    name, value = lines[0].split(":", 1)
    value = (value.lstrip(" \t") + "".join(lines[1:])).rstrip("\r\n")
    if name.strip().lower() in _PARAMETERISED and (
        len(value) > MAX_PARAMETER_FIELD or value.count(";") > MAX_PARAMETERS
    ):
        value = reduce_parameters(value)
    message.add_field(name, value)


def reduce_parameters(value: str) -> str:
    """A Content-Type (or -Disposition) value cut down to its type and the parameters
    bouncefix reads, each at most 300 characters, so that no field holds more parameters
    than anything reads."""
    kept = [value.split(";", 1)[0].strip()[:200]]
    for match in _PARAMETER.finditer(value):
        if match.group(1).lower().split("*", 1)[0] in _USEFUL_PARAMETERS:
            kept.append(f"{match.group(1)}={match.group(2)}")
            if len(kept) > MAX_PARAMETERS:
                break
    return "; ".join(kept)


def _body_from(text: str, position: int) -> str:
    """The body when a non-header line at `position` cut the header block short: that
    line and the rest, without the blank line that would have ended the block."""
    match = _BLANK.search(text, position)
    if match is None:
        return text[position:]
    return text[position : match.start() + 1] + text[match.end() :]


def split_multipart(body: str, boundary: str) -> tuple[str, list[str], str]:
    """Cut a multipart body at its boundary lines: (preamble, parts, epilogue)."""
    marker = "--" + boundary
    parts: list[str] = []
    position = _find_boundary(body, marker, 0)
    if position < 0:
        return body, [], ""
    preamble = body[:position]
    while position >= 0 and len(parts) < MAX_PARTS:
        line_end = body.find("\n", position)
        line = body[position : line_end if line_end >= 0 else len(body)]
        if line.rstrip().startswith(marker + "--"):
            return preamble, parts, body[line_end + 1 :] if line_end >= 0 else ""
        if line_end < 0:
            break
        start = line_end + 1
        following = _find_boundary(body, marker, start)
        end = following if following >= 0 else len(body)
        chunk = body[start:end]
        parts.append(chunk[:-1] if chunk.endswith("\n") else chunk)
        position = following
    return preamble, parts, ""


def _find_boundary(body: str, marker: str, start: int) -> int:
    """Index of the next line that starts with `marker`, or -1."""
    while True:
        found = body.find(marker, start)
        if found < 0:
            return -1
        if found == 0 or body[found - 1] == "\n":
            return found
        start = found + len(marker)


def _transfer_decoded(message: Part, body: str) -> str:
    """A message/rfc822 body is normally 7bit/8bit; decode the odd base64 or QP one."""
    encoding = (message.get("Content-Transfer-Encoding") or "").strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        return body
    data = transfer.decode(body.encode("ascii", "surrogateescape"), encoding)
    return data.replace(b"\r\n", b"\n").decode("ascii", "surrogateescape")
