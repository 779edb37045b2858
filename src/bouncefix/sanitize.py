"""The one sanitiser for untrusted text (bounce content, DNS answers, file names).

Everything that came from input is passed through :func:`clean` before it is printed,
whatever the output format. It removes what a terminal would interpret (ESC sequences:
CSI, OSC including hyperlinks and clipboard writes, other two-byte escapes), C0 and C1
control characters, backspace overwrites, bidi overrides and zero-width characters.
Newlines and tabs survive only where the caller asks for them.
"""

from __future__ import annotations

from bouncefix import recache

# ESC followed by: CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), or a single intermediate/final byte. Each branch is a bounded
# character-class run, so the scan is linear.
_ESCAPES = recache.compile(
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
_INVISIBLE = recache.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb\u2028\u2029"
    "\U000e0000-\U000e007f]"
)
# Lone surrogates (undecodable bytes kept by 'surrogateescape') cannot be encoded by any
# stream: they become U+FFFD, visibly.
_SURROGATES = recache.compile("[\ud800-\udfff]")

_BACKSPACE_PAIRS = recache.compile(r"[^\x08\n]\x08")


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
