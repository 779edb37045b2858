"""Output streams that never fail on a character they cannot encode.

With ``PYTHONIOENCODING=ascii``, a C or POSIX locale without UTF-8 coercion, or a Latin-1
terminal, printing a bounce's Japanese diagnostic would raise UnicodeEncodeError. The
text streams are switched to ``backslashreplace`` instead (what cannot be shown is shown
as ``\\u30e6``), and JSON is written with ``ensure_ascii`` there, so it stays valid JSON.

No imports: this module is on the fast start-up path of ``lookup``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


def unicode_ok(stream: TextIO) -> bool:
    """True when `stream` can encode every character (a UTF encoding, or no encoding
    at all, as with the in-memory streams of tests)."""
    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str) or not encoding:
        return True
    return encoding.lower().replace("_", "-").startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def harden(stream: TextIO | None) -> None:
    """Make `stream` replace, not raise on, characters its encoding lacks."""
    if stream is None or unicode_ok(stream):
        return
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:  # io.TextIOWrapper; changing `errors` is always allowed
        reconfigure(errors="backslashreplace")
