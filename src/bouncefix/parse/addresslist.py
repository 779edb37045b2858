"""Strict reading of an address-list header (``X-Failed-Recipients: a@x, b@y``).

A bounce header is untrusted. ``alice@example.org)<bob@example.org>`` is not a list of two
addresses: a lenient reader that picks every address-shaped piece out of it reports both
(the shape of CVE-2023-27043 in Python's own email.utils), and an attacker can make a
bounce "fail" an address it never concerned. Here the list is split at the commas that
separate its entries (not those inside quotes, comments or angle brackets), and each
entry must be exactly one address: ``addr@domain``, ``<addr@domain>`` or ``Name
<addr@domain>``, with comments allowed where RFC 5322 allows them. An entry that is
anything else yields nothing and is reported, so that the report can say so.

One pass over the characters, no regular expressions: linear in the header's length.
"""

from __future__ import annotations

from typing import NamedTuple

from .codes import clean_address

MAX_ENTRIES = 1000


class AddressList(NamedTuple):
    """The well-formed addresses of a list, and the entries that were not."""

    addresses: list[str]
    malformed: list[str]


def read_address_list(value: str | None) -> AddressList:
    """Split `value` into entries and keep the addresses of the well-formed ones."""
    addresses: list[str] = []
    malformed: list[str] = []
    for entry in _entries(value or "")[:MAX_ENTRIES]:
        address = _one_address(entry)
        if address is None:
            if entry.strip():
                malformed.append(entry.strip())
        elif address.lower() not in (a.lower() for a in addresses):
            addresses.append(address)
    return AddressList(addresses, malformed)


def _entries(value: str) -> list[str]:
    """The entries between top-level commas. Unbalanced quotes, comments or brackets
    keep the rest of the value in one entry, which then fails the shape check."""
    entries: list[str] = []
    start = depth = 0
    quoted = angle = escaped = False
    for index, char in enumerate(value):
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or depth):
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"' and not depth:
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth:
            continue
        elif char == "<":
            angle = True
        elif char == ">":
            angle = False
        elif char == "," and not angle:
            entries.append(value[start:index])
            start = index + 1
    entries.append(value[start:])
    return entries


def _one_address(entry: str) -> str | None:
    """The address of one entry, or None when the entry is not exactly one address."""
    bare = _without_comments(entry)
    if bare is None:
        return None
    bare = bare.strip()
    if not bare:
        return None
    if "<" in bare or ">" in bare:
        opening, closing = bare.find("<"), bare.rfind(">")
        if (bare.count("<") != 1 or bare.count(">") != 1 or closing < opening
                or bare[closing + 1:].strip()):
            return None
        if not _is_phrase(bare[:opening]):
            return None
        spec = bare[opening + 1:closing].strip()
    else:
        spec = bare
    if not _is_addr_spec(spec):
        return None
    address = clean_address(spec)
    return address if address is not None and address.lower() == spec.lower() else None


def _without_comments(entry: str) -> str | None:
    """`entry` with its (possibly nested) comments removed; None for a stray ')' or an
    unclosed comment or quote."""
    out: list[str] = []
    depth = 0
    quoted = escaped = False
    for char in entry:
        if escaped:
            escaped = False
            if not depth:
                out.append(char)
        elif char == "\\" and (quoted or depth):
            escaped = True
            if not depth:
                out.append(char)
        elif quoted:
            quoted = char != '"'
            out.append(char)
        elif char == "(":
            depth += 1
        elif char == ")":
            if not depth:
                return None
            depth -= 1
        elif depth:
            continue
        else:
            quoted = char == '"'
            out.append(char if char != "\t" else " ")
    return None if depth or quoted or escaped else "".join(out)


def _outside_quotes(text: str) -> tuple[str, bool]:
    """The characters of `text` outside quoted strings, and whether a quote is left open."""
    outside = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    return "".join(outside), quoted


def _is_phrase(text: str) -> bool:
    """A display name: words or quoted strings, nothing that belongs to an address."""
    outside, _ = _outside_quotes(text)
    return not any(c in '@<>,;:[]()' for c in outside)


def _is_addr_spec(spec: str) -> bool:
    """local@domain with one unquoted @ and no spaces, brackets or commas outside quotes."""
    rest, quoted = _outside_quotes(spec)
    # (a local part may be all quoted: "ops team"@example.org)
    return (not quoted and rest.count("@") == 1 and not spec.startswith("@")
            and not rest.endswith("@") and not any(c in rest for c in ' <>,;:()[]\\'))
