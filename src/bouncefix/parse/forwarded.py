"""A bounce forwarded inline: a person's message or a pasted thread that quotes a
delivery report with the report's own header block::

    Forwarding the whole chain, the bounce is the one near the bottom.

    -----Original Message-----
    From: Mail Delivery System <MAILER-DAEMON@out.example.com>
    Sent: Thursday, 7 March 2024 15:41
    Subject: Undelivered Mail Returned to Sender

    <tom@example.net>: host mx.example.net[198.51.100.30] said: 552 5.3.4 ...

or, from a web mail client, "---------- Forwarded message ---------" and the same. The
person's words around it are no report; the forwarded report is, and it is read as the
message it was. (A report attached as a message/rfc822 part is Mail.attached_messages.)
"""

from __future__ import annotations

from ..mail import Mail, unquote
from ..regex import lazy
from .autoreply import is_auto_reply_subject
from .text import REPORT_SUBJECT

#: a header block opens within this many lines after its "From:" line, at most
_BLOCK_LINES = 8
#: forwarded messages looked at, at most, and in text of at most this length
_MAX_FORWARDED = 10
_MAX_TEXT = 1024 * 1024

# the line a mail client writes above a forwarded or replied-to message
_SEPARATOR = lazy(
    r"(?im)^[ \t]*(?:-{2,}[ \t]*(?:original message|forwarded message|message d.origine"
    r"|message transf[ée]r[ée]|urspr[üu]ngliche nachricht|weitergeleitete nachricht"
    r"|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato"
    r"|mensagem original|mensagem encaminhada|oorspronkelijk bericht|doorgestuurd bericht"
    r"|original meddelande|vidarebefordrat meddelande)[ \t]*-{2,}"
    r"|begin forwarded message:)[ \t]*$"
)
# a "From:" line naming a mail system (as a report's sender does)
_SYSTEM_FROM = lazy(
    r"(?i)^[ \t]*from:[ \t]*.{0,80}(?:mailer[-_ ]?daemon|post[-_.]?master|mail delivery"
    r"|delivery (?:sub)?system)"
)
_SUBJECT = lazy(r"(?i)^[ \t]*subject:[ \t]*(.*)$")
_FIELD = lazy(r"^[ \t]*[A-Za-z][A-Za-z-]{0,30}:")


def reports_inside(text: str) -> list[Mail]:
    """The delivery reports `text` quotes inline, each as a message of its own (its
    header block and body, up to the next one): after a forwarding separator, or as a
    header block of their own after a blank line (a list manager's "-- Forwarded by
    Majordomo --" and a quoted report below it)."""
    if len(text) > _MAX_TEXT:
        return []
    lowered = text.lower()
    if not any(word in lowered for word in _HINTS):
        return []
    lines = unquote(text).split("\n")
    starts = []
    for i, line in enumerate(lines):
        if _SEPARATOR.match(line):
            starts.append(i)
        elif (i and not lines[i - 1].strip() and _FIELD.match(line)
              and _is_report_header(lines[i:i + _BLOCK_LINES])):
            starts.append(i - 1)  # the blank line before a report's own header block
    found: list[Mail] = []
    for n, start in enumerate(starts[:_MAX_FORWARDED]):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[start + 1:end]
        while block and not block[0].strip():
            block.pop(0)
        if block and _is_report_header(block):
            found.append(Mail("\n".join(block).encode("utf-8", "surrogateescape")))
    return found


#: words without one of which a text quotes no report (a separator, a mail system's name,
#: or the usual words of a report's or an automatic reply's subject: Outlook forwards
#: with no separator line, only the quoted header block)
_HINTS = ("-----", "forwarded message", "mailer-daemon", "postmaster", "mail delivery",
          "delivery system", "delivery subsystem", "undeliver", "returned mail",
          "delivery status", "failure notice", "delivery failure", "automatic reply",
          "auto-reply", "autoreply", "auto reply", "out of office")


def _is_report_header(block: list[str]) -> bool:
    """Whether `block` opens with a header block whose sender is a mail system or whose
    subject is a report's or an automatic reply's (a forwarded out-of-office notice)."""
    head = []
    for line in block[:_BLOCK_LINES]:
        if not line.strip():
            break
        if not _FIELD.match(line) and not line[:1].isspace():
            return False
        head.append(line)
    if not head:
        return False
    if any(_SYSTEM_FROM.match(line) for line in head):
        return True
    for line in head:
        subject = _SUBJECT.match(line)
        if subject and (REPORT_SUBJECT.search(subject.group(1))
                        or is_auto_reply_subject(subject.group(1).strip())):
            return True
    return False
