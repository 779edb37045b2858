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

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn

NAME = "aol"

_OPENING = lazy(r"(?i)We were unable to deliver your message to the following address")
_RELAY = lazy(r"(?i)^X-Outbound-Mail-Relay-")
_SENDER = lazy(r"(?i)@aol\.com\b")
# jane@example.org <blank lines> because: Mailbox is full
_BECAUSE = lazy(
    r"(?m)^[ \t]*([^\s@]{1,128}@[^\s<>@]{1,255})[ \t]*\n(?:[ \t]*\n){0,12}"
    r"[ \t]*because:[ \t]*([^\n]{1,500})")


def matches(mail: Mail) -> bool:
    """AOL's "Email Returned" sentence from AOL's postmaster or its outbound relay."""
    if not mail.has_headers or not _OPENING.search(mail.text[:50000]):
        return False
    relay = any(_RELAY.match(name) for block in mail.delivery_status for name, _ in block)
    return relay or bool(_SENDER.search(mail.sender))


def parse(mail: Mail) -> list[Finding]:
    """The RFC 3464 fields (dsn splits recipients run together); AOL's summary where no
    reply is given."""
    found = dsn.findings_from_blocks(mail.delivery_status)
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
