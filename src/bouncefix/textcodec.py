"""Turning bytes of unknown or lying charset into text without ever raising."""

from __future__ import annotations

import codecs
import email.errors
import email.header

# Charsets that are safe to decode with: real text encodings only. Codec names such as
# "idna", "rot13", "zlib", "base64" or "punycode" must never be trusted from a header.
_FALLBACKS = ("utf-8", "windows-1252")


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
    """Decode `data`: the declared charset first, then UTF-8, then Japanese and a
    Western single-byte fallback that accepts every byte."""
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
    for guess in ("shift_jis", "euc-jp") if _looks_japanese(data) else ():
        try:
            return data.decode(guess)
        except UnicodeError:
            continue
    return data.decode("windows-1252", errors="replace")


def _looks_japanese(data: bytes) -> bool:
    """A cheap guess: many lead bytes in the Shift_JIS double-byte ranges."""
    sample = data[:4000]
    leads = sum(1 for b in sample if 0x81 <= b <= 0x9F or 0xE0 <= b <= 0xEF)
    return leads * 8 > len(sample)


def decode_header(value: str | None) -> str:
    """Decode RFC 2047 encoded-words in a header value, never raising."""
    if not value:
        return ""
    value = str(value)
    if not value.isascii():
        # compat32 keeps undecodable header bytes as surrogate escapes: decode them properly
        try:
            value = decode(value.encode("ascii", "surrogateescape"))
        except UnicodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    if "=?" not in value:
        return " ".join(value.split())
    try:
        parts = email.header.decode_header(value)
    except (ValueError, LookupError, UnicodeError, AssertionError, IndexError,
            email.errors.MessageError):
        return " ".join(value.split())
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode(chunk, charset))
        else:
            out.append(chunk)
    return " ".join("".join(out).split())
