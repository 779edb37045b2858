"""Ipswitch IMail Server: ``X-Mailer: <SMTP32 v8.22>``, ``Subject: Undeliverable Mail``, one
``<reason>: <address>`` line per recipient, and for a remote refusal the server's reply
after a fixed sentence; the returned message follows "Original message follows."::

    Unknown user: jane@example.org

    undeliverable to joe@example.net

    Body of message generated response:
    550-REJECTED - Blacklisted URL in message.
    550 See http://lookup.example.com.

IMail's own reasons: "Unknown user", "Invalid final delivery userid", "Unknown host",
"User mailbox exceeds allowed size", "Delivery failed 4 attempts".
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "imail"

_MAILER = lazy(r"^<SMTP32 v")
_ORIGINAL = lazy(r"(?m)^[ \t]*Original message follows\.")
# Unknown user: jane@example.org  /  Delivery failed 4 attempts: jane@example.org
_REASON_LINE = lazy(
    r"^[ \t]*([A-Za-z][A-Za-z0-9 ,'()-]{2,80} [A-Za-z0-9()-]{2,40}):[ \t]*"
    r"<?([^\s<>@]{1,64}@[^\s<>@]{1,255}?)>?[ \t]*$"
)
_UNDELIVERABLE = lazy(r"(?i)^[ \t]*undeliverable to[ \t]+<?([^\s<>@]{1,64}@[^\s<>]{1,255}?)>?"
                            r"[ \t]*$")
_RESPONSE = lazy(r"(?im)^[ \t]*Body of message generated response:[ \t]*$")


def matches(mail: Mail) -> bool:
    """IMail's subject with its X-Mailer or with one of its reason lines."""
    if not mail.subject.strip().startswith("Undeliverable Mail"):
        return False
    if _MAILER.match(mail.header("X-Mailer").strip()):
        return True
    return any(_line_entry(line) for line in _report(mail).split("\n")[:200])


def parse(mail: Mail) -> list[Finding]:
    """One finding per reason line; the generated response is the server's words."""
    report = _report(mail)
    response = _RESPONSE.search(report)
    reply = ""
    if response:
        block = text.paragraphs(report[response.end():])
        reply = codes.unwrap_reply(block[0]) if block else ""
        report = report[: response.start()]
    findings: list[Finding] = []
    lines = report.split("\n")[:2000]
    for number, line in enumerate(lines):
        entry = _line_entry(line)
        if entry is None or entry[0].lower() in {f.address.lower() for f in findings if f.address}:
            continue
        address, own_words = entry
        if _RECIPIENT_LABEL.match(line):
            # "Failed Recipient: jane@..." labels the address; its reason is on the lines
            # below it ("Reason: Remote host said: 550 ...")
            below = []
            for after in lines[number + 1:number + 8]:
                if not after.strip() or _line_entry(after):
                    break
                below.append(after.strip())
            own_words = " ".join([*below, own_words])
        findings.append(text.finding_from_words(reply or own_words, address, NAME))
    return findings


# a label that names the recipient rather than a reason ("Failed Recipient: jane@...")
_RECIPIENT_LABEL = lazy(r"(?i)^[ \t]*(?:failed |final |original )?(?:recipient|address)\b")


def _report(mail: Mail) -> str:
    report = mail.text[:100000]
    end = _ORIGINAL.search(report)
    return report[: end.start()] if end else report


def _line_entry(line: str) -> tuple[str, str] | None:
    """(address, IMail's words) of a reason line, or None."""
    match = _REASON_LINE.match(line) or _UNDELIVERABLE.match(line)
    if match is None:
        return None
    # "To: jane@example.org" in a quoted header block is not a reason
    if match.re is _REASON_LINE.compiled and match.group(1).split(" ", 1)[0].lower() in {
            "to", "cc", "bcc", "from", "date", "subject", "reply-to", "sender"}:
        return None
    address = codes.clean_address(match.group(match.lastindex or 1))
    return (address, " ".join(line.split())) if address else None
