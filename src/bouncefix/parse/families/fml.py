"""fml, the mailing list manager (fml.org): notices sent by ``<list>-admin@`` with an
``X-MLServer: fml [fml 4.0.3 ...]`` header and a Message-Id containing ``FML``. The subject
names the event and the body one sentence about an address, then the refused mail::

    Subject: Loop Alert: Duplicated Message-ID (example ML)

    Duplicated Message-ID in <list@example.org>.

    Original mail as follows:

Other notices: "NOT MEMBER article from <jane@example.org>", "You are not a member of
this mailing list <jane@example.org>", "Security Alert", "reject mail from ...".
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding, Reason
from .. import codes, text

NAME = "fml"

_ORIGINAL = lazy(r"(?im)^[ \t]*Original mail as follows:")
_ANGLE = lazy(r"<([^<>\s]{1,320}@[^<>\s]{1,255})>")
# The notice's subject names the event when the body sentence is not one a rule knows.
_SUBJECTS = (
    (lazy(r"(?i)Loop Alert:|Loop Back Warning:|UNIX FROM Loop|fml system error message"),
     Reason.SYSTEMERROR),
    (lazy(r"(?i)Security Alert"), Reason.SECURITYERROR),
    (lazy(r"(?i)NOT MEMBER article from|are not member|reject mail |Spam mail from a "
                r"spammer is rejected"), Reason.REJECTED),
)


def matches(mail: Mail) -> bool:
    """fml's X-MLServer header on a notice from the list's -admin address."""
    server = mail.header("X-MLServer").lower()
    if not server.startswith("fml"):
        return False
    return "fml" in mail.header("Message-Id").lower() or "-admin@" in mail.sender.lower()


def parse(mail: Mail) -> list[Finding]:
    """One finding per sentence naming an ``<address>``."""
    report = mail.text[:50000]
    end = _ORIGINAL.search(report)
    report = report[: end.start()] if end else report
    hint = next((reason for pattern, reason in _SUBJECTS if pattern.search(mail.subject)), None)
    findings: list[Finding] = []
    for line in report.split("\n")[:500]:
        found = _ANGLE.search(line)
        address = codes.clean_address(found.group(1)) if found else None
        if address and address.lower() not in {f.address.lower() for f in findings if f.address}:
            words = " ".join(line.split())
            findings.append(text.finding_from_words(words, address, NAME, reason_hint=hint))
    return findings
