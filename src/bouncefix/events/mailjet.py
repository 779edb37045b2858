"""Mailjet: the Event API posts one JSON object per happening (``event``: sent, open,
click, bounce, spam, blocked, unsub), or with grouping a JSON array of them. A failure
names its cause as a pair, ``error_related_to`` and ``error``, from a fixed table; a
``bounce`` also says ``hard_bounce`` and may quote the server in ``comment``::

    {"event": "bounce", "time": 1772442849, "email": "kim@example.org",
     "MessageID": 19421777835146490, "mj_campaign_id": 7257, "mj_contact_id": 4,
     "blocked": false, "hard_bounce": true,
     "error_related_to": "recipient", "error": "user unknown"}

A ``blocked`` event was never sent: "preblocked" means Mailjet itself held the message
back because the address bounced before (its own suppression).

Source: https://dev.mailjet.com/email/guides/webhooks/ (the event payloads and the
table of possible errors)
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, Reading, Reason
from .fields import address, complaint, delivered, epoch_date, finding, text

NAME = "mailjet"

#: error -> the reason it names (used when the server's words name none)
_ERRORS = {
    "user unknown": Reason.USERUNKNOWN,
    "mailbox inactive": Reason.SUSPEND,
    "quota exceeded": Reason.MAILBOXFULL,
    "invalid domain": Reason.HOSTUNKNOWN,
    "no mail host": Reason.NOTACCEPT,  # the domain has no server that takes mail
    "relay/access denied": Reason.BLOCKED,
    "greylisted": Reason.SPEEDING,
    "sender blocked": Reason.BLOCKED,
    "content blocked": Reason.SPAMDETECTED,
    "policy issue": Reason.POLICYVIOLATION,
    "system issue": Reason.SYSTEMERROR,
    "protocol issue": Reason.SYSTEMERROR,
    "connection issue": Reason.NETWORKERROR,
    "bad or empty template": Reason.CONTENTERROR,
    "error in template language": Reason.CONTENTERROR,
    "preblocked": Reason.SUPPRESSED,
    "spam preblocked": Reason.SUPPRESSED,
    "spam reporter": Reason.SUPPRESSED,
}
#: errors that are a deferral Mailjet retries, not a failure
_DEFERRALS = {"greylisted"}
#: errors that are no delivery failure of the address at all
_NOT_FAILURES = {"duplicate in campaign"}
_DELIVERED = {"sent", "open", "click"}
_EVENTS = {"bounce", "blocked", "spam", "unsub", *_DELIVERED}
#: fields only Mailjet's events carry
_OWN_FIELDS = ("mj_campaign_id", "mj_contact_id", "mj_message_id", "Message_GUID",
               "error_related_to", "customcampaign", "mj_list_id")


def recognises(event: dict[str, Any]) -> bool:
    """``event`` and ``email`` with one of Mailjet's own fields."""
    return (isinstance(event.get("email"), str) and text(event.get("event"), 40) in _EVENTS
            and any(key in event for key in _OWN_FIELDS))


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one Mailjet event."""
    name = text(event.get("event"), 40) or ""
    when = epoch_date(event.get("time"))
    to = address(event.get("email"))
    base = Reading(parser=NAME, esp=NAME, date=when)
    if name in ("bounce", "blocked"):
        related = text(event.get("error_related_to"), 40)
        error = (text(event.get("error"), 80) or "").lower()
        if error in _NOT_FAILURES:
            return base._replace(kind=Kind.NOT_BOUNCE, notes=(
                "Mailjet sent this campaign to the address once already; the duplicate "
                "was held back, nothing failed",))
        cause = f"{related}: {error}" if related and error else error or related
        words = text(event.get("comment")) or cause
        action = Action.DELAYED if error in _DEFERRALS else Action.FAILED
        esp_type = f"{name} ({cause})" if cause else name
        found = finding(to, words, parser=NAME, esp_type=esp_type, action=action,
                        reason_hint=_ERRORS.get(error), last_attempt=when)
    elif name == "spam":
        return complaint(base, to, name, when)
    elif name in _DELIVERED:
        return delivered(base, to, name, when, text(event.get("smtp_reply")))
    else:  # unsub: nothing about a delivery
        return base._replace(kind=Kind.NOT_BOUNCE)
    return base._replace(findings=(found,))
