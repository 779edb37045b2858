"""Shared by the renderers: grouping recipients that share a diagnosis, verdict lines."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Diagnosis, RecipientReport

_RETRY_WORDS = {"never": "do not retry", "now": "retry now", "later": "retry later"}


def group_recipients(recipients: Sequence[RecipientReport]) -> list[list[RecipientReport]]:
    """Recipients with the same conclusion and the same server words, in first-seen order."""
    groups: dict[tuple[object, ...], list[RecipientReport]] = {}
    for item in recipients:
        key = (item.diagnosis.reason, item.diagnosis.rule, item.diagnosis.status,
               item.finding.reply_code, item.finding.diagnostic)
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def verdict(diagnosis: Diagnosis) -> str:
    """'Recipient address does not exist - hard bounce - do not retry'."""
    hardness = "hard bounce: remove the address" if diagnosis.hard_bounce else "soft"
    retry = _RETRY_WORDS.get(diagnosis.retry_when or "", "")
    if retry and diagnosis.retry_advice:
        retry += f" ({diagnosis.retry_advice})"
    return " - ".join(p for p in (diagnosis.title or diagnosis.reason.value, hardness, retry) if p)
