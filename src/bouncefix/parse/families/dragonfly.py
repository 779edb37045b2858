"""DragonFly Mail Agent (dma): one recipient per report, the reason in one paragraph; when
a remote server refused, dma names the host, the command and quotes the reply::

    Subject: Mail delivery failed

    This is the DragonFly Mail Agent v0.13 at mail.example.net.

    There was an error delivering your mail to <jane@example.org>.

    mx.example.org [192.0.2.25] did not like our RCPT TO:
    550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown

    Message headers follow.

Other reasons are dma's own sentences ("Could not deliver for the last 432000 seconds.
Giving up.", "DNS lookup failure: host example.org not found"). The report ends with
"Message headers follow." or "Original message follows.".
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "dragonfly"

_INTRO = lazy(r"(?m)^This is the DragonFly Mail Agent\b")
_RECEIVED = lazy(r"\(DragonFly Mail Agent\b")
_END = lazy(r"(?m)^(?:Message headers follow|Original message follows)\.?[ \t]*$")
_RECIPIENT = lazy(
    r"(?m)^There was an error delivering your mail to <([^<>\s]{1,320}@[^<>\s]{1,255})>\.?[ \t]*$"
)
# mx.example.org [192.0.2.25] did not like our RCPT TO:
_REFUSED = lazy(
    r"(?m)^(\S{1,255}) \[([^\]\s]{0,64})\] did not like our ([A-Za-z ]{2,20}):[ \t]*$"
)


def matches(mail: Mail) -> bool:
    """dma's introduction, or its subject with its Received line."""
    if _INTRO.search(mail.text[:5000]):
        return True
    return mail.subject.startswith("Mail delivery failed") and any(
        _RECEIVED.search(r) for r in mail.headers("Received")[:10]
    )


def parse(mail: Mail) -> list[Finding]:
    """The recipient named in the report, and the reason paragraph after it."""
    report = mail.text[:100000]
    end = _END.search(report)
    report = report[: end.start()] if end else report
    recipient = _RECIPIENT.search(report)
    if not recipient:
        return []
    # the address in the sentence, else dma's own X-Original-To header
    address = codes.clean_address(recipient.group(1)) or codes.clean_address(
        mail.header("X-Original-To"))
    reason = report[recipient.end():]
    refused = _REFUSED.search(reason)
    if refused:
        words = codes.unwrap_reply(reason[refused.end():])
        found = text.finding_from_words(words, address, NAME)
        command = codes.find_command(f"in reply to {refused.group(3).replace('final ', '')}")
        return [found.with_changes(remote_mta=refused.group(1), smtp_command=command)]
    words = codes.unwrap_reply(reason)
    return [text.finding_from_words(words, address, NAME)] if words else []
