"""SurfControl E-mail Filter (later Websense): ``X-Mailer: SurfControl E-mail Filter``,
``X-SEF-...`` headers, and a transcript of the delivery attempts::

    Your message could not be sent.
    A transcript of the attempts to send the message follows.
    The number of attempts made: 1
    Addressed To: jane@example.org
    Failed to send to identified host,
    jane@example.org: [192.0.2.25], 550 jane@example.org... No such user
    --- Message non-deliverable.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "surfcontrol"

_OPENING = lazy(r"(?im)^[ \t]*Your message could not be sent\.[ \t]*$")
_TRANSCRIPT = lazy(r"(?im)^[ \t]*A transcript of the attempts to send the message follows")
# jane@example.org: [192.0.2.25], 550 jane@example.org... No such user
_ATTEMPT = lazy(r"^[ \t]*<?([^\s<>@:]{1,64}@[^\s<>@:]{1,255}?)>?:[ \t]*"
                      r"(?:\[([^\]\s]{1,255})\][ \t]*,?[ \t]*)?(\S[^\n]*)$")
_ADDRESSED = lazy(r"(?im)^[ \t]*Addressed To:[ \t]*(.{1,1000})$")


def matches(mail: Mail) -> bool:
    """SurfControl's X-Mailer or X-SEF headers with its transcript sentences."""
    if not mail.has_headers:
        return False
    marked = "surfcontrol" in mail.header("X-Mailer").lower() or any(
        name.startswith("x-sef-") for name in mail.message.field_names()
    )
    report = text.report_part(mail.text)[:20000]
    return marked and bool(_OPENING.search(report) or _TRANSCRIPT.search(report))


def parse(mail: Mail) -> list[Finding]:
    """The last attempt line of each recipient; 'Addressed To' alone if none."""
    report = text.report_part(mail.text)[:200000]
    attempts: dict[str, Finding] = {}
    for line in report.split("\n")[:5000]:
        match = _ATTEMPT.match(line[:4000])
        address = codes.clean_address(match.group(1)) if match else None
        if match is None or address is None:
            continue
        words = codes.unwrap_reply(match.group(3))
        attempts[address.lower()] = text.finding_from_words(
            words, address, NAME, remote_mta=match.group(2))
    if attempts:
        return list(attempts.values())
    addressed = [a for m in _ADDRESSED.finditer(report) for a in codes.find_addresses(m.group(1))]
    return [Finding(address=a, parser=NAME) for a in text.unique(addressed)]
