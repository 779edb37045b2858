"""KumoMTA: its log is one JSON record per line, one record per happening to one
recipient, named by ``type`` (Reception, Delivery, Bounce, TransientFailure, Expiration,
AdminBounce, OOB, Feedback); the peer's reply is split into its parts::

    {"type": "Bounce", "id": "1d98076abbbc11ed940250ebf67f93bd",
     "sender": "bounce@news.example.com", "recipient": "kim@example.org",
     "site": "(alt1|alt2)?.mx.example.org", "num_attempts": 1,
     "response": {"code": 550, "enhanced_code": {"class": 5, "subject": 1, "detail": 1},
                  "content": "No such user here", "command": "RCPT TO"},
     "peer_address": {"name": "mx.example.org", "addr": "192.0.2.8"},
     "timestamp": 1772442849, "bounce_classification": "InvalidRecipient"}

A TransientFailure is a deferral KumoMTA retries; an Expiration is its own give-up when
the message outlived its time in the queue; an AdminBounce was bounced by its operator
(no server answered); an OOB is a bounce that came back after delivery was accepted.

Source: https://docs.kumomta.com/reference/log_record/
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, OriginalMessage, Reading, Reason
from .fields import address, code_text, complaint, delivered, epoch_date, finding, mapping, text

NAME = "kumomta"

_FAILED = {"Bounce", "Expiration", "AdminBounce", "OOB"}
_TYPES = {"Reception", "Delivery", "TransientFailure", "Feedback", "Rejection", *_FAILED}
#: the record types that give the cause themselves (when the reply names none)
_TYPE_HINTS = {"Expiration": Reason.EXPIRED, "AdminBounce": Reason.SUPPRESSED}
#: bounce_classification of the bundled classifier -> the reason it names
_CLASSES = {
    "InvalidRecipient": Reason.USERUNKNOWN,
    "BadDomain": Reason.HOSTUNKNOWN,
    "InactiveMailbox": Reason.SUSPEND,
    "QuotaIssues": Reason.MAILBOXFULL,
    "SpamBlock": Reason.BLOCKED,
    "SpamContent": Reason.SPAMDETECTED,
    "VirusRelated": Reason.VIRUSDETECTED,
    "RelayDenied": Reason.NORELAYING,
    "MessageExpired": Reason.EXPIRED,
}


def recognises(event: dict[str, Any]) -> bool:
    """A KumoMTA ``type`` with a ``recipient`` and a ``response`` object."""
    return (text(event.get("type"), 40) in _TYPES and "recipient" in event
            and isinstance(event.get("response"), dict))


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one KumoMTA log record."""
    kind = text(event.get("type"), 40) or ""
    when = epoch_date(event.get("timestamp"))
    to = address(event.get("recipient"))
    sender = address(event.get("sender"))
    original = OriginalMessage(sender=sender, message_id=text(event.get("id"), 200))
    base = Reading(parser=NAME, esp=NAME, sender=sender, original=original, date=when)
    response = mapping(event.get("response"))
    words = _reply(response)
    peer = mapping(event.get("peer_address"))
    remote = text(peer.get("name"), 255) or text(peer.get("addr"), 64)
    if kind == "Feedback":
        return complaint(base, to, kind, when)
    if kind == "Delivery":
        return delivered(base, to, kind, when, words, remote)
    if kind not in _FAILED and kind != "TransientFailure":
        return base._replace(kind=Kind.NOT_BOUNCE)  # a reception: mail coming in
    classification = text(event.get("bounce_classification"), 60) or ""
    found = finding(to, words, parser=NAME, esp_type=kind,
                    action=Action.DELAYED if kind == "TransientFailure" else Action.FAILED,
                    reply_code=code_text(response.get("code")), remote_mta=remote,
                    reason_hint=_TYPE_HINTS.get(kind) or _CLASSES.get(classification),
                    last_attempt=when, queue_id=text(event.get("id"), 200))
    return base._replace(findings=(found,))


def _reply(response: dict[str, Any]) -> str | None:
    """The peer's reply written out again: "550 5.1.1 No such user here"."""
    content = text(response.get("content"))
    code = code_text(response.get("code"))
    enhanced = mapping(response.get("enhanced_code"))
    parts = [enhanced.get(key) for key in ("class", "subject", "detail")]
    status = ".".join(str(p) for p in parts) if all(
        isinstance(p, int) and not isinstance(p, bool) for p in parts) else None
    head = " ".join(p for p in (code, status) if p)
    if not content:
        return head or None
    return f"{head} {content}" if head and not content.startswith(head[:3]) else content
