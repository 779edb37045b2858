"""Active!hunter (the Qualitia anti-spam gateway): a sendmail-like report in a
multipart/report whose boundary reads ``Active!Hunter`` and an ``X-AHMAILID`` header::

    Subject: FAILURE NOTICE : Quarterly figures

      ----- The following addresses had permanent fatal errors -----

    >>> jane@example.org <jane@example.org>

      ----- Transcript of session follows -----
    550 <jane@example.org>: Recipient address rejected: User unknown

It has no RFC 3464 part: the transcript's reply is the server's words.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "activehunter"

_ADDRESSES = lazy(
    r"(?im)^[ \t]*-{3,80}[ \t]*The following addresses had permanent fatal errors")
_TRANSCRIPT = lazy(r"(?im)^[ \t]*-{3,80}[ \t]*Transcript of session follows[ \t]*-{3,80}")
_RULER = lazy(r"^[ \t]*-{3,80}")


def matches(mail: Mail) -> bool:
    """Active!hunter's own header, or its MIME boundary."""
    if mail.header("X-AHMAILID"):
        return True
    return "active!hunter" in mail.header("Content-Type").lower()


def parse(mail: Mail) -> list[Finding]:
    """The listed addresses, each with the transcript line that names it (or the first
    reply of the transcript)."""
    # not text.report_part: its "The original message was" cut would take the opening line
    report = mail.text[:100000]
    start = _ADDRESSES.search(report)
    if not start:
        return []
    addresses: list[str] = []
    for line in report[start.end():].split("\n")[1:500]:
        if _RULER.match(line):
            break
        addresses.extend(codes.find_addresses(line)[:1])
    transcript = _TRANSCRIPT.search(report)
    replies = [
        codes.unwrap_reply(block)
        for block in text.paragraphs(report[transcript.end():] if transcript else "")
        if codes.find_reply_code(block)
    ]
    findings = []
    for address in text.unique(addresses):
        words = next((r for r in replies if address.lower() in r.lower()), replies[0] if (
            replies) else "")
        findings.append(text.finding_from_words(words, address, NAME))
    return findings
