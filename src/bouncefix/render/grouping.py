"""Shared by the renderers: grouping recipients that share a diagnosis, verdict lines."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import (
    Action,
    Confidence,
    Diagnosis,
    Kind,
    MessageReport,
    Reason,
    RecipientReport,
)

_RETRY_WORDS = {"never": "do not retry", "now": "retry now", "later": "retry later"}


def group_recipients(recipients: Sequence[RecipientReport]) -> list[list[RecipientReport]]:
    """Recipients with the same conclusion and the same server words, in first-seen order."""
    groups: dict[tuple[object, ...], list[RecipientReport]] = {}
    for item in recipients:
        key = (item.diagnosis.reason, item.diagnosis.rule, item.diagnosis.status,
               item.finding.reply_code, item.finding.diagnostic, item.diagnosis.dns_checks)
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def verdict(item: RecipientReport) -> str:
    """The headline of one recipient: what happened, then what it means for sending.

    'Recipient address does not exist - hard bounce: remove the address - do not retry';
    a delay is 'Delayed, still being retried - ...', an automatic reply and a complaint
    say that the message was delivered; a low-confidence diagnosis is headed
    'Best guess: ...'."""
    diagnosis, action = item.diagnosis, item.finding.action
    title = diagnosis.title or diagnosis.reason.value
    if diagnosis.confidence is Confidence.LOW:
        title = f"Best guess: {title}"
    if diagnosis.reason in (Reason.VACATION,) or item.finding.reason_hint is Reason.VACATION:
        return f"{title} - not a bounce: your message was delivered"
    if diagnosis.reason is Reason.FEEDBACK:
        return f"{title} - the message was delivered; stop mailing this address"
    if action in (Action.DELIVERED, Action.RELAYED, Action.EXPANDED):
        return f"Delivered ({action.value}) - nothing to do"
    retry = _RETRY_WORDS.get(diagnosis.retry_when or "", "")
    if retry and diagnosis.retry_advice:
        retry += f" ({diagnosis.retry_advice})"
    if action is Action.DELAYED:
        return " - ".join(p for p in ("Delayed, will be retried", title,
                                      diagnosis.retry_advice or "") if p)
    hardness = "hard bounce: remove the address" if diagnosis.hard_bounce else "soft bounce"
    return " - ".join(p for p in (title, hardness, retry) if p)


_KIND_LABELS = {
    Kind.BOUNCE: "BOUNCE", Kind.DELAY: "DELAYED - will be retried",
    Kind.AUTO_REPLY: "AUTOMATIC REPLY - not a bounce", Kind.FEEDBACK: "COMPLAINT REPORT",
    Kind.DELIVERED: "DELIVERED", Kind.NOT_BOUNCE: "NOT A BOUNCE",
}


def kind_label(kind: Kind) -> str:
    """The heading of a message of this kind, as people read it."""
    return _KIND_LABELS.get(kind, kind.value.upper())


def original_line(report: MessageReport) -> str | None:
    """Which message bounced: 'your message "Invoice 42" to ann@example.org, sent
    2026-03-05 14:30 +0100', from the returned headers; None when none were returned."""
    original = report.original
    if original is None or not (original.subject or original.to or original.date):
        return None
    parts = []
    if original.subject:
        parts.append(f'"{original.subject}"')
    if original.to:
        parts.append(f"to {original.to}")
    if original.date:
        parts.append(f"sent {original.date}")
    return "your message " + ", ".join(parts)


def confidence_line(diagnosis: Diagnosis) -> str | None:
    """'medium: from X.7.1 at RCPT; ...' when the diagnosis is not high-confidence."""
    if diagnosis.confidence is Confidence.HIGH:
        return None
    why = f": {diagnosis.confidence_note}" if diagnosis.confidence_note else ""
    return f"{diagnosis.confidence.value}{why}"


def dns_lines(diagnosis: Diagnosis) -> list[tuple[str, str]]:
    """The DNS evidence of `diagnosis`, one (status label, sentence) per check:
    ('FAIL', 'example.org has no MX and no A record'), failures first
    (bouncefix.evidence.evidence_rows)."""
    if not diagnosis.dns_checks:
        return []
    from ..evidence import evidence_rows

    return [(status.upper(), sentence) for status, sentence in
            evidence_rows(diagnosis.dns_checks)]
