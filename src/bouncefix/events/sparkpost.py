"""SparkPost (and Momentum): webhooks post a JSON array of ``{"msys": {"<class>_event":
{...}}}`` objects; the Events API answers ``{"results": [...]}`` of the inner objects
(the registry takes that envelope off). A bounce names SparkPost's ``bounce_class`` and
carries the server's words in ``raw_reason``::

    {"msys": {"message_event": {"type": "bounce", "bounce_class": "10",
        "raw_rcpt_to": "kim@example.org", "error_code": "550",
        "raw_reason": "550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown",
        "msg_from": "bounces@example.com", "timestamp": "1772442849", ...}}}

``delay`` is a temporary failure SparkPost retries; ``out_of_band`` a bounce that came
back after the message was accepted; ``policy_rejection`` and ``generation_rejection``
were never sent (a suppression list, a policy).

Source: https://support.sparkpost.com/docs/tech-resources/webhook-event-reference and
https://support.sparkpost.com/docs/deliverability/bounce-classification-codes
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, OriginalMessage, Reading, Reason
from .fields import address, code_text, complaint, delivered, epoch_date, finding, text

NAME = "sparkpost"

#: bounce_class -> the reason it names (when the server's words name none)
_CLASSES = {
    "10": Reason.USERUNKNOWN,     # Invalid Recipient
    "22": Reason.MAILBOXFULL,     # Mailbox Full
    "23": Reason.MESGTOOBIG,      # Too Large
    "24": Reason.EXPIRED,         # Timeout
    "25": Reason.SUPPRESSED,      # Admin Failure (the sender's own policy)
    "26": Reason.SUPPRESSED,      # Smart Send Suppression
    "50": Reason.BLOCKED,         # Mail Block
    "51": Reason.SPAMDETECTED,    # Spam Block
    "52": Reason.SPAMDETECTED,    # Spam Content
    "53": Reason.CONTENTERROR,    # Prohibited Attachment
    "54": Reason.NORELAYING,      # Relaying Denied
    "60": Reason.VACATION,        # Auto-Reply
}
_FAILED = {"bounce", "out_of_band", "policy_rejection", "generation_rejection",
           "generation_failure"}
_DELIVERED = {"delivery", "open", "initial_open", "amp_open", "click", "amp_click",
              "amp_initial_open"}
_TYPES = {"delay", "spam_complaint", "injection", "list_unsubscribe", "link_unsubscribe",
          "relay_injection", "relay_rejection", "relay_delivery", "relay_tempfail",
          "relay_permfail", "sms_status", *_FAILED, *_DELIVERED}


def unwrap(event: dict[str, Any]) -> dict[str, Any]:
    """The event inside a webhook's ``{"msys": {"message_event": {...}}}``."""
    inner = event.get("msys")
    if isinstance(inner, dict):
        for value in list(inner.values())[:4]:
            if isinstance(value, dict):
                return value
    return event


def recognises(event: dict[str, Any]) -> bool:
    """A ``msys`` envelope, or a ``type`` of SparkPost's with ``rcpt_to``."""
    if isinstance(event.get("msys"), dict):
        return True
    return text(event.get("type"), 40) in _TYPES and ("rcpt_to" in event or "raw_rcpt_to" in event)


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one SparkPost event."""
    event = unwrap(event)
    kind = text(event.get("type"), 40) or ""
    when = epoch_date(event.get("timestamp"))
    to = address(event.get("raw_rcpt_to")) or address(event.get("rcpt_to"))
    sender = address(event.get("msg_from"))
    original = OriginalMessage(subject=text(event.get("subject"), 500),
                               sender=address(event.get("friendly_from")) or sender,
                               message_id=text(event.get("message_id"), 500))
    base = Reading(parser=NAME, esp=NAME, sender=sender, original=original, date=when)
    bounce_class = code_text(event.get("bounce_class"))
    esp_type = f"{kind} (class {bounce_class})" if bounce_class else kind
    words = text(event.get("raw_reason")) or text(event.get("reason"))
    remote = text(event.get("ip_address"), 64) or text(event.get("remote_addr"), 64)
    if kind in _FAILED or kind == "delay":
        found = finding(to, words, parser=NAME, esp_type=esp_type,
                        action=Action.DELAYED if kind == "delay" else Action.FAILED,
                        reply_code=code_text(event.get("error_code")), remote_mta=remote,
                        reason_hint=_CLASSES.get(bounce_class or ""), last_attempt=when)
        return base._replace(findings=(found,))
    if kind == "spam_complaint":
        feedback = text(event.get("fbtype"), 60) or "abuse"
        return complaint(base, to, kind, when, feedback)
    if kind in _DELIVERED:
        return delivered(base, to, kind, when, words, remote)
    return base._replace(kind=Kind.NOT_BOUNCE)


