"""SendGrid (legacy bounce notices): one line per recipient, fields joined by " : "::

    This is an automatically generated message from SendGrid.
    I'm sorry to have to tell you that your message was not able to be
    delivered to one of its intended recipients.
    jane:123456:<jane@example.org> : 192.0.2.10 : mx.example.org:[192.0.2.25] : 550 5.1.1
        <jane@example.org>... User unknown  in RCPT TO
    bob:123457:<bob@example.org> : Connection timed out in connect
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "sendgrid"

_OPENING = lazy(r"(?im)^[ \t]*This is an automatically generated message from SendGrid\.")
_LINE = lazy(r"(?m)^[^\s:<>]{0,64}:[0-9A-Za-z]{1,40}:<([^\s<>@]{1,64}@[^\s<>@]{1,255})>"
                   r"[ \t]*:[ \t]*(.{1,4000})$")
_REMOTE = lazy(r"^([A-Za-z0-9][A-Za-z0-9.-]{0,254}):\[[0-9A-Fa-f.:]{2,45}\]$")
# "... User unknown  in RCPT TO" / "Connection timed out in connect"
_STAGE = lazy(r"(?i)(?<![ \t])[ \t]+in[ \t]+(RCPT TO|MAIL FROM|DATA|connect|EHLO|HELO"
                    r"|end of data)$")
_STAGES = {"RCPT TO": "RCPT", "MAIL FROM": "MAIL", "DATA": "DATA", "CONNECT": "CONNECT",
           "EHLO": "EHLO", "HELO": "HELO", "END OF DATA": "DATA"}


def matches(mail: Mail) -> bool:
    """SendGrid's opening sentence."""
    return mail.has_headers and bool(_OPENING.search(text.report_part(mail.text)[:20000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per 'local:id:<address> : ... : reply' line."""
    report = text.report_part(mail.text)[:200000]
    findings: dict[str, Finding] = {}
    for match in _LINE.finditer(report):
        address = codes.clean_address(match.group(1))
        if address is None:
            continue
        parts = [p.strip() for p in match.group(2).split(" : ")]
        words = parts[-1].rstrip()
        remote = next((m.group(1) for p in parts[:-1] if (m := _REMOTE.match(p))), None)
        stage = _STAGE.search(words)
        command = _STAGES.get(stage.group(1).upper()) if stage else None
        if stage:
            words = words[: stage.start()]
        found = text.finding_from_words(codes.unwrap_reply(words), address, NAME,
                                        remote_mta=remote)
        findings[address.lower()] = found.with_changes(
            smtp_command=command or found.smtp_command)
    return list(findings.values())
