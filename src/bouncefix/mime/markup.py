"""Markup left around pasted text, taken off before any parser reads it.

People copy a bounce from wherever they saw it, and the copy keeps that place's markup:

- a ticket or a web page shown as HTML source (``<p>Address not found</p><br>``), or
  escaped once more (``&lt;p&gt;Address not found&lt;/p&gt;``);
- a log field that held the report as a JSON string (``"detail":"<ann@example.org>:
  ...\\n\\nReporting-MTA: dns; ..."``), its line breaks written as ``\\n``.

Only text that clearly carries such markup is changed: several HTML tags of the usual
names (an address in angle brackets is no tag), or JSON (a quoted key, an escaped quote)
with more escaped line breaks than real ones. Everything else is returned as it was.
"""

from __future__ import annotations

import re

from ..regex import LazyPattern, lazy

#: how many tags or escaped line breaks make text markup rather than a stray one
_ENOUGH = 2
#: longer text is a document, not a paste: left as it is (and the work stays bounded)
MAX_MARKUP = 256 * 1024

_TAG_NAMES = (r"(?:p|br|div|span|a|b|i|u|em|strong|font|h[1-6]|td|tr|th|table|tbody|li|ul|ol"
              r"|pre|code|html|body|head|title|blockquote)")
_HTML_TAG = lazy(rf"(?i)</?{_TAG_NAMES}(?:[ \t/][^<>\n]{{0,500}})?>")
_ESCAPED_TAG = lazy(rf"(?i)&lt;/?{_TAG_NAMES}(?:[ \t/](?:[^&\n]|&(?!lt;)){{0,500}}?)?&gt;")
# (a tag that ends a line already ends only that line)
_BLOCK_END = lazy(r"(?i)<(?:br[ \t]*/?|/p|/div|/tr|/li|/h[1-6]|/table|/blockquote|/pre)>"
                  r"(?:[ \t]*\n)?")
_ENTITY = lazy(r"&(?:nbsp|lt|gt|amp|quot|apos|#39|#x27|#34);")
_ENTITIES = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"',
             "&apos;": "'", "&#39;": "'", "&#x27;": "'", "&#34;": '"'}
_JSON_ESCAPE = lazy(r"\\(?:([nrt\"\\/])|u([0-9a-fA-F]{4}))")
# a sign that the text is JSON (a "key": value pair, an escaped quote)
_JSON_STRING = lazy(r'"[^"\n]{1,80}"[ \t]*:|\\"')
_JSON_CHARS = {"n": "\n", "r": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/"}


def unmarkup(text: str) -> str:
    """`text` without the HTML or JSON-string markup it was pasted with (see the module
    text); unchanged when it has none, or is longer than MAX_MARKUP."""
    if len(text) > MAX_MARKUP:
        return text
    if ("\\n" in text and text.count("\\n") >= max(_ENOUGH, text.count("\n") + 1)
            and _JSON_STRING.search(text)):
        text = _JSON_ESCAPE.sub(_unescape_json, text)
    if "&lt;" in text and _count(_ESCAPED_TAG, text) >= _ENOUGH:
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    # (markup closes a tag or breaks a line somewhere; "<ann@example.org>" does neither)
    if ("</" in text or "<br" in text or "<BR" in text) and _count(_HTML_TAG, text) >= _ENOUGH:
        text = _BLOCK_END.sub("\n", text)
        text = _HTML_TAG.sub("", text)
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    return text


def _count(pattern: LazyPattern[str], text: str) -> int:
    """Matches of `pattern` in `text`, counted up to _ENOUGH."""
    found = 0
    for _ in pattern.finditer(text):
        found += 1
        if found >= _ENOUGH:
            break
    return found


def _unescape_json(match: re.Match[str]) -> str:
    simple, code = match.group(1), match.group(2)
    if simple:
        return _JSON_CHARS[simple]
    char = chr(int(code, 16))
    return char if char.isprintable() or char in "\n\t" else " "
