"""Amazon SES: bounce, complaint and delivery notifications, and event publishing
records (through SNS, Firehose or EventBridge; the SNS envelope is taken off by the
registry). A notification names its type in ``notificationType``, an event-publishing
record in ``eventType``; both carry the sent message in ``mail``::

    {"notificationType": "Bounce",
     "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
                "bouncedRecipients": [{"emailAddress": "kim@example.org", "status": "5.1.1",
                                       "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
                "reportingMTA": "dsn; mta.example.net", "timestamp": "2026-03-02T09:14:09Z"},
     "mail": {"source": "news@example.com", "messageId": "0100...", ...}}

Source: https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html and
https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Finding, Kind, OriginalMessage, Reading, Reason
from .fields import (
    MAX_RECIPIENTS,
    address,
    finding,
    iso_date,
    listing,
    mapping,
    text,
)

NAME = "ses"

#: bounceSubType / delayType -> the reason SES's classification names (used when the
#: server's words name none)
_HINTS = {
    "NoEmail": Reason.USERUNKNOWN,
    "Suppressed": Reason.SUPPRESSED,
    "OnAccountSuppressionList": Reason.SUPPRESSED,
    "MailboxFull": Reason.MAILBOXFULL,
    "MessageTooLarge": Reason.MESGTOOBIG,
    "ContentRejected": Reason.CONTENTERROR,
    "AttachmentRejected": Reason.POLICYVIOLATION,
    "SpamDetected": Reason.SPAMDETECTED,
}
#: event types that only say the message reached the recipient
_DELIVERED = {"Delivery", "Open", "Click"}
#: event type -> the object that holds its details
_OBJECTS = {"Bounce": "bounce", "Complaint": "complaint", "DeliveryDelay": "deliveryDelay",
            "Delivery": "delivery", "Reject": "reject"}


def recognises(event: dict[str, Any]) -> bool:
    """A top-level notificationType or eventType and a ``mail`` object, or the object
    that type names (``"bounce"``, ``"complaint"``, ...: people paste events without
    ``mail``)."""
    kind = event.get("eventType", event.get("notificationType"))
    if not isinstance(kind, str):
        return False
    if isinstance(event.get("mail"), dict):
        return True
    return kind in _OBJECTS and isinstance(event.get(_OBJECTS[kind]), dict)


def read(event: dict[str, Any]) -> Reading:
    """The recipients of one SES notification or event record."""
    kind = text(event.get("eventType")) or text(event.get("notificationType")) or ""
    mail = mapping(event.get("mail"))
    if kind == "Bounce":
        findings, reading_kind = _bounce(mapping(event.get("bounce"))), None
    elif kind == "DeliveryDelay":
        findings, reading_kind = _delay(mapping(event.get("deliveryDelay"))), None
    elif kind == "Complaint":
        findings, reading_kind = _complaint(mapping(event.get("complaint"))), Kind.FEEDBACK
    elif kind == "Reject":
        reject = mapping(event.get("reject"))
        findings = [finding(to, text(reject.get("reason")), parser=NAME, esp_type="Reject",
                            reason_hint=Reason.VIRUSDETECTED) for to in _destination(mail)]
        reading_kind = None
    elif kind in _DELIVERED:
        findings, reading_kind = _delivered(kind, event, mail), Kind.DELIVERED
    else:  # Send, Rendering Failure, Subscription: nothing about a delivery
        return Reading(kind=Kind.NOT_BOUNCE, parser=NAME, esp=NAME, sender=_sender(mail),
                       original=_original(mail), date=_date(event, mail),
                       notes=_not_a_bounce(kind, event))
    return Reading(tuple(findings), reading_kind, NAME, NAME, _sender(mail), _original(mail),
                   _date(event, mail))


def _bounce(bounce: dict[str, Any]) -> list[Finding]:
    # "bounceType": "Permanent", "bounceSubType": "NoEmail"
    bounce_type = text(bounce.get("bounceType"), 40) or "Undetermined"
    subtype = text(bounce.get("bounceSubType"), 60)
    esp_type = f"{bounce_type}/{subtype}" if subtype else bounce_type
    when = iso_date(bounce.get("timestamp"))
    out = []
    for entry in listing(bounce.get("bouncedRecipients"))[:MAX_RECIPIENTS]:
        entry = mapping(entry)
        out.append(finding(
            address(entry.get("emailAddress")), text(entry.get("diagnosticCode")),
            parser=NAME, esp_type=esp_type, status=text(entry.get("status"), 20),
            remote_mta=text(bounce.get("remoteMtaIp"), 64),
            reporting_mta=text(bounce.get("reportingMTA"), 300),
            reason_hint=_HINTS.get(subtype or ""), last_attempt=when))
    return out


def _delay(delay: dict[str, Any]) -> list[Finding]:
    # "delayType": "MailboxFull", "delayedRecipients": [{"emailAddress": ..., "status":
    # "4.2.2", "diagnosticCode": "smtp; 452 4.2.2 Mailbox full"}]
    delay_type = text(delay.get("delayType"), 60)
    esp_type = f"DeliveryDelay/{delay_type}" if delay_type else "DeliveryDelay"
    when = iso_date(delay.get("timestamp"))
    out = []
    for entry in listing(delay.get("delayedRecipients"))[:MAX_RECIPIENTS]:
        entry = mapping(entry)
        out.append(finding(
            address(entry.get("emailAddress")), text(entry.get("diagnosticCode")),
            parser=NAME, esp_type=esp_type, action=Action.DELAYED,
            status=text(entry.get("status"), 20),
            remote_mta=text(delay.get("remoteMtaIp"), 64),
            reporting_mta=text(delay.get("reportingMTA"), 300),
            reason_hint=_HINTS.get(delay_type or ""), last_attempt=when))
    return out


def _complaint(complaint: dict[str, Any]) -> list[Finding]:
    feedback = text(complaint.get("complaintFeedbackType"), 60)
    esp_type = f"Complaint/{feedback}" if feedback else "Complaint"
    when = iso_date(complaint.get("timestamp"))
    return [finding(address(mapping(entry).get("emailAddress")), None, parser=NAME,
                    esp_type=esp_type, reason_hint=Reason.FEEDBACK,
                    feedback_type=feedback or "abuse", last_attempt=when)
            for entry in listing(complaint.get("complainedRecipients"))[:MAX_RECIPIENTS]]


def _delivered(kind: str, event: dict[str, Any], mail: dict[str, Any]) -> list[Finding]:
    delivery = mapping(event.get("delivery"))
    recipients = [address(to) for to in listing(delivery.get("recipients"))[:MAX_RECIPIENTS]]
    return [finding(to, text(delivery.get("smtpResponse")), parser=NAME, esp_type=kind,
                    action=Action.DELIVERED,
                    reporting_mta=text(delivery.get("reportingMTA"), 300),
                    remote_mta=text(delivery.get("remoteMtaIp"), 64),
                    last_attempt=iso_date(delivery.get("timestamp")))
            for to in recipients or _destination(mail)]


def _destination(mail: dict[str, Any]) -> list[str | None]:
    return [address(to) for to in listing(mail.get("destination"))[:MAX_RECIPIENTS]] or [None]


def _sender(mail: dict[str, Any]) -> str | None:
    return address(mail.get("source"))


def _original(mail: dict[str, Any]) -> OriginalMessage | None:
    headers = mapping(mail.get("commonHeaders"))
    sender = _sender(mail) or address(headers.get("from"))
    to = ", ".join(t for t in (text(v, 320) for v in listing(headers.get("to"))[:50]) if t)
    if not (mail or headers):
        return None
    return OriginalMessage(subject=text(headers.get("subject"), 500), sender=sender,
                           to=to or None,
                           message_id=text(headers.get("messageId"), 500)
                           or text(mail.get("messageId"), 500),
                           date=text(headers.get("date"), 100))


def _date(event: dict[str, Any], mail: dict[str, Any]) -> str | None:
    for name in ("bounce", "complaint", "delivery", "deliveryDelay", "reject", "open",
                 "click", "failure"):
        when = iso_date(mapping(event.get(name)).get("timestamp"))
        if when:
            return when
    return iso_date(mail.get("timestamp"))


def _not_a_bounce(kind: str, event: dict[str, Any]) -> tuple[str, ...]:
    if kind == "Rendering Failure":
        failure = mapping(event.get("failure"))
        why = text(failure.get("errorMessage"), 300) or "no reason given"
        return (f"SES did not send the message: its template could not be rendered ({why})",)
    return ()
