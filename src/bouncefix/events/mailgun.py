"""Mailgun: webhooks post one event as ``{"signature": {...}, "event-data": {...}}``; the
Events API answers pages of them as ``{"items": [...], "paging": {...}}`` (the registry
takes both envelopes off). A failure names its ``severity`` (permanent, or temporary:
Mailgun retries) and Mailgun's ``reason``; the server's reply is in ``delivery-status``::

    {"event": "failed", "severity": "permanent", "reason": "bounce",
     "recipient": "kim@example.org", "timestamp": 1772442849.5,
     "delivery-status": {"code": 550, "mx-host": "mx1.example.org",
                         "message": "5.1.1 The email account that you tried to reach does not exist."},
     "envelope": {"sender": "news@example.com"},
     "message": {"headers": {"message-id": "...", "subject": "..."}}}

A ``reason`` of "suppress-bounce", "suppress-unsubscribe" or "suppress-complaint" means
Mailgun did not send at all (the address is on a suppression list); ``code`` 605 is
Mailgun's own code for that, not an SMTP reply.

Source: https://documentation.mailgun.com/docs/mailgun/user-manual/events/event-types
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, OriginalMessage, Reading, Reason
from .fields import (
    address,
    code_text,
    complaint,
    delivered,
    epoch_date,
    finding,
    is_reply_code,
    mapping,
    text,
)

NAME = "mailgun"

_REASONS = {
    "suppress-bounce": Reason.SUPPRESSED,
    "suppress-unsubscribe": Reason.SUPPRESSED,
    "suppress-complaint": Reason.SUPPRESSED,
    "old": Reason.EXPIRED,
    "greylisted": Reason.SPEEDING,
}
_DELIVERED = {"delivered", "opened", "clicked"}
_EVENTS = {"accepted", "rejected", "failed", "complained", "unsubscribed", "stored",
           *_DELIVERED}


def recognises(event: dict[str, Any]) -> bool:
    """``event`` and ``recipient`` with one of Mailgun's own fields (or its ``message``
    object of headers, all that is left of an event copied in part)."""
    return (text(event.get("event"), 40) in _EVENTS and "recipient" in event
            and (any(key in event for key in ("log-level", "delivery-status",
                                              "recipient-domain", "envelope"))
                 or isinstance(mapping(event.get("message")).get("headers"), dict)))


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one Mailgun event."""
    name = text(event.get("event"), 40) or ""
    when = epoch_date(event.get("timestamp"))
    to = address(event.get("recipient"))
    status = mapping(event.get("delivery-status"))
    headers = mapping(mapping(event.get("message")).get("headers"))
    sender = address(mapping(event.get("envelope")).get("sender")) or address(
        headers.get("from"))
    original = OriginalMessage(subject=text(headers.get("subject"), 500), sender=sender,
                               to=text(headers.get("to"), 1000),
                               message_id=text(headers.get("message-id"), 500))
    base = Reading(parser=NAME, esp=NAME, sender=sender, original=original, date=when)
    code = code_text(status.get("code"))
    host = text(status.get("mx-host"), 255)
    if name in ("failed", "rejected"):
        severity = text(event.get("severity"), 20) or ("permanent" if name == "rejected"
                                                         else None)
        why = text(event.get("reason"), 60) or text(mapping(event.get("reject")).get("reason"))
        esp_type = "/".join(p for p in (name, severity) if p) + (f" ({why})" if why else "")
        words = _words(status) or text(mapping(event.get("reject")).get("description"))
        found = finding(to, words, parser=NAME, esp_type=esp_type,
                        action=Action.DELAYED if severity == "temporary" else Action.FAILED,
                        status=code_text(status.get("enhanced-code")), reply_code=code,
                        remote_mta=host, reason_hint=_REASONS.get(why or ""),
                        last_attempt=when)
    elif name == "complained":
        return complaint(base, to, name, when)
    elif name in _DELIVERED:
        return delivered(base, to, name, when, _words(status), host)
    else:  # accepted, stored, unsubscribed: nothing about a delivery
        return base._replace(kind=Kind.NOT_BOUNCE)
    return base._replace(findings=(found,))


def _words(status: dict[str, Any]) -> str | None:
    """The server's reply: ``message`` (with the reply code in front when Mailgun gave
    it apart), else ``description``."""
    message = text(status.get("message"))
    code = code_text(status.get("code"))
    if message and is_reply_code(code) and not message.startswith(code or ""):
        message = f"{code} {message}"
    description = text(status.get("description"))
    if message and description and description not in message and len(message) < 40:
        return f"{message} {description}"
    return message or description
