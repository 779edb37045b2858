"""The library's main path: bytes -> messages -> findings -> diagnoses -> reports; and
for ESP events and MTA logs, records -> findings -> the same diagnoses and reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from bouncefix.regex import lazy

from . import ingest
from .dates import iso_date
from .mail import Mail
from .model import (
    Action,
    Finding,
    Kind,
    MessageReport,
    OriginalMessage,
    Reading,
    Reason,
    RecipientReport,
    Record,
)
from .parse import autoreply, forwarded, generic, notices, pasted, read_findings, text
from .parse.codes import find_addresses
from .parse.text import FORWARD_SUBJECT
from .rules.engine import diagnose
from .smtp.suggest import probe_command

if TYPE_CHECKING:
    from .ingest.errors import Skip

_FORWARD_DEPTH = 2


def analyze_bytes(data: bytes) -> list[MessageReport]:
    """Every message in `data` (one message, a fragment, or an mbox), analysed."""
    data = ingest.normalise_newlines(data)
    # an mbox of From_ lines only holds no message: report on the input as it is
    return [analyze_message(raw) for raw in ingest.split_messages(data) or [data]]


def analyze_input(data: bytes, max_size: int,
                  on_skip: Callable[[Skip], None] | None = None) -> list[MessageReport]:
    """Every message, ESP event or log record in `data` (text bytes), analysed. JSON
    that holds no event of a known ESP, and a log with no failed or deferred delivery,
    are read as text, as they were before events and logs were read. Problems in events
    or logs (malformed JSON, an oversized record) are told to `on_skip`; without one,
    they are notes of the first report."""
    import io

    from .ingest.records import records_in, sniff

    shape = sniff(data[:1024])
    if shape is None:
        return _embedded_events(data) or analyze_bytes(data)
    told: list[Skip] = []
    try:
        records = [item[2] for item in records_in(io.BytesIO(data), "input", shape, max_size,
                                                   told.append)]
    except ingest.InputError as error:
        records, told = [], [ingest.Skip("input", str(error), named=True)]
    problems = [skip for skip in told if skip.unreadable or not skip.reason.startswith("no ")]
    reports = [analyze_record(record) for record in records]
    if not any(report.recipients or report.esp for report in reports):
        # no event, no delivery: an event pasted inside the text, or the text as it is
        reports = _embedded_events(data) or analyze_bytes(data)
        problems = [skip._replace(reason=f"not read as events or a log: {skip.reason}")
                    for skip in problems]
    if on_skip is not None:
        for problem in problems:
            on_skip(problem)
    elif problems and reports:
        notes = tuple(str(problem).removeprefix("input: ") for problem in problems[:20])
        reports[0] = reports[0]._replace(notes=reports[0].notes + notes)
    return reports


def _recipient(finding: Finding, kind: Kind, sender: str | None) -> RecipientReport:
    """One recipient's diagnosis, with the probe command that tests its server when one
    would help (smtp/suggest.py)."""
    diagnosis = diagnose(finding, kind, sender)
    if kind in (Kind.BOUNCE, Kind.DELAY):
        probe = probe_command(finding, diagnosis)
        if probe:
            diagnosis = diagnosis._replace(probe=probe)
    return RecipientReport(finding, diagnosis)


def analyze_record(record: Record) -> MessageReport:
    """Analyse one ESP event or MTA log record (ingest/records.py)."""
    reading = read_record(record)
    kind = reading.kind or message_kind(reading.findings)
    recipients = tuple(_recipient(f, kind, reading.sender) for f in reading.findings)
    return MessageReport(
        kind=kind,
        recipients=recipients,
        original=reading.original,
        parser=reading.parser,
        notes=reading.notes,
        date=reading.date,
        size=record.size,
        line=record.line,
        esp=reading.esp,
    )


#: text up to this size is searched for an ESP event pasted inside it
MAX_EMBEDDING = 256 * 1024
#: JSON values tried, at most
_TRIES = 4
# where a pasted JSON value starts: at a line's start, or after a log line's or a
# command's prefix ("INFO handler: {", "webhook payload: {", "-> ["), or an object
# after a space (a time stamp's: "2024-07-15T22:04:51.390Z {\"eventType\": ...")
_BRACKET = lazy(r"[{\[]")
_QUOTE_NEXT = lazy(r'[ \t]*"')


def json_openings(text: str) -> Iterator[int]:
    """The offsets in `text` where a pasted JSON value may start (see above), in order.

    Each bracket is found first and its context checked after: a regex that tried the
    prefixes at every position of the text cost more than the rest of reading it."""
    for bracket in _BRACKET.finditer(text):
        at = before = bracket.start()
        while before > 0 and text[before - 1] in " \t":  # each run of blanks is walked once
            before -= 1
        after_prefix = before == 0 or text[before - 1] in "\n:=>"  # a line start, ": {"
        if after_prefix or (text[at] == "{" and before < at and _QUOTE_NEXT.match(text, at + 1)):
            yield at


def _embedded_events(data: bytes) -> list[MessageReport]:
    """The reports of an ESP event pasted inside other text (a log line's prefix, the
    command that fetched it), or [] when the text holds no event of a known ESP."""
    if len(data) > MAX_EMBEDDING or b"{" not in data:
        return []
    import json

    from .events.registry import batch

    text = data.decode("utf-8", "replace")
    decoder = json.JSONDecoder()
    found: list[MessageReport] = []
    after = 0  # (several events pasted one after another: each is read)
    tries = 0
    for start in json_openings(text):
        if start < after:
            continue
        if tries >= _TRIES or len(found) >= 1000:
            break
        tries += 1
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            continue
        events = batch(value) or (value if isinstance(value, list) else [value])
        reports = [analyze_record(Record("event", 1, event, len(data)))
                   for event in events[:1000]]
        if any(report.esp for report in reports):
            found += [r for r in reports if r.esp]
            after, tries = end, 0
    return found[:1000]


def read_record(record: Record) -> Reading:
    """What one record says, by the ESP or log format that wrote it."""
    if record.format == "event":
        from .events.registry import read_event

        return read_event(record.payload)
    from .logs.registry import read_log

    return read_log(record.format, record.payload)


def analyze_stream(messages: Iterable[bytes]) -> Iterator[MessageReport]:
    """Analyse messages one at a time (for streaming an mbox)."""
    for raw in messages:
        yield analyze_message(ingest.normalise_newlines(raw))


def analyze_message(raw: bytes) -> MessageReport:
    """Analyse one message or fragment (a paste of several notices about one message:
    the latest notice about each recipient decides, see parse/notices.py)."""
    several = notices.parts(raw)
    if several:
        latest = _latest_notices([analyze_mail(Mail(part)) for part in several], len(raw))
        if latest is not None:
            return latest
    return analyze_mail(Mail(raw))


def _latest_notices(reports: list[MessageReport], size: int) -> MessageReport | None:
    """One report of several notices read apart, when a recipient delayed in an earlier
    notice failed in a later one: each recipient as the latest notice naming them tells
    it (a failure is never undone by a later warning). None when no notice supersedes
    another: the text is then read as one."""
    told = [r for r in reports if r.kind in (Kind.BOUNCE, Kind.DELAY)]
    latest: dict[str, tuple[RecipientReport, MessageReport]] = {}
    superseded = False
    for report in told:
        for recipient in report.recipients:
            address = recipient.finding.address
            if not address:
                continue
            earlier = latest.get(address.lower())
            action = recipient.finding.action
            if earlier is not None:
                before = earlier[0].finding.action
                if before is Action.FAILED and action is not Action.FAILED:
                    continue
                superseded |= before is Action.DELAYED and action is Action.FAILED
            latest[address.lower()] = (recipient, report)
    if not superseded:
        return None
    recipients = tuple(recipient for recipient, _ in latest.values())
    last = max((report for _, report in latest.values()), key=told.index)
    note = (f"this text holds {len(told)} notices about the message; for each recipient "
            "the latest one decides (a failure after a delay warning)")
    return last._replace(kind=message_kind(r.finding for r in recipients),
                         recipients=recipients, notes=(*last.notes, note), size=size)


def analyze_mail(mail: Mail, depth: int = 0) -> MessageReport:
    """Analyse a parsed message; looks inside attached messages when the outer one is
    a forward of a bounce."""
    result = read_findings(mail)
    if not result.findings and depth < _FORWARD_DEPTH:
        for inner in mail.attached_messages():
            report = analyze_mail(inner, depth + 1)
            if report.recipients:
                return report
    if (not result.findings or result.parser in _FALLBACK_PARSERS) and depth < _FORWARD_DEPTH:
        # a person's message or a pasted thread quoting a report with its own headers
        for inner in forwarded.reports_inside(mail.text):
            if mail.has_headers and not _forwarded_by_its_addressee(mail, inner):
                continue  # someone answering the report's addressee: a person's reply
            report = analyze_mail(inner, depth + 1)
            if report.recipients and report.kind is not Kind.NOT_BOUNCE:
                return report
    kind = message_kind(result.findings)
    original = original_headers(mail)
    addressee = next(iter(find_addresses(mail.header("To"))), None)
    sender = (original.sender if original and original.sender and "@" in original.sender
              else addressee)
    recipients = tuple(_recipient(f, kind, sender) for f in result.findings)
    if result.parser == pasted.NAME:
        # pasted text that no rule recognises, with no code and no bounce wording; when
        # nothing else in it is, the recipients it names under a lead that says delivery
        # failed ("Could not deliver message to the following recipient(s):", then a
        # reason no rule knows)
        kept = tuple(r for r in recipients if not r.diagnosis.rule.startswith(
            "fallback.") or pasted.has_evidence(r.finding, mail.text))
        if not kept and pasted.says_it_failed(mail.text):
            kept = tuple(r for r in recipients if r.finding.address)
        recipients = kept
        if not recipients:
            kind = Kind.NOT_BOUNCE
    if recipients and kind in (Kind.BOUNCE, Kind.DELAY) and all(
            r.diagnosis.reason is Reason.DELIVERED
            and not text.NOT_KEPT.search((r.finding.diagnostic or "")[:4000])
            for r in recipients):
        # every reply it quotes is a success ("250 2.0.0 Ok: queued", a receipt's "221"),
        # and none says the message was then thrown away: a report of delivery, whatever
        # words of failure framed it
        kind = Kind.DELIVERED
        recipients = tuple(RecipientReport(r.finding.with_changes(action=Action.DELIVERED),
                                           r.diagnosis) for r in recipients)
    notes = tuple(mail.limit_notes)
    if result.truncated:
        notes += (f"only the first {len(recipients)} recipients are reported; "
                  f"{result.truncated} more were cut (limit)",)
    return MessageReport(
        kind=kind,
        recipients=recipients,
        original=original,
        parser=result.parser,
        subject=mail.subject or None,
        notes=notes,
        addressee=addressee,
        date=iso_date(mail.header("Date")) if mail.has_headers else None,
        size=len(mail.raw),
    )


#: parsers of text no MTA family claimed: a report forwarded inside says more
_FALLBACK_PARSERS = frozenset({pasted.NAME, generic.NAME})


def _forwarded_by_its_addressee(mail: Mail, inner: Mail) -> bool:
    """Whether `mail` comes from the person the report it quotes was sent to (who
    forwards the bounce they got), or says it forwards it ("FW: Returned mail", a
    colleague passing on what a shared mailbox got), not from someone replying to that
    person."""
    if FORWARD_SUBJECT.match(mail.subject):
        return True
    sender = {a.lower() for a in find_addresses(mail.header("From"))}
    return bool(sender) and not sender.isdisjoint(
        a.lower() for a in find_addresses(inner.header("To")))


def message_kind(findings: Iterable[Finding]) -> Kind:
    """What sort of message the findings describe."""
    findings = list(findings)
    if not findings:
        return Kind.NOT_BOUNCE
    hints = {f.reason_hint for f in findings}
    if Reason.FEEDBACK in hints:
        return Kind.FEEDBACK
    if Reason.VACATION in hints or any(f.parser == autoreply.NAME for f in findings):
        return Kind.AUTO_REPLY  # (also one saying the person is gone for good)
    actions = {f.action for f in findings}
    if Action.FAILED in actions:
        return Kind.BOUNCE
    if Action.DELAYED in actions:
        return Kind.DELAY
    return Kind.DELIVERED


_SPACE = lazy(r"\s+")


def original_headers(mail: Mail) -> OriginalMessage | None:
    """Subject, From, To, Message-ID and Date of the returned message, when present."""
    original = mail.original
    if original is None:
        return None
    from .mime.textcodec import decode_header

    raw: dict[str, str] = {}
    for field, value in original.raw_items():  # (read raw, as Mail.headers reads its own:
        raw.setdefault(field.lower(), value)  # undeclared 8-bit text is decoded by our guess)

    def get(name: str) -> str | None:
        value = raw.get(name.lower())
        return _SPACE.sub(" ", decode_header(value)).strip() or None if value else None

    sender = get("From")
    senders = find_addresses(sender) if sender else []
    return OriginalMessage(
        subject=get("Subject"),
        sender=senders[0] if senders else sender,
        to=get("To"),
        message_id=get("Message-ID"),
        date=get("Date"),
    )
