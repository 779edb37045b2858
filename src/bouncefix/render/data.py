"""Reports as plain data (dicts), the single source of the JSON schema.

Every string that came from input is passed through the sanitiser, so the JSON output
carries no terminal escapes either.
"""

from __future__ import annotations

from typing import Any

from ..model import MessageReport, RecipientReport
from ..sanitize import clean, one_line

SCHEMA_VERSION = 1


def _text(value: str | None, limit: int = 4000) -> str | None:
    return one_line(value, limit) if value else None


def recipient_dict(item: RecipientReport) -> dict[str, Any]:
    """One recipient: what the bounce said and what we conclude."""
    finding, diagnosis = item.finding, item.diagnosis
    return {
        "address": _text(finding.address, 320),
        "original_recipient": _text(finding.original_recipient, 320),
        "action": finding.action.value,
        "reply_code": finding.reply_code,
        "status": diagnosis.status,
        "status_inferred": diagnosis.status_inferred,
        "diagnostic": _text(finding.diagnostic),
        "remote_mta": _text(finding.remote_mta, 300),
        "reporting_mta": _text(finding.reporting_mta, 300),
        "smtp_command": finding.smtp_command,
        "last_attempt": _text(finding.last_attempt, 100),
        "feedback_type": _text(finding.feedback_type, 60),
        "reason": diagnosis.reason.value,
        "hard_bounce": diagnosis.hard_bounce,
        "confidence": diagnosis.confidence.value,
        "confidence_note": diagnosis.confidence_note,
        "suppress": diagnosis.suppress,
        "title": diagnosis.title,
        "cause": diagnosis.cause,
        "fix": list(diagnosis.fix),
        "who": list(diagnosis.who),
        "retry": diagnosis.retry_when,
        "retry_advice": diagnosis.retry_advice,
        "provider": diagnosis.provider,
        "source": diagnosis.source,
        "rule": diagnosis.rule,
        "dns_checks": [check.to_dict() for check in diagnosis.dns_checks],
        "evidence": _text(diagnosis.evidence, 500),
        "parser": finding.parser or None,
    }


def report_dict(report: MessageReport) -> dict[str, Any]:
    """One message."""
    original = report.original
    out: dict[str, Any] = {}
    if report.source is not None:
        out["source"] = clean(report.source, newlines=False)
        out["index"] = report.index
    out.update(
        {
            "kind": report.kind.value,
            "subject": _text(report.subject, 500),
            "parser": report.parser,
            "recipients": [recipient_dict(r) for r in report.recipients],
            "original": None
            if original is None
            else {
                "subject": _text(original.subject, 500),
                "from": _text(original.sender, 320),
                "to": _text(original.to, 1000),
                "message_id": _text(original.message_id, 500),
                "date": _text(original.date, 100),
            },
            "notes": list(report.notes),
        }
    )
    return out
