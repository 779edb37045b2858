"""Mail.Ru: Exim's report with a Russian version in front, ``From:
mailer-daemon@corp.mail.ru``, ``Message-Id: <...@smtpNN.mail.ru>``, ``X-Failed-Recipients``::

    Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.
    ... (the same list, in Russian; there an address may lack its domain)
    **********************

    This message was created automatically by mail delivery software.
    ... The following address(es) failed:

      jane@example.org
        SMTP error from remote mail server after RCPT TO:<jane@example.org>:
        host mx.example.org [192.0.2.10]: 550 5.1.1 <jane@example.org>... User Unknown

    ------ This is a copy of the message, including all the headers. ------

The English list is read (the Russian one when there is no English one); the lines under
an address that are not ``host ...:`` or ``SMTP error ...`` are Exim's own words
("an MX or SRV record indicated no SMTP service", "retry timeout exceeded").
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding, Reason
from .. import codes, text

NAME = "mailru"

_FROM = lazy(r"(?i)mailer-daemon@(?:[a-z0-9-]{1,63}\.){0,4}mail\.ru\b")
_MESSAGE_ID = lazy(r"(?i)(?:\.mail\.ru|smailru\.net)>$")
_RUSSIAN = lazy(r"(?m)^Это письмо создано автоматически\s{1,4}сервером Mail\.Ru")
_ENGLISH = lazy(r"(?m)^This message was created automatically by mail delivery software")
_FAILED = lazy(r"(?i)address\(es\)\s{1,4}failed:|одному или нескольким\s{1,4}получателям:")
_COPY = lazy(r"(?m)^-{6} This is a copy of the message|^\*{10,40}[ \t]*$")
_ENTRY = lazy(r"^[ \t]{1,4}(\S{1,320})$")
_SMTP_ERROR = lazy(
    r"(?i)^SMTP error from remote (?:mail )?(?:server|mailer) after (?:pipelined )?"
    r"(RCPT TO|MAIL FROM|end of data|DATA|initial connection|EHLO|HELO)\b")
_HOST = lazy(r"^host ([A-Za-z0-9._-]{1,255}) \[[^\]\s]{1,64}\]:?[ \t]*(.*)$")
_COMMANDS = {"RCPT TO": "RCPT", "MAIL FROM": "MAIL", "END OF DATA": "DATA",
             "INITIAL CONNECTION": "CONNECT"}
_TIMEOUT = lazy(r"(?i)retry timeout exceeded|have been failing for a long time")


def matches(mail: Mail) -> bool:
    """A Mail.Ru mailer-daemon with a Mail.Ru Message-Id, or the Russian opening."""
    if not mail.has_headers:
        return False
    if _RUSSIAN.search(mail.text[:5000]):
        return True
    own = _FROM.search(mail.sender) and _MESSAGE_ID.search(mail.header("Message-Id").strip())
    return bool(own and _ENGLISH.search(mail.text[:20000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per address of the English list (else the Russian one)."""
    body = text.report_part(mail.text[:200000])
    english = _ENGLISH.search(body)
    part = body[english.end():] if english else body
    failed = _FAILED.search(part)
    if not failed:
        return []
    part = part[failed.end():]
    cut = _COPY.search(part)
    entries = _entries(part[: cut.start()] if cut else part)
    findings = [_finding(address, lines) for address, lines in entries]
    if not findings:
        listed = mail.failed_recipients.addresses
        findings = [Finding(address=a, parser=NAME) for a in text.unique(listed)]
    return findings


def _entries(block: str) -> list[tuple[str, list[str]]]:
    """(address, detail lines): an address two spaces in, its details four spaces in."""
    entries: list[tuple[str, list[str]]] = []
    for line in block.split("\n")[:5000]:
        entry = _ENTRY.match(line)
        address = codes.clean_address(entry.group(1)) if entry else None
        if address and not line.startswith(("    ", "\t")):
            if address.lower() not in {a.lower() for a, _ in entries}:
                entries.append((address, []))
            else:
                entries.append(("", []))  # a repeated address: its lines are ignored
        elif entries and line.startswith(("   ", "\t")) and line.strip():
            entries[-1][1].append(line.strip())
        elif entries and line.strip() and not line[:1].isspace():
            break  # the closing sentence
    return [(a, lines) for a, lines in entries if a]


def _finding(address: str, lines: list[str]) -> Finding:
    command: str | None = None
    remote: str | None = None
    words: list[str] = []
    for line in lines:
        error = _SMTP_ERROR.match(line)
        host = _HOST.match(line)
        if error:
            name = " ".join(error.group(1).upper().split())
            command = _COMMANDS.get(name, name)
        elif host:
            # host mx.example.org [192.0.2.10]: 550 5.1.1 <jane@example.org>... User Unknown
            remote = host.group(1)
            words = [host.group(2)] if host.group(2) else []
        else:
            words.append(line)
    found = text.finding_from_words(codes.unwrap_reply("\n".join(words)), address, NAME)
    hint = Reason.EXPIRED if _TIMEOUT.search(" ".join(lines)) else None
    if remote is None:
        found = found.with_changes(reply_code=None) if not command else found
    return found.with_changes(
        smtp_command=command or found.smtp_command, remote_mta=remote, reason_hint=hint)
