"""Apple iCloud Mail: reports written by Apple's own gateways (mail-in*.apple.com,
*.icloud.com, *.me.com) name each recipient on a line of its own with the reply after a
colon, and add an RFC 3464 part::

    I'm sorry to have to inform you that your message could not
    be delivered to one or more recipients. It's attached below.

    <jane@example.org>: 550 5.1.6 recipient no longer on server: jane@example.org

Reports in Postfix's own layout ("This is the mail system at host ...", "host ...
said:") are left to the Postfix parser.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail, field
from ...model import Finding
from .. import codes, dsn, text

NAME = "apple"

_APPLE_HOST = lazy(r"(?i)[@.](?:apple|icloud|me|mac)\.com\b")
_OPENING = lazy(
    r"(?i)I'm sorry to have to inform you that your message could not\s{1,4}be delivered")
_POSTFIX = lazy(r"(?im)^[ \t]*This is the mail system at host|\bhost \S{1,255} said:")
_ENTRY = lazy(r"(?m)^[ \t]{0,2}<([^<>\s@]{1,128}@[^<>\s@]{1,255})>:[ \t]*([^\n]{1,2000}"
                    r"(?:\n[ \t]{2,}\S[^\n]{0,2000}){0,20})")


def matches(mail: Mail) -> bool:
    """Apple's gateway as sender or reporting MTA, with the gateway's own layout."""
    if not mail.has_headers:
        return False
    reporter = next((field(b, "Reporting-MTA") or "" for b in mail.delivery_status[:1]), "")
    hosts = f"{mail.sender} .{reporter.rpartition(';')[2].strip()}"
    if not _APPLE_HOST.search(hosts):
        return False
    report = text.report_part(mail.text)[:20000]
    return bool(_OPENING.search(report)) and not _POSTFIX.search(report)


def parse(mail: Mail) -> list[Finding]:
    """One finding per '<address>: reply' entry, the DSN filling the rest."""
    report = text.report_part(mail.text)[:200000]
    findings: dict[str, Finding] = {}
    for match in _ENTRY.finditer(report):
        address = codes.clean_address(match.group(1))
        if address and address.lower() not in findings:
            words = codes.unwrap_reply(match.group(2))
            findings[address.lower()] = text.finding_from_words(words, address, NAME)
    if findings:
        return list(findings.values())
    return [f.with_changes(parser=NAME) for f in dsn.parse(mail) if f.address]
