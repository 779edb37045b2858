"""Microsoft Exchange 5.5 to 2003 (Internet Mail Service / Connector, SMTP virtual server):
a plain-text NDR listing each recipient with the date, a sentence and a technical line::

    Your message did not reach some or all of the intended recipients.
    The following recipient(s) could not be reached:
          jane@example.org on 3/4/2005 10:15 AM
                The e-mail address you entered couldn't be found.
                <mail.example.net #5.1.1 smtp;550 5.1.1 <jane@example.org>... User unknown>

Exchange 5.5 writes ``did not reach the following recipient(s):`` and a line such as
``MSEXCH:IMS:Example:Site:MAIL1 0 (000C05A6) Unknown Recipient``; the hexadecimal
code in parentheses names the failure (see data/rules/parser-microsoft.yaml).
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn, text

NAME = "exchange2003"

_HEADING = lazy(
    r"(?im)^[ \t]*(?:did not reach the following recipient\(s\):"
    r"|The following recipient\(s\) (?:could not|cannot|can.t|couldn.t) be reached:"
    r"|Your message did not reach some or all of the intended recipients)"
)
_LIST = lazy(
    r"(?im)^[ \t]*(?:did not reach the following recipient\(s\):"
    r"|The following recipient\(s\) (?:could not|cannot|can.t|couldn.t) be reached:)[ \t]*$"
)
_MAILER = lazy(r"(?i)Internet Mail Service|Internet Mail Connector|Microsoft Exchange")
# jane@example.org on Thu, 29 Apr 2010 10:00:00 -0000   /   Jane Doe on 4/29/10 10:00 AM
_RECIPIENT = lazy(r"^[ \t]*(\S[^\n]{0,300}?) on (?=[^\n]{0,80}?\d)[^\n]{0,80}$")
# <mail.example.net #5.1.1 smtp;550 5.1.1 <jane@example.org>... User unknown>
_TECHNICAL = lazy(r"<([A-Za-z0-9.-]{1,255}) #([245]\.\d{1,3}\.\d{1,3})"
                        r"(?: ([^;<>]{0,20});(.*))?>")
# an address a reply quotes in a recipient's place: in angle brackets, or after "for",
# "to", "recipient" (not "<me@...>: Sender address rejected", not "mail from me@...")
_QUOTED_RECIPIENT = lazy(r"(?i)(?:(?<![\w.-])<|\b(?:for|to|recipient|mailbox)[ \t]+<?)"
                         r"([^\s<>@'\"]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8})(?![^\n]{0,6}sender)")
_NOISE = lazy(r"(?i)^(?:The MTS-ID of the original message is:|;l=)")


def matches(mail: Mail) -> bool:
    """The fixed sentences of an Exchange 5.5-2003 NDR; with an Exchange X-Mailer,
    X-MS-Embedded-Report header or Received line, or on their own."""
    report = text.report_part(mail.text)[:40000]
    if not _HEADING.search(report):
        return False
    if _LIST.search(report):
        return True
    stamps = " ".join([mail.header("X-Mailer"), *mail.headers("Received")[:4]])
    return "X-MS-Embedded-Report" in mail.message or bool(_MAILER.search(stamps))


def parse(mail: Mail) -> list[Finding]:
    """One finding per 'recipient on date' line after the list heading; the more
    indented lines below it carry the reason."""
    report = text.report_part(mail.text)[:200000]
    heading = _LIST.search(report)
    if heading is None:
        return []
    findings: list[Finding] = []
    names: list[str] = []  # each entry's first words: an address, or a directory name
    who: str | None = None
    lines: list[str] = []
    margin: int | None = None
    for line in report[heading.end():].split("\n")[:2000]:
        indent = len(line) - len(line.lstrip())
        match = _RECIPIENT.match(line)
        if match and (margin is None or indent <= margin):
            if margin is not None:
                findings.append(_finding(who, lines))
            found = codes.find_addresses(match.group(1))
            who, lines, margin = (found[0] if found else None), [], indent
            names.append(match.group(1).strip())
        elif margin is not None and line.strip() and not _NOISE.match(line.strip()):
            lines.append(line.strip())
    if margin is not None:
        findings.append(_finding(who, lines))
    # "Jane Doe on 3/4/2005 10:15 AM": a directory name; the DSN part, when it lists as
    # many recipients in the same order, gives the addresses.
    listed = [f.address for f in dsn.findings_from_blocks(mail.delivery_status)]
    if len(listed) == len(findings):
        findings = [f if f.address else f.with_changes(address=a)
                    for f, a in zip(findings, listed, strict=True)]
    elif any(f.address is None for f in findings):
        # else the returned message's To and Cc, where one address carries that name
        # ('To: "Jane Doe" <jane@example.org>, ...')
        named = _addressed_by_name(mail)
        findings = [f if f.address else f.with_changes(address=named.get(name.casefold()))
                    for f, name in zip(findings, names, strict=True)]
    return [f for f in findings if f.address or len(findings) == 1]


def _addressed_by_name(mail: Mail) -> dict[str, str]:
    """The returned message's recipients by display name (case-folded), for the names
    that stand for one address only."""
    original = mail.original
    if original is None:
        return {}
    from email.utils import getaddresses

    fields = [str(original.get(name, "")) for name in ("To", "Cc")]
    pairs = getaddresses([f[:4000] for f in fields if f])
    by_name: dict[str, set[str]] = {}
    for name, address in pairs[:200]:
        if name.strip() and "@" in address:
            by_name.setdefault(" ".join(name.split()).casefold(), set()).add(address.lower())
    return {name: next(iter(found)) for name, found in by_name.items() if len(found) == 1}


def _finding(address: str | None, lines: list[str]) -> Finding:
    words = " ".join(lines)
    if address is None:
        # "'Priya Raman' on ...": the address the entry's reply quotes as the recipient
        # ("<jane@...>", "... exceeded for jane@..."), where it quotes one
        quoted = text.unique(m.group(1) for m in _QUOTED_RECIPIENT.finditer(words[:4000]))
        address = quoted[0] if len(quoted) == 1 else None
    technical = _TECHNICAL.search(words)
    if technical is None:
        # The recipient name is not recognized MSEXCH:IMS:Org:Site:MAIL1 0 (000C05A6) ...
        # (or a server's reply written out: "504 5.5.2 <jo@example>: ... rejected: ...")
        return text.finding_from_words(codes.unwrap_reply(words), address, NAME)
    # the host in "<mail.example.net #5.1.1 smtp;...>" is the server that wrote the NDR
    reporting, status, _kind, reply = technical.groups()
    reply = codes.unwrap_reply(reply or "")
    found = text.finding_from_words(reply, address, NAME, reporting_mta=reporting)
    return found.with_changes(status=found.status or status,
                              diagnostic=reply or codes.unwrap_reply(words))
