"""The rule engine: one Finding in, one Diagnosis out. Precedence lives here only.

Order of evidence, strongest first:
1. the report's structure (a feedback report, an auto-reply, a delivered DSN);
2. rules with text patterns naming a provider, then generic text rules (``tier`` 0, 1);
3. a reason the family parser read from its own fixed sentences (``reason_hint``);
4. rules on the enhanced status code, then on the reply code, then on the class;
5. ``undefined``.
"""

from __future__ import annotations

from ..model import Action, Diagnosis, Finding, Kind, Reason
from .loader import Rule, load_reasons, load_rules

MAX_MATCH_TEXT = 8000
_STRUCTURAL = {Reason.FEEDBACK, Reason.VACATION, Reason.DELIVERED}
_NOT_FAILED = {Action.DELIVERED, Action.RELAYED, Action.EXPANDED}


def diagnose(finding: Finding, kind: Kind = Kind.BOUNCE) -> Diagnosis:
    """Conclude the reason, hardness and status of one finding."""
    if finding.reason_hint in _STRUCTURAL:
        return _conclude(finding, finding.reason_hint, f"structure.{finding.reason_hint.value}")
    if finding.action in _NOT_FAILED:
        return _conclude(finding, Reason.DELIVERED, "structure.delivered")
    words = (finding.diagnostic or "")[:MAX_MATCH_TEXT]
    for rule in load_rules():
        if rule.tier >= 2 and finding.reason_hint is not None:
            return _conclude(finding, finding.reason_hint, f"parser.{finding.parser}")
        evidence = matches(rule, finding, words, kind)
        if evidence is not None:
            return _conclude(finding, rule.reason, rule.id, evidence or None, rule)
    if finding.reason_hint is not None:
        return _conclude(finding, finding.reason_hint, f"parser.{finding.parser}")
    return _conclude(finding, Reason.UNDEFINED, "fallback.undefined")


def matches(rule: Rule, finding: Finding, words: str, kind: Kind) -> str | None:
    """The evidence span if every condition of `rule` holds, else None ('' when the
    rule has no text condition)."""
    status = finding.status or ""
    if rule.status and not any(_code_matches(p, status, ".") for p in rule.status):
        return None
    reply = finding.reply_code or ""
    if rule.reply_code and not any(_reply_matches(p, reply) for p in rule.reply_code):
        return None
    if rule.command and (finding.smtp_command or "").upper() not in rule.command:
        return None
    if rule.parser and finding.parser not in rule.parser:
        return None
    if rule.kind and kind.value not in rule.kind:
        return None
    if rule.remote is not None:
        hosts = f"{finding.remote_mta or ''} {finding.reporting_mta or ''}"
        if not rule.remote.search(hosts):
            return None
    if rule.not_text is not None and rule.not_text.search(words):
        return None
    if rule.text is None:
        return ""
    found = rule.text.search(words)
    return found.group(0) if found else None


def _code_matches(pattern: str, code: str, sep: str) -> bool:
    if not code:
        return False
    want = pattern.split(sep)
    have = code.split(sep)
    if len(want) < len(have) and want[-1] == "*":
        want = want + ["*"] * (len(have) - len(want))
    if len(want) != len(have):
        return False
    return all(w in ("*", "X") or w == h for w, h in zip(want, have, strict=True))


def _reply_matches(pattern: str, code: str) -> bool:
    if not code:
        return False
    pattern = pattern.rstrip("*")
    return code.startswith(pattern)


def _conclude(
    finding: Finding,
    reason: Reason,
    rule_id: str,
    evidence: str | None = None,
    rule: Rule | None = None,
) -> Diagnosis:
    info = load_reasons()[reason]
    status, inferred = finding.status, False
    if status is None:
        status, inferred = infer_status(finding, reason), True
    transient = (status or "").startswith("4") or finding.action is Action.DELAYED
    return Diagnosis(
        reason=reason,
        hard_bounce=info.hard and not transient,
        status=status,
        status_inferred=inferred and status is not None,
        rule=rule_id,
        evidence=evidence,
        title=(rule.title if rule else None) or info.title,
        cause=rule.cause if rule else None,
        fix=rule.fix if rule else (),
        who=rule.who if rule else (),
        retry=rule.retry if rule else None,
    )


def infer_status(finding: Finding, reason: Reason) -> str | None:
    """An enhanced code for a report that states none: the reason's usual detail in the
    class given by the reply code (or by the action)."""
    if reason in (Reason.FEEDBACK, Reason.VACATION):
        return None
    if reason is Reason.DELIVERED:
        return "2.0.0"
    klass = "5"
    if finding.reply_code and finding.reply_code[0] in "245":
        klass = finding.reply_code[0]
    elif finding.action is Action.DELAYED:
        klass = "4"
    detail = load_reasons()[reason].status
    return f"{klass}{detail[1:]}" if detail.startswith("X") else detail
