"""Outlook.com / Hotmail / Live / MSN consumer mail: a short text part listing the
recipients, then a standard RFC 3464 part that carries the codes::

    This is an automatically generated Delivery Status Notification.
    Delivery to the following recipients failed.
           jane@example.org
    (or "... has been delayed." / "Unable to deliver message to the following recipients,
    due to being unable to connect successfully to the destination mail server.")

The same sentences come from the Windows SMTP service and from old Gmail, so the report
must also carry a Hotmail mark: a hotmail/outlook/live/msn host in From, Received or
Message-ID, or the X-Message-Delivery / X-Message-Info headers of that service.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, dsn, text

NAME = "outlook"

_OPENING = lazy(r"(?im)^[ \t]*This is an automatically generated Delivery Status "
                      r"Notification\.?[ \t]*$")
_LIST = lazy(
    r"(?im)^[ \t]*(?:Delivery to the following recipients? (?:failed|has been delayed)"
    r"|Unable to deliver message to the following recipients?)[^\n]{0,200}$"
)
_DELAYED = lazy(r"(?i)has been delayed|WARNING MESSAGE ONLY")
_HOST = lazy(r"(?i)\b(?:hotmail|outlook|live|msn)\.(?:com|[a-z]{2})\b|\.hotmail\.com")
_LISTED = lazy(r"^[ \t]{2,}(\S{1,320})[ \t]*$")


def matches(mail: Mail) -> bool:
    """The DSN sentences together with a Hotmail / Outlook.com mark."""
    if not mail.has_headers:
        return False
    report = text.report_part(mail.text)[:20000]
    if not (_OPENING.search(report) and _LIST.search(report)):
        return False
    if "X-Message-Delivery" in mail.message or "X-Message-Info" in mail.message:
        return True
    stamps = " ".join([mail.sender, mail.header("Message-ID"), *mail.headers("Received")[:3]])
    return bool(_HOST.search(stamps))


def parse(mail: Mail) -> list[Finding]:
    """The listed recipients, with what the RFC 3464 part says about each."""
    report = text.report_part(mail.text)[:200000]
    heading = _LIST.search(report)
    if heading is None:
        return []
    listed: list[str] = []
    for line in report[heading.end():].lstrip("\n").split("\n")[:1000]:
        match = _LISTED.match(line)
        if not match:
            break
        address = codes.clean_address(match.group(1))
        if address:
            listed.append(address)
    standard = {f.address.lower(): f for f in dsn.findings_from_blocks(mail.delivery_status)
                if f.address}
    action = Action.DELAYED if _DELAYED.search(report[: heading.end()]) else Action.FAILED
    findings = []
    for address in text.unique(listed or list(standard)):
        known = standard.get(address.lower())
        if known is not None:
            findings.append(known.with_changes(parser=NAME))
        else:
            sentence = heading.group(0).strip()
            findings.append(Finding(address=address, action=action, diagnostic=sentence,
                                    parser=NAME))
    return findings
