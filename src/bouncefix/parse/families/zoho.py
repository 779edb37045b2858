"""Zoho Mail (X-Mailer: Zoho Mail, mailer-daemon@mail.zoho.com): one line per recipient
with the reply code and the rest of the reply in two "ERROR_CODE :" fields; a delay
warning puts each recipient in square brackets::

    This message was created automatically by mail delivery software.
    A message that you sent could not be delivered to one or more of its recipients.

    jane@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <jane@...>... User Unknown
    ann@example.net, ERROR_CODE :550, ERROR_CODE :5.5.0 Requested action not taken: ...
    bob@example.net Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable.

    [Status: Error, Address: <joe@example.com>, ResponseCode 421, , Host not reachable.]

Newer reports list the failed addresses under "The following address(es) failed:", one
line each with the reply after "ERROR CODE :" and a dash::

    ann@example.org, ERROR CODE :550 - 5.1.1 <ann@example.org>: User unknown
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, text

NAME = "zoho"

_OPENING = lazy(r"(?im)^[ \t]*This message was created automatically by mail delivery")
_MAILER = lazy(r"(?i)\bZoho Mail\b")
_SENDER = lazy(r"(?i)@(?:[a-z0-9-]{1,40}\.){0,3}zoho(?:mail)?\.[a-z.]{2,10}\b")
_LINE = lazy(
    r"(?m)^[ \t]*([^\s@]{1,128}@[^\s,@]{1,255})(?:[ \t]+([^,\n]{0,80}))?,[ \t]*ERROR_CODE[ \t]*:[ \t]*"
    r"([245]\d\d)?[ \t]*,[ \t]*ERROR_CODE[ \t]*:[ \t]*([^\n]{0,2000})$"
)
# ann@example.org, ERROR CODE :550 - 5.1.1 <ann@example.org>: User unknown
_DASHED = lazy(
    r"(?m)^[ \t]*<?([^\s@<>,]{1,128}@[^\s,@<>]{1,255})>?[ \t]*,[ \t]*ERROR[ _]CODE[ \t]*:[ \t]*"
    r"([245]\d\d)?[ \t]*-[ \t]*([^\n]{0,2000})$"
)
# [Status: Error, Address: <joe@example.com>, ResponseCode 421, , Host not reachable.]
_BRACKETED = lazy(
    r"(?m)^[ \t]*\[Status:[^,\n]{0,40},[ \t]*Address:[ \t]*<([^<>\s]{1,320})>[ \t]*,"
    r"[ \t]*ResponseCode[ \t]*([245]\d\d)?[ \t]*,([^\n]{0,2000})\][ \t]*$"
)
_WARNING = lazy(r"(?im)^[ \t]*THIS IS A WARNING MESSAGE ONLY|\(Delay\)")


def matches(mail: Mail) -> bool:
    """Zoho's headers and its opening sentence."""
    if not mail.has_headers:
        return False
    zoho = bool(mail.header("X-ZohoMail") or _MAILER.search(mail.header("X-Mailer"))
                or _SENDER.search(mail.sender))
    return zoho and bool(_OPENING.search(mail.text[:20000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per recipient line (the returned headers follow with no separator,
    so the whole text is read: the line shapes are specific)."""
    body = mail.text[:200000]
    delayed = bool(_WARNING.search(body[:20000]) or _WARNING.search(mail.subject))
    findings: dict[str, Finding] = {}
    for match in _LINE.finditer(body):
        rest = match.group(4).strip().lstrip(",").strip()
        _add(findings, match.group(1), match.group(3), rest, Action.FAILED)
    for match in _DASHED.finditer(body):
        rest = f"{match.group(3).strip()} {_folded(body, match.end())}".strip()
        _add(findings, match.group(1), match.group(2), rest, Action.FAILED)
    for match in _BRACKETED.finditer(body):
        rest = match.group(3).strip().strip(",").strip()
        _add(findings, match.group(1), match.group(2), rest,
             Action.DELAYED if delayed else Action.FAILED)
    return list(findings.values())


def _folded(body: str, end: int) -> str:
    """The lines that go on with a dashed entry (a long reply is folded), up to a blank
    line or the next entry."""
    more = []
    for line in body[end:end + 4000].split("\n")[1:20]:
        if not line.strip() or _DASHED.match(line):
            break
        more.append(line.strip())
    return " ".join(more)


def _add(findings: dict[str, Finding], raw: str, reply: str | None, rest: str,
         action: Action) -> None:
    address = codes.clean_address(raw)
    if address is None or address.lower() in findings:
        return
    words = f"{reply} {rest}".strip() if reply else rest
    found = text.finding_from_words(words, address, NAME, action=action)
    findings[address.lower()] = found.with_changes(reply_code=reply or found.reply_code)
