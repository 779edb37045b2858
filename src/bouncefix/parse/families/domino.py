"""IBM / HCL (Lotus) Domino: ``Subject: DELIVERY FAILURE: <reason>``, a short text part,
and often an RFC 3464 part whose Diagnostic-Code type is ``X-Notes``::

    Your message

      Subject: Quarterly figures

    was not delivered to:

      jane@example.org

    because:

      User Jane Doe (jane@example.org) not listed in Domino Directory

The reasons are Domino's own sentences ("not listed in Domino Directory", "Cannot route
mail to user", "Several matches found in Domino Directory"); no SMTP codes.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "domino"

_SUBJECT = lazy(r"(?i)^DELIVERY(?: |_)FAILURE:")
_NOT_DELIVERED = lazy(r"(?m)^[ \t]*was not delivered to:[ \t]*$")
_BECAUSE = lazy(r"(?m)^[ \t]*because:[ \t]*$")
_YOUR_MESSAGE = lazy(r"(?m)^[ \t]*Your message[ \t]*$")


# a Notes hierarchical name: "Kim Wong/Sales/EXAMPLEORG", "CN=Kim Wong/OU=Sales/O=Example"
_NOTES_NAME = lazy(r"(?m)^[ \t]*[^\s/@][^/@\n]{0,80}/[^\n]{1,200}$")


def matches(mail: Mail) -> bool:
    """Domino's subject, or its three fixed lines."""
    report = mail.text[:20000]
    if not _NOT_DELIVERED.search(report):
        return False
    return bool(_SUBJECT.match(mail.subject)) or bool(
        _YOUR_MESSAGE.search(report) and _BECAUSE.search(report))


def parse(mail: Mail) -> list[Finding]:
    """Each ``was not delivered to:`` list with the ``because:`` paragraph after it."""
    report = text.report_part(mail.text[:100000])
    findings: list[Finding] = []
    starts = list(_NOT_DELIVERED.finditer(report))[:200]
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(report)
        section = report[start.end():end]
        because = _BECAUSE.search(section)
        if not because:
            continue
        addresses = codes.find_addresses(section[: because.start()])
        if not addresses and len(starts) == 1 and _NOTES_NAME.search(section[: because.start()]):
            # a Notes name only ("Kim Wong/Sales/EXAMPLEORG@EXAMPLEORG"): the returned
            # message's one To address is the recipient it stands for
            addressee = codes.only_address(str(mail.original.get("To", ""))[:4000]
                                           if mail.original else None)
            addresses = [addressee] if addressee else []
        reason = text.paragraphs(section[because.end():])
        words = codes.unwrap_reply(reason[0]) if reason else ""
        findings.extend(
            text.finding_from_words(words, address, NAME)
            for address in text.unique(addresses)
        )
    return findings
