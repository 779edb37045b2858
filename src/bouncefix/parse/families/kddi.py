"""au by KDDI: two report formats, both with a Japanese notice before the English lines.

EZweb (``From: Postmaster@ezweb.ne.jp`` or ``@au.com``, ``Subject: Mail System Error -
Returned Mail``, ``Received: ... (EZweb Mail)``) states the cause in a fixed sentence,
then names the recipients, either with the remote reply or as a short transcript::

    The user(s) account is disabled.

    <jane@ezweb.example>: 550 user unknown (in reply to RCPT TO command)

    Each of the following recipients was rejected by a remote mail server.
        Recipient: <joe@example.org>
        >>> RCPT TO:<joe@example.org>
        <<< 550 <joe@example.org>: User unknown

au one net (``From: no-reply@....dion.ne.jp``, relayed by ``auone-net.jp``) writes::

    Your mail sent on: Thu, 29 Apr 2021 10:00:00 +0900
         Could not be delivered to: <jane@example.org>
         As their mailbox is full.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding, Reason
from .. import codes, text

NAME = "kddi"

_EZ_FROM = lazy(r"(?i)postmaster@(?:ezweb\.ne\.jp|au\.com)\b")
_EZ_RECEIVED = lazy(r"\(EZweb Mail\)|\.au\.com \(")
_EZ_MESSAGE_ID = lazy(r"(?i)[@.](?:ezweb\.ne\.jp|au\.com)>$")
_AU_HEADERS = lazy(r"(?i)\b(?:dion\.ne\.jp|auone-net\.jp|ezweb\.ne\.jp|au\.com)\b")
_AU_START = lazy(r"(?m)^Your mail (?:sent|attempted to be delivered) on:? ")
_AU_RECIPIENT = lazy(r"^[ \t]{1,12}Could not be delivered to:[ \t]*<?([^<>\s]{3,320})>?")
# The user(s) account is disabled. / Your message was not delivered within 0 days and 1 hours.
_NOTICE = lazy(
    r"^(?:The user\(s\) account is .{1,120}|Your message was not delivered within .{1,120}"
    r"|Remote host is not responding\.?)$"
)
_EZ_ADDRESS = lazy(r"^<([^<>\s]{3,320})>:?[ \t]*(.{0,2000})$")
_EZ_TRANSCRIPT = lazy(r"^[ \t]{1,12}Recipient:[ \t]*<([^<>\s]{3,320})>")
_SENT = lazy(r"^[ \t]{0,12}>>>[ \t]*([A-Za-z]{4})(?:[ \t]+([A-Za-z]{2,4}))?")
_RECEIVED = lazy(r"^[ \t]{0,12}<<<[ \t]*(.{1,2000})$")
_COPY = lazy(r"(?m)^-{50}")
_COMMANDS = {"RCPT": "RCPT", "MAIL": "MAIL", "DATA": "DATA", "HELO": "HELO", "EHLO": "EHLO"}


def matches(mail: Mail) -> bool:
    """EZweb by two of its header marks; au one net by its sentences and a KDDI host."""
    if not mail.has_headers:
        return False
    return _ezweb_marks(mail) >= 2 or _is_au_one(mail)


def _ezweb_marks(mail: Mail) -> int:
    marks = int(bool(_EZ_FROM.search(mail.sender)))
    marks += mail.subject.strip() == "Mail System Error - Returned Mail"
    marks += any(_EZ_RECEIVED.search(r) for r in mail.headers("Received")[:12])
    marks += bool(_EZ_MESSAGE_ID.search(mail.header("Message-Id").strip()))
    return marks


def _is_au_one(mail: Mail) -> bool:
    if not _AU_START.search(mail.text[:20000]):
        return False
    heads = [mail.sender, mail.header("Reply-To"), *mail.headers("Received")[:12]]
    return any(_AU_HEADERS.search(h) for h in heads)


def parse(mail: Mail) -> list[Finding]:
    """One finding per recipient named in either format."""
    report = text.report_part(mail.text[:200000])
    cut = _COPY.search(report)
    report = report[: cut.start()] if cut else report
    found = _au_one(report) if _AU_START.search(report) else _ezweb(report)
    if mail.header("X-SPASIGN").strip().upper() == "NG":
        # the recipient's own filter (au's anti-spam setting) refused the message
        found = [f.with_changes(reason_hint=Reason.FILTERED) for f in found]
    return found


def _ezweb(report: str) -> list[Finding]:
    notice: list[str] = []
    entries: list[tuple[str, list[str], list[str]]] = []  # address, inline words, <<< lines
    commands: dict[int, str] = {}
    for raw in report.split("\n")[:5000]:
        line = raw.rstrip()
        stripped = line.strip()
        if _NOTICE.match(stripped):
            notice.append(stripped)
            continue
        head = _EZ_TRANSCRIPT.match(line) or _EZ_ADDRESS.match(stripped)
        address = codes.clean_address(head.group(1)) if head else None
        if head and address:
            inline = head.group(2) if head.lastindex and head.lastindex > 1 else ""
            entries.append((address, [inline] if inline else [], []))
            continue
        if not entries:
            continue
        sent = _SENT.match(line)
        if sent:
            commands[len(entries) - 1] = _COMMANDS.get(sent.group(1).upper(), sent.group(1).upper())
            continue
        said = _RECEIVED.match(line)
        if said:
            entries[-1][2].append(said.group(1))
    return [_ez_finding(address, inline, said, " ".join(notice), commands.get(index))
            for index, (address, inline, said) in enumerate(entries)]


def _ez_finding(
    address: str, inline: list[str], said: list[str], notice: str, command: str | None
) -> Finding:
    words = codes.unwrap_reply("\n".join(said or inline))
    found = text.finding_from_words(words, address, NAME)
    diagnostic = " ".join(part for part in (notice, words) if part) or None
    return found.with_changes(
        diagnostic=diagnostic, smtp_command=command or found.smtp_command)


def _au_one(report: str) -> list[Finding]:
    findings: list[Finding] = []
    current: tuple[str, list[str]] | None = None
    for raw in report.split("\n")[:5000]:
        match = _AU_RECIPIENT.match(raw)
        address = codes.clean_address(match.group(1)) if match else None
        if address:
            current = (address, [])
            findings.append(Finding(address=address, parser=NAME))
        elif current and raw[:1] in (" ", "\t") and raw.strip():
            current[1].append(raw.strip())
            words = " ".join(current[1])
            findings[-1] = text.finding_from_words(words, current[0], NAME)
        elif current and not raw.strip() and current[1]:
            current = None
    return findings
