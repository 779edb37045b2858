"""Turning bytes of unknown or lying charset into text without ever raising."""

from __future__ import annotations

import binascii
import codecs

from bouncefix.regex import lazy

from .transfer import base64_lenient

# Charsets that are safe to decode with: real text encodings only. Codec names such as
# "idna", "rot13", "zlib", "base64" or "punycode" must never be trusted from a header.
_FALLBACKS = ("utf-8", "windows-1252")
MAX_HEADER = 64 * 1024  #: characters of one header value decoded (as mime.MAX_HEADER_LENGTH)


def text_codec(name: str | None) -> str | None:
    """The codec for a declared charset name, or None when it is unknown or unsafe."""
    if not name:
        return None
    name = name.strip().strip('"').lower()
    if not name or len(name) > 40:
        return None
    if name in ("unknown-8bit", "x-unknown", "us-ascii", "ascii", "default"):
        return "utf-8" if name != "us-ascii" else "ascii"
    if name in ("ks_c_5601-1987", "ks_c_5601"):
        name = "cp949"
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    if info.name in ("idna", "punycode", "utf-7", "raw-unicode-escape", "unicode-escape"):
        return None
    return info.name


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode `data`: the declared charset first, then UTF-8, then a guess
    (:func:`guess_decode`); never raises."""
    codec = text_codec(declared)
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeError, LookupError):
            pass
    if data.isascii():
        if b"\x1b$" in data or b"\x1b(" in data:
            try:
                return data.decode("iso-2022-jp")
            except UnicodeError:
                pass
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeError:
        pass
    return guess_decode(data)


_RUSSIAN_COMMON = frozenset("оеаинтсрвлкмдпуяы")


def guess_decode(data: bytes) -> str:
    """Undeclared 8-bit text: double-byte Asian encodings when high bytes come in pairs,
    Cyrillic single-byte encodings when high bytes are frequent but single, else
    Western (windows-1252, which accepts every byte)."""
    sample = data[:8000]
    high = [i for i, b in enumerate(sample) if b >= 0x80]
    if not high:
        return data.decode("ascii", errors="replace")
    cyrillic = max(("cp1251", "koi8-r"), key=lambda c: _russian_score(sample, c))
    latin = sum(1 for b in sample if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    if (len(high) >= 8 and len(high) * 2 > latin
            and _russian_score(sample, cyrillic) * 2 >= len(high)):
        # real Russian: about half its letters are among the most common seventeen
        return data.decode(cyrillic, errors="replace")
    paired = sum(1 for i in high if i + 1 < len(sample) and sample[i + 1] >= 0x40
                 and (sample[i + 1] >= 0x80 or 0x81 <= sample[i] <= 0x9F))
    if paired * 10 >= len(high) * 8:
        for codec in ("euc-jp", "shift_jis", "gb18030", "big5"):
            try:
                text = data.decode(codec)
            except UnicodeError:
                continue
            if codec != "euc-jp" or any("\u3040" <= c <= "\u30ff" for c in text[:4000]):
                return text
    return data.decode("windows-1252", errors="replace")


def _russian_score(sample: bytes, codec: str) -> int:
    text = sample.decode(codec, errors="replace")
    return sum(1 for c in text if c in _RUSSIAN_COMMON)


def decode_header(value: str | None) -> str:
    """A header value as text: undeclared 8-bit bytes decoded by our guess, RFC 2047
    encoded-words decoded, white space runs made one space. Never raises; at most
    MAX_HEADER characters are read."""
    if not value:
        return ""
    value = str(value)[:MAX_HEADER]
    if not value.isascii():
        # the MIME reader keeps raw 8-bit bytes as surrogate escapes: decode them properly
        try:
            value = decode(value.encode("ascii", "surrogateescape"))
        except UnicodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    if "=?" in value:
        value = _decode_encoded_words(value)
    return " ".join(value.split())


#: an RFC 2047 encoded-word: charset (with an RFC 2231 language after a star), B or Q,
#: the encoded text. Spaces inside the text are tolerated (some mailers write them).
_ENCODED_WORD = lazy(r"=\?([^?\s*]{1,60})(?:\*[^?\s]{0,20})?\?([bBqQ])\?([^?\n]*)\?=")


def _decode_encoded_words(value: str) -> str:
    """The text of `value` with its encoded-words decoded. White space between two
    encoded-words is dropped (RFC 2047, 6.2), and adjacent words in the same charset are
    decoded together, so a character split over two words comes out whole."""
    out: list[str] = []
    pending = bytearray()  # the bytes of adjacent words in one charset, not yet decoded
    charset = ""
    position = 0

    def flush() -> None:
        if pending:
            out.append(decode(bytes(pending), charset))
            pending.clear()

    for word in _ENCODED_WORD.finditer(value):
        between = value[position : word.start()]
        if between and (not pending or between.strip()):
            flush()
            out.append(between)
        position = word.end()
        encoded = word.group(3).encode("utf-8", "surrogateescape")
        is_base64 = word.group(2) in "bB"
        data = base64_lenient(encoded) if is_base64 else binascii.a2b_qp(encoded, header=True)
        name = word.group(1).lower()
        if name != charset:
            flush()
        charset = name
        pending += data
    flush()
    out.append(value[position:])
    return "".join(out)


def lower_for_matching(text: str) -> str:
    """`text` lower-cased so that a lower-case ASCII word occurs in it wherever a
    case-insensitive regex would match that word (the literal pre-checks rely on it):
    re.IGNORECASE also takes dotless i and long s for i and s, and the dotted capital I
    lowers to i plus a combining dot, dropped here (only there: a combining dot the text
    itself holds stays, so that a text that lowers to ASCII is one whose every character
    became one ASCII character, which literals.at_word_start relies on)."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return lowered.replace("ı", "i").replace("ſ", "s").replace("i\u0307", "i")
