"""PowerMTA: ``Subject: Delivery report``, a short text part listing the recipients, then a
standard RFC 3464 part with PowerMTA's own fields::

    Hello, this is the mail server on mta1.example.net.
    ...
      <jane@example.org>  delivery failed; will not continue trying

    Reporting-MTA: dns;mta1.example.net
    X-PowerMTA-VirtualMTA: pool-a

    Final-Recipient: rfc822;jane@example.org
    Action: failed
    Status: 5.1.1 (bad destination mailbox address)
    Diagnostic-Code: smtp;550 5.1.1 <jane@example.org>... User unknown
    X-PowerMTA-BounceCategory: bad-mailbox

The bounce category is PowerMTA's own classification of the reply; it is given as a hint
that the server's words (when a rule knows them) still override.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail, field
from ...model import Finding, Reason
from .. import codes, dsn

NAME = "powermta"

_HELLO = lazy(r"(?m)^[ \t]*Hello, this is the mail server on \S{1,255}")
_CATEGORIES = {
    "bad-domain": Reason.HOSTUNKNOWN,
    "bad-mailbox": Reason.USERUNKNOWN,
    "inactive-mailbox": Reason.SUSPEND,
    "message-expired": Reason.EXPIRED,
    "no-answer-from-host": Reason.NETWORKERROR,
    "bad-connection": Reason.NETWORKERROR,
    "policy-related": Reason.POLICYVIOLATION,
    "quota-issues": Reason.MAILBOXFULL,
    "routing-errors": Reason.SYSTEMERROR,
    "spam-related": Reason.SPAMDETECTED,
    "virus-related": Reason.VIRUSDETECTED,
    "content-related": Reason.CONTENTERROR,
    "relaying-issues": Reason.NORELAYING,
    "invalid-sender": Reason.REJECTED,
}


def matches(mail: Mail) -> bool:
    """PowerMTA's DSN extension fields, or its greeting."""
    for block in mail.delivery_status[:50]:
        if field(block, "X-PowerMTA-VirtualMTA") or field(block, "X-PowerMTA-BounceCategory"):
            return True
    return mail.subject.startswith("Delivery report") and bool(_HELLO.search(mail.text[:5000]))


def parse(mail: Mail) -> list[Finding]:
    """The DSN findings, with PowerMTA's bounce category as the reason hint."""
    categories: dict[str, Reason] = {}
    for block in mail.delivery_status[1:1000]:
        address = codes.clean_address(field(block, "Final-Recipient"))
        category = (field(block, "X-PowerMTA-BounceCategory") or "").strip().lower()
        if address and category in _CATEGORIES:
            categories[address.lower()] = _CATEGORIES[category]
    return [
        finding.with_changes(
            parser=NAME,
            # Remote-MTA: dns;mx.example.org (192.0.2.140)
            remote_mta=(finding.remote_mta or "").split(" ", 1)[0] or None,
            reason_hint=categories.get((finding.address or "").lower()) or finding.reason_hint,
        )
        for finding in dsn.parse(mail)
    ]
