"""GMX, WEB.DE and 1&1 (IONOS, "kundenserver"): United Internet's report. Exim's opening
sentences, one block per failed address, and the returned headers after a fixed line::

    This message was created automatically by mail delivery software.
    ...The following address failed:

    "jane@example.org":
    SMTP error from remote server after RCPT command:
    host: mx.example.org
    5.2.2 <jane@example.org>... Mailbox Full

    <joe@example.net>

    Reason:
    delivery retry timeout exceeded

    --- The header of the original message is following. ---

1&1 writes ``For the following reason:`` before its own sentence ("Mail size limit
exceeded. For explanation visit http://postmaster.1and1.com/..."), or the remote reply in
one block: ``SMTP error from remote server for TEXT command, host: mx.example.org
(192.0.2.1) reason: 550 5.2.0 Mail rejected``. TEXT is the message text (DATA).
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding, Reason
from .. import codes, text

NAME = "gmx"

_INTRO = lazy(r"(?m)^This message was created automatically by mail delivery software")
_COPY = lazy(r"(?m)^-{2,3} ?The header of the original message is following\. ?-{2,3}")
_HEAD = lazy(
    r"^(?:\"([^\"\s]{1,320})\"|<([^<>\s]{1,320})>|([^\s\"<>:@]{1,64}@[^\s\"<>:@]{1,255})):?$")
_SMTP_ERROR = lazy(
    r"(?i)SMTP error from remote (?:mail )?server (?:after|for) ([A-Z]{4}(?: TO| FROM)?) command")
_HOST = lazy(r"(?i)\bhost:[ \t]*([A-Za-z0-9._-]{1,255})(?:[ \t]*\([^()\s]{1,64}\))?")
_REASON = lazy(r"(?i)\breason:[ \t]*")
_OWN_LINE = lazy(
    r"(?i)^(?:SMTP error from remote|host:|Reason:$|For the following reason:$)")
_TIMEOUT = lazy(r"(?i)retry timeout exceeded")
_COMMANDS = {"TEXT": "DATA", "RCPT TO": "RCPT", "MAIL FROM": "MAIL"}


def matches(mail: Mail) -> bool:
    """Exim's opening sentence together with United Internet's copy line."""
    body = mail.text[:100000]
    return bool(_INTRO.search(body[:20000]) and _COPY.search(body))


def parse(mail: Mail) -> list[Finding]:
    """One finding per address block between the opening and the copy line."""
    body = mail.text[:200000]
    intro = _INTRO.search(body)
    cut = _COPY.search(body)
    if not intro or not cut:
        return []
    blocks: list[tuple[str, list[str]]] = []
    for raw in body[intro.end(): cut.start()].split("\n")[:5000]:
        line = raw.strip()
        head = _HEAD.match(line)
        address = codes.clean_address(next(g for g in head.groups() if g)) if head else None
        if address:
            blocks.append((address, []))
        elif blocks and line:
            blocks[-1][1].append(line)
    first = {a.lower(): i for i, (a, _) in reversed(list(enumerate(blocks)))}
    return [_finding(a, lines) for i, (a, lines) in enumerate(blocks) if first[a.lower()] == i]


def _finding(address: str, lines: list[str]) -> Finding:
    block = " ".join(lines)
    command = _SMTP_ERROR.search(block)
    host = _HOST.search(block)
    reason = _REASON.search(block)
    if command and reason:
        # SMTP error from remote server for TEXT command, host: ... reason: 550 5.2.0 ...
        words = block[reason.end():]
    else:
        words = " ".join(line for line in lines if not _OWN_LINE.match(line))
    found = text.finding_from_words(codes.unwrap_reply(words), address, NAME)
    changes: dict[str, object] = {"remote_mta": host.group(1) if host else None}
    if command:
        name = " ".join(command.group(1).upper().split())
        changes["smtp_command"] = _COMMANDS.get(name, name)
    if _TIMEOUT.search(block):
        changes["reason_hint"] = Reason.EXPIRED
    return found.with_changes(**changes)
