"""Markup left around pasted text, taken off before any parser reads it.

People copy a bounce from wherever they saw it, and the copy keeps that place's markup:

- a ticket or a web page shown as HTML source (``<p>Address not found</p><br>``), or
  escaped once more (``&lt;p&gt;Address not found&lt;/p&gt;``);
- a log field that held the report as a JSON string (``"detail":"<ann@example.org>:
  ...\\n\\nReporting-MTA: dns; ..."``), its line breaks written as ``\\n``, or a whole
  JSON event held as a string (``"events"=>"[{\\"email\\":\\"ann@...``).

Only text that clearly carries such markup is changed: several HTML tags of the usual
names (an address in angle brackets is no tag), or JSON (a quoted key, an escaped quote)
with more escaped line breaks than real ones. Everything else is returned as it was.

Addresses get back their usual form (:func:`readable_addresses`) where the place they were
copied from hid or broke them: "ann (at) example (dot) org" and "ann[at]example[dot]org"
(written so robots cannot harvest them), "<ann at example.org>" (a list archive's),
"ann%40example.org" (a URL's), and a domain wrapped at a dot ("example.\n> com").
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
            and _JSON_STRING.search(text)) or text.count('\\":') >= _ENOUGH:
        # (also JSON held as a string in a log line: its keys written \"email\":)
        text = _JSON_ESCAPE.sub(_unescape_json, text)
    if "&lt;" in text and _count(_ESCAPED_TAG, text) >= _ENOUGH:
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    # (markup closes a tag or breaks a line somewhere; "<ann@example.org>" does neither)
    if ("</" in text or "<br" in text or "<BR" in text) and _count(_HTML_TAG, text) >= _ENOUGH:
        text = _BLOCK_END.sub("\n", text)
        text = _HTML_TAG.sub("", text)
        if "&" in text:
            import html  # every entity, numeric ones too ("sam&#46;lee&#64;example&#46;org")

            text = html.unescape(text)
    return text


_AT = r"[ \t]{0,3}[\[({][ \t]{0,3}at[ \t]{0,3}[\])}][ \t]{0,3}"
_DOT = r"[ \t]{0,3}[\[({][ \t]{0,3}dot[ \t]{0,3}[\])}][ \t]{0,3}"
_LABEL = r"[A-Za-z0-9-]{1,63}"
# "ann (at) example (dot) org", "ann[at]example[dot]org"
_HIDDEN = lazy(rf"(?i)(?<![\w.+-])([\w.+-]{{1,64}}){_AT}({_LABEL}(?:(?:{_DOT}|\.){_LABEL}){{1,8}})")
_HIDDEN_DOT = lazy(rf"(?i){_DOT}")
# a list archive's "<ann at example.org>", and an address alone on its line (the archive
# of an Exim report): " kevin.osei at example.net"
_ARCHIVED = lazy(rf"(?m)((?<=<)|^[ \t]{{0,12}})([\w.+-]{{1,64}}) at ({_LABEL}(?:\.{_LABEL}){{1,8}})"
                 r"(?=>|[ \t]*$)")
# a URL's "ann%40example.org"
_ENCODED_AT = lazy(rf"(?<![\w.+-])([\w.+-]{{1,64}})%40({_LABEL}(?:\.{_LABEL}){{1,8}})")
# a domain wrapped after a dot: "...@finance.example.\n> com' on ..."
_WRAPPED = lazy(r"(@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,7}\.)[ \t]*\n[> \t]{0,8}"
                r"([a-z]{2,6})(?=[>'\"),;:\]]|[ \t]*$)", re.M)


def readable_addresses(text: str) -> str:
    """`text` with hidden, encoded or wrapped addresses written out as addresses again
    (see the module text); other text is left as it is."""
    if len(text) > MAX_MARKUP:
        return text
    lowered = text.lower()
    if "at" in lowered and ("(at)" in lowered or "[at]" in lowered or "{at}" in lowered
                            or "( at )" in lowered or "[ at ]" in lowered):
        text = _HIDDEN.sub(lambda m: f"{m.group(1)}@{_HIDDEN_DOT.sub('.', m.group(2))}", text)
    if " at " in text:
        text = _ARCHIVED.sub(r"\1\2@\3", text)
    if "%40" in text:
        text = _ENCODED_AT.sub(r"\1@\2", text)
    if "@" in text and ".\n" in text:
        text = _WRAPPED.sub(r"\1\2", text)
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
