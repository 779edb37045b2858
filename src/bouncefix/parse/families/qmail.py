"""qmail (and its clones: netqmail, indimail, vpopmail/qmail-ldap hosts, ISP variants):
qmail-send writes a fixed introduction, then one ``<address>:`` paragraph per recipient
holding qmail-remote's or qmail-local's words, then the returned message::

    Hi. This is the qmail-send program at mail.example.net.
    I'm afraid I wasn't able to deliver your message to the following addresses.
    This is a permanent error; I've given up. Sorry it didn't work out.

    <jane@example.org>:
    192.0.2.10 does not like recipient.
    Remote host said: 550 5.1.1 <jane@example.org>: Recipient address rejected
    Giving up on 192.0.2.10.

    <joe@example.com>:
    Sorry, no mailbox here by that name. (#5.1.1)

    --- Below this line is a copy of the message.

qmail's own enhanced codes are written ``(#5.1.1)``. Clones keep the paragraphs but change
the introduction ("Your mail message to the following address(es) could not be
delivered.") or the last line ("--- Enclosed is a copy of the message.").
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding, Reason
from .. import codes, text

NAME = "qmail"

_INTRO = lazy(
    r"(?im)^[ \t]*(?:Hi\. This is the qmail(?:-send)? program|This is the qmail-send program"
    r"|I'm afraid I wasn't able to deliver your message to the following addresses)"
)
_COPY = lazy(
    r"(?im)^[ \t]*--- ?(?:Below this line is (?:a copy of the message|the original bounce)"
    r"|Enclosed is a copy of the message)"
)
_CLONE_INTRO = lazy(
    r"(?i)(?:Your mail message to the following address\(?es\)? could not be delivered"
    r"|unable to deliver your message to the following addresses"
    r"|This is the mail delivery agent at|Your message to the following addresses)"
)
_QMAIL_RECEIVED = lazy(r"(?i)\(qmail \d{1,10} invoked |\binvoked for bounce\)")
_ENTRY = lazy(r"^<([^<>\s]{1,320}@[^<>\s]{1,255})>:[ \t]*(.{0,2000})$")
_SAID = lazy(r"(?i)\bRemote host said:[ \t]*")
_PROGRESS = lazy(
    r"(?i)most progress was ([A-Z]{4}(?: [A-Z]{2,4})?) response; remote host (\S{1,255}) said:"
    r"[ \t]*"
)
# qmail-remote: "192.0.2.10 does not like recipient." and the other fixed sentences.
_CONTEXT = (
    (lazy(r"(\S{1,255}) does not like recipient\."), "RCPT"),
    (lazy(r"(\S{1,255}) failed on DATA command\."), "DATA"),
    (lazy(r"(\S{1,255}) failed after I sent the message\."), "DATA"),
    (lazy(r"Connected to (\S{1,255}) but sender was rejected\."), "MAIL"),
    (lazy(r"Connected to (\S{1,255}) but my name was rejected\."), "HELO"),
    (lazy(r"Connected to (\S{1,255}) but greeting failed\."), "CONNECT"),
)
_QMAIL_LINE = lazy(
    r"(?i)^(?:Giving up on |I'm not going to try again|\(Other MXes tried|/I'm not going)"
)
_GIVING_UP = lazy(r"(?i)^Giving up on (\S{1,255}?)\.?$")
_EXPIRED = lazy(r"(?i)this message has been in the queue too long")


def matches(mail: Mail) -> bool:
    """qmail-send's introduction, or a clone's copy line with qmail's headers."""
    report = mail.text[:20000]
    if _INTRO.search(report):
        return True
    if not _COPY.search(report):
        return False
    qmail_headers = any(_QMAIL_RECEIVED.search(r) for r in mail.headers("Received")[:20])
    failure = mail.subject.lower().startswith("failure notice")
    return (qmail_headers or failure) and bool(_CLONE_INTRO.search(report[:5000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per ``<address>:`` paragraph before the returned message."""
    report = mail.text[:200000]
    cut = _COPY.search(report)
    report = text.report_part(report[: cut.start()] if cut else report)
    findings: list[Finding] = []
    for address, lines in _entries(report):
        if address.lower() not in {f.address.lower() for f in findings if f.address}:
            findings.append(_finding(address, lines))
    return findings


def _entries(report: str) -> list[tuple[str, list[str]]]:
    """``(address, lines)`` for each ``<address>:`` paragraph."""
    entries: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for raw in report.split("\n")[:5000]:
        line = raw.strip()
        entry = _ENTRY.match(line)
        address = codes.clean_address(entry.group(1)) if entry else None
        if entry and address:
            current = [entry.group(2)] if entry.group(2) else []
            entries.append((address, current))
        elif current is not None and line:
            current.append(line)
        elif current is not None and current:
            current = None
    return entries


def _finding(address: str, lines: list[str]) -> Finding:
    """Server words, command and remote host of one recipient paragraph."""
    body = "\n".join(lines)
    command, remote = _context(body)
    words, said = _server_words(lines)
    progress = _PROGRESS.search(body)
    if progress:
        # Sorry, no SMTP connection got far enough; most progress was RCPT TO response;
        # remote host 192.0.2.32 said: 550 Unknown user jane@example.org
        command = codes.find_command(f"in reply to {progress.group(1)}") or command
        remote = remote or progress.group(2)
        tail = body[progress.end():].split("\n")
        words = "\n".join(line for line in tail if not _QMAIL_LINE.match(line))
        said = True
    found = text.finding_from_words(codes.unwrap_reply(words), address, NAME)
    if found.status is None:
        found = found.with_changes(status=codes.find_status(body))
    if not said:
        # local delivery (qmail-local, vdelivermail): qmail's own words, no reply code
        found = found.with_changes(reply_code=None)
    hint = Reason.EXPIRED if _EXPIRED.search(body) else None
    return found.with_changes(
        smtp_command=command or found.smtp_command, remote_mta=remote or _giving_up(lines),
        reason_hint=hint)


def _context(body: str) -> tuple[str | None, str | None]:
    for pattern, command in _CONTEXT:
        match = pattern.search(body)
        if match:
            return command, match.group(1).rstrip(".")
    return None, None


def _server_words(lines: list[str]) -> tuple[str, bool]:
    """What follows ``Remote host said:`` (the whole reply); else the paragraph without
    qmail's own context sentences."""
    for index, line in enumerate(lines):
        said = _SAID.search(line)
        if said:
            taken = [line[said.end():]]
            for follow in lines[index + 1 : index + 40]:
                if _QMAIL_LINE.match(follow):
                    break
                taken.append(follow)
            return "\n".join(taken), True
    kept = [
        line for line in lines
        if not _QMAIL_LINE.match(line) and not any(p.search(line) for p, _ in _CONTEXT)
    ]
    return "\n".join(kept), False


def _giving_up(lines: list[str]) -> str | None:
    for line in lines:
        match = _GIVING_UP.match(line)
        if match:
            return match.group(1)
    return None
