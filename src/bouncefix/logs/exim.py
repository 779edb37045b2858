"""Exim: the main log (``/var/log/exim4/mainlog``, or through syslog), one line per
happening to a message, each after the message id; ``<=`` is its arrival (the sender,
``id=`` its Message-ID, ``T=`` its subject), ``**`` a failed address, ``==`` a deferred
one, ``Completed`` the end (one line each in the log, folded here)::

    2026-03-02 09:14:07 1vA9Xb-000Abc-4Q <= alice@example.net H=client.example.net [192.0.2.10]
        P=esmtps S=2345 id=20260302.1@example.net T="Invoice 42"
    2026-03-02 09:14:09 1vA9Xb-000Abc-4Q ** kim@example.org R=dnslookup T=remote_smtp
        H=mx1.example.org [192.0.2.25] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from
        remote mail server after RCPT TO:<kim@example.org>: 550 5.1.1 <kim@example.org>: Recipient
        address rejected: User unknown
    2026-03-02 09:14:09 1vA9Xb-000Abc-4Q == lee@example.org R=dnslookup T=remote_smtp defer
        (-44) H=mx2.example.org [192.0.2.26]: SMTP error from remote mail server after RCPT
        TO:<lee@example.org>: 451 4.7.1 Greylisted, try again later
    2026-03-02 09:14:09 1vA9Xb-000Abc-4Q Completed

Source: https://www.exim.org/exim-html-current/doc/html/spec_html/ch-log_files.html
"""

from __future__ import annotations

from typing import Any

from bouncefix.regex import lazy

from ..events.fields import finding, iso_date
from ..model import Action, Reading, Record
from .base import MAX_TEXT, Line, QueueState, reading, record

NAME = "exim"
PARSER = "exim-log"

# "2026-03-02 09:14:07" (log_timezone adds " +0100", millisec ".123"), then "[pid] "
_MAINLOG = lazy(
    r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{3})?(?: [+-]\d{4})?) (?:\[\d{1,10}\] )?")
# 1vA9Xb-000Abc-4Q (Exim 4.x) or 1vA9Xb-000000Abc0-4Q1 (4.97 and later), then the flag
_ENTRY = lazy(r"([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (<=|\*\*|==|=>|->|\*>|Completed)")
_ID = lazy(r"[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}")
# after the address: " <parent@example.org>"
_PARENT = lazy(r" <([^<>\s]{1,640})>")
# one field: R=dnslookup, T="quoted text", H=host [192.0.2.25]:25, defer (-44)
_FIELD = lazy(
    r" (?:(?P<name>[A-Za-z]{1,4})=(?P<value>\"(?:[^\"\\]|\\.){0,2000}\"|[^\s\"]{0,2000})"
    r"(?: \[(?P<ip>[0-9A-Fa-f:.]{2,45})\](?::\d{1,5})?)?"
    r"|(?P<defer>(?:routing )?defer) \((?P<errno>-?\d{1,6})\))"
)
_FLAGS = {"**": ("failed", Action.FAILED), "==": ("deferred", Action.DELAYED)}


def owns(program: str | None) -> bool:
    """exim, exim4 (Debian's name)."""
    return program in ("exim", "exim4")


def is_mainlog(text: str) -> bool:
    """Whether `text` is a main log line with a message id."""
    start = _MAINLOG.match(text)
    return start is not None and _ENTRY.match(text, start.end()) is not None


class Tracker:
    """Reads Exim lines in order, remembering each message's sender, Message-ID and
    subject until it is completed."""

    def __init__(self) -> None:
        self.state = QueueState()

    def raw(self, number: int, text: str) -> list[Record] | None:
        """A main log line (not through syslog); None when it is not one."""
        start = _MAINLOG.match(text)
        if start is None:
            return None
        stamp = start.group(1)
        return self.feed(Line(number, stamp, iso_date(stamp), None, None, text[start.end():]))

    def feed(self, line: Line) -> list[Record]:
        """The records of one line (usually none)."""
        entry = _ENTRY.match(line.message)
        if entry is None:
            return []
        message_id, flag = entry.group(1), entry.group(2)
        rest = line.message[entry.end():]
        if flag == "Completed":
            self.state.drop(message_id)
        elif flag == "<=":
            self._arrival(message_id, rest)
        elif flag in _FLAGS:
            return [self._address(line, message_id, flag, rest)]
        return []

    def _arrival(self, message_id: str, rest: str) -> None:
        # <= alice@example.net H=... P=esmtps S=2345 id=20260302.1@example.net T="Invoice"
        sender, _, rest = rest.strip().partition(" ")
        fields, _ = _fields(" " + rest)
        self.state.note(message_id, sender=sender if "@" in sender else None,
                        message_id=fields.get("id"), subject=fields.get("T"))

    def _address(self, line: Line, message_id: str, flag: str, rest: str) -> Record:
        # ** kim@example.org <team@example.org> R=dnslookup T=remote_smtp H=...: text
        rest = rest.lstrip(" ")
        address, _, rest = rest.partition(" ")
        rest = " " + rest
        text = None
        if address.endswith(":"):  # "** kim@example.org: Unrouteable address"
            address, text = address[:-1], rest.strip()
        fields: dict[str, Any] = {}
        if text is None:
            parent = _PARENT.match(rest)
            if parent is not None:
                fields["parent"] = parent.group(1)
                rest = rest[parent.end():]
            found, text = _fields(rest)
            fields.update(found)
        if text and "\\n" in text:  # Exim writes a multi-line reply's line ends as "\n"
            text = text.replace("\\n", "\n")
        known = self.state.get(message_id)
        fields.update(flag=flag, to=address, text=(text or "")[:MAX_TEXT] or None,
                      queue_id=message_id, sender=known.get("sender"),
                      message_id=known.get("message_id"), subject=known.get("subject"))
        return record(NAME, line, fields)


def _fields(rest: str) -> tuple[dict[str, str], str | None]:
    """Exim's ``NAME=value`` fields, and the text after the ": " that ends them."""
    fields: dict[str, str] = {}
    position = 0
    for _ in range(40):
        match = _FIELD.match(rest, position)
        if match is None:
            break
        position = match.end()
        if match.group("defer"):
            fields["defer"] = match.group("errno")
            continue
        name, value = match.group("name"), match.group("value")
        if match.group("ip") is None and value.endswith(":") and not value.startswith('"'):
            fields[name] = value[:-1]  # "CV=yes: SMTP error ...": the fields end here
            return fields, rest[position:].strip() or None
        fields[name] = value[1:-1] if value.startswith('"') and len(value) > 1 else value
        if match.group("ip"):
            fields[f"{name}_ip"] = match.group("ip")
    after = rest[position:]
    if after.startswith(":"):
        return fields, after[1:].strip() or None
    return fields, after.strip() or None


def read(fields: dict[str, Any]) -> Reading:
    """What one Exim record says."""
    status, action = _FLAGS.get(fields.get("flag") or "", ("failed", Action.FAILED))
    host = fields.get("H")
    found = finding(
        _address(fields.get("to")), fields.get("text"), parser=NAME, esp_type=status,
        action=action, remote_mta=host.lower() if host and "." in host else None,
        reporting_mta=fields.get("host"), last_attempt=fields.get("date") or fields.get("stamp"),
        queue_id=fields.get("queue_id"))
    found = found._replace(original_recipient=_address(fields.get("parent")))
    return reading(PARSER, [found], fields)


def _address(value: str | None) -> str | None:
    from ..parse.codes import recipient_address

    return recipient_address(value)
