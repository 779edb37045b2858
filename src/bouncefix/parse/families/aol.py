"""AOL ("Email Returned" from Postmaster@AOL.com): an HTML page naming each address with
AOL's summary, and an RFC 3464 part from AOL's Outbound Mail Relay whose recipient
fields follow the per-message fields with no blank line between them::

    We were unable to deliver your message to the following address
        jane@example.org
    because: Mailbox is full

    Reporting-MTA: dns; omr-m01.mx.aol.com
    X-Outbound-Mail-Relay-Queue-ID: 0123456789AB
    Final-Recipient: rfc822; jane@example.org
    Status: 5.2.2
    Diagnostic-Code: smtp; 550 5.2.2 <jane@example.org>... Mailbox Full
    Final-Recipient: rfc822; bob@example.org
"""

from __future__ import annotations

from bouncefix import recache

from ...mail import Fields, Mail
from ...model import Finding
from .. import codes, dsn

NAME = "aol"

_OPENING = recache.compile(r"(?i)We were unable to deliver your message to the following address")
_RELAY = recache.compile(r"(?i)^X-Outbound-Mail-Relay-")
_SENDER = recache.compile(r"(?i)@aol\.com\b")
# jane@example.org <blank lines> because: Mailbox is full
_BECAUSE = recache.compile(
    r"(?m)^[ \t]*([^\s@]{1,128}@[^\s<>@]{1,255})[ \t]*\n(?:[ \t]*\n){0,12}"
    r"[ \t]*because:[ \t]*([^\n]{1,500})")


def matches(mail: Mail) -> bool:
    """AOL's "Email Returned" sentence from AOL's postmaster or its outbound relay."""
    if not mail.has_headers or not _OPENING.search(mail.text[:50000]):
        return False
    relay = any(_RELAY.match(name) for block in mail.delivery_status for name, _ in block)
    return relay or bool(_SENDER.search(mail.sender))


def parse(mail: Mail) -> list[Finding]:
    """The RFC 3464 fields, split per recipient; AOL's summary where no reply is given."""
    found = dsn.findings_from_blocks(_split(mail.delivery_status))
    summary: dict[str, str] = {}
    for match in _BECAUSE.finditer(mail.text[:200000]):
        address = codes.clean_address(match.group(1))
        if address:
            summary.setdefault(address.lower(), match.group(2).strip())
    out = []
    for finding in found:
        if finding.address is None:
            continue
        if not finding.diagnostic and finding.address.lower() in summary:
            finding = finding.with_changes(diagnostic=summary[finding.address.lower()])
        out.append(finding.with_changes(parser=NAME))
    if not out:
        out = [Finding(address=a, diagnostic=s, parser=NAME)
               for a, s in ((codes.clean_address(k), v) for k, v in summary.items()) if a]
    return out


def _split(blocks: list[Fields]) -> list[Fields]:
    """Start a new block at every Final-Recipient field (the per-message fields before
    the first one become a block of their own)."""
    out: list[Fields] = []
    for block in blocks:
        current: Fields = []
        for name, value in block:
            if name.lower() == "final-recipient" and current and not _opens_recipient(
                    current, ("original-recipient",)):
                out.append(current)
                current = []
            current.append((name, value))
        if current:
            out.append(current)
    return out


def _opens_recipient(block: Fields, allowed: tuple[str, ...]) -> bool:
    """True when `block` holds only a recipient's leading field (Original-Recipient just
    before its Final-Recipient), so the Final-Recipient belongs to the same block."""
    return bool(block) and block[-1][0].lower() in allowed and not any(
        n.lower() == "final-recipient" for n, _ in block)
