"""Brevo (formerly Sendinblue): transactional webhooks post one JSON object per
happening, named by ``event`` (request, delivered, hard_bounce, soft_bounce, deferred,
blocked, invalid_email, error, spam, opened, click, unsubscribed, ...). A failure holds
the server's words, or Brevo's own, in ``reason``::

    {"event": "hard_bounce", "email": "kim@example.org", "id": 123456,
     "date": "2026-03-02 10:14:09", "ts": 1772442849, "message-id": "<...@example.com>",
     "ts_event": 1772442849, "subject": "Invoice", "sending_ip": "198.51.100.7",
     "ts_epoch": 1772442849000, "reason": "550 5.1.1 user unknown"}

``blocked`` and ``invalid_email`` were never sent: Brevo held the message back because
the contact is on the account's block list (after an earlier bounce, a complaint or an
unsubscribe), or because the address is not a valid address at all.

Source: https://developers.brevo.com/docs/transactional-webhooks (the events and their
fields)
"""

from __future__ import annotations

from typing import Any

from ..model import Action, Kind, Reading, Reason
from .fields import address, complaint, delivered, epoch_date, finding, text

NAME = "brevo"

_FAILURES = {"hard_bounce", "soft_bounce", "deferred", "blocked", "invalid_email", "error"}
_DELIVERED = {"delivered", "opened", "unique_opened", "click", "proxy_open",
              "unique_proxy_open"}
_EVENTS = {"request", "spam", "unsubscribed", *_FAILURES, *_DELIVERED}
#: fields only Brevo's events carry (alongside ``event`` and ``email``)
_OWN_FIELDS = ("ts_event", "ts_epoch", "message-id", "sending_ip", "X-Mailin-custom")
#: events that Brevo did not send at all: the reason whatever the words say
_NOT_SENT = {"blocked": Reason.SUPPRESSED, "invalid_email": Reason.SYNTAXERROR}


def recognises(event: dict[str, Any]) -> bool:
    """``event`` and ``email`` with one of Brevo's own fields."""
    return (isinstance(event.get("email"), str) and text(event.get("event"), 40) in _EVENTS
            and any(key in event for key in _OWN_FIELDS))


def read(event: dict[str, Any]) -> Reading:
    """The recipient of one Brevo event."""
    name = text(event.get("event"), 40) or ""
    when = epoch_date(event.get("ts_event") or event.get("ts"))
    to = address(event.get("email"))
    base = Reading(parser=NAME, esp=NAME, date=when)
    reason = text(event.get("reason"))
    if name == "spam":
        return complaint(base, to, name, when)
    if name in _DELIVERED:
        return delivered(base, to, name, when)
    if name not in _FAILURES:  # request (accepted for sending), unsubscribed
        return base._replace(kind=Kind.NOT_BOUNCE)
    esp_type = f"{name} ({reason})" if reason else name
    if name in _NOT_SENT:
        # no server answered: Brevo's note goes in the type, not in the server's words
        found = finding(to, None, parser=NAME, esp_type=esp_type[:200],
                        reason_hint=_NOT_SENT[name], last_attempt=when)
        return base._replace(findings=(found,))
    action = Action.DELAYED if name in ("soft_bounce", "deferred") else Action.FAILED
    found = finding(to, reason, parser=NAME, esp_type=name, action=action, last_attempt=when)
    return base._replace(findings=(found,))
