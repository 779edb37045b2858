"""ESP events: which provider wrote an event, and the envelopes around events.

A provider is one module here with ``NAME``, ``recognises(event)`` and ``read(event)``
(a :class:`~bouncefix.model.Reading`); adding one is a module and a line in
:data:`PROVIDERS`. Providers are recognised by the fields an event carries, never by a
file name. Transport envelopes are taken off first: an Amazon SNS notification
(``{"Type": "Notification", "Message": "<the event as a JSON string>"}``) and a Mailgun
webhook (``{"signature": ..., "event-data": {...}}``). Pages of events (Mailgun's
``items``, SparkPost's ``results``, Postmark's ``Bounces``, Mandrill's
``mandrill_events``) are split into their events by :func:`batch` while reading.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Kind, Reading
from . import brevo, kumomta, mailgun, mailjet, mandrill, postmark, resend, sendgrid, ses, sparkpost

#: every provider, in the order they are tried (the most specific first)
PROVIDERS = (ses, sendgrid, postmark, sparkpost, mandrill, mailjet, brevo, resend, kumomta,
             mailgun)
#: keys of the objects that hold a page of events
BATCH_KEYS = ("items", "results", "Bounces", "mandrill_events")
#: at most this many characters of an SNS Message are parsed
MAX_ENVELOPED = 16 * 1024 * 1024


def read_event(payload: Any) -> Reading:
    """What one event says, by the provider that wrote it."""
    event = unwrap(payload)
    if not isinstance(event, dict):
        return Reading(kind=Kind.NOT_BOUNCE, parser="json",
                       notes=(f"not an ESP event: a JSON {_json_type(event)}",))
    for provider in PROVIDERS:
        if provider.recognises(event):
            reading: Reading = provider.read(event)
            return reading
    if event.get("Type") == "SubscriptionConfirmation":
        return Reading(kind=Kind.NOT_BOUNCE, parser="sns",
                       notes=("an Amazon SNS subscription confirmation, not an event",))
    return Reading(kind=Kind.NOT_BOUNCE, parser="json",
                   notes=("not an event of a known ESP (Amazon SES, SendGrid, Mailgun, "
                          "Postmark, SparkPost, Mandrill, Mailjet, Brevo, Resend) "
                          "or a KumoMTA log record",))


def unwrap(payload: Any) -> Any:
    """The event inside an SNS notification or a Mailgun webhook."""
    if not isinstance(payload, dict):
        return payload
    message = payload.get("Message")
    if payload.get("Type") == "Notification" and isinstance(message, str) \
            and len(message) <= MAX_ENVELOPED:
        try:
            return json.loads(message)
        except ValueError:  # a plain-text notification: not an event
            return {"Type": "Notification"}
    inner = payload.get("event-data")
    return inner if isinstance(inner, dict) else payload


def batch(value: Any) -> list[Any] | None:
    """The events of a page of events, or None when `value` is no such page."""
    if not isinstance(value, dict) or _is_event(value):
        return None
    for key in BATCH_KEYS:
        events = value.get(key)
        if isinstance(events, list):
            return events
    return None


def _is_event(value: dict[str, Any]) -> bool:
    event = unwrap(value)
    return isinstance(event, dict) and any(p.recognises(event) for p in PROVIDERS)


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else "boolean"
