"""The one sanitiser for untrusted text (bounce content, DNS answers, file names).

Everything that came from input is passed through :func:`clean` before it is printed,
whatever the output format. It removes what a terminal would interpret (ESC sequences:
CSI, OSC including hyperlinks and clipboard writes, other two-byte escapes), C0 and C1
control characters, backspace overwrites, bidi overrides and zero-width characters.
Newlines and tabs survive only where the caller asks for them.
"""

from __future__ import annotations

from typing import Any

from bouncefix.regex import lazy

# ESC followed by: CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), or a single intermediate/final byte. Each branch is a bounded
# character-class run, so the scan is linear.
_ESCAPES = lazy(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)

# C0 controls except TAB and LF, DEL, C1 controls; bidi marks, embeddings, overrides and
# isolates (the Arabic letter mark included); zero-width characters, the Mongolian vowel
# separator and the BOM; line and paragraph separators; Unicode tag characters (invisible
# ASCII look-alikes).
_INVISIBLE = lazy(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb\u2028\u2029"
    "\U000e0000-\U000e007f]"
)
# Lone surrogates (undecodable bytes kept by 'surrogateescape') cannot be encoded by any
# stream: they become U+FFFD, visibly.
_SURROGATES = lazy("[\ud800-\udfff]")

_BACKSPACE_PAIRS = lazy(r"[^\x08\n]\x08")


def clean(text: str | None, *, newlines: bool = True, limit: int | None = None) -> str:
    """Return `text` safe to print on a terminal.

    `newlines=False` folds all line breaks and tabs to single spaces (for table cells and
    one-line fields). `limit` caps the length, marking the cut with an ellipsis.
    """
    if not text:
        return ""
    if not (text.isascii() and text.isprintable()):  # else nothing to remove (common)
        text = _remove_unsafe(text)
    text = " ".join(text.split()) if not newlines else text.replace("\t", "    ")
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def _remove_unsafe(text: str) -> str:
    """`text` without escape sequences, overwritten characters, carriage returns,
    invisible or direction-changing characters and lone surrogates."""
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPES.sub("", text)
    if "\x08" in text:
        # "abc\x08\x08xyz" would show as "axyz" on a terminal; drop the overwritten chars.
        for _ in range(8):
            new = _BACKSPACE_PAIRS.sub("", text)
            if new == text:
                break
            text = new
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    if not text.isascii():
        text = _SURROGATES.sub("\ufffd", text)
    return text


def one_line(text: str | None, limit: int | None = None) -> str:
    """`clean` for a single-line field."""
    return clean(text, newlines=False, limit=limit)


def shown_name(name: str | None, limit: int | None = 500) -> str:
    """A file name as text output shows it: every character :func:`clean` would remove
    (controls, escapes, invisible and direction-changing characters) written as a visible
    escape instead (``\\x1b``, ``\\u200b``), and bytes that were not valid in the file
    system's encoding as ``\\xNN``, so that two different names never look the same.
    JSON output keeps the exact name."""
    if not name:
        return ""
    if name.isascii() and name.isprintable() and "\\" not in name:
        return name if limit is None or len(name) <= limit else name[: limit - 1] + "…"
    out = []
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == "\\" or (char != " " and (
                _INVISIBLE.fullmatch(char) or _SURROGATES.fullmatch(char)
                or char.isspace() or code == 0x1B)):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                       if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    text = "".join(out)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def json_visible(serialised: str) -> str:
    """JSON text with the characters :func:`clean` removes (bidi overrides, zero-width
    and C1 controls, line separators) written as ``\\uXXXX`` escapes: the same JSON
    values, exact file names included, but nothing that changes how a terminal shows
    the text. Only string contents can hold such characters, so this is always valid."""
    if serialised.isascii():
        return serialised
    return _INVISIBLE.sub(_json_escape, serialised)


def _json_escape(match: Any) -> str:
    code = ord(match.group(0))
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
