"""Postfix: the bounce(8) report names each recipient in a paragraph folded at 80
columns, then an RFC 3464 part (``X-Postfix-Queue-ID``) that lacks the SMTP command::

    This is the mail system at host mx.example.net.
    <jane@example.org>: host mx.example.org[192.0.2.10] said: 550 5.1.1
        <jane@example.org>: Recipient address rejected: User unknown (in reply to
        RCPT TO command)
    <joe@example.org> (expanded from <team@example.org>): host mx.example.org[192.0.2.10]
        refused to talk to me: 554 5.7.1 Service unavailable

The postmaster copy of a server-side error ("Postfix SMTP server: errors from") is a
transcript: `` In:  RCPT TO:<jane@example.org>``, `` Out: 451 4.3.0 Error: ...``.
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

from ...mail import Mail, field
from ...model import Action, Finding, Reason
from .. import codes, dsn, text

NAME = "postfix"

_MARKER = lazy(
    r"(?im)^[ \t]*(?:This is the (?:mail system|Postfix program) at host [^\s]{1,255}\.?[ \t]*$"
    r"|The (?:mail system|Postfix program)[ \t]*$)"
)
_SUBJECT = lazy(
    r"(?i)^(?:Undelivered Mail Returned to Sender|Delayed Mail \(still being retried\)"
    r"|\S{1,40} SMTP server: errors from|Mail Delivery Status Report"
    r"|Successful Mail Delivery Report)"
)
# <jane@example.org> (expanded from <team@example.org>): host ... said: ...
_ENTRY = lazy(
    r"\A[ \t]{0,2}<([^<>\s]{1,320}@[^<>\s]{1,255})>"
    r"(?:[ \t]+\(expanded[ \t]+from[ \t]+<([^<>\s]{1,320})>\))?:[ \t]*(.{1,20000})\Z",
    re.S,
)
# host mx.example.org[192.0.2.10] said: 550 5.1.1 ... (in reply to RCPT TO command)
_SAID = lazy(r"\Ahost (\S{1,255}?)\[[^\]\s]{0,64}\] said: (.{1,10000})\Z", re.S)
_IN_REPLY = lazy(r"\(in reply to ([A-Za-z ]{2,40}) command\)[ .]{0,4}\Z")
# host mx.example.org[192.0.2.10] refused to talk to me: 554 ...
_REFUSED = lazy(
    r"\Ahost (\S{1,255}?)\[[^\]\s]{0,64}\] refused to talk to me: (.{1,10000})\Z", re.S)
# connect to mx.example.org[192.0.2.10]:25: Connection refused
_HOST = lazy(r"\b(?:connect to|with|host) ([A-Za-z0-9.-]{1,255})\[[^\]\s]{0,64}\]")
_GREETING = lazy(r"(?i)initial server greeting|refused to talk to me|\bconnect to\b")
_LEAD = lazy(r"([245]\d\d)[ -](?:([245]\.\d{1,3}\.\d{1,3})[ \t]+)?")
_WARNING = lazy(r"(?im)^#[ \t]*THIS IS A WARNING ONLY")
_LOCAL_MAILER = lazy(r"(?i)\bCommand output:|\bcommand died with\b")
_TRANSCRIPT = lazy(r"(?im)^Transcript of session follows\.[ \t]*$")
_SESSION_LINE = lazy(r"(?m)^ (In|Out):[ \t]+(.{0,2000}(?:\n {5,}\S.{0,2000}){0,10})")


def matches(mail: Mail) -> bool:
    """Postfix's report sentences, its subjects, or its DSN extension fields."""
    if _SUBJECT.match(mail.subject) and "mailer-daemon" in mail.sender.lower():
        return True
    report = text.report_part(mail.text)[:20000]
    if _MARKER.search(report) or (_TRANSCRIPT.search(report) and " Out: " in report):
        return True
    return any(field(block, "X-Postfix-Queue-ID") for block in mail.delivery_status[:1])


def parse(mail: Mail) -> list[Finding]:
    """One finding per ``<address>: ...`` paragraph; the session transcript otherwise."""
    report = text.report_part(mail.text)
    standard = {f.address.lower(): f for f in dsn.parse(mail) if f.address} if dsn.matches(
        mail) else {}
    unix = _local_mailer_addresses(mail)
    delayed = bool(_WARNING.search(report[:5000]))
    findings: list[Finding] = []
    seen: set[str] = set()
    for block in _entry_blocks(text.paragraphs(report)[:500]):
        entry = _ENTRY.match(" ".join(block.split()))
        if not entry or entry.group(1).lower() in seen:
            continue
        address = codes.clean_address(entry.group(1))
        if not address:
            continue
        seen.add(address.lower())
        other = standard.get(address.lower())
        finding = _finding(address, entry.group(3), other)
        action = other.action if other else (Action.DELAYED if delayed else Action.FAILED)
        original = codes.clean_address(entry.group(2))
        hint = Reason.MAILERERROR if address.lower() in unix or _LOCAL_MAILER.search(
            finding.diagnostic or "") else None
        findings.append(finding.with_changes(
            action=action, original_recipient=original, reason_hint=hint))
    if findings:
        return findings
    if _TRANSCRIPT.search(report):
        return _from_transcript(report)
    return _unavailable(mail, report)


