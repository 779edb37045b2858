"""Oracle Communications / Sun Java System / iPlanet Messaging Server: the text part repeats
the original headers, then one indented block per recipient; an RFC 3464 part usually
follows (its MIME boundaries read ``Boundary_(ID_...)``)::

    This report relates to a message you sent with the following header fields:

      Message-id: <1234@example.net>
      To: jane@example.org

    Your message cannot be delivered to the following recipients:

      Recipient address: jane@example.org
      Original address: team@example.org
      Reason: Remote SMTP server has rejected address
      Diagnostic code: smtp;550 5.1.1 <jane@example.org>... User unknown
      Remote system: dns;mx.example.org (TCP|192.0.2.1|47323|192.0.2.25|25) (mx ESMTP)

The ``Reason:`` line is the server's own summary ("Over quota", "host/domain does not
accept mail"); it stands in for the diagnostic when no ``Diagnostic code:`` is given.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, text

NAME = "messagingserver"

_INTRO = lazy(r"This report relates to (?:a|your) message you sent with the following header")
_LIST = lazy(
    r"(?im)^Your message (cannot be delivered|has been delayed|is being delayed|has not yet been"
    r" delivered)[^\n]{0,80}:[ \t]*$"
)
_FIELD = lazy(
    r"^[ \t]{1,8}(Recipient address|Original address|Reason|Diagnostic code|Remote system):"
    r"[ \t]*(.{0,2000})$"
)


def matches(mail: Mail) -> bool:
    """The report's opening sentence and its recipient list sentence."""
    report = mail.text[:20000]
    return bool(_INTRO.search(report)) and bool(_LIST.search(report))


def parse(mail: Mail) -> list[Finding]:
    """One finding per ``Recipient address:`` block."""
    report = text.report_part(mail.text[:200000])
    findings: list[Finding] = []
    for start in _LIST.finditer(report):
        action = Action.FAILED if start.group(1).lower().startswith("cannot") else Action.DELAYED
        for block in _blocks(report[start.end():]):
            found = _finding(block, action)
            if found is not None:
                findings.append(found)
    return findings


def _blocks(section: str) -> list[dict[str, str]]:
    """The indented field blocks, in order; a new block starts at each Recipient address."""
    blocks: list[dict[str, str]] = []
    for line in section.split("\n")[:5000]:
        if _LIST.match(line):
            break
        match = _FIELD.match(line)
        if match:
            name = match.group(1).lower()
            if name == "recipient address" or not blocks:
                blocks.append({})
            blocks[-1].setdefault(name, match.group(2).strip())
        elif line.strip() and line[:1] not in " \t" and blocks:
            break
        elif line[:1] in " \t" and line.strip() and blocks:
            # Remote system: dns;mx.example.org (TCP|...)
            #   (6jo.example.org ESMTP)   <- a folded continuation
            last = list(blocks[-1])[-1]
            blocks[-1][last] = f"{blocks[-1][last]} {line.strip()}"
    return blocks


def _finding(block: dict[str, str], action: Action) -> Finding | None:
    # "Recipient address: @smtp.example.net:jane@server" is a source route; the
    # "Original address:" line then holds the address that was written.
    address = codes.clean_address(block.get("recipient address")) or codes.clean_address(
        block.get("original address"))
    if not address:
        return None
    diagnostic = codes.strip_dsn_type(block.get("diagnostic code")) or block.get("reason", "")
    found = text.finding_from_words(codes.unwrap_reply(diagnostic), address, NAME)
    remote = codes.strip_dsn_type(block.get("remote system")).split(" ", 1)[0] or None
    original = codes.clean_address(block.get("original address"))
    return found.with_changes(
        action=action, remote_mta=remote,
        original_recipient=original if original and original != address else None)
