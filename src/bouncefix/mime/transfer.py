"""Undoing a Content-Transfer-Encoding (RFC 2045): base64, quoted-printable, uuencode.

Bounces are written by every kind of software, and their encodings are not always
right: base64 without its padding, with stray characters or with a dangling last
character; quoted-printable with bad escapes. Every function here decodes what it can
and never raises.
"""

from __future__ import annotations

import binascii

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NOT_ALPHABET = bytes(sorted(set(range(256)) - set(_ALPHABET)))
_UUENCODE = frozenset({"x-uuencode", "uuencode", "uue", "x-uue"})


def decode(data: bytes, encoding: str) -> bytes:
    """`data` with the transfer encoding named `encoding` undone; unknown and identity
    encodings (7bit, 8bit, binary) give `data` back."""
    name = encoding.strip().lower()
    if name == "base64":
        return base64_lenient(data)
    if name == "quoted-printable":
        return binascii.a2b_qp(data)
    if name in _UUENCODE:
        return uudecode_lenient(data)
    return data


def base64_lenient(data: bytes) -> bytes:
    """Base64 decoded the forgiving way: characters outside the alphabet are skipped,
    missing padding is supplied, and a dangling last character (which cannot carry a
    whole byte) is dropped."""
    try:
        return binascii.a2b_base64(data)  # the common, well-formed case
    except binascii.Error:
        pass
    core = data.translate(None, _NOT_ALPHABET)
    if len(core) % 4 == 1:
        core = core[:-1]
    try:
        return binascii.a2b_base64(core + b"=" * (-len(core) % 4))
    except binascii.Error:  # pragma: no cover - the alphabet-only text always decodes
        return b""


def uudecode_lenient(data: bytes) -> bytes:
    """The file of a uuencoded body (from its ``begin`` line to ``end``); `data`
    unchanged when there is no ``begin`` line. A line too long for its length byte is
    cut to what that byte announces."""
    lines = data.split(b"\n")
    begin = next((i for i, line in enumerate(lines) if line.startswith(b"begin ")), None)
    if begin is None:
        return data
    out = []
    for line in lines[begin + 1 :]:
        line = line.rstrip(b"\r")
        if not line or line.strip() in (b"end", b"`"):
            break
        try:
            out.append(binascii.a2b_uu(line))
        except binascii.Error:
            length = (((line[0] - 32) & 63) * 4 + 5) // 3
            try:
                out.append(binascii.a2b_uu(line[:length]))
            except binascii.Error:
                break
    return b"".join(out)
