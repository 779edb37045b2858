"""Amazon SES, sending and receiving. A bounce relayed by SES carries X-SES-Outgoing, a
short sentence and an RFC 3464 part; an expired message quotes the last reply in <>::

    An error occurred while trying to deliver the mail to the following recipients:
    jane@example.org
    Diagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver in 840
        minutes.<421 4.4.2 Connection timed out>

SES receiving says "This message could not be delivered." (Reporting-MTA inbound-smtp.
<region>.amazonaws.com). Event notifications sent by e-mail through SNS are JSON::

    {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":
    [{"emailAddress":"jane@example.org","status":"5.1.1","diagnosticCode":"smtp; 550 ..."}]
"""

from __future__ import annotations

from typing import Any

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding, Reason
from .. import codes, dsn, text

NAME = "amazonses"

_HEADERS = ("X-SES-Outgoing", "X-AWS-Outgoing", "X-Amz-Sns-Message-Id")
_MESSAGE_ID = lazy(r"(?i)@(?:[a-z0-9-]{1,40}\.){0,3}amazonses\.com>?\s*$")
_SENTENCES = lazy(
    r"(?im)^[ \t]*(?:An error occurred while trying to deliver the mail to the following"
    r" recipients:|The following message to <[^<>\s]{1,320}> was undeliverable\."
    r"|This message could not be delivered\.)"
)
_LISTED = lazy(r"(?m)^[ \t]*([^\s<>@]{1,64}@[^\s<>@]{1,255})[ \t]*$")
# 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>
_INNER = lazy(r"(?i)expired[^<>]{0,300}<([245]\d\d)(?:[ -]([245]\.\d{1,3}\.\d{1,3}))?")
_NOTIFICATION = lazy(r'\A\s{0,200}\{[^{}]{0,2000}"(?:notificationType|Type|eventType)"')
_FOLD = lazy(r"!\n ")
_SUBTYPES = {"MailboxFull": Reason.MAILBOXFULL, "MessageTooLarge": Reason.MESGTOOBIG,
             "Suppressed": Reason.SUPPRESSED, "OnAccountSuppressionList": Reason.SUPPRESSED,
             "NoEmail": Reason.USERUNKNOWN, "ContentRejected": Reason.CONTENTERROR,
             "AttachmentRejected": Reason.POLICYVIOLATION}


def matches(mail: Mail) -> bool:
    """SES headers (or message id), with a notification or one of SES's sentences."""
    if not mail.has_headers:
        return False
    ses = any(mail.header(h) for h in _HEADERS) or bool(_MESSAGE_ID.search(
        mail.header("Message-ID")))
    if not ses:
        return False
    body = mail.text[:20000]
    return bool(_NOTIFICATION.match(body) or _SENTENCES.search(body))


def parse(mail: Mail) -> list[Finding]:
    """A JSON notification, else the RFC 3464 part (or the listed recipients)."""
    if _NOTIFICATION.match(mail.text[:20000]):
        return from_notification(mail.text)
    return from_report(mail, NAME)


def from_report(mail: Mail, parser: str) -> list[Finding]:
    """The DSN findings, with the inner reply of an expiry notice as the codes."""
    out = []
    for finding in dsn.parse(mail):
        if finding.address is None:
            continue
        inner = _INNER.search(finding.diagnostic or "")
        if inner:
            finding = finding.with_changes(
                reply_code=inner.group(1), status=inner.group(2) or finding.status)
        out.append(finding.with_changes(parser=parser))
    if out:
        return out
    report = text.report_part(mail.text)[:50000]
    opening = _SENTENCES.search(report)
    if opening is None:
        return []
    listed = report[opening.end():].split("\n\n", 1)[0]
    addresses = text.unique(codes.clean_address(m.group(1)) for m in _LISTED.finditer(listed))
    return [Finding(address=a, parser=parser) for a in addresses]


def from_notification(body: str) -> list[Finding]:
    """Bounce, Complaint and Delivery notifications (also inside an SNS envelope)."""
    data = _load(body) or _load(_FOLD.sub("", body))
    if isinstance(data, dict) and isinstance(data.get("Message"), str):
        data = _load(data["Message"])
    if not isinstance(data, dict):
        return []
    kind = str(data.get("notificationType") or data.get("eventType") or "")
    if kind == "Bounce":
        return _bounce(_mapping(data.get("bounce")))
    if kind == "Complaint":
        complaint = _mapping(data.get("complaint"))
        feedback = str(complaint.get("complaintFeedbackType") or "abuse")
        return [Finding(address=a, diagnostic=f"Feedback report: {feedback}",
                        feedback_type=feedback, reason_hint=Reason.FEEDBACK, parser=NAME)
                for a in _addresses(complaint.get("complainedRecipients"))]
    if kind == "Delivery":
        delivery = _mapping(data.get("delivery"))
        words = str(delivery.get("smtpResponse") or "")
        return [text.finding_from_words(words, a, NAME, action=Action.DELIVERED,
                                        reporting_mta=_text(delivery.get("reportingMTA")))
                for a in _addresses(delivery.get("recipients"))]
    return []


def _bounce(bounce: dict[str, Any]) -> list[Finding]:
    hint = _SUBTYPES.get(str(bounce.get("bounceSubType") or ""))
    reporter = codes.strip_dsn_type(_text(bounce.get("reportingMTA"))) or None
    out = []
    for entry in bounce.get("bouncedRecipients") or []:
        entry = _mapping(entry)
        address = codes.clean_address(_text(entry.get("emailAddress")))
        if address is None:
            continue
        words = codes.unwrap_reply(codes.strip_dsn_type(_text(entry.get("diagnosticCode"))))
        found = text.finding_from_words(words, address, NAME, reporting_mta=reporter,
                                        reason_hint=hint)
        status = codes.find_status(_text(entry.get("status")))
        if status and (found.status is None or found.status.endswith(".0.0")):
            found = found.with_changes(status=status)
        if str(entry.get("action") or "").lower() == "delayed":
            found = found.with_changes(action=Action.DELAYED)
        out.append(found)
    return out


def _load(body: str) -> Any:
    start = body.find("{", 0, 400)
    if start < 0:
        return None
    import json  # here: only SES notifications need it

    try:
        return json.JSONDecoder().raw_decode(body[:2_000_000], start)[0]
    except ValueError:
        return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _addresses(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    found = (codes.clean_address(_text(v.get("emailAddress")) if isinstance(v, dict)
                                 else _text(v)) for v in values)
    return text.unique(found)
