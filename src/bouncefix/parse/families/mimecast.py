"""Mimecast: non-delivery reports written by Mimecast's own gateways (stamped
``X-MC-Unique`` and received by ``*.mimecast.com``). They are multipart/report messages;
the text part names Mimecast and repeats, per recipient, the remote server's reply::

    Your message could not be delivered.
    Recipient: jane@example.org
    Reason: 550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown
    Remote server: mx.example.org [192.0.2.25]
    This is an automated message from the Mimecast Email Security service.

Replies *from* Mimecast (``554 Host network not allowed``, ``550 Administrative
prohibition``) inside another MTA's report belong to that MTA's parser.
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn, text

NAME = "mimecast"

_OTHER_MTA = lazy(
    r"(?im)^[ \t]*(?:This is the mail system at host|This message was created automatically "
    r"by mail delivery software|The original message was received at|Delivery has failed to "
    r"these recipients)"
)
_FIELD = lazy(r"(?im)^[ \t]*(Reason|Remote server|Recipient):[ \t]*(.{1,2000})$")
_HOST = lazy(r"^([A-Za-z0-9][A-Za-z0-9.-]{0,254}\.[A-Za-z]{2,63})\b")


def matches(mail: Mail) -> bool:
    """A report generated at Mimecast: its stamp on the bounce itself, its name in the
    text, and no other MTA's report sentences."""
    if not mail.has_headers:
        return False
    received = mail.headers("Received")[:1]
    stamped = "X-MC-Unique" in mail.message or any(
        re.search(r"(?i)\bby [^\s;]{0,200}\.mimecast\.com\b", r) for r in received)
    if not stamped:
        return False
    report = text.report_part(mail.text)[:20000]
    return "mimecast" in report.lower() and not _OTHER_MTA.search(report) and bool(
        mail.delivery_status or _FIELD.search(report))


def parse(mail: Mail) -> list[Finding]:
    """Recipients of the delivery-status part (else the text's 'Recipient:' lines),
    with the text's 'Reason:' and 'Remote server:' lines."""
    report = text.report_part(mail.text)[:200000]
    fields: dict[str, list[str]] = {}
    for match in _FIELD.finditer(report):
        fields.setdefault(match.group(1).lower(), []).append(match.group(2).strip())
    reasons = fields.get("reason", [])
    remotes = [m.group(1) for r in fields.get("remote server", []) if (m := _HOST.match(r))]
    standard = text.unique(f.address for f in dsn.findings_from_blocks(mail.delivery_status))
    addresses = standard or text.unique(
        a for r in fields.get("recipient", []) for a in codes.find_addresses(r))
    findings = []
    for index, address in enumerate(addresses):
        words = reasons[min(index, len(reasons) - 1)] if reasons else ""
        remote = remotes[min(index, len(remotes) - 1)] if remotes else None
        found = text.finding_from_words(codes.unwrap_reply(words), address, NAME,
                                        remote_mta=remote)
        findings.append(found if words else found.with_changes(diagnostic=None))
    return findings
