"""Catalogue titles for the codes of a finding, for the renderers."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Diagnosis, Finding


@lru_cache(maxsize=256)
def reply_title(code: str | None, context: str | None = None) -> str | None:
    """The catalogue title of a reply code, or None. Codes that RFCs use twice (454 and
    530 mean one thing under AUTH, another under STARTTLS) take the meaning of `context`
    when given and known, else their first."""
    if not code:
        return None
    from ..catalogue.codes import load

    meanings = load().reply_code(code)
    chosen = [m for m in meanings if context and m.context == context]
    return (chosen or meanings)[0].title if meanings else None


def reply_context(command: str | None, words: str | None) -> str | None:
    """Which protocol step a reply belongs to, for codes with two meanings: the SMTP
    command it answered, else what its words are about (TLS or a login)."""
    if command in ("STARTTLS", "AUTH"):
        return command
    text = words or ""
    if "TLS" in text or "tls" in text.split():
        return "STARTTLS"
    lowered = text.lower()
    if "auth" in lowered or "password" in lowered or "credential" in lowered:
        return "AUTH"
    return None


@lru_cache(maxsize=256)
def status_title(code: str | None) -> str | None:
    """The registry title of an enhanced status code (any class), or None."""
    if not code or code.count(".") != 2:
        return None
    from ..catalogue.codes import load

    _, subject, detail = code.split(".")
    if not (subject.isdigit() and detail.isdigit()):
        return None
    entry = load().status_code(subject, detail)
    return entry.title if entry else None


def describe_codes(reply: str | None, status: str | None, inferred: bool = False, *,
                   context: str | None = None, own_use: str | None = None) -> str:
    """'550 (Mailbox unavailable), 5.1.1 (Bad destination mailbox address)'. `own_use`
    ('Microsoft 365 / Exchange Online: ...') replaces the registry title of a status that
    a provider uses in a sense of its own; `context` picks the meaning of a reply code
    RFCs use twice."""
    parts = []
    if reply:
        title = reply_title(reply, context)
        parts.append(f"{reply} ({title})" if title else reply)
    if status:
        title = own_use or status_title(status)
        text = f"{status} ({title})" if title else status
        parts.append(text + (" [inferred]" if inferred else ""))
    return ", ".join(parts) or "none stated"


def codes_line(finding: Finding, diagnosis: Diagnosis) -> str:
    """The codes row of one recipient, as every renderer shows it. A status shows the
    provider's own meaning (the title of its rule) when the provider uses the code in a
    sense of its own: its rule concludes another reason than the specific code alone
    would (or the code model itself reads it as a provider's, at low confidence)."""
    return describe_codes(
        finding.reply_code, diagnosis.status, diagnosis.status_inferred,
        context=reply_context(finding.smtp_command, finding.diagnostic),
        own_use=f"{diagnosis.provider}: {diagnosis.title}" if _reused(diagnosis) else None)


def _reused(diagnosis: Diagnosis) -> bool:
    if not (diagnosis.provider and diagnosis.title and diagnosis.status) or \
            diagnosis.status_inferred:
        return False
    from ..model import Confidence
    from ..rules.codemodel import judge

    verdict = judge(diagnosis.status, None, None)
    # the code model reads a provider's reuse at low confidence (X.4.1 as permanent)
    # a vague code (X.7.1, X.0.0) keeps its registry title: it was never specific
    return verdict is not None and verdict.specific and (
        verdict.reason is not diagnosis.reason or verdict.confidence is Confidence.LOW)
