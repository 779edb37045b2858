"""Lotus Notes' SMTP MTA (the pre-Domino "Lotus SMTP MTA"): a plain-text report with
``Subject: Undeliverable message``; the reason is written above the address it concerns,
between two dashed rulers::

    ------- Failure Reasons  --------

    User not listed in public Name & Address Book
    jane@example.org

    ------- Returned Message --------

When the report names no address, the returned message's To: is the recipient.
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "notes"

_REASONS = lazy(r"(?m)^-{3,80}[ \t]*Failure Reasons[ \t]*-{3,80}[ \t]*$")
_RETURNED = lazy(r"(?m)^-{3,80}[ \t]*Returned Message[ \t]*-{3,80}")
_ADDRESS_LINE = lazy(r"^[ \t]*<?([^\s<>@]{1,64}@[^\s<>@]{1,255}?)>?[ \t]*$")


def matches(mail: Mail) -> bool:
    """The ``Failure Reasons`` ruler."""
    return bool(_REASONS.search(mail.text[:20000]))


def parse(mail: Mail) -> list[Finding]:
    """Each address line with the reason lines written above it."""
    report = mail.text[:100000]
    start = _REASONS.search(report)
    if not start:
        return []
    end = _RETURNED.search(report, start.end())
    section = report[start.end(): end.start() if end else len(report)]
    findings: list[Finding] = []
    reason: list[str] = []
    for line in section.split("\n")[:2000]:
        entry = _ADDRESS_LINE.match(line)
        address = codes.clean_address(entry.group(1)) if entry else None
        if address:
            words = " ".join(reason) or (findings[-1].diagnostic if findings else "") or ""
            findings.append(text.finding_from_words(words, address, NAME))
            reason = []
        elif line.strip():
            reason.append(" ".join(line.split()))
    if findings:
        return findings
    # no address in the report: the returned message says whom it was for
    original = mail.original
    to = codes.find_addresses(str(original.get("To", ""))) if original is not None else []
    returned = report[end.end():] if end else ""
    to = to or codes.find_addresses(_header_line(returned, "To"))
    words = " ".join(reason)
    return [text.finding_from_words(words, to[0], NAME)] if len(to) == 1 else []


def _header_line(block: str, name: str) -> str:
    match = re.search(rf"(?im)^{name}:[ \t]*(.{{0,1000}})$", block[:20000])
    return match.group(1) if match else ""
