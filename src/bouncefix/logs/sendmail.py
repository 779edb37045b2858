"""Sendmail: one ``from=`` line per message (its sender and Message-ID) and one ``to=``
line per delivery attempt, with the status in ``dsn=`` and sendmail's words (or the
server's reply) in ``stat=``, which is always the last field (one line each in the log,
folded here)::

    Mar  2 09:14:07 mx1 sm-mta[3101]: 622ABcDe012345: from=<alice@example.net>, size=2345,
        class=0, nrcpts=1, msgid=<20260302.1@example.net>, proto=ESMTP, daemon=MTA,
        relay=client.example.net [192.0.2.10]
    Mar  2 09:14:09 mx1 sm-mta[3105]: 622ABcDe012345: to=<kim@example.org>, delay=00:00:02,
        xdelay=00:00:02, mailer=esmtp, pri=122345, relay=mx1.example.org. [192.0.2.25], dsn=5.1.1,
        stat=User unknown
    Mar  2 09:14:09 mx1 sm-mta[3105]: 622ABcDe012345: to=<lee@example.org>, delay=00:00:02,
        mailer=esmtp, pri=122345, relay=mx2.example.org., dsn=4.0.0, stat=Deferred: 451 4.7.1
        Greylisted, try again later

``stat=Sent`` is not a record; ``stat=Deferred`` (or a 4.x.x dsn) is a delay. When the
queue gives a message up (``... return to sender: Cannot send message for 5 days``), each
recipient still deferred is a failure with the reason of its last deferral.

Source: the Sendmail Installation and Operation Guide (doc/op/op.me in the sendmail
distribution), on logging.
"""

from __future__ import annotations

from typing import Any

from bouncefix.regex import lazy

from ..events.fields import finding
from ..model import Action, Reading, Reason, Record
from .base import MAX_TEXT, Line, QueueState, angled, reading, record

NAME = "sendmail"
PARSER = "sendmail-log"

_QUEUED = lazy(r"([0-9A-Za-z]{8,20}): ")
# "622ABcDe012346: return to sender: Cannot send message for 5 days" after the queue id
_GAVE_UP = lazy(r"[0-9A-Za-z]{8,20}: (?:return to sender|DSN): (Cannot send message[^\n]{0,200})")
_RELAY_HOST = lazy(r"([A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,63})\.?(?: |$)")
_PROGRAMS = ("sendmail", "sm-mta", "sm-msp-queue")
_OUTCOME = lazy(r"[^:(]{0,60}")


def owns(program: str | None) -> bool:
    """sendmail, sm-mta (Debian's name), sm-msp-queue."""
    return bool(program) and program.startswith(_PROGRAMS)  # type: ignore[union-attr]


class Tracker:
    """Reads sendmail lines in order, remembering each queue id's sender, Message-ID and
    deferred recipients."""

    def __init__(self) -> None:
        self.state = QueueState()

    def raw(self, number: int, text: str) -> list[Record] | None:
        """Sendmail writes only through syslog."""
        return None

    def feed(self, line: Line) -> list[Record]:
        """The records of one line (usually none)."""
        queued = _QUEUED.match(line.message)
        if queued is None:
            return []
        queue_id, rest = queued.group(1), line.message[queued.end():]
        if rest.startswith("to="):
            return self._status(line, queue_id, _fields(rest))
        if rest.startswith("from="):
            fields = _fields(rest)
            self.state.note(queue_id, sender=angled(fields.get("from")),
                            message_id=angled(fields.get("msgid")))
            return []
        gave_up = _GAVE_UP.match(rest)
        if gave_up is not None:
            return self._expired(line, queue_id, gave_up.group(1))
        return []

    def _status(self, line: Line, queue_id: str, fields: dict[str, Any]) -> list[Record]:
        stat, dsn = fields.get("stat", ""), fields.get("dsn", "")
        recipients = [angled(to) or "" for to in fields.get("to", "").split(",")[:100]]
        if stat.startswith("Sent") or dsn.startswith("2."):
            for to in recipients:
                self.state.delivered(queue_id, to)
            return []
        if not stat and not dsn:
            return []
        if stat.startswith("Deferred") or dsn.startswith("4."):
            for to in recipients:
                self.state.defer(queue_id, to, {"dsn": dsn, "stat": stat,
                                                "relay": fields.get("relay")})
        known = self.state.get(queue_id)
        fields.update(queue_id=queue_id, sender=known.get("sender"),
                      message_id=known.get("message_id"))
        return [record(NAME, line, fields)]

    def _expired(self, line: Line, queue_id: str, words: str) -> list[Record]:
        known = self.state.drop(queue_id)
        deferred: dict[str, dict[str, str | None]] = known.get("deferred") or {}
        return [record(NAME, line, {
            **{k: v for k, v in last.items() if v is not None}, "to": to,
            "queue_id": queue_id, "sender": known.get("sender"),
            "message_id": known.get("message_id"), "gave_up": words[:200],
        }) for to, last in deferred.items()]


def _fields(rest: str) -> dict[str, str]:
    """``name=value, ...``; ``stat=`` is the last field and keeps the rest of the line."""
    head, found, stat = rest.partition(", stat=")
    fields: dict[str, str] = {}
    for part in head.split(", ")[:30]:
        name, equals, value = part.partition("=")
        if equals:
            fields[name] = value[:1000]
    if found:
        fields["stat"] = stat[:MAX_TEXT]
    return fields


def read(fields: dict[str, Any]) -> Reading:
    """What one sendmail record says (one finding per address of ``to=``)."""
    stat, dsn = fields.get("stat") or "", fields.get("dsn") or ""
    gave_up = fields.get("gave_up")
    delayed = not gave_up and (stat.startswith("Deferred") or dsn.startswith("4."))
    # "Deferred: 451 4.7.1 Greylisted" -> the reply; "User unknown" -> sendmail's words
    words = stat.split(":", 1)[1].strip() if stat.startswith("Deferred:") else stat
    # sendmail's own words for the outcome: "Deferred", "User unknown", "Host unknown"
    esp_type = "expired" if gave_up else (_OUTCOME.match(stat).group(0).strip() or None)  # type: ignore[union-attr]
    relay = _RELAY_HOST.match(fields.get("relay") or "")
    findings = [finding(
        angled(to), words or None, parser=NAME, esp_type=esp_type or "failed",
        action=Action.DELAYED if delayed else Action.FAILED, status=dsn or None,
        remote_mta=relay.group(1).lower() if relay else None,
        reporting_mta=fields.get("host"), reason_hint=Reason.EXPIRED if gave_up else None,
        last_attempt=fields.get("date") or fields.get("stamp"), queue_id=fields.get("queue_id"))
        for to in (fields.get("to") or "").split(",")[:100]]
    notes = (f"the queue gave the message up ({gave_up}): the reason is that of the last "
             "deferral",) if gave_up else ()
    return reading(PARSER, findings, fields, notes)
