"""ARF feedback reports (RFC 5965): a complaint, not a bounce.

    Content-Type: multipart/report; report-type=feedback-report

    Content-Type: message/feedback-report

    Feedback-Type: abuse
    User-Agent: SomeGenerator/1.0
    Version: 1
    Original-Rcpt-To: <jane@example.org>

The recipient is the person who complained: Original-Rcpt-To when given, otherwise the
To header of the returned message. The report's fields pasted on their own, with no
message around them, are read too.

Automatic unsubscribe requests (RFC 2369 mailto: unsubscribe links followed by a mail
client, e.g. ``X-Apple-Unsubscribe: true`` with ``Subject: unsubscribe``) are feedback of
type ``unsubscribe``: the sender of the request wants no more mail.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ..mail import Mail, field, parse_field_blocks, part_text
from ..model import Finding, Reason
from . import codes

NAME = "arf"
#: the fields a report pasted without its message carries besides Feedback-Type
_REPORT_FIELDS = frozenset({"user-agent", "version", "original-rcpt-to", "original-mail-from",
                            "arrival-date", "reported-domain", "source-ip", "reported-uri",
                            "removal-recipient", "received-date", "authentication-results"})
_FEEDBACK_TYPE = lazy(r"(?im)^feedback-type:[ \t]*[a-z]")
# A sending service's notice of a complaint, pasted on its own: "A recipient reported your
# campaign "Offers" as spam", "spam complaint from ...".
_COMPLAINT = lazy(
    r"(?i)\b(?:recipient|subscriber|user|contact|customer|someone|person|reader)s? (?:has |have )?"
    r"(?:reported|marked|flagged) (?:your|this|the|a|one of your) (?:message|e-?mail|campaign|"
    r"newsletter|mail(?:ing)?)s?(?: \S{1,60}){0,8}? as (?:spam|junk|abuse|unwanted)"
    r"|\b(?:spam|abuse) complaint (?:from|about|for|on|received)|complained about (?:your|this)"
    # an ESP console's complaint record: "Complaint feedback type: abuse",
    # "Complained recipient: ..."
    r"|\bcomplaint feedback type\b|\bcomplained[- ]recipients?\b"
)


def _unsubscribe_request(mail: Mail) -> bool:
    if mail.header("X-Apple-Unsubscribe").strip().lower() == "true":
        return True
    automatic = mail.header("Auto-Submitted").lower().startswith("auto")
    return automatic and mail.subject.strip().lower() == "unsubscribe"


def matches(mail: Mail) -> bool:
    """multipart/report; report-type=feedback-report, a feedback-report part, or an
    automatic unsubscribe request."""
    if not mail.has_headers:
        return bool(_pasted_fields(mail)) or bool(_COMPLAINT.search(mail.text[:4000]))
    if _unsubscribe_request(mail):
        return True
    if "message/feedback-report" in mail.content_types:
        return True
    if mail.content_type != "multipart/report":
        return False
    report_type = mail.message.get_param("report-type") or ""
    return report_type.lower() == "feedback-report"


def parse(mail: Mail) -> list[Finding]:
    """One finding per complaining recipient."""
    if _unsubscribe_request(mail) and not any(
        p.get_content_type() == "message/feedback-report" for p in mail.parts()
    ):
        senders = codes.find_addresses(mail.header("From"))
        return [Finding(address=senders[0] if senders else None,
                        diagnostic="Unsubscribe request sent automatically by a mail client",
                        feedback_type="unsubscribe", reason_hint=Reason.FEEDBACK, parser=NAME)]
    fields: list[tuple[str, str]] = [] if mail.has_headers else _pasted_fields(mail)
    if not mail.has_headers and not fields:  # a complaint notice in words
        words = " ".join(mail.text.split())[:300]
        named = codes.find_addresses(mail.text[:4000])
        return [Finding(address=named[0] if len(named) == 1 else None, diagnostic=words,
                        feedback_type="abuse", reason_hint=Reason.FEEDBACK, parser=NAME)]
    for part in mail.parts():
        if part.get_content_type() == "message/feedback-report":
            for block in parse_field_blocks(part_text(part)):
                fields.extend(block)
    feedback_type = (field(fields, "Feedback-Type") or "abuse").strip().lower()
    recipients = [
        a
        for key, value in fields
        if key.lower() in ("original-rcpt-to", "removal-recipient")
        for a in codes.find_addresses(value)
    ]
    if not recipients and mail.original is not None:
        recipients = codes.find_addresses(str(mail.original.get("To", "")))
    reporter = field(fields, "Reporting-MTA")
    arrival = field(fields, "Arrival-Date") or field(fields, "Received-Date")
    make = [
        Finding(
            address=address,
            diagnostic=f"Feedback report: {feedback_type}",
            reporting_mta=codes.strip_dsn_type(reporter) or None,
            last_attempt=arrival,
            feedback_type=feedback_type,
            reason_hint=Reason.FEEDBACK,
            parser=NAME,
        )
        for address in (recipients or [None])  # type: ignore[list-item]
    ]
    return make


def _pasted_fields(mail: Mail) -> list[tuple[str, str]]:
    """The fields of a feedback report pasted on its own (``Feedback-Type: abuse``,
    ``User-Agent:``, ``Version: 1``, ``Original-Rcpt-To:`` ...): the Feedback-Type and
    another report field; [] for any other text."""
    words = mail.text[:64 * 1024]
    if not _FEEDBACK_TYPE.search(words):
        return []
    fields = [pair for block in parse_field_blocks(words) for pair in block]
    names = {name.lower() for name, _ in fields}
    return fields if "feedback-type" in names and names & _REPORT_FIELDS else []
