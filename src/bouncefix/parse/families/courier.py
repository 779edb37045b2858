"""Courier mail server: a text report with a per-recipient transcript, then an RFC 3464
part whose Status is often just 5.0.0 and whose Diagnostic-Code lacks the command::

    This is a delivery status notification from mx.example.net,
    running the Courier mail server, version 1.1.

                               UNDELIVERABLE MAIL

    Your message to the following recipients cannot be delivered:

    <jane@example.org>:
        mx.example.org [192.0.2.10]:
    >>> RCPT TO:<jane@example.org>
    <<< 550 5.1.1 <jane@example.org>... User unknown

Delays use the heading ``DELAYS IN DELIVERING YOUR MESSAGE`` and the subject
``WARNING: delayed mail.``
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, dsn, text

NAME = "courier"

_MARKER = lazy(r"(?i)running the Courier mail server|^courier\.[0-9A-F]{4,}")
_ENTRY = lazy(r"^<([^<>\s]{1,320}@[^<>\s]{1,255})>:[ \t]*$")
_HOST = lazy(r"^([A-Za-z0-9._-]{1,255}) \[[^\]\s]{1,64}\]:$")
_SENT = lazy(r"^>>> ([A-Za-z]{4,8})")
_DELAYED = lazy(r"DELAYS IN DELIVERING YOUR MESSAGE")


def matches(mail: Mail) -> bool:
    """Courier names itself in the report; its Message-IDs start with ``courier.``."""
    if _MARKER.search(mail.header("Message-ID").strip("<> ")):
        return True
    return bool(_MARKER.search(mail.text[:3000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per ``<address>:`` paragraph, with the reply (``<<<``) and command."""
    # Not text.report_part: "The original message was received on ..." opens the report.
    report = mail.text[:100000]
    standard = {f.address.lower(): f for f in dsn.parse(mail) if f.address} if dsn.matches(
        mail) else {}
    delayed = _DELAYED.search(report) or mail.subject.lower().startswith("warning: delayed mail")
    default = Action.DELAYED if delayed else Action.FAILED
    findings = []
    for block in text.paragraphs(report)[:500]:
        lines = block.split("\n")
        entry = _ENTRY.match(lines[0].strip())
        address = codes.clean_address(entry.group(1)) if entry else None
        if not address:
            continue
        finding = _finding(address, lines[1:])
        other = standard.get(address.lower())
        findings.append(finding.with_changes(action=other.action if other else default))
    return findings


def _finding(address: str, lines: list[str]) -> Finding:
    remote: str | None = None
    command: str | None = None
    replies: list[str] = []
    others: list[str] = []
    for raw in lines[:200]:
        line = raw.strip()
        host = _HOST.match(line)
        sent = _SENT.match(line)
        if host:
            remote = host.group(1)
        elif sent:
            command, replies = sent.group(1).upper(), []
        elif line.startswith("<<<"):
            replies.append(line[3:].strip())
        elif line:
            others.append(line)
    words = codes.unwrap_reply("\n".join(replies or others))
    found = text.finding_from_words(words, address, NAME)
    return found.with_changes(remote_mta=remote, smtp_command=command or found.smtp_command)
