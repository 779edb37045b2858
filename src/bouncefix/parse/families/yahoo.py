"""Yahoo Mail ("Failure Notice" from MAILER-DAEMON@yahoo.com): one block per recipient,
the address in angle brackets, then the remote reply (its code sometimes followed by a
colon) and the SMTP stage in square brackets::

    Sorry, we were unable to deliver your message to the following address.

    <jane@example.org>:
    Remote host said: 550 5.1.1 <jane@example.org>... User Unknown [RCPT_TO]

    <bob@example.net>:
    550: 5.2.2 <bob@example.net>... Mailbox Full

    <joe@example.com>:
    No mx record found for domain=example.com
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "yahoo"

_OPENING = lazy(
    r"(?im)^[ \t]*Sorry, we were unable to deliver your message to the following address(?:es)?\."
)
_BELOW = lazy(r"(?im)^-{2,}[ \t]*Below this line is a copy of the message")
_RECIPIENT = lazy(r"(?m)^[ \t]*<([^<>\s@]{1,128}@[^<>\s@]{1,255})>:[ \t]*$")
_SAID = lazy(r"(?i)^Remote host said:[ \t]*")
# "550: 5.1.1 ..." and "550: : User unknown": the code with a colon after it
_CODE_COLON = lazy(r"^([245]\d\d):[ \t]*")
# "... User Unknown [RCPT_TO]"
_STAGE = lazy(r"\[(RCPT_TO|MAIL_FROM|DATA|CONNECT|EHLO|HELO)\][ \t.]*$")
_NAMED = lazy(r"<[^<>\s@]{1,64}@[^<>\s@]{1,255}>")
_STAGES = {"RCPT_TO": "RCPT", "MAIL_FROM": "MAIL", "DATA": "DATA", "CONNECT": "CONNECT",
           "EHLO": "EHLO", "HELO": "HELO"}


def matches(mail: Mail) -> bool:
    """Yahoo's opening sentence."""
    return bool(_OPENING.search(text.report_part(mail.text)[:20000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per '<address>:' line, with the lines after it as the reply."""
    report = mail.text[:200000]
    below = _BELOW.search(report)
    report = text.report_part(report[: below.start()] if below else report)
    opening = _OPENING.search(report)
    if opening is None:
        return []
    entries = list(_RECIPIENT.finditer(report, opening.end()))
    findings: dict[str, Finding] = {}
    for index, entry in enumerate(entries):
        address = codes.clean_address(entry.group(1))
        if address is None:
            continue
        end = entries[index + 1].start() if index + 1 < len(entries) else len(report)
        findings.setdefault(address.lower(), _finding(address, report[entry.end(): end]))
    return list(findings.values())


def _finding(address: str, block: str) -> Finding:
    # "Remote host said:" may stand on a line of its own, the reply on the next
    words = codes.unwrap_reply(_SAID.sub("", block.strip().split("\n\n", 1)[0][:4000]))
    stage = _STAGE.search(words)
    command = _STAGES[stage.group(1)] if stage else None
    if stage:
        words = words[: stage.start()].rstrip()
    words = _CODE_COLON.sub(r"\1 ", words)
    found = text.finding_from_words(words, address, NAME)
    # "550: <jane@example.org>: User unknown" -- a reply naming the recipient in angle
    # brackets answered its RCPT TO (Yahoo omits "[RCPT_TO]" on these lines)
    if command is None and found.smtp_command is None and _NAMED.search(words):
        command = "RCPT"
    return found.with_changes(smtp_command=command or found.smtp_command)
