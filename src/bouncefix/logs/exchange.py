"""Microsoft Exchange message tracking logs (``MSGTRK*.LOG``): CSV after a header that
names the columns; one row per event, ``FAIL`` a failed recipient, ``DEFER`` a delay
(each row is one line in the log, shortened here)::

    #Software: Microsoft Exchange Server
    #Version: 15.02.1118.007
    #Log-type: Message Tracking Log
    #Fields:
        date-time,client-ip,...,event-id,...,message-id,...,recipient-address,recipient-status,...,message-subject,sender-address,...
    2026-03-02T09:14:09.123Z,,,,EX1,,...,FAIL,...,<20260302.1@example.net>,...,kim@example.org,550
        5.1.1 RESOLVER.ADR.RecipNotFound; not found,...,Invoice 42,alice@example.net,...

Newer versions put the last error in ``recipient-status`` as
``[{LRT=...};{LED=451 4.4.0 ...};{FQDN=mx1.example.org};{IP=192.0.2.25}]``.

Source: https://learn.microsoft.com/en-us/exchange/mail-flow/transport-logs/message-tracking
"""

from __future__ import annotations

import csv
from typing import Any

from bouncefix.regex import lazy

from ..events.fields import finding, iso_date
from ..model import Action, Reading, Record
from .base import MAX_TEXT, Line, reading, record

NAME = "exchange"
PARSER = "exchange-log"

_EVENTS = {"FAIL": Action.FAILED, "DEFER": Action.DELAYED}
# {LED=451 4.4.0 ...};{FQDN=mx1.example.org}
_PART = lazy(r"\{([A-Z]{2,8})=((?:[^{}]){0,4000})\}")
_MAX_COLUMNS = 64


def owns(program: str | None) -> bool:
    """Exchange does not write through syslog."""
    return False


def starts(head: str) -> bool:
    """Whether `head` (the first text of a file) is a message tracking log."""
    return head.startswith(("#Software: Microsoft Exchange", "#Fields: date-time,"))


class Tracker:
    """Reads the header for the column names, then each row."""

    def __init__(self) -> None:
        self.columns: list[str] = []
        self.active = False

    def feed(self, line: Line) -> list[Record]:
        """Exchange does not write through syslog."""
        return []

    def raw(self, number: int, text: str) -> list[Record] | None:
        """A header line or a row; None when this is no tracking log."""
        if text.startswith("#"):
            if starts(text):
                self.active = True
            if self.active and text.startswith("#Fields:"):
                self.columns = [c.strip() for c in text[8:].split(",")][:_MAX_COLUMNS]
            return [] if self.active else None
        if not (self.active and self.columns):
            return None
        try:
            row = next(csv.reader([text]), [])
        except csv.Error:
            return []
        fields = dict(zip(self.columns, (cell[:MAX_TEXT] for cell in row), strict=False))
        if fields.get("event-id") not in _EVENTS:
            return []
        stamp = fields.get("date-time") or None
        line = Line(number, stamp, iso_date(stamp), fields.get("server-hostname") or None,
                    None, text)
        return [record(NAME, line, {
            "event": fields["event-id"], "to": fields.get("recipient-address"),
            "status": fields.get("recipient-status"), "sender": fields.get("sender-address")
            or fields.get("return-path") or None, "message_id": fields.get("message-id") or None,
            "subject": fields.get("message-subject") or None,
            "queue_id": fields.get("internal-message-id") or None,
        })]


def read(fields: dict[str, Any]) -> Reading:
    """What one tracking log row says (one finding per recipient of the row)."""
    words, host = _status(fields.get("status") or "")
    event = fields.get("event") or "FAIL"
    findings = [finding(
        _address(to), words, parser=NAME, esp_type=event,
        action=_EVENTS.get(event, Action.FAILED), remote_mta=host,
        reporting_mta=fields.get("host"), last_attempt=fields.get("date") or fields.get("stamp"),
        queue_id=fields.get("queue_id"))
        for to in (fields.get("to") or "").split(";")[:100]]
    return reading(PARSER, findings, fields)


def _status(value: str) -> tuple[str | None, str | None]:
    """The server's words and host of a recipient-status."""
    if not value.startswith("[{"):
        return value or None, None
    parts = {m.group(1): m.group(2).strip() for m in _PART.finditer(value)}
    host = parts.get("FQDN")
    return parts.get("LED") or value, host.lower() if host and "." in host else None


def _address(value: str) -> str | None:
    from ..parse.codes import recipient_address

    return recipient_address(value.strip())