# a line that opens a recipient's entry (its continuation lines are indented)
_ENTRY_LINE = lazy(r"\A[ \t]{0,2}<[^<>\s]{1,320}@[^<>\s]{1,255}>(?:[ \t]+\(expanded[ \t]+from|:)")


def _entry_blocks(paragraphs: list[str]) -> list[str]:
    """The paragraphs, with entries that follow each other without a blank line between
    them (as copies of the report often have) taken apart."""
    out: list[str] = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        starts = [i for i, line in enumerate(lines) if _ENTRY_LINE.match(line)]
        if len(starts) < 2:
            out.append(paragraph)
            continue
        if starts[0]:
            out.append("\n".join(lines[:starts[0]]))
        out += ["\n".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)],
                                                       strict=True)]
    return out


def _finding(address: str, words: str, other: Finding | None) -> Finding:
    """Server words and command from the paragraph text after ``<address>:``."""
    words = words.strip()
    said = _SAID.match(words)
    if said:
        reply, command = said.group(2), None
        start = reply.rfind("(in reply to ")
        tail = _IN_REPLY.match(reply, start) if start >= 0 else None
        if tail:
            reply = reply[:start]
            command = codes.find_command(f"in reply to {tail.group(1)}")
        found = text.finding_from_words(_flatten(reply), address, NAME)
        return found.with_changes(remote_mta=said.group(1), smtp_command=command)
    refused = _REFUSED.match(words)
    if refused:
        found = text.finding_from_words(_flatten(refused.group(2)), address, NAME)
        return found.with_changes(remote_mta=refused.group(1), smtp_command="CONNECT")
    # Local delivery: "<jane@example.org>: temporary failure" while the DSN says
    # "Diagnostic-Code: x-unix; /var/mail/jane: Disk quota exceeded".
    richer = other.diagnostic if other else None
    if richer and richer.lower() not in words.lower():
        words = richer
    found = text.finding_from_words(words, address, NAME)
    host = _HOST.search(words)
    command = found.smtp_command or ("CONNECT" if _GREETING.search(words) else None)
    return found.with_changes(
        remote_mta=host.group(1) if host else None, smtp_command=command)


def _flatten(reply: str) -> str:
    """Postfix joins a multi-line reply with spaces, leaving the continuation prefixes
    inside: "550-5.1.1 The email account ... Please try 550-5.1.1 double-checking ...
    Learn more at 550 5.1.1 https://...". Drop the repeated prefixes."""
    lead = _LEAD.match(reply)
    if not lead:
        return reply
    code, status = lead.group(1), lead.group(2)
    rest = f" {reply[lead.end():]} "
    prefixes = (f" {code}-{status} ", f" {code} {status} ") if status else (
        f" {code}-", f" {code} ") if f" {code}-" in rest else ()
    for prefix in prefixes:
        rest = rest.replace(prefix, " ")
    return f"{code} {status + ' ' if status else ''}{rest.strip()}"


def _local_mailer_addresses(mail: Mail) -> set[str]:
    """Recipients whose Diagnostic-Code type is x-unix (a local delivery command)."""
    out: set[str] = set()
    for block in mail.delivery_status[1:200]:
        kind = (field(block, "Diagnostic-Code") or "").split(";", 1)[0].strip().lower()
        address = codes.clean_address(field(block, "Final-Recipient"))
        if kind == "x-unix" and address:
            out.add(address.lower())
    return out


def _from_transcript(report: str) -> list[Finding]:
    """The postmaster copy: the first 4xx/5xx the server sent, the command it answered,
    and the recipients given in RCPT TO."""
    command: str | None = None
    recipients: list[str] = []
    failure: tuple[str, str | None] | None = None
    for match in _SESSION_LINE.finditer(report[:100000]):
        line = " ".join(match.group(2).split())
        if match.group(1) == "In":
            command = line.split(" ", 1)[0].split(":", 1)[0].upper() or None
            if command == "RCPT":
                recipients.extend(codes.find_addresses(line)[:1])
        elif failure is None and line[:1] in "45" and codes.find_reply_code(line):
            failure = (line, command)
    if failure is None:
        return []
    line, failed_command = failure
    targets: list[str | None] = [*text.unique(recipients)] or [None]
    return [
        text.finding_from_words(line, address, NAME).with_changes(smtp_command=failed_command)
        for address in targets
    ]


def _unavailable(mail: Mail, report: str) -> list[Finding]:
    """``--- Delivery report unavailable ---``: only the returned message tells whom."""
    if "Delivery report unavailable" not in report:
        return []
    original = mail.original
    found = codes.find_addresses(str(original.get("To", ""))) if original is not None else []
    return [Finding(address=found[0] if len(found) == 1 else None, parser=NAME)]
