"""What every MTA log reader shares: the syslog prefix, log lines with their time, the
bounded per-queue-id memory that joins the lines of one message, and the record a
reader hands on.

A syslog line, as rsyslog or syslog-ng writes it (traditional or RFC 3339 time), or as
``journalctl`` prints it::

    Mar  2 09:14:09 mx1 postfix/smtp[2105]: 4F1A2B3C4D: to=<kim@example.org>, ...
    2026-03-02T09:14:09.123456+01:00 mx1 postfix/smtp[2105]: 4F1A2B3C4D: to=<...>, ...
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

from bouncefix.regex import lazy

from ..events.fields import iso_date
from ..model import Finding, OriginalMessage, Reading, Record

#: characters kept of the text of one log record
MAX_TEXT = 4000

_SYSLOG = lazy(
    r"(?:<\d{1,3}>)?"
    r"(?P<stamp>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} "
    r"\d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) "
    r"(?P<host>[^\s\[\]]{1,255}) "
    r"(?P<program>[A-Za-z0-9_][A-Za-z0-9_./-]{0,63})(?:\[\d{1,10}\])?: "
)


class Line(NamedTuple):
    """One log line taken apart: where it is, when, who wrote it, and what it says."""

    number: int
    #: the time as written ("Mar  2 09:14:09"), or None
    stamp: str | None
    #: the time as ISO 8601 when the log gives the year, else None
    date: str | None
    host: str | None
    #: the syslog program name ("postfix/smtp", "exim", "sm-mta"), None for own logs
    program: str | None
    #: the text after the prefix
    message: str


def syslog_line(number: int, text: str) -> Line | None:
    """`text` as a syslog line, or None when it has no syslog prefix."""
    match = _SYSLOG.match(text)
    if match is None:
        return None
    stamp = match.group("stamp")
    date = iso_date(stamp) if stamp[:1].isdigit() else None
    return Line(number, stamp, date, match.group("host"), match.group("program"),
                text[match.end():])


def is_syslog(text: str) -> bool:
    """Whether `text` starts with a syslog prefix."""
    return _SYSLOG.match(text) is not None


def record(name: str, line: Line, fields: dict[str, Any]) -> Record:
    """The record of one log line, with the time and place every reader keeps."""
    fields.setdefault("date", line.date)
    fields.setdefault("stamp", line.stamp)
    fields.setdefault("host", line.host)
    return Record(name, line.number, fields, len(line.message) + 40)


def reading(parser: str, findings: list[Finding], fields: dict[str, Any],
            notes: tuple[str, ...] = ()) -> Reading:
    """The Reading of one log record: its findings, and the sender and Message-ID that
    the lines of its message gave."""
    sender, message_id = fields.get("sender"), fields.get("message_id")
    original = OriginalMessage(sender=sender, message_id=message_id,
                               subject=fields.get("subject")) if (
        sender or message_id or fields.get("subject")) else None
    return Reading(tuple(findings), None, parser, None, sender, original, fields.get("date"),
                   notes)


def angled(value: str | None) -> str | None:
    """``<kim@example.org>`` -> ``kim@example.org``; "" (the null sender <>) -> None."""
    if value is None:
        return None
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    return value[:640] or None


class QueueState:
    """What earlier lines said about each message still in the queue (its sender,
    Message-ID, the recipients deferred and why), by queue id, for the lines that come
    later. Bounded: at most `max_ids` ids and about `max_chars` characters of text; the
    oldest message is forgotten first (a log cut in the middle of a message, or one
    whose final line never comes, cannot make memory grow)."""

    def __init__(self, max_ids: int = 20_000, max_chars: int = 4_000_000) -> None:
        self.entries: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.max_ids, self.max_chars = max_ids, max_chars
        self.chars = 0

    def get(self, queue_id: str) -> dict[str, Any]:
        """The facts known of `queue_id` (empty when none)."""
        return self.entries.get(queue_id) or {}

    def note(self, queue_id: str, **facts: str | None) -> None:
        """Remember facts of `queue_id` (None values are not kept)."""
        entry = self._entry(queue_id)
        for name, value in facts.items():
            if value is not None:
                value = value[:1000]
                self.chars += len(value) - len(entry.get(name) or "")
                entry[name] = value
        self._bound()

    def defer(self, queue_id: str, recipient: str, facts: dict[str, str | None],
              limit: int = 32) -> None:
        """Remember the last deferral of `recipient` (at most `limit` per message)."""
        entry = self._entry(queue_id)
        deferred: dict[str, dict[str, str | None]] = entry.setdefault("deferred", {})
        if recipient not in deferred and len(deferred) >= limit:
            return
        kept = {k: (v[:1000] if v else v) for k, v in facts.items()}
        old = deferred.get(recipient)
        self.chars += _size(kept) - (_size(old) if old else -len(recipient))
        deferred[recipient] = kept
        self._bound()

    def delivered(self, queue_id: str, recipient: str) -> None:
        """`recipient` was delivered after all: no longer deferred."""
        deferred = self.entries.get(queue_id, {}).get("deferred")
        if deferred and recipient in deferred:
            self.chars -= _size(deferred.pop(recipient)) + len(recipient)

    def drop(self, queue_id: str) -> dict[str, Any]:
        """Forget `queue_id` (its message left the queue); what was known of it."""
        entry = self.entries.pop(queue_id, None)
        if entry is None:
            return {}
        self.chars -= _entry_size(entry)
        return entry

    def _entry(self, queue_id: str) -> dict[str, Any]:
        entry = self.entries.get(queue_id)
        if entry is None:
            entry = self.entries[queue_id] = {}
            self.chars += 64
        return entry

    def _bound(self) -> None:
        while self.entries and (len(self.entries) > self.max_ids
                                or self.chars > self.max_chars):
            _, entry = self.entries.popitem(last=False)
            self.chars -= _entry_size(entry)


def _size(facts: dict[str, str | None]) -> int:
    return sum(len(v or "") + 16 for v in facts.values())


def _entry_size(entry: dict[str, Any]) -> int:
    size = 64
    for name, value in entry.items():
        if name == "deferred":
            size += sum(_size(f) + len(r) for r, f in value.items())
        else:
            size += len(value)
    return size
