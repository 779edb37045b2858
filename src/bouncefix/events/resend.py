"""Resend: webhooks post one JSON object per happening, named by ``type`` (email.sent,
email.delivered, email.delivery_delayed, email.bounced, email.complained, email.failed,
email.opened, email.clicked, ...), the message in ``data``. A bounce carries Resend's
classification and the words about it in ``data.bounce``::

    {"type": "email.bounced", "created_at": "2026-03-02T10:14:09.000Z",
     "data": {"email_id": "4ef9a417-...", "from": "Shop <news@example.com>",
              "to": ["kim@example.org"], "subject": "Invoice",
              "created_at": "2026-03-02T10:14:05.000Z",
              "bounce": {"type": "Permanent", "subType": "General",
                         "message": "550 5.1.1 user unknown"}}}

A bounce of sub-type ``Suppressed`` (or ``OnAccountSuppressionList``) was never sent:
the address is on a suppression list after earlier hard bounces.

Source: https://resend.com/docs/dashboard/webhooks/event-types (the events and their
fields)
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, Reading, Reason
from .fields import address, any_date, complaint, delivered, finding, listing, mapping, text

NAME = "resend"

_DELIVERED = {"email.delivered", "email.opened", "email.clicked"}
_FAILURES = {"email.bounced", "email.delivery_delayed", "email.failed"}
#: bounce sub-types that mean Resend did not send at all
_NOT_SENT = {"suppressed", "onaccountsuppressionlist"}


def recognises(event: dict[str, Any]) -> bool:
    """A ``type`` "email.*" with ``data`` holding an ``email_id``."""
    kind = text(event.get("type"), 60) or ""
    return kind.startswith("email.") and "email_id" in mapping(event.get("data"))


def read(event: dict[str, Any]) -> Reading:
    """The recipients of one Resend event."""
    name = text(event.get("type"), 60) or ""
    data = mapping(event.get("data"))
    when = any_date(event.get("created_at")) or any_date(data.get("created_at"))
    named = [a for a in (address(v) for v in listing(data.get("to"))[:100]) if a]
    recipients: list[str | None] = list(named) or [None]
    base = Reading(parser=NAME, esp=NAME, date=when)
    if name == "email.complained":
        return complaint(base, recipients[0], name, when)
    if name in _DELIVERED:
        return delivered(base, recipients[0], name, when)
    if name not in _FAILURES:  # sent, scheduled, received: nothing failed
        return base._replace(kind=Kind.NOT_BOUNCE)
    bounce = mapping(data.get("bounce"))
    failed = mapping(data.get("failed"))
    words = text(bounce.get("message")) or text(failed.get("reason"))
    sub_type = (text(bounce.get("subType"), 60) or "").lower()
    bounce_type = text(bounce.get("type"), 40) or ""
    esp_type = " / ".join(v for v in (name, bounce_type, sub_type) if v)
    delayed = name == "email.delivery_delayed" or bounce_type.lower() == "transient"
    hint = Reason.SUPPRESSED if sub_type in _NOT_SENT else None
    findings = tuple(
        finding(to, words, parser=NAME, esp_type=esp_type,
                action=Action.DELAYED if delayed else Action.FAILED,
                reason_hint=hint, last_attempt=when)
        for to in recipients)
    return base._replace(findings=findings)
