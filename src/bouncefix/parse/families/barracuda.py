"""Barracuda Spam Firewall / Email Security Gateway: a notice beside a delivery-status
part whose Diagnostic-Code gives the verdict::

    Subject: **Message you sent blocked by our bulk email filter**
    Your message to: jane@example.org
    was blocked by our Spam Firewall. The email you sent with the following subject has
    NOT BEEN DELIVERED:
    Diagnostic-Code: smtp; 550 5.7.1 Message content rejected, UBE, id=12345-01-2
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn, text

NAME = "barracuda"

_SUBJECT = lazy(r"(?i)^\*{1,3}[ \t]*Message you sent blocked by our [^*]{1,60}\*{1,3}$")
_BLOCKED = lazy(r"(?i)was blocked by (?:our|the) (?:Spam Firewall|Barracuda|bulk email "
                      r"filter|[a-z ]{1,30} filter)")
_YOUR_MESSAGE = lazy(r"(?im)^[ \t]*Your message to:[ \t]*(.{1,1000})$")
_SENTENCE = lazy(r"(?is)(was blocked by .{1,300}?(?:\.|NOT BEEN DELIVERED))")


def matches(mail: Mail) -> bool:
    """Barracuda's subject, or its 'Your message to:' notice saying it was blocked."""
    if not mail.has_headers:
        return False
    report = text.report_part(mail.text)[:20000]
    if not _YOUR_MESSAGE.search(report):
        return False
    return bool(_SUBJECT.match(mail.subject.strip()) or (
        _BLOCKED.search(report) and "barracuda" in " ".join(mail.headers("Received")).lower()
    ))


def parse(mail: Mail) -> list[Finding]:
    """Each 'Your message to:' recipient; the delivery-status part fills in the codes."""
    report = text.report_part(mail.text)[:200000]
    addresses = [a for m in _YOUR_MESSAGE.finditer(report) for a in codes.find_addresses(
        m.group(1))]
    sentence = _SENTENCE.search(report)
    words = codes.unwrap_reply(sentence.group(1)) if sentence else None
    told = {f.address.lower() for f in dsn.findings_from_blocks(mail.delivery_status)
            if f.address and f.diagnostic}
    return [Finding(address=a, diagnostic=None if a.lower() in told else words, parser=NAME)
            for a in text.unique(addresses)]
