"""Regex primitives shared by every parser: codes, addresses, SMTP commands, unwrapping.

All patterns are linear-time: bounded character classes, no nested quantifiers.
"""

from __future__ import annotations

import re

from bouncefix import recache

# 5.1.1, 4.7.26, 5.7.606 -- not a piece of an IP address or version number.
STATUS = recache.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)")
# A reply code where SMTP puts one: at the start of a line or after a separator,
# followed by a space, a hyphen (continuation) or the end.
REPLY_AT_START = recache.compile(r"(?:^|(?<=[\s:;(\[\"'=>]))([245][0-5]\d)(?=[ \t-]|$)", re.M)
REPLY_LEADING = recache.compile(r"\A[\s\"'(\[<#:;-]{0,6}([245][0-5]\d)(?:[ \t-]|$)")
# An email address: bounded local part and domain.
ADDRESS = recache.compile(
    r"[A-Za-z0-9\u00c0-\uffff.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?:[A-Za-z0-9\u00c0-\uffff-]{1,63}\.){1,8}[A-Za-z\u00c0-\uffff][A-Za-z0-9\u00c0-\uffff-]{0,62}"
)
ANGLE_ADDRESS = recache.compile(r"<([^<>\s@]{1,64}@[^<>\s@]{1,255})>")
COMMAND = recache.compile(
    r"(?i)\b(?:in\s+reply\s+to|after|while\s+sending|during|in\s+response\s+to|"
    r"sending)\s+(?:the\s+)?(?:end\s+of\s+)?(MAIL\s+FROM|RCPT\s+TO|DATA|HELO|EHLO|"
    r"STARTTLS|AUTH|RCPT|MAIL|BDAT|CONNECT|QUIT|RSET|XFORW|end\s+of\s+data|"
    r"initial\s+connection|connect(?:ion)?\s+time|greeting)\b"
)
_COMMAND_NAMES = {
    "MAIL FROM": "MAIL", "MAIL": "MAIL", "RCPT TO": "RCPT", "RCPT": "RCPT", "DATA": "DATA",
    "END OF DATA": "DATA", "HELO": "HELO", "EHLO": "EHLO", "STARTTLS": "STARTTLS",
    "AUTH": "AUTH", "BDAT": "DATA", "CONNECT": "CONNECT", "QUIT": "QUIT", "RSET": "RSET",
    "XFORW": "XFORWARD", "INITIAL CONNECTION": "CONNECT", "CONNECT TIME": "CONNECT",
    "CONNECTION TIME": "CONNECT", "GREETING": "CONNECT",
}
_CONTINUATION = recache.compile(r"(?m)^[ \t]*([245]\d\d)[- ]((?:[245]\.\d{1,3}\.\d{1,3}[ \t]?)?)")
_SPACES = recache.compile(r"[ \t]+")


def find_status(text: str | None) -> str | None:
    """The first enhanced status code in `text` (e.g. '5.1.1'), or None."""
    if not text:
        return None
    match = STATUS.search(text[:20000])
    return f"{match.group(1)}.{int(match.group(2))}.{int(match.group(3))}" if match else None


def find_reply_code(text: str | None) -> str | None:
    """The first SMTP reply code in `text` in a reply-like position, or None."""
    if not text:
        return None
    text = text[:20000]
    match = REPLY_LEADING.match(text) or REPLY_AT_START.search(text)
    return match.group(1) if match else None


def find_command(text: str | None) -> str | None:
    """The SMTP command a reply answered ('RCPT', 'DATA', ...), if the text says."""
    if not text:
        return None
    match = COMMAND.search(text[:20000])
    if not match:
        return None
    name = _SPACES.sub(" ", match.group(1).upper())
    return _COMMAND_NAMES.get(name, name)


