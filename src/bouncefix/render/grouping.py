"""Shared by the renderers: grouping recipients that share a diagnosis, verdict lines."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Confidence, Diagnosis, RecipientReport

_RETRY_WORDS = {"never": "do not retry", "now": "retry now", "later": "retry later"}


def group_recipients(recipients: Sequence[RecipientReport]) -> list[list[RecipientReport]]:
    """Recipients with the same conclusion and the same server words, in first-seen order."""
    groups: dict[tuple[object, ...], list[RecipientReport]] = {}
    for item in recipients:
        key = (item.diagnosis.reason, item.diagnosis.rule, item.diagnosis.status,
               item.finding.reply_code, item.finding.diagnostic, item.diagnosis.dns_checks)
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def verdict(diagnosis: Diagnosis) -> str:
    """'Recipient address does not exist - hard bounce - do not retry'; a low-confidence
    diagnosis is headed 'Best guess: ...'."""
    hardness = "hard bounce: remove the address" if diagnosis.hard_bounce else "soft"
    retry = _RETRY_WORDS.get(diagnosis.retry_when or "", "")
    if retry and diagnosis.retry_advice:
        retry += f" ({diagnosis.retry_advice})"
    title = diagnosis.title or diagnosis.reason.value
    if diagnosis.confidence is Confidence.LOW:
        title = f"Best guess: {title}"
    return " - ".join(p for p in (title, hardness, retry) if p)


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
