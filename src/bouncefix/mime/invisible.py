"""Characters a reader does not see but a pattern does: tidied before the text is read.

Text copied out of webmail, chat tools and terminals carries them between the words of
a reply, and every phrase or address that a pattern looks for breaks on them:

- non-breaking and other fixed-width spaces (``&nbsp;`` of an HTML bounce page, U+00A0,
  U+202F, U+2007, the typographic spaces U+2002-U+200A): read as a plain space;
- zero-width characters (U+200B zero-width space, U+2060 word joiner, U+FEFF, and the
  soft hyphen U+00AD): removed, so "hannah.berg@\u200bexample.net" is one address.
  (The zero-width joiner and non-joiner, U+200C/U+200D, are kept: Persian and Indic
  words and emoji are spelt with them.)
- terminal colour codes (``ESC[01;31m`` of ``grep --color``): removed.

Run after mojibake repair (mojibake.py), which reads U+00A0 as a misread byte.
"""

from __future__ import annotations

from bouncefix.regex import lazy

_TABLE = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2002": " ", "\u2003": " ",
    "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ",
    "\u200b": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})
#: what a pattern cannot see past: any of these makes the text worth translating
_TIDIED = frozenset("\u00a0\u202f\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
                    "\u200b\u2060\ufeff\u00ad")
# a terminal's control sequence: ESC [ parameters, intermediates, final byte (ECMA-48 CSI),
# or ESC and one character (a two-character escape)
_ESCAPE = lazy(r"\x1b(?:\[[0-?]{0,32}[ -/]{0,4}[@-~]|[@-Z\\-_])")


def tidy(text: str) -> str:
    """`text` with invisible spacing normalised and terminal escapes removed (see the
    module text); the same string when it has none."""
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    if text.isascii() or _TIDIED.isdisjoint(text):
        return text
    return text.translate(_TABLE)
