"""OpenSMTPD: a short text report, one ``address: reason`` line per recipient; newer
versions add an RFC 3464 part whose Status is only 5.0.0 or 4.0.0::

    Subject: Delivery status notification: failed

        This is the MAILER-DAEMON, please DO NOT REPLY to this email.

        An error has occurred while attempting to deliver a message for
        the following list of recipients:

    jane@example.org: 550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown
    joe@example.net: Domain does not exist
    ann@example.org: 554 5.3.0 <ann@example.org>: local delivery program
        "/usr/local/bin/ingest" exited with status 1

Delays say ``A message is delayed for more than 4 hours for the following list of
recipients:`` and ``Please note that this is only a temporary failure report.``
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, text

NAME = "opensmtpd"

_SUBJECT = lazy(
    r"(?i)^Delivery status notification: (?:failed|error|delayed|warning|delivered)")
_DAEMON = lazy(r"(?i)This is the MAILER-DAEMON, please DO NOT REPLY to this e-?mail")
_LIST = lazy(r"(?i)for\s+the\s+following\s+list\s+of\s+recipients:[ \t]*\n")
_LINE = lazy(r"^([^\s:<>]{1,320}@[^\s:<>]{1,255}):[ \t]+(.{1,4000})$")
_DELAYED = lazy(r"(?i)A message is delayed for more than|only a temporary failure report")


def matches(mail: Mail) -> bool:
    """The MAILER-DAEMON greeting that OpenSMTPD writes."""
    if _DAEMON.search(mail.text[:5000]):
        return True
    return bool(_SUBJECT.match(mail.subject)) and bool(_LIST.search(mail.text[:5000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per ``address: reason`` line after the list sentence; indented lines
    under an entry go on with its reason (a long reply is folded)."""
    report = text.report_part(mail.text)[:100000]
    start = _LIST.search(report)
    if not start:
        return []
    action = Action.DELAYED if _DELAYED.search(report) else Action.FAILED
    entries: list[tuple[str, list[str]]] = []
    for raw in report[start.end():].split("\n")[:2000]:
        line = raw.strip()
        if not line:
            if entries:
                break
            continue
        if entries and raw[:1] in (" ", "\t"):
            entries[-1][1].append(line)
            continue
        entry = _LINE.match(line)
        if not entry:
            break
        entries.append((entry.group(1), [entry.group(2)]))
    findings: list[Finding] = []
    for name, words in entries:
        address = codes.clean_address(name)
        if address:
            found = text.finding_from_words(" ".join(words)[:4000], address, NAME)
            findings.append(found.with_changes(action=action))
    return findings
