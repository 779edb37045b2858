"""UTF-8 text that was shown in another character set and pasted that way.

A bounce copied from a terminal, a log viewer or a mail client that picked the wrong
charset arrives damaged in two common ways:

- UTF-8 bytes read as Windows-1252 or Latin-1 ("EmpfÃ¤nger", "rechazÃ³", "â€™"), the
  "mojibake" of every Western mail system;
- UTF-8 bytes written out by a pager as hex ("Empf<C3><A4>nger").

Each damaged run is put back only where it is a whole, valid UTF-8 sequence (a lead
byte and its continuation bytes), so text that merely contains "Ã" or "<C3>" is left as
it was; a text of ASCII only is not looked at.
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

# the characters Windows-1252 shows for the bytes 0x80-0x9F, then Latin-1's 0xA0-0xBF:
# a UTF-8 continuation byte as a misreading shows it (0x81, 0x8D, 0x8F, 0x90 and 0x9D,
# unassigned in Windows-1252, and all of 0x80-0x9F where Latin-1 was the misreading,
# appear as the C1 control characters)
_CONTINUATION = (
    "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d"
    "\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a"
    "\u0153\u009d\u017e\u0178\u00a0-\u00bf\u0080-\u009f"
)
_SEQUENCE = lazy(
    f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}"
    f"|[\u00f0-\u00f4][{_CONTINUATION}]{{3}}"
)
# a pager's hex notation of the same bytes: "<C3><A4>"
_HEX_SEQUENCE = lazy(r"<[C-F][0-9A-F]>(?:<[89AB][0-9A-F]>){1,3}")


def repair(text: str) -> str:
    """`text` with UTF-8 misread as Windows-1252/Latin-1, or written as <XX> hex bytes,
    put back; anything else unchanged."""
    if "<" in text and "><" in text:
        text = _HEX_SEQUENCE.sub(_from_hex, text)
    if not text.isascii():
        text = _SEQUENCE.sub(_from_misreading, text)
    return text


def _from_hex(match: re.Match[str]) -> str:
    try:
        return bytes.fromhex(match.group(0).replace("<", "").replace(">", "")).decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)


def _from_misreading(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        raw = bytes(_byte(char) for char in run)
        return raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run


def _byte(char: str) -> int:
    """The byte Windows-1252 (or, for its five gaps, Latin-1) shows as `char`."""
    code = ord(char)
    if code < 0x100:
        return code
    return char.encode("cp1252")[0]