def find_addresses(text: str | None) -> list[str]:
    """Every address in `text`, in order, without duplicates (case-insensitive)."""
    if not text:
        return []
    seen: set[str] = set()
    out = []
    for match in ADDRESS.finditer(text[:200000]):
        address = clean_address(match.group(0))
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def clean_address(value: str | None) -> str | None:
    """Normalise an address as found in a report: strip 'rfc822;', brackets, quotes,
    trailing punctuation; validate the overall shape. Returns None when it is not one."""
    if not value:
        return None
    value = value.strip()
    if ";" in value[:12]:
        value = value.split(";", 1)[1].strip()
    if '"' in value:
        # "alice@example.org"@evil.example is an address at evil.example, not alice's
        quoted = _QUOTED_ADDRESS.search(value)
        if quoted and "@" in quoted.group(1):
            domain = quoted.group(2).strip(".-").lower()
            return f"{quoted.group(1)}@{domain}" if "." in domain else None
    match = ANGLE_ADDRESS.search(value)
    if match:
        value = match.group(1)
    value = value.strip(" \t<>\"'()[],;:.")
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if value.count("@") != 1 or len(value) > 320:
        found = ADDRESS.search(value)
        if not found:
            return None
        value = found.group(0).strip(".-")
    local, _, domain = value.rpartition("@")
    if not local or not domain or "." not in domain or _WHITESPACE.search(value):
        return None
    return f"{local}@{domain.lower()}"


_WHITESPACE = recache.compile(r"\s")  # what str.isspace() calls white space
# "john..doe"@example.org, "alice@example.org"@evil.example: a quoted local part, one domain.
_QUOTED_ADDRESS = recache.compile(r'("(?:[^"\\\n]|\\.){1,128}")@([A-Za-z0-9\u00c0-\uffff.-]{1,255})')


def recipient_address(value: str | None) -> str | None:
    """The address of a DSN recipient field (``rfc822; jane@example.org``), validated as
    a whole: never an address picked out of a longer string (CVE-2023-27043, where
    ``"alice@example.org"@evil.example`` or ``alice@example.org)<bob@evil.example>``
    were read as alice's). A quoted local part keeps its own domain; a field with more
    than one '@' that is not one quoted address names no recipient at all."""
    if not value or value.count("@") <= 1:
        return clean_address(value)
    text = value.strip()
    if ";" in text[:12]:
        text = text.split(";", 1)[1]
    text = text.strip().strip("<>").strip()
    if text.startswith("@") and ":" in text:  # an RFC 821 source route: @relay:user@domain
        text = text.split(":", 1)[1]
        if text.count("@") == 1:
            return clean_address(text)
    match = _QUOTED_ADDRESS.fullmatch(text)
    if match is None or "." not in match.group(2):
        return None
    return f"{match.group(1)}@{match.group(2).lower()}"


def unwrap_reply(text: str) -> str:
    """Join a multi-line SMTP reply into one line of prose.

    ``550-5.1.1 The email account that you tried to reach does not exist. Please try``
    ``550-5.1.1 double-checking the recipient's email address for typos or``
    becomes one sentence starting with ``550 5.1.1``; continuation prefixes after the
    first line are dropped, other line breaks fold to spaces.
    """
    lines = [line.strip() for line in text.strip().split("\n")]
    out: list[str] = []
    for index, line in enumerate(lines):
        if not line:
            continue
        match = _CONTINUATION.match(line)
        if match and index > 0 and out:
            line = line[match.end():].strip()
        elif match:
            line = f"{match.group(1)} {match.group(2)}{line[match.end():]}".strip()
        if line:
            out.append(line)
    return _SPACES.sub(" ", " ".join(out)).strip()


def strip_dsn_type(value: str | None) -> str:
    """'smtp; 550 5.1.1 user unknown' -> '550 5.1.1 user unknown'."""
    if not value:
        return ""
    head, sep, rest = value.partition(";")
    if sep and len(head) < 20 and " " not in head.strip():
        return rest.strip()
    return value.strip()
