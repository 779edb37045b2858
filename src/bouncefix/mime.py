"""A fast MIME tree builder on top of the ``email`` package (``policy.compat32``).

The standard feed parser reads every line of every part through a chain of generators;
on bounces that return the original message with its attachments this dominates the run
time. Here each header block is still parsed by the ``email`` package (so folding,
parameters, charsets and transfer decoding behave exactly as usual), but the body is cut
into parts with plain string searches for the boundary lines, which costs a fraction of
the time. The result is an ordinary tree of ``email.message.Message`` objects, shaped like
compat32's own: a multipart's payload is a list of parts, a message/rfc822 part's payload
is a one-element list holding the inner message, every leaf's payload is its raw text.
"""

from __future__ import annotations

import base64
import binascii
import email.policy
import quopri
from email.message import Message

from bouncefix import recache

MAX_DEPTH = 16
MAX_PARTS = 400
MAX_HEADER_BLOCK = 256 * 1024
#: attribute of an attached message holding its original text (to parse it fully later)
RAW_TEXT = "bouncefix_raw_text"

_HEADER_START = recache.compile(r"[!-9;-~]{1,200}:")
_BLANK = recache.compile(r"\n[ \t]*\n")
_BARE_PARAMETER = recache.compile(r"(?i)(?:boundary|charset|name|filename|format|report-type|"
                             r"type|delsp|micalg|protocol)\s{0,4}=")


def parse_bytes(raw: bytes) -> Message:
    """Parse a whole message given as bytes (line ends already normalised to LF)."""
    return parse_text(raw.decode("ascii", "surrogateescape"), 0, [0])


def parse_text(text: str, depth: int, count: list[int]) -> Message:
    """Parse a message or part given as text; `count` bounds the number of parts."""
    count[0] += 1
    head, body = split_head(text)
    message, leftover = parse_headers(head)
    if leftover:  # a line that was not a header ended the header block early
        body = leftover + body
    message.set_payload(body)
    if depth >= MAX_DEPTH or count[0] >= MAX_PARTS:
        return message
    maintype = message.get_content_maintype()
    if maintype == "multipart":
        boundary = message.get_boundary()
        if boundary:
            preamble, parts, epilogue = split_multipart(body, boundary)
            if parts:
                message.preamble = preamble
                message.epilogue = epilogue
                message.set_payload([parse_text(p, depth + 1, count) for p in parts])
    elif message.get_content_type() in ("message/rfc822", "message/global"):
        inner = _transfer_decoded(message, body)
        if inner.strip():
            # Only the attached message's headers are read now; its body stays text
            # (parse_text(str(inner)) later if a forwarded bounce must be looked into).
            attached = parse_text(inner.lstrip("\n"), MAX_DEPTH, count)
            setattr(attached, RAW_TEXT, inner.lstrip("\n"))
            message.set_payload([attached])
    return message


def parse_headers(head: str) -> tuple[Message, str]:
    """A Message holding the header block `head`, plus any text after the first line
    that is neither a header nor a continuation (the feed parser's rule)."""
    message = Message()
    policy = email.policy.compat32
    lines = head.split("\n")
    if lines and lines[0].startswith("From "):
        message.set_unixfrom(lines.pop(0))
    current: list[str] = []
    for index, line in enumerate(lines):
        if current and (line[:1] in (" ", "\t") or _BARE_PARAMETER.match(line)):
            # a continuation; some mailers fold 'boundary="..."' without indenting it
            current.append(line if line[:1] in (" ", "\t") else " " + line)
            current[-1] += "\n"
            continue
        if current:
            message.set_raw(*policy.header_source_parse(current))
            current = []
        if not line:
            continue
        if ":" not in line or not _HEADER_START.match(line):
            return message, "\n".join(lines[index:])
        current = [line + "\n"]
    if current:
        message.set_raw(*policy.header_source_parse(current))
    return message, ""


def split_head(text: str) -> tuple[str, str]:
    """Split at the first empty line. Text that does not start with a header line has
    no headers at all (a part may legitimately start with its body's blank line)."""
    if text.startswith("\n"):
        return "", text[1:]
    if not _HEADER_START.match(text):
        return "", text
    match = _BLANK.search(text, 0, MAX_HEADER_BLOCK)
    if match is None:
        if len(text) <= MAX_HEADER_BLOCK:
            return text, ""
        cut = text.rfind("\n", 0, MAX_HEADER_BLOCK)
        return text[: cut + 1], text[cut + 1 :]
    return text[: match.start() + 1], text[match.end() :]


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


def _transfer_decoded(message: Message, body: str) -> str:
    """A message/rfc822 body is normally 7bit/8bit; decode the odd base64 or QP one."""
    encoding = str(message.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        return body
    raw = body.encode("ascii", "surrogateescape")
    try:
        data = base64.b64decode(raw) if encoding == "base64" else quopri.decodestring(raw)
    except (binascii.Error, ValueError):
        return body
    return data.replace(b"\r\n", b"\n").decode("ascii", "surrogateescape")
