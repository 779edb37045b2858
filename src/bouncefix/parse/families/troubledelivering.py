"""An unnamed MTA whose report says "We had trouble delivering your message. Full details
follow:" (``Subject: There was an error sending your mail``), one sentence per failure with
the server's reply in square brackets, and the original headers as an attachment::

    1 error(s):

    SMTP Server <mx.example.org> rejected recipient <jane@example.org> (Error following RCPT
    command). It responded as follows: [550 5.1.1 User unknown]

    The following recipients returned permanent errors: joe@example.net. Reason: SMTP
    Server <192.0.2.23> refused to accept your message (DATA), with the following error
    message: [554 5.4.6 Hop count exceeded - possible mail loop]
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, text

NAME = "troubledelivering"

_INTRO = lazy(r"We had trouble delivering your message\. Full details follow:")
_END = lazy(r"(?m)^The attachment contains the original mail headers")
_REJECTED = lazy(
    r"SMTP Server <([^<>\s]{1,255})> rejected recipient <([^<>\s]{1,320})>[ \t]*"
    r"\(Error following ([A-Za-z ]{2,12}) command\)\.?"
)
_RETURNED = lazy(r"The following recipients returned (permanent|temporary) errors:[ \t]*")
_REFUSED = lazy(
    r"SMTP Server <([^<>\s]{1,255})> refused to accept your message \(([A-Za-z ]{2,12})\)")
_BRACKETED = lazy(r"\[([^\[\]]{1,2000})\]")


def matches(mail: Mail) -> bool:
    """The report's opening sentence."""
    return bool(_INTRO.search(mail.text[:5000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding per recipient named in a failure sentence."""
    report = mail.text[:100000]
    end = _END.search(report)
    report = report[: end.start()] if end else report
    findings: list[Finding] = []
    for block in text.paragraphs(report)[:500]:
        sentence = _sentence(" ".join(block.split()))
        if sentence is None:
            continue
        addresses, remote, command, rest, action = sentence
        reply = _BRACKETED.search(rest)
        words = reply.group(1) if reply else rest
        for address in text.unique(codes.clean_address(a) for a in addresses):
            found = text.finding_from_words(words, address, NAME)
            findings.append(found.with_changes(
                remote_mta=remote, smtp_command=codes.find_command(f"after {command}"),
                action=action))
    return findings


def _sentence(line: str) -> tuple[list[str], str | None, str, str, Action] | None:
    """(addresses, remote host, command, text after the sentence, action) of one failure
    sentence, or None."""
    rejected = _REJECTED.search(line)
    if rejected:
        return [rejected.group(2)], rejected.group(1), rejected.group(3), line[
            rejected.end():], Action.FAILED
    returned = _RETURNED.search(line)
    if not returned:
        return None
    head = line[returned.end():].split(" Reason:", 1)[0]
    refused = _REFUSED.search(line)
    remote, command = (refused.group(1), refused.group(2)) if refused else (None, "")
    action = Action.DELAYED if returned.group(1) == "temporary" else Action.FAILED
    return codes.find_addresses(head), remote, command, line[returned.end():], action
