"""The server's own words, out of the sending MTA's wrapper around them.

A Postfix or Exim line pasted from a bounce or a log wraps the remote reply in the
sending MTA's own words::

    <jane@example.org>: host mx.example.org[192.0.2.10] said: 550-5.1.1 The email
        account that you tried to reach does not exist. (in reply to RCPT TO command)
    SMTP error from remote mail server after RCPT TO:<jane@example.org>:
        host mx.example.org [192.0.2.10]: 550 5.1.1 User unknown
    javax.mail.SendFailedException: Invalid Addresses; nested exception is:
        com.sun.mail.smtp.SMTPAddressFailedException: 501 5.5.4 Syntax: RCPT TO:<jane@...>

"The server said" is the reply alone (``550 5.1.1 The email account ...``); the host goes
to ``remote_mta`` and the command to ``smtp_command`` when the parser had not found them.
Only wrappers at the very start and end are taken off, so a reply that itself says
"said:" keeps its words. Every step is a bounded, anchored match (linear time).
"""

from __future__ import annotations

from typing import NamedTuple

from bouncefix.regex import lazy

from ..model import Finding
from . import codes

_HOST = r"\[?(?P<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,63})\.?\]?"
_IP = r"[\[(]?(?P<ip>[0-9a-fA-F:.]{3,45})[\])]?"
# Wrappers in front of the reply, tried in turn at the start (each may occur once).
_LEADERS = [
    # "<jane@example.org>:" or "jane@example.org:" (Postfix, qmail)
    lazy(r"\A[ \t]*<?[^\s<>@]{1,64}@[^\s<>]{1,255}>?:[ \t\n]+"),
    # Exim: "SMTP error from remote mail server after RCPT TO:<jane@example.org>:"
    lazy(r"(?i)\A[ \t]*SMTP error from remote (?:mail server|mailer) after "
         r"(?:pipelined )?(?P<command>RCPT TO|MAIL FROM|end of data|DATA|initial "
         r"connection|EHLO|HELO|STARTTLS)(?::?<[^>\n]{0,320}>)?[^\n:]{0,60}:[ \t\n]+",
         guard=("smtp error from remote mail",)),
    # Postfix: "host mx.example.org[192.0.2.10] said:"; also "remote host said:"
    lazy(r"(?i)\A[ \t]*(?:host[ \t]+)?" + _HOST + r"[ \t]*" + _IP + r"[ \t]+said:[ \t\n]+",
         guard=("said:",)),
    lazy(r"(?i)\A[ \t]*(?:the )?remote (?:host|server|mail server) (?:said|replied|"
         r"returned|responded)(?: with)?:[ \t\n]+", guard=("remote ",)),
    # Exim: "host mx.example.org [192.0.2.10]:"
    lazy(r"(?i)\A[ \t]*host[ \t]+" + _HOST + r"[ \t]+" + _IP + r":[ \t\n]+", guard=("host",)),
    # JavaMail: "javax.mail.SendFailedException: Invalid Addresses; nested exception is:
    # com.sun.mail.smtp.SMTPAddressFailedException: 550 5.1.1 ..." (the headline is the
    # library's own, whatever the server said)
    lazy(r"\A[ \t]*(?:javax|jakarta)\.mail\.[\w.]{1,80}Exception:[^\n]{0,200}?nested exception "
         r"is:[ \t\n]+(?:[\w.$]{1,120}Exception:[ \t]+)?", guard=("nested exception is:",)),
]
# "(in reply to RCPT TO command)" / "(in reply to end of DATA command)" at the end
_TRAILER = lazy(r"(?i)[ \t\n]*\(in reply to (?P<command>[A-Za-z ]{2,30}?) command\)[ \t.]*\Z")
# a continuation marker ("550-5.1.1") that opens the reply
_OPENING_DASH = lazy(r"\A(?P<code>[245]\d\d)-(?P<rest>(?:[245]\.\d{1,3}\.\d{1,3})?)")


class Reply(NamedTuple):
    """A reply taken out of its wrapper, with what the wrapper told."""

    text: str
    host: str | None = None
    command: str | None = None


def unwrap(diagnostic: str) -> Reply:
    """The server's reply in `diagnostic`, its host and the command it answered."""
    text, host, command = diagnostic, None, None
    for pattern in _LEADERS:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        host = host or groups.get("host")
        command = command or _command(groups.get("command"))
        rest = text[match.end():]
        if not rest.strip():
            break  # the wrapper was all there was: keep the text as it is
        text = rest
    trailer = _TRAILER.search(text) if "in reply to" in text.lower() else None
    if trailer is not None and trailer.start() > 0:
        command = command or _command(trailer.group("command"))
        text = text[:trailer.start()]
    opening = _OPENING_DASH.match(text)
    if opening is not None:
        text = f"{opening.group('code')} {opening.group('rest')}{text[opening.end():]}"
    return Reply(text.strip(), host, command)


def tidy(finding: Finding) -> Finding:
    """`finding` with its diagnostic unwrapped; the wrapper's host and command fill
    remote_mta and smtp_command when they are empty."""
    if not finding.diagnostic:
        return finding
    reply = unwrap(finding.diagnostic)
    changes: dict[str, str] = {}
    if reply.text and reply.text != finding.diagnostic:
        changes["diagnostic"] = reply.text
    if reply.host and not finding.remote_mta:
        changes["remote_mta"] = reply.host.lower()
    if reply.command and not finding.smtp_command:
        changes["smtp_command"] = reply.command
    return finding.with_changes(**changes) if changes else finding


def _command(words: str | None) -> str | None:
    return codes.find_command(f"after {words}") if words else None
