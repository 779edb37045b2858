"""What an EHLO reply offers (RFC 5321 section 4.1.1.1, and the extensions' own RFCs).

::

    250-mx.example.org Hello [192.0.2.5]
    250-SIZE 52428800
    250-STARTTLS
    250-AUTH PLAIN LOGIN
    250 SMTPUTF8
"""

from __future__ import annotations

from .session import Reply

MAX_EXTENSIONS = 50

#: The extensions a probe reports, in the order it lists them, and what each means.
NOTABLE = {
    "STARTTLS": "encryption (RFC 3207)",
    "SIZE": "the largest message accepted (RFC 1870)",
    "AUTH": "login for mail clients (RFC 4954)",
    "PIPELINING": "commands sent in batches (RFC 2920)",
    "8BITMIME": "8-bit message bodies (RFC 6152)",
    "SMTPUTF8": "international addresses (RFC 6531)",
    "REQUIRETLS": "senders may require TLS all the way (RFC 8689)",
    "CHUNKING": "BDAT transfers (RFC 3030)",
    "DSN": "delivery status notifications on request (RFC 3461)",
    "ENHANCEDSTATUSCODES": "x.y.z codes in replies (RFC 2034)",
}


def parse_extensions(reply: Reply) -> dict[str, str]:
    """Keyword (upper case) to its parameters, from every line but the first."""
    offered: dict[str, str] = {}
    for line in reply.lines[1 : MAX_EXTENSIONS + 1]:
        keyword, _, parameters = line.strip().partition(" ")
        if keyword:
            offered.setdefault(keyword.upper(), parameters.strip())
    return offered


def size_text(parameters: str) -> str:
    """``52428800`` to ``50 MB``; ``0`` or nothing is no stated limit."""
    if not parameters.isdigit() or int(parameters) == 0 or len(parameters) > 15:
        return "no stated limit"
    size = int(parameters)
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size // 1024} KB"


def short_list(offered: dict[str, str]) -> str:
    """``STARTTLS, SIZE 50 MB, AUTH PLAIN LOGIN, PIPELINING`` (notable ones only)."""
    parts = []
    for keyword in NOTABLE:
        if keyword not in offered:
            continue
        if keyword == "SIZE":
            parts.append(f"SIZE {size_text(offered[keyword])}")
        elif keyword == "AUTH":
            parts.append(f"AUTH {offered[keyword]}".strip())
        else:
            parts.append(keyword)
    return ", ".join(parts) or "no extensions a sender uses"


def detail_lines(offered: dict[str, str], after_tls: bool = False) -> list[str]:
    """One line per extension offered, then the notable ones not offered."""
    lines = []
    for keyword, parameters in offered.items():
        meaning = NOTABLE.get(keyword, "")
        value = size_text(parameters) if keyword == "SIZE" else parameters
        head = f"{keyword} {value}".strip()
        lines.append(f"{head}: {meaning}" if meaning else head)
    missing = [keyword for keyword in NOTABLE if keyword not in offered
               and not (after_tls and keyword == "STARTTLS")]
    if missing:
        lines.append(f"not offered: {', '.join(missing)}")
    return lines


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What EHLO offers after TLS that it did not before, and the reverse."""
    lines = []
    added = [f"{k} {v}".strip() for k, v in after.items() if before.get(k) != v]
    dropped = [k for k in before if k not in after and k != "STARTTLS"]
    if added:
        lines.append(f"new after TLS: {', '.join(added)}")
    if dropped:
        lines.append(f"no longer offered after TLS: {', '.join(dropped)}")
    return lines
