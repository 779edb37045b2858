"""MailFoundry (mail filtering gateway): ``Subject: Message delivery has failed``, a
``(MAILFOUNDRY)`` Received line, and a short text part per recipient::

    Unable to deliver message to: <jane@example.org>
    Delivery failed for the following reason:
    Server mx.example.org[192.0.2.22] failed with: 550 <jane@example.org> No such user here

    This has been a permanent failure.  No further delivery attempts will be made.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "mailfoundry"

_UNABLE = lazy(
    r"(?m)^[ \t]*Unable to deliver message to:[ \t]*<?([^\s<>]{1,320}@[^\s<>]{1,255}?)>?[ \t]*$"
)
_REASON = lazy(r"(?im)^[ \t]*Delivery failed for the following reason:[ \t]*$")
# Server mx.example.org[192.0.2.22] failed with: 550 ...
_SERVER = lazy(r"^Server (\S{1,255}?)\[[^\]\s]{0,64}\] failed with:[ \t]*")


def matches(mail: Mail) -> bool:
    """MailFoundry's two fixed sentences."""
    report = mail.text[:20000]
    return bool(_UNABLE.search(report)) and bool(_REASON.search(report))


def parse(mail: Mail) -> list[Finding]:
    """Each ``Unable to deliver message to:`` with the reason paragraph after it."""
    report = text.report_part(mail.text[:100000])
    starts = list(_UNABLE.finditer(report))[:500]
    findings: list[Finding] = []
    for index, start in enumerate(starts):
        address = codes.clean_address(start.group(1))
        if not address:
            continue
        end = starts[index + 1].start() if index + 1 < len(starts) else len(report)
        section = report[start.end():end]
        reason = _REASON.search(section)
        block = text.paragraphs(section[reason.end():] if reason else section)
        words = codes.unwrap_reply(block[0]) if block else ""
        server = _SERVER.match(words)
        remote = server.group(1) if server else None
        words = words[server.end():] if server else words
        findings.append(text.finding_from_words(words, address, NAME, remote_mta=remote))
    return findings
