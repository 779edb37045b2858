"""Automatic replies (RFC 3834): out-of-office and vacation notices, not bounces.

Recognised by ``Auto-Submitted: auto-replied`` or the headers and subjects that
vacation programs use (``X-Autoreply``, ``Subject: Out of office``, ``Auto:``...).
"""

from __future__ import annotations

from bouncefix import recache

from ..mail import Mail
from ..model import Action, Finding, Reason
from . import codes

NAME = "rfc3834"
# always asked: its checks are header look-ups, cheaper than any word search
SIGNATURE: tuple[str, ...] = ()

_SUBJECT = recache.compile(
    r"(?i)^(?:auto(?:matic)?[ -]?(?:reply|response|antwort|réponse)|out of (?:the )?office|"
    r"vacation|abwesenheit|absence|on leave|away from|autoreply|"
    r"respuesta autom|risposta automatica|不在|自動応答)"
)
_BOUNCE_SUBJECT = recache.compile(
    r"(?i)undeliver|delivery (?:status|failure|failed|problem|notification)|returned mail|"
    r"failure notice|non.?delivery|mail (?:delivery )?fail|delayed|warning: message|"
    r"could not be delivered|not delivered|rejected|bounce"
)
_ROBOT_SENDER = recache.compile(r"(?i)mailer-daemon|postmaster|mail delivery (?:system|subsystem)")


def matches(mail: Mail) -> bool:
    """An auto-reply by header or subject, and not a delivery report."""
    if not mail.has_headers or mail.delivery_status or mail.header("X-Failed-Recipients"):
        return False
    subject = mail.subject
    if _BOUNCE_SUBJECT.search(subject) or _ROBOT_SENDER.search(mail.sender):
        return False
    auto = mail.header("Auto-Submitted").lower()
    if auto.startswith("auto-replied"):
        return True
    if mail.header("X-Autoreply") or mail.header("X-Autorespond") or (mail.header(
        "X-Auto-Response-Suppress"
    ).lower() == "all" and _SUBJECT.search(subject)):
        return True
    if mail.header("Precedence").lower() == "auto_reply":
        return True
    return bool(_SUBJECT.search(subject.strip()))


def parse(mail: Mail) -> list[Finding]:
    """The person who is away is the auto-reply's sender."""
    senders = codes.find_addresses(mail.header("From")) or codes.find_addresses(
        mail.header("Return-Path")
    )
    body = " ".join(mail.text.split())[:300]
    return [
        Finding(
            address=senders[0] if senders else None,
            action=Action.DELIVERED,
            diagnostic=body or mail.subject or None,
            reason_hint=Reason.VACATION,
            parser=NAME,
        )
    ]
