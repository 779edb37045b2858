"""Twilio SendGrid: the Event Webhook posts a JSON array of events, one per recipient
and happening; exports keep one event per line. Each has ``email``, ``event`` and
``timestamp`` (seconds), and SendGrid's ids (``sg_event_id``, ``sg_message_id``,
``smtp-id``)::

    {"email": "kim@example.org", "event": "bounce", "type": "blocked",
     "reason": "554 5.7.1 Service unavailable; client host [192.0.2.10] blocked",
     "status": "5.7.1", "bounce_classification": "Reputation", "timestamp": 1772442849,
     "sg_event_id": "...", "sg_message_id": "..."}

``type`` tells a bounce (the address) from a block (the message or the sending IP); a
``dropped`` event was never sent (``reason`` "Bounced Address", "Unsubscribed Address",
"Spam Reporting Address", "Invalid"); ``deferred`` carries the server's ``response``.

Source: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, OriginalMessage, Reading, Reason
from .fields import address, code_text, complaint, delivered, epoch_date, finding, text

NAME = "sendgrid"

#: bounce_classification -> the reason it names (when the server's words name none)
_CLASSES = {
    "Invalid Address": Reason.USERUNKNOWN,
    "Reputation": Reason.BADREPUTATION,
    "Content": Reason.CONTENTERROR,
    "Frequency or Volume": Reason.SPEEDING,
}
#: dropped events: SendGrid's own suppression lists
_DROPPED = {
    "Bounced Address": Reason.SUPPRESSED,
    "Unsubscribed Address": Reason.SUPPRESSED,
    "Spam Reporting Address": Reason.SUPPRESSED,
    "Invalid": Reason.SYNTAXERROR,
}
_DELIVERED = {"delivered", "open", "click"}
_EVENTS = {"bounce", "dropped", "deferred", "spamreport", "processed", "unsubscribe",
           "group_unsubscribe", "group_resubscribe", *_DELIVERED}


def recognises(event: dict[str, Any]) -> bool:
    """``email`` and ``event`` with one of SendGrid's ids."""
    return (isinstance(event.get("email"), str) and text(event.get("event"), 40) in _EVENTS
            and any(key in event for key in ("sg_event_id", "sg_message_id", "smtp-id")))


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one SendGrid event."""
    name = text(event.get("event"), 40) or ""
    when = epoch_date(event.get("timestamp"))
    to = address(event.get("email"))
    original = OriginalMessage(message_id=text(event.get("smtp-id"), 500)
                               or text(event.get("sg_message_id"), 500))
    base = Reading(parser=NAME, esp=NAME, original=original, date=when)
    status = code_text(event.get("status"))
    if name == "bounce":
        # "type": "bounce" (the address) or "blocked" (the message or the sender)
        bounce_type = text(event.get("type"), 40) or "bounce"
        classification = text(event.get("bounce_classification"), 60)
        esp_type = f"{bounce_type} ({classification})" if classification else bounce_type
        found = finding(to, text(event.get("reason")), parser=NAME, esp_type=esp_type,
                        status=status, reason_hint=_CLASSES.get(classification or ""),
                        last_attempt=when)
    elif name == "dropped":
        reason = text(event.get("reason"))
        found = finding(to, reason, parser=NAME, esp_type="dropped", status=status,
                        reason_hint=_DROPPED.get(reason or ""), last_attempt=when)
    elif name == "deferred":
        found = finding(to, text(event.get("response")), parser=NAME, esp_type="deferred",
                        action=Action.DELAYED, status=status, last_attempt=when)
    elif name == "spamreport":
        return complaint(base, to, name, when)
    elif name in _DELIVERED:
        return delivered(base, to, name, when, text(event.get("response")))
    else:  # processed, unsubscribes: nothing about a delivery
        return base._replace(kind=Kind.NOT_BOUNCE)
    return base._replace(findings=(found,))
