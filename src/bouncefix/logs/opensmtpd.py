"""OpenSMTPD: one ``delivery`` line per attempt, with the sender, the recipient, the
result and the server's reply all in the line, so no joining is needed (one line in
the log, folded here)::

    Mar  2 09:14:09 mx1 smtpd[4101]: 8a2f3c4d5e6f7a8b mta delivery evpid=0a1b2c3d4e5f6a7b
        from=<alice@example.net> to=<kim@example.org> rcpt=<-> source="192.0.2.10" relay="192.0.2.25
        (mx1.example.org)" delay=2s result="PermFail" stat="550 5.1.1 <kim@example.org>: Recipient
        address rejected: User unknown"

Older releases (5.x, 6.0) wrote ``delivery: TempFail for 0a1b2c3d: from=<...>,
to=<...>, ..., stat=...``. ``result`` Ok is not a record; TempFail is a delay; PermFail
and Loop are failures.

Source: OpenSMTPD's smtpd(8) logging (usr.sbin/smtpd/mta.c, mda.c in OpenBSD's tree)
"""

from __future__ import annotations

from typing import Any

from bouncefix.regex import lazy

from ..events.fields import finding
from ..model import Action, Reading, Record
from .base import MAX_TEXT, Line, angled, reading, record

NAME = "opensmtpd"
PARSER = "opensmtpd-log"

# "8a2f3c4d5e6f7a8b mta delivery " (6.x and later)
_DELIVERY = lazy(r"[0-9a-f]{16} (?:mta|mda|lka) delivery ")
# key="quoted value" or key=value
_PAIR = lazy(r"([a-z_]{1,20})=(\"(?:[^\"\\]|\\.){0,4000}\"|\S{0,1000})")
# "delivery: TempFail for 0a1b2c3d: " (5.x, 6.0)
_OLD = lazy(r"delivery: (Ok|TempFail|PermFail|Loop) for ([0-9a-f]{8,16}): ")
_RESULTS = {"TempFail": Action.DELAYED, "PermFail": Action.FAILED, "Loop": Action.FAILED}
_RELAY_HOST = lazy(r"[^(]{0,80}\(([A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,63})\)")


def owns(program: str | None) -> bool:
    """smtpd (Postfix's smtpd logs as postfix/smtpd)."""
    return program == "smtpd"


class Tracker:
    """OpenSMTPD lines say everything in one line: no memory is needed."""

    def raw(self, number: int, text: str) -> list[Record] | None:
        """OpenSMTPD writes only through syslog."""
        return None

    def feed(self, line: Line) -> list[Record]:
        """The record of a failed or deferred delivery line."""
        message = line.message
        fields: dict[str, Any] = {}
        if _DELIVERY.match(message):
            for match in _PAIR.finditer(message, 0, len(message)):
                value = match.group(2)
                fields[match.group(1)] = value[1:-1] if value.startswith('"') else value
            fields["queue_id"] = fields.get("evpid")
        else:
            old = _OLD.match(message)
            if old is None:
                return []
            rest = message[old.end():]
            head, found, stat = rest.partition(", stat=")
            for part in head.split(", ")[:20]:
                name, equals, value = part.partition("=")
                if equals:
                    fields[name] = value
            if found:
                fields["stat"] = stat
            fields.update(result=old.group(1), queue_id=old.group(2))
        if fields.get("result") not in _RESULTS:
            return []
        fields["stat"] = (fields.get("stat") or "")[:MAX_TEXT] or None
        fields["sender"] = angled(fields.get("from"))
        return [record(NAME, line, fields)]


def read(fields: dict[str, Any]) -> Reading:
    """What one OpenSMTPD record says."""
    result = fields.get("result") or "PermFail"
    relay = _RELAY_HOST.match(fields.get("relay") or "")
    to = angled(fields.get("to"))
    rcpt = angled(fields.get("rcpt"))
    found = finding(
        to, fields.get("stat"), parser=NAME, esp_type=result,
        action=_RESULTS.get(result, Action.FAILED),
        remote_mta=relay.group(1).lower() if relay else None,
        reporting_mta=fields.get("host"), last_attempt=fields.get("date") or fields.get("stamp"),
        queue_id=fields.get("queue_id"))
    if rcpt and rcpt != "-" and rcpt != to:
        found = found._replace(original_recipient=rcpt)
    return reading(PARSER, [found], fields)
