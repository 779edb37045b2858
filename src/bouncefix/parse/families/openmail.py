"""HP OpenMail (its report's own Received line reads ``By OpenMail Mailer``): ``From: "Mail
Deliver System"``, ``Subject: Returned Mail: <reason>``, and one ``address [reason]`` line
per recipient under a fixed heading::

    The original message was received at Thu, 29 Apr 2010 10:00:00 +0900 (JST)
    from sender@example.net

    ---The following addresses had delivery errors---

    jane@example.org [User unknown]
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "openmail"

_HEADING = lazy(
    r"(?im)^[ \t]*-{2,80}[ \t]*The following addresses had delivery errors[ \t]*-{2,80}")
# jane@example.org [User unknown]
_ENTRY = lazy(
    r"^[ \t]*<?([^\s<>@]{1,64}@[^\s<>@\[]{1,255}?)>?[ \t]+\[([^\[\]]{1,500})\][ \t]*$")


def matches(mail: Mail) -> bool:
    """The heading of the address list."""
    return bool(_HEADING.search(mail.text[:20000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per ``address [reason]`` line under the heading."""
    # not text.report_part: its "The original message was" cut would take the opening line
    report = mail.text[:100000]
    start = _HEADING.search(report)
    if not start:
        return []
    findings: list[Finding] = []
    for line in report[start.end():].split("\n")[1:1000]:
        entry = _ENTRY.match(line)
        if not entry:
            if findings and line.strip():
                break
            continue
        address = codes.clean_address(entry.group(1))
        if address:
            findings.append(text.finding_from_words(entry.group(2).strip(), address, NAME))
    return findings
