"""An unnamed MTA (seen at Italian and Japanese ISPs) whose report begins "This is an
automatically generated Delivery Status Notification.", lists the recipients with ``*``
and gives "Technical details"; newer versions add an RFC 3464 part::

          This is an automatically generated Delivery Status Notification.

    Delivery to the following recipients failed permanently:

       * jane@example.org

                                 Technical details:

    SMTP:RCPT host 192.0.2.8: 553 5.3.0 <jane@example.org>... No such user here

Other details: "Routing: Could not find a gateway for jane@example.org". "was aborted
after 5.0 hour(s)" means it gave up retrying. Its Status field can disagree with the reply
it quotes (``Status: 5.1.1`` beside ``552 5.2.2 Over quota``): the reply's code is kept.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail, field
from ...model import Action, Finding, Reason
from .. import codes, text

NAME = "autogendsn"

_INTRO = lazy(r"(?m)^[ \t]*This is an automatically generated Delivery Status Notification\.")
_LIST = lazy(
    r"(?im)^[ \t]*Del[ei]very to the following recipients (failed permanently|was aborted after"
    r" ([\d.]{1,8}) ?(second|minute|hour|day)|has been delayed|is delayed|[a-z ]{3,40})"
)
_STAR = lazy(r"^[ \t]{1,8}\*[ \t]+<?([^\s<>]{1,320}@[^\s<>]{1,255}?)>?[ \t]*$")
# SMTP:RCPT host 192.0.2.8: 553 5.3.0 <jane@example.org>... No such user here
_SMTP = lazy(r"^SMTP:([A-Za-z]{4})[ \t]+host[ \t]+(\S{1,255}?):[ \t]*(.{1,2000})$")
_DETAIL = lazy(r"^(?:Routing|Delivery|Local|DNS|Error):[ \t]*(.{1,2000})$")


def matches(mail: Mail) -> bool:
    """The report's opening sentence with its recipient list sentence."""
    report = mail.text[:20000]
    return bool(_INTRO.search(report)) and bool(_LIST.search(report))


def parse(mail: Mail) -> list[Finding]:
    """The ``*`` recipients, with the technical detail (or DSN reply) for each."""
    report = text.report_part(mail.text[:100000])
    listed = _LIST.search(report)
    if not listed:
        return []
    addresses = [
        a for a in (codes.clean_address(m.group(1)) for m in map(_STAR.match, report.split(
            "\n")[:2000]) if m) if a]
    details = [line.strip() for line in report[listed.end():].split("\n")[:2000]
               if _SMTP.match(line.strip()) or _DETAIL.match(line.strip())]
    diagnostics = _dsn_diagnostics(mail)
    delayed = "delay" in listed.group(1).lower()
    waited = (listed.group(3) or "").lower() in ("hour", "day")
    findings = []
    for address in text.unique(addresses):
        line = next((d for d in details if address.lower() in d.lower()), None)
        line = line or (details[0] if len(details) == 1 else None)
        found = _from_detail(line, address) if line else None
        words = diagnostics.get(address.lower())
        if words and (found is None or not found.reply_code):
            found = text.finding_from_words(words, address, NAME)
        found = found or Finding(address=address, parser=NAME)
        findings.append(found.with_changes(
            action=Action.DELAYED if delayed else Action.FAILED,
            reason_hint=Reason.EXPIRED if waited else None))
    return findings


def _from_detail(line: str, address: str) -> Finding:
    smtp = _SMTP.match(line)
    if smtp:
        found = text.finding_from_words(smtp.group(3), address, NAME)
        command = codes.find_command(f"in reply to {smtp.group(1)}")
        return found.with_changes(smtp_command=command, remote_mta=smtp.group(2))
    detail = _DETAIL.match(line)
    return text.finding_from_words(detail.group(1) if detail else line, address, NAME)


def _dsn_diagnostics(mail: Mail) -> dict[str, str]:
    """Diagnostic-Code of each recipient of the RFC 3464 part."""
    out: dict[str, str] = {}
    for block in mail.delivery_status[1:1000]:
        address = codes.clean_address(field(block, "Final-Recipient"))
        words = codes.strip_dsn_type(field(block, "Diagnostic-Code"))
        if address and words:
            out[address.lower()] = codes.unwrap_reply(words)
    return out
