"""Symantec (Broadcom) Email Security.cloud, formerly MessageLabs: ``From: Mail Delivery
System <MAILER-DAEMON@messagelabs.com>``, ``X-Msg-Ref`` headers, and a report listing the
recipients, then one ``Reason:`` line::

    This is the mail delivery agent at messagelabs.com.
    I was unable to deliver your message to the following addresses:
    jane@example.org
    Reason: 550 jane@example.org... No such user
    The message subject was: Quarterly figures
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn, text

NAME = "messagelabs"

_AGENT = lazy(r"(?im)^[ \t]*This is the mail delivery agent at (?:messagelabs\.com|"
                    r"Symantec Email Security\.cloud|[^\n]{0,60}Email Security\.cloud)")
_UNABLE = lazy(r"(?im)^[ \t]*I was unable to deliver your message to the following "
                     r"addresses:[ \t]*$")
_REASON = lazy(r"(?im)^[ \t]*Reason:[ \t]*(.{1,2000})$")
_BARE_ADDRESS = lazy(r"^[ \t]*<?([^\s<>@]{1,64}@[^\s<>@]{1,255}?)>?[ \t]*$")


def matches(mail: Mail) -> bool:
    """The agent sentence, or the 'unable to deliver' list in mail from MessageLabs."""
    if not mail.has_headers:
        return False
    report = text.report_part(mail.text)[:20000]
    if not _UNABLE.search(report):
        return False
    stamps = " ".join([mail.sender, *mail.headers("Received")[:3]]).lower()
    return bool(_AGENT.search(report)) or "messagelabs" in stamps or "X-Msg-Ref" in mail.message


def parse(mail: Mail) -> list[Finding]:
    """The listed recipients; each takes the next 'Reason:' line after it."""
    report = text.report_part(mail.text)[:200000]
    heading = _UNABLE.search(report)
    if heading is None:
        return []
    standard = {f.address.lower(): f for f in dsn.findings_from_blocks(mail.delivery_status)
                if f.address}
    findings: list[Finding] = []
    pending: list[str] = []
    for line in report[heading.end():].split("\n")[:2000]:
        bare = _BARE_ADDRESS.match(line)
        reason = _REASON.match(line)
        if bare:
            address = codes.clean_address(bare.group(1))
            pending += [address] if address else []
        elif reason:
            words = codes.unwrap_reply(reason.group(1))
            findings += [_finding(a, words, standard) for a in pending]
            pending = []
        elif line.strip().lower().startswith("the message subject was"):
            break
    findings += [_finding(a, "", standard) for a in pending]
    return findings


def _finding(address: str, words: str, standard: dict[str, Finding]) -> Finding:
    found = text.finding_from_words(words, address, NAME) if words else Finding(
        address=address, parser=NAME)
    known = standard.get(address.lower())
    if known is not None and known.remote_mta and not found.remote_mta:
        found = found.with_changes(remote_mta=known.remote_mta)
    return found
