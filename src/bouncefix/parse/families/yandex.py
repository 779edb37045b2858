"""Yandex.Mail: a Postfix report with a Russian notice in front, ``From:
mailer-daemon@yandex.ru``, ``X-Yandex-*`` headers and an RFC 3464 part::

    Это письмо отправлено почтовым сервером yandex.ru.
    ...
    This is the mail system at host yandex.ru.
    ...
    <jane@example.org>: host mx.example.org[192.0.2.153] said: 550 5.2.1
        <jane@example.org>... User Unknown (in reply to RCPT TO command)

    <joe@example.net>: connect to mx.example.net[192.0.2.79]:25: Connection timed out

Each recipient paragraph gives the remote host and its reply; the status comes from the
RFC 3464 part.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, dsn, text

NAME = "yandex"

_FROM = lazy(
    r"(?i)mailer-daemon@(?:[a-z0-9-]{1,63}\.){0,3}yandex\.(?:ru|com|net|ua|by|kz)\b")
_INTRO = lazy(r"(?m)^This is the mail system at host (?:[A-Za-z0-9-]{1,63}\.){0,4}yandex\.")
_RUSSIAN = lazy(r"(?m)^Это письмо отправлено почтовым сервером ")
_ENTRY = lazy(r"\A<([^<>\s@]{1,64}@[^<>\s@]{1,255})>:[ \t]*")
_SAID = lazy(r"^host ([A-Za-z0-9._-]{1,255})\[[^\]\s]{1,64}\] said:[ \t]*")
_REFUSED = lazy(
    r"^host ([A-Za-z0-9._-]{1,255})\[[^\]\s]{1,64}\] refused to talk to me:[ \t]*")
_CONNECT = lazy(r"^connect to ([A-Za-z0-9._-]{1,255})\[[^\]\s]{1,64}\]")
_IN_REPLY = lazy(r"[ \t]*\(in reply to ([A-Za-z ]{2,20}) command\)[ \t]*$")


def matches(mail: Mail) -> bool:
    """Yandex's own mailer-daemon or headers, with its Postfix opening."""
    if not mail.has_headers:
        return False
    own = bool(_FROM.search(mail.sender)) or bool(mail.header("X-Yandex-Uniq"))
    body = mail.text[:20000]
    return own and bool(_INTRO.search(body) or _RUSSIAN.search(body))


def parse(mail: Mail) -> list[Finding]:
    """One finding per ``<address>:`` paragraph; the action (failed or delayed) is the
    RFC 3464 part's."""
    actions = {f.address.lower(): f.action for f in _standard(mail) if f.address}
    findings: list[Finding] = []
    for block in text.paragraphs(text.report_part(mail.text[:200000]))[:500]:
        entry = _ENTRY.match(block.strip())
        address = codes.clean_address(entry.group(1)) if entry else None
        if entry and address and address.lower() not in {
            f.address.lower() for f in findings if f.address
        }:
            found = _finding(address, block.strip()[entry.end():])
            findings.append(found.with_changes(action=actions.get(address.lower(), found.action)))
    return findings


def _standard(mail: Mail) -> list[Finding]:
    return dsn.parse(mail) if dsn.matches(mail) else []


def _finding(address: str, rest: str) -> Finding:
    words = " ".join(rest.split())
    remote = None
    command = None
    for pattern in (_SAID, _REFUSED):
        match = pattern.match(words)
        if match:
            remote, words = match.group(1), words[match.end():]
            command = "CONNECT" if pattern is _REFUSED else None
            break
    connect = _CONNECT.match(words)
    if connect:
        # connect to mx.example.net[192.0.2.79]:25: Connection timed out
        remote, command = connect.group(1), "CONNECT"
    reply = _IN_REPLY.search(words)
    if reply:
        command = codes.find_command(f"in reply to {reply.group(1)}")
        words = words[: reply.start()]
    found = text.finding_from_words(words, address, NAME)
    if connect:
        found = found.with_changes(reply_code=None, status=None)
    return found.with_changes(remote_mta=remote, smtp_command=command or found.smtp_command)
