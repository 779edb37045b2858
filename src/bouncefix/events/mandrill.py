"""Mandrill (Mailchimp Transactional): webhooks post a form field ``mandrill_events``
holding a JSON array (ingest decodes the form); each event names what happened and
carries the message in ``msg``::

    {"event": "hard_bounce", "ts": 1772442849,
     "msg": {"email": "kim@example.org", "sender": "news@example.com",
             "state": "bounced", "bounce_description": "bad_mailbox",
             "diag": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
             "subject": "...", "_id": "..."}}

A ``deferral`` keeps the server's reply of each attempt in ``msg.smtp_events``; a
``reject`` was never sent (the address is on the rejection list).

Source: https://mailchimp.com/developer/transactional/docs/webhooks/
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, OriginalMessage, Reading, Reason
from .fields import address, complaint, delivered, epoch_date, finding, listing, mapping, text

NAME = "mandrill"

#: bounce_description -> the reason it names (when the server's words name none)
_DESCRIPTIONS = {
    "bad_mailbox": Reason.USERUNKNOWN,
    "invalid_domain": Reason.HOSTUNKNOWN,
    "mailbox_full": Reason.MAILBOXFULL,
    "spam_related": Reason.SPAMDETECTED,
    "invalid_content": Reason.CONTENTERROR,
    "policy_related": Reason.POLICYVIOLATION,
    "too_large": Reason.MESGTOOBIG,
}
_DELIVERED = {"send", "open", "click"}
_EVENTS = {"hard_bounce", "soft_bounce", "deferral", "reject", "spam", "unsub",
           *_DELIVERED}


def recognises(event: dict[str, Any]) -> bool:
    """One of Mandrill's event names with a ``msg`` object."""
    return text(event.get("event"), 40) in _EVENTS and isinstance(event.get("msg"), dict)


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one Mandrill event."""
    name = text(event.get("event"), 40) or ""
    msg = mapping(event.get("msg"))
    when = epoch_date(event.get("ts")) or epoch_date(msg.get("ts"))
    to = address(msg.get("email"))
    sender = address(msg.get("sender"))
    original = OriginalMessage(subject=text(msg.get("subject"), 500), sender=sender,
                               message_id=text(msg.get("_id"), 500))
    base = Reading(parser=NAME, esp=NAME, sender=sender, original=original, date=when)
    if name in ("hard_bounce", "soft_bounce"):
        description = text(msg.get("bounce_description"), 60)
        esp_type = f"{name} ({description})" if description else name
        found = finding(to, text(msg.get("diag")), parser=NAME, esp_type=esp_type,
                        reason_hint=_DESCRIPTIONS.get(description or ""), last_attempt=when)
    elif name == "deferral":
        attempts = [mapping(a) for a in listing(msg.get("smtp_events"))[-20:]]
        last = attempts[-1] if attempts else {}
        found = finding(to, text(last.get("diag")), parser=NAME, esp_type=name,
                        action=Action.DELAYED, remote_mta=text(last.get("destination_ip"), 64),
                        last_attempt=epoch_date(last.get("ts")) or when)
    elif name == "reject":
        reject = mapping(msg.get("reject"))
        why = text(reject.get("reason"), 60)
        found = finding(to, text(reject.get("detail")) or why, parser=NAME,
                        esp_type=f"reject ({why})" if why else "reject",
                        reason_hint=Reason.SUPPRESSED, last_attempt=when)
    elif name == "spam":
        return complaint(base, to, name, when)
    elif name in _DELIVERED:
        return delivered(base, to, name, when)
    else:  # unsub: nothing about a delivery
        return base._replace(kind=Kind.NOT_BOUNCE)
    return base._replace(findings=(found,))
