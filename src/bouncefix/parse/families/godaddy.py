"""GoDaddy (Workspace Email / smtpout relays under secureserver.net). Its outbound relay
writes qmail-style reports: the recipient in angle brackets on a line of its own, then the
relay's words and the remote reply, often with one of GoDaddy's "IBnnn" codes::

    I'm afraid I wasn't able to deliver your message to the following addresses.
    This is a permanent error; I've given up. Sorry it didn't work out.

    <jane@example.org>:
    192.0.2.25 does not like recipient.
    Remote host said: 550 5.1.1 <jane@example.org>: Recipient not found
    Giving up on 192.0.2.25.

    <bob@example.net>:
    552 Message rejected for spam or virus content IB212

Reports in Postfix's or Sendmail's own layout are left to those parsers.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail, field
from ...model import Finding
from .. import codes, dsn, text

NAME = "godaddy"

_HOST = lazy(r"(?i)[@.]secureserver\.net\b")
_OTHERS = lazy(
    r"(?im)^[ \t]*This is the mail system at host|^[ \t]*-{3,}[ \t]*Transcript of session"
    r"|^[ \t]*-{3,}[ \t]*The following addresses had|^[ \t]*This message was created"
    r" automatically by mail delivery software")
_ENTRY = lazy(r"(?m)^[ \t]*<([^<>\s@]{1,128}@[^<>\s@]{1,255})>:[ \t]*$")
_SAID = lazy(r"(?im)^[ \t]*Remote host said:[ \t]*")
_GIVING_UP = lazy(r"(?im)^[ \t]*(?:Giving up on|I'm not going to try again)[^\n]{0,200}$")
# 192.0.2.61 does not like recipient. / 192.0.2.61 failed after I sent the message.
_STAGE = lazy(
    r"(?im)^[ \t]*([0-9A-Fa-f.:]{3,45}|[A-Za-z0-9.-]{1,255}) (does not like recipient|does not"
    r" like sender|failed after I sent the message|failed on DATA command)"
)
_STAGES = {"does not like recipient": "RCPT", "does not like sender": "MAIL",
           "failed after i sent the message": "DATA", "failed on data command": "DATA"}
_BELOW = lazy(r"(?im)^-{2,}[ \t]*Below this line is a copy of the message")


def matches(mail: Mail) -> bool:
    """A report from a secureserver.net mailer-daemon in the relay's own layout."""
    if not mail.has_headers:
        return False
    reporter = next((field(b, "Reporting-MTA") or "" for b in mail.delivery_status[:1]), "")
    if not _HOST.search(f"{mail.sender} .{reporter.rpartition(';')[2].strip()}"):
        return False
    report = _report(mail)[:20000]
    return bool(_ENTRY.search(report)) and not _OTHERS.search(report)


def parse(mail: Mail) -> list[Finding]:
    """One finding per '<address>:' entry; the remote reply when quoted."""
    report = _report(mail)[:200000]
    entries = list(_ENTRY.finditer(report))
    findings: dict[str, Finding] = {}
    for index, entry in enumerate(entries):
        address = codes.clean_address(entry.group(1))
        if address is None or address.lower() in findings:
            continue
        end = entries[index + 1].start() if index + 1 < len(entries) else len(report)
        block = _GIVING_UP.sub("", report[entry.end(): end]).strip().split("\n\n", 1)[0]
        said = _SAID.search(block)
        words = codes.unwrap_reply(block[said.end():] if said else block)
        stage = _STAGE.search(block)
        found = text.finding_from_words(words, address, NAME)
        if stage:
            found = found.with_changes(
                remote_mta=stage.group(1),
                smtp_command=found.smtp_command or _STAGES[stage.group(2).lower()])
        findings[address.lower()] = found
    if findings:
        return list(findings.values())
    return [f.with_changes(parser=NAME) for f in dsn.parse(mail) if f.address]


def _report(mail: Mail) -> str:
    body = mail.text
    below = _BELOW.search(body)
    return text.report_part(body[: below.start()] if below else body)
