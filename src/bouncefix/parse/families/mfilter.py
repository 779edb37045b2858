"""m-FILTER (Digital Arts): a Japanese gateway whose report (``X-Mailer: m-FILTER``)
lists the recipients, then the remote server's reply and the SMTP command in sections::

    このメールは「m-FILTER」が自動的に生成して送信しています。
    以下のメールアドレスへの送信に失敗しました。
    jane@example.org
    -------server message
    550 5.1.1 <jane@example.org>... User unknown
    -------SMTP command
    RCPT TO

A "-------original mail info" section with the returned message's headers follows.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "mfilter"

_SECTION = lazy(r"(?im)^-{5,}[ \t]*(server message|SMTP command|original mail info)"
                      r"[ \t]*$")
_BARE_ADDRESS = lazy(r"^[ \t]*<?([^\s<>@]{1,64}@[^\s<>@]{1,255}?)>?[ \t]*$")
_COMMANDS = {"RCPT": "RCPT", "MAIL": "MAIL", "DATA": "DATA", "HELO": "HELO", "EHLO": "EHLO",
             "CONN": "CONNECT", "STAR": "STARTTLS"}


def matches(mail: Mail) -> bool:
    """m-FILTER in X-Mailer or the last Received line, with its 'server message'
    section."""
    if not mail.has_headers:
        return False
    stamps = " ".join([mail.header("X-Mailer"), *mail.headers("Received")[:2]])
    if "m-filter" not in stamps.lower() and "「m-FILTER」" not in mail.text[:2000]:
        return False
    return any(m.group(1).lower() == "server message"
               for m in _SECTION.finditer(mail.text[:50000]))


def parse(mail: Mail) -> list[Finding]:
    """Every address listed before the server message, each with that message."""
    body = mail.text[:200000]
    sections: dict[str, str] = {}
    marks = list(_SECTION.finditer(body))
    if not marks:
        return []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(body)
        sections.setdefault(mark.group(1).lower(), body[mark.end():end].strip())
    addresses = []
    for line in body[: marks[0].start()].split("\n"):
        match = _BARE_ADDRESS.match(line)
        if match:
            addresses.append(codes.clean_address(match.group(1)))
    words = text.server_words(sections.get("server message", ""))
    command_word = sections.get("smtp command", "").split("\n")[0].strip().upper()
    command = _COMMANDS.get(command_word[:4]) if command_word else None
    return [
        text.finding_from_words(words, address, NAME).with_changes(
            smtp_command=command or codes.find_command(words))
        for address in text.unique(addresses)
    ]
