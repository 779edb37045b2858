"""Facebook (mailer-daemon@mx.facebook.com): a sentence of its own and an RFC 3464 part
whose reply carries a Facebook response code (RCP-P2, POL-P1, ...)::

    This message was created automatically by Facebook.
    Based on the email preferences of the person you're trying to email, this message
    could not be delivered.

    Diagnostic-Code: smtp; 550 5.1.1 RCP-P2
        http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp Refused due to
        recipient preferences
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn, text

NAME = "facebook"

_OPENING = lazy(r"(?im)^[ \t]*This message was created automatically by Facebook\.")
_SENDER = lazy(r"(?i)@(?:[a-z0-9-]{1,40}\.){0,3}facebook\.com\b")


def matches(mail: Mail) -> bool:
    """Facebook's opening sentence from a facebook.com sender."""
    return (mail.has_headers and bool(_SENDER.search(mail.sender))
            and bool(_OPENING.search(mail.text[:20000])))


def parse(mail: Mail) -> list[Finding]:
    """The RFC 3464 findings; without them, the returned message's recipients with
    Facebook's explanation."""
    found = [f.with_changes(parser=NAME) for f in dsn.parse(mail) if f.address]
    if found:
        return found
    report = text.report_part(mail.text)[:50000]
    opening = _OPENING.search(report)
    if opening is None or mail.original is None:
        return []
    rest = text.paragraphs(report[opening.end():])
    words = codes.unwrap_reply(rest[0]) if rest else None
    addresses = codes.find_addresses(str(mail.original.get("To", "")))
    return [Finding(address=a, diagnostic=words, parser=NAME) for a in addresses]
