"""Postmark: webhooks post one JSON object per happening, named by ``RecordType``
(Bounce, Delivery, SpamComplaint, Open, Click, SubscriptionChange); the bounces API
answers ``{"TotalCount": n, "Bounces": [...]}`` of the same objects without RecordType
(the registry takes that envelope off). A bounce names Postmark's ``Type``, and
``Details`` holds the server's words when Postmark has them::

    {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1,
     "Email": "kim@example.org", "From": "news@example.com",
     "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist",
     "BouncedAt": "2026-03-02T09:14:09Z", "MessageID": "...", "Subject": "..."}

``Description`` is Postmark's general text for the Type ("unknown user, mailbox not
found" for every hard bounce), so it is not read as the server's words.

Source: https://postmarkapp.com/developer/webhooks/bounce-webhook and
https://postmarkapp.com/developer/api/bounce-api
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, OriginalMessage, Reading, Reason
from .fields import address, complaint, delivered, finding, iso_date, text

NAME = "postmark"

#: Type -> the reason it names (when the server's words name none)
_TYPES = {
    "BadEmailAddress": Reason.SYNTAXERROR,
    "SpamNotification": Reason.SPAMDETECTED,
    "VirusNotification": Reason.VIRUSDETECTED,
    "DnsError": Reason.NETWORKERROR,
    "AddressChange": Reason.HASMOVED,
    "ManuallyDeactivated": Reason.SUPPRESSED,
    "Blocked": Reason.BLOCKED,
    "DMARCPolicy": Reason.AUTHFAILURE,
    "AutoResponder": Reason.VACATION,
}
#: bounce Types that are no delivery failure at all
_NOT_BOUNCES = {"Subscribe", "Unsubscribe", "OpenRelayTest", "ChallengeVerification",
                "InboundError", "TemplateRenderingFailed", "SMTPApiError", "Unconfirmed"}
_RECORDS = {"Bounce", "Delivery", "SpamComplaint", "Open", "Click", "SubscriptionChange"}


def recognises(event: dict[str, Any]) -> bool:
    """A ``RecordType``, or a bounce of the bounces API (``Type``, ``TypeCode``,
    ``Email``)."""
    if text(event.get("RecordType"), 40) in _RECORDS:
        return True
    return all(key in event for key in ("Type", "TypeCode", "Email"))


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one Postmark record."""
    record = text(event.get("RecordType"), 40) or "Bounce"
    bounce_type = text(event.get("Type"), 60)
    when = (iso_date(event.get("BouncedAt")) or iso_date(event.get("DeliveredAt"))
            or iso_date(event.get("ReceivedAt")))
    sender = address(event.get("From"))
    original = OriginalMessage(subject=text(event.get("Subject"), 500), sender=sender,
                               message_id=text(event.get("MessageID"), 500))
    base = Reading(parser=NAME, esp=NAME, sender=sender, original=original, date=when)
    to = address(event.get("Email")) or address(event.get("Recipient"))
    details = text(event.get("Details"))
    if record == "SpamComplaint" or bounce_type == "SpamComplaint":
        return complaint(base, to, "SpamComplaint", when)
    if record in ("Delivery", "Open", "Click"):
        return delivered(base, to, record, when, details)
    if record != "Bounce" or bounce_type in _NOT_BOUNCES:
        return base._replace(kind=Kind.NOT_BOUNCE)
    # "Transient": "Message delayed"; every other Type reports a failed delivery
    action = Action.DELAYED if bounce_type == "Transient" else Action.FAILED
    found = finding(to, details, parser=NAME, esp_type=bounce_type or "Bounce", action=action,
                    reason_hint=_TYPES.get(bounce_type or ""), last_attempt=when)
    return base._replace(findings=(found,))
