"""Postfix: the delivery agents' status lines, joined with what qmgr and cleanup said of
the same queue id earlier (the sender, the Message-ID); each is one line in the log,
folded here::

    Mar  2 09:14:07 mx1 postfix/cleanup[2100]: 4F1A2B3C4D: message-id=<20260302.1@example.net>
    Mar  2 09:14:07 mx1 postfix/qmgr[2101]: 4F1A2B3C4D: from=<alice@example.net>, size=2345,
        nrcpt=1 (queue active)
    Mar  2 09:14:09 mx1 postfix/smtp[2105]: 4F1A2B3C4D: to=<kim@example.org>,
        relay=mx1.example.org[192.0.2.25]:25, delay=2.1, delays=0.1/0/1/1, dsn=5.1.1, status=bounced
        (host mx1.example.org[192.0.2.25] said: 550 5.1.1 <kim@example.org>: Recipient address
        rejected: User unknown (in reply to RCPT TO command))
    Mar  2 09:14:09 mx1 postfix/qmgr[2101]: 4F1A2B3C4D: removed

``status=bounced`` and ``status=expired`` are failures, ``status=deferred`` (and
``SOFTBOUNCE``) delays; ``status=sent`` is not a record. When qmgr gives a message up
(``from=<alice@example.net>, status=expired, returned to sender``), each recipient still
deferred is a failure, with the reason of its last deferral.

Source: https://www.postfix.org/postconf.5.html (the delivery status fields) and
https://www.postfix.org/qmgr.8.html
"""

from __future__ import annotations

from typing import Any

from bouncefix.regex import lazy

from ..events.fields import finding
from ..model import Action, Reading, Reason, Record
from .base import MAX_TEXT, Line, QueueState, angled, reading, record

NAME = "postfix"
PARSER = "postfix-log"

# "4F1A2B3C4D: " (short ids, hex) or "3ZxY7g4Pq8z2Kb: " (enable_long_queue_ids)
_QUEUED = lazy(r"([0-9A-Za-z]{5,20}): ")
# relay=mx1.example.org[192.0.2.25]:25 (or relay=none, relay=local)
_RELAY_HOST = lazy(r"([A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,63})\[")
#: status words that make a record, and the action each means
_STATUSES = {"bounced": Action.FAILED, "expired": Action.FAILED,
             "deferred": Action.DELAYED, "SOFTBOUNCE": Action.DELAYED}


def owns(program: str | None) -> bool:
    """postfix/smtp, postfix/qmgr, and other instances' names (postfix-out/smtp)."""
    return bool(program) and program.startswith("postfix")  # type: ignore[union-attr]


class Tracker:
    """Reads Postfix lines in order, remembering each queue id's sender, Message-ID and
    deferred recipients until qmgr removes it."""

    def __init__(self) -> None:
        self.state = QueueState()

    def raw(self, number: int, text: str) -> list[Record] | None:
        """Postfix writes only through syslog."""
        return None

    def feed(self, line: Line) -> list[Record]:
        """The records of one line (usually none)."""
        queued = _QUEUED.match(line.message)
        if queued is None:
            return []
        queue_id, rest = queued.group(1), line.message[queued.end():]
        if rest.startswith("to=<"):
            return self._status(line, queue_id, rest)
        if rest.startswith("from=<"):
            fields = _fields(rest)
            if fields.get("status") == "expired":
                return self._expired(line, queue_id, fields)
            self.state.note(queue_id, sender=angled(fields.get("from")))
        elif rest.startswith("message-id="):
            self.state.note(queue_id, message_id=angled(rest[11:].split(" ", 1)[0]))
        elif rest == "removed":
            self.state.drop(queue_id)
        return []

    def _status(self, line: Line, queue_id: str, rest: str) -> list[Record]:
        # to=<kim@example.org>, orig_to=<team@example.org>, relay=..., dsn=5.1.1,
        # status=bounced (host mx1.example.org[192.0.2.25] said: 550 ...)
        fields: dict[str, Any] = _fields(rest)
        status, to = fields.get("status", ""), angled(fields.get("to")) or ""
        if status == "sent":
            self.state.delivered(queue_id, to)
        if status not in _STATUSES:
            return []
        if status in ("deferred", "SOFTBOUNCE"):
            self.state.defer(queue_id, to, {"dsn": fields.get("dsn"), "relay": fields.get(
                "relay"), "text": fields.get("text"), "orig_to": fields.get("orig_to")})
        elif status == "bounced":
            self.state.delivered(queue_id, to)  # no longer waiting
        known = self.state.get(queue_id)
        fields.update(queue_id=queue_id, to=to, sender=known.get("sender"),
                      message_id=known.get("message_id"))
        return [record(NAME, line, fields)]

    def _expired(self, line: Line, queue_id: str, fields: dict[str, str]) -> list[Record]:
        # from=<alice@example.net>, status=expired, returned to sender
        known = self.state.drop(queue_id)
        sender = angled(fields.get("from")) or known.get("sender")
        deferred: dict[str, dict[str, str | None]] = known.get("deferred") or {"": {}}
        return [record(NAME, line, {
            **{k: v for k, v in last.items() if v is not None},
            "status": "expired", "to": to, "queue_id": queue_id, "sender": sender,
            "message_id": known.get("message_id"), "gave_up": "1",
        }) for to, last in deferred.items()]


def _fields(rest: str) -> dict[str, str]:
    """``name=value, name=value, status=word (text)``: the fields before the status,
    the status word, and the text in brackets after it (which may hold anything)."""
    head, found, tail = rest.partition(", status=")
    if not found and rest.startswith("status="):
        head, tail = "", rest[7:]
    fields: dict[str, str] = {}
    for part in head.split(", ")[:20]:
        name, equals, value = part.partition("=")
        if equals:
            fields[name] = value[:1000]
    if found or tail:
        word, _, text = tail.partition(" ")
        fields["status"] = word.rstrip(",")
        text = text.strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        if text:
            fields["text"] = text[:MAX_TEXT]
    return fields


def read(fields: dict[str, Any]) -> Reading:
    """What one Postfix record says."""
    status = fields.get("status") or ""
    text = fields.get("text")
    gave_up = bool(fields.get("gave_up"))
    relay = _RELAY_HOST.match(fields.get("relay") or "")
    found = finding(
        angled(fields.get("to")), text, parser=NAME, esp_type=status,
        action=_STATUSES.get(status, Action.FAILED), status=fields.get("dsn"),
        remote_mta=relay.group(1).lower() if relay else None,
        reporting_mta=fields.get("host"),
        reason_hint=Reason.EXPIRED if status == "expired" else None,
        last_attempt=fields.get("date") or fields.get("stamp"), queue_id=fields.get("queue_id"))
    found = found._replace(original_recipient=angled(fields.get("orig_to")))
    notes = ("the message expired in the queue: the reason is that of the last deferral",
             ) if gave_up and text else ()
    return reading(PARSER, [found], fields, notes)
