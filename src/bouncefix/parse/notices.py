"""Several notices about one message, pasted as one text.

One delivery often produces more than one notice: a warning that delivery is delayed,
then the final report that it failed. People paste both ("I got these two, two days
apart"). Read as one text, the warning's "we will keep trying" would make the final
failure a delay, and its temporary reply could decide the cause.

A paste is cut where its notices visibly part:

- a separator line: ``------``, ``----- 2 -----``, ``=====``, ``~~~``;
- a new header block (``From: MAILER-DAEMON@...`` with ``Subject: ...`` under it) after
  other text;
- a new quoted block (``> ...``) after the person's own words, when there are several.

The analysis reads each part alone and lets a final notice supersede an earlier warning
about the same recipient (analysis.py). A real message (one with transport headers or
MIME parts) is never cut: its own structure says what belongs together.
"""

from __future__ import annotations

from bouncefix.regex import lazy

#: longer input is a document or a message, not a paste of a few notices
MAX_PASTE = 64 * 1024
#: at most this many parts are read
MAX_PARTS = 8

_SEPARATOR = lazy(
    rb"(?i)[ \t]*(?:-{2,}|={3,}|~{3,})(?:[ \t]*(?:#?\d{1,2}|(?:notice|message|bounce|mail|"
    rb"e-?mail|reply|part|no\.?|nr\.?)[ \t]*#?\d{1,2})[ \t]*(?:-{2,}|={3,}|~{3,}))?[ \t]*")
_HEADER = lazy(rb"(?i)(?:from|to|cc|subject|date|sent)[ \t]*:")
#: headers that only a message as sent or received has, never a pasted notice's few
_TRANSPORT = (b"received:", b"mime-version:", b"content-type:", b"message-id:",
              b"return-path:", b"dkim-signature:", b"delivered-to:", b"x-")


def parts(raw: bytes) -> list[bytes]:
    """The notices of a paste, when it visibly holds more than one; else []."""
    if (len(raw) > MAX_PASTE or raw.count(b"\n") < 4 or b"@" not in raw
            or _real_message(raw)):
        return []
    lines = raw.split(b"\n")
    cuts = _separators(lines) | _header_blocks(lines) | _quoted_blocks(lines)
    if not cuts:
        return []
    found: list[bytes] = []
    start = 0
    for cut in [*sorted(cuts), len(lines)]:
        chunk = [line for line in lines[start:cut] if not _SEPARATOR.fullmatch(line)]
        start = cut
        if b"@" in b"\n".join(chunk):
            found.append(b"\n".join(chunk).strip(b"\n") + b"\n")
    return found[:MAX_PARTS] if len(found) >= 2 else []


def _real_message(raw: bytes) -> bool:
    """Whether `raw` opens with a header block that a sent or received message has."""
    for line in raw.lstrip(b"\n")[:8192].split(b"\n"):
        if not line.strip():
            return False
        if line.lower().startswith(_TRANSPORT):
            return True
    return False


def _separators(lines: list[bytes]) -> set[int]:
    return {i for i, line in enumerate(lines)
            if line.strip() and line[:1] != b">" and _SEPARATOR.fullmatch(line)}


def _header_blocks(lines: list[bytes]) -> set[int]:
    """Where a header block of two or more lines starts after other text."""
    cuts = set()
    for i, line in enumerate(lines):
        if not i or lines[i - 1].strip() or not _HEADER.match(line):
            continue
        if sum(1 for other in lines[i + 1:i + 5] if _HEADER.match(other)) and any(
                ln.strip() for ln in lines[:i]):
            cuts.add(i)
    return cuts


def _quoted_blocks(lines: list[bytes]) -> set[int]:
    """The starts of quoted blocks, and of the text after each, when the person's own
    words stand between two quoted blocks."""
    starts, ends = [], []
    quoted = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        now = line.lstrip()[:1] == b">"
        if now and not quoted:
            starts.append(i)
        elif quoted and not now:
            ends.append(i)
        quoted = now
    if len(starts) < 2:
        return set()
    return {i for i in starts + ends if i}
