"""The rule engine: one Finding in, one Diagnosis out. Precedence lives here only.

Order of evidence, strongest first:
1. the report's structure (a feedback report, an auto-reply, a delivered DSN);
2. rules for the receiving provider (recognised from host names and marker words) or
   for the parser that read the report (``tier`` 0), then generic text rules (1);
3. a reason the family parser read from its own fixed sentences (``reason_hint``);
4. rules on the enhanced status code (2), then the reply code (3), then classes (4);
5. ``onhold`` when the report has words but no code, else ``undefined``.

Every diagnosis is complete: what a rule leaves out (cause, fix steps, who acts, retry
advice) comes from the reason's defaults in ``data/reasons.yaml``.
"""

from __future__ import annotations

import re

from bouncefix import recache

from ..model import Action, Diagnosis, Finding, Kind, Reason
from ..sanitize import one_line
from ..textcodec import lower_for_matching
from .conditions import command_allows, parser_allows, reply_allows, status_allows
from .index import RuleIndex
from .loader import Rule, Ruleset, load_reasons, load_ruleset
from .placeholders import FALLBACK_VALUES

MAX_MATCH_TEXT = 8000
_STRUCTURAL = {Reason.FEEDBACK, Reason.VACATION, Reason.DELIVERED}
_NOT_FAILED = {Action.DELIVERED, Action.RELAYED, Action.EXPANDED}
_PLACEHOLDER = recache.compile(r"\{([a-z_]{1,30})\}")
_IPV4 = recache.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = recache.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")


def diagnose(finding: Finding, kind: Kind = Kind.BOUNCE) -> Diagnosis:
    """Conclude the reason, hardness, status, cause and fix of one finding."""
    if finding.reason_hint in _STRUCTURAL:
        return _conclude(finding, finding.reason_hint, f"structure.{finding.reason_hint.value}")
    if finding.action in _NOT_FAILED:
        return _conclude(finding, Reason.DELIVERED, "structure.delivered")
    words = (finding.diagnostic or "")[:MAX_MATCH_TEXT]
    lowered = lower_for_matching(words)
    hint = finding.reason_hint
    candidates = rule_index().candidates(
        finding.parser, finding.status, finding.reply_code, finding.smtp_command, lowered,
        hinted=hint is not None)
    providers: dict[str, bool] = {}  # worked out when a rule first asks
    for rule in candidates:  # a parser's own reason outranks code rules (tiers 2-4)
        if rule.provider:
            present = providers.get(rule.provider)
            if present is None:
                present = providers[rule.provider] = provider_present(
                    rule.provider, finding, words, lowered)
            if not present:
                continue
        found = _other_conditions(rule, finding, words, kind, lowered)
        if found is not None:
            return _conclude(finding, rule.reason, rule.id, found, rule)
    if finding.reason_hint is not None:
        return _conclude(finding, finding.reason_hint, f"parser.{finding.parser}")
    if finding.diagnostic and not (finding.status or finding.reply_code):
        # words that name no known cause and no code to go by: the verdict is open
        return _conclude(finding, Reason.ONHOLD, "fallback.onhold")
    return _conclude(finding, Reason.UNDEFINED, "fallback.undefined")


def _codes_fit(rule: Rule, finding: Finding) -> bool:
    """The cheap conditions first: enhanced code, reply code, SMTP command."""
    return (status_allows(rule, finding.status) and reply_allows(rule, finding.reply_code)
            and command_allows(rule, finding.smtp_command))


_INDEX: list[tuple[Ruleset, RuleIndex]] = []


def rule_index() -> RuleIndex:
    """The bit-set index over the loaded ruleset (built once per ruleset)."""
    ruleset = load_ruleset()
    if not _INDEX or _INDEX[0][0] is not ruleset:
        _INDEX[:] = [(ruleset, RuleIndex(ruleset.rules))]
    return _INDEX[0][1]


def provider_present(provider_id: str, finding: Finding, words: str, lowered: str) -> bool:
    """Whether the finding comes from this provider: its host names in the remote or
    reporting MTA or the server's words, or its marker words in the server's words.
    `lowered` is lower_for_matching(words)."""
    provider = load_ruleset().providers[provider_id]
    hosts = f"{finding.remote_mta or ''} {finding.reporting_mta or ''}"
    lowered_both = f"{lower_for_matching(hosts)} {lowered}"
    if provider.hosts is not None and provider.hosts.search(f"{hosts} {words}", lowered_both):
        return True
    return provider.markers is not None and provider.markers.search(words, lowered_both) is not None


def matches(
    rule: Rule, finding: Finding, words: str, kind: Kind, lowered: str | None = None
) -> re.Match[str] | str | None:
    """The text match if every condition of `rule` holds ('' when the rule has no text
    condition), else None. `lowered` (words.lower()) enables the literal pre-check."""
    if not _codes_fit(rule, finding):
        return None
    if not parser_allows(rule, finding.parser):
        return None
    return _other_conditions(rule, finding, words, kind, lowered)


def _other_conditions(
    rule: Rule, finding: Finding, words: str, kind: Kind, lowered: str | None
) -> re.Match[str] | str | None:
    """matches() past the code and parser conditions (which the index has applied to
    the candidates diagnose() tries)."""
    if rule.kind and kind.value not in rule.kind:
        return None
    if rule.remote is not None:
        hosts = f"{finding.remote_mta or ''} {finding.reporting_mta or ''}"
        if not rule.remote.search(hosts):
            return None
    if rule.text is None:
        return "" if rule.not_text is None or not rule.not_text.search(words, lowered) else None
    found = rule.text.search(words, lowered)
    if found is None or (rule.not_text is not None and rule.not_text.search(words, lowered)):
        return None
    return found


def _conclude(
    finding: Finding,
    reason: Reason,
    rule_id: str,
    found: re.Match[str] | str | None = None,
    rule: Rule | None = None,
) -> Diagnosis:
    info = load_reasons()[reason]
    status, inferred = finding.status, False
    if status is None:
        status, inferred = infer_status(finding, reason), True
    transient = (status or "").startswith("4") or finding.action is Action.DELAYED
    cause = rule.cause if rule and rule.cause else info.cause
    steps = rule.fix if rule and rule.fix else info.fix
    templates = (cause, *steps)
    values = _values(finding, rule, found, any("{ip}" in t for t in templates)) if any(
        "{" in t for t in templates) else {}
    provider = load_ruleset().providers.get(rule.provider) if rule and rule.provider else None
    evidence = found.group(0) if isinstance(found, re.Match) else None
    if evidence is None and rule is not None:
        evidence = " ".join(c for c in (finding.reply_code, finding.status) if c) or None
    if evidence is None:  # structure, parser hint or fallback: the report's own words
        evidence = one_line(finding.diagnostic, 200) or "the report states no code and no reason"
    return Diagnosis(
        reason=reason,
        hard_bounce=info.hard and not transient,
        status=status,
        status_inferred=inferred and status is not None,
        rule=rule_id,
        evidence=evidence,
        title=(rule.title if rule and rule.title else info.title),
        cause=fill(cause, values) if values else cause,
        fix=tuple(fill(step, values) for step in steps) if values else steps,
        who=rule.who if rule and rule.who else info.who,
        retry=_retry(rule.retry if rule and rule.retry else info.retry, transient, reason,
                     finding.action),
        provider=provider.name if provider else None,
        source=rule.source if rule else None,
    )


def _retry(retry: str, transient: bool, reason: Reason, action: Action) -> str:
    """A temporary failure is always worth a later retry, whatever the reason says; a
    delay is being retried already."""
    if action is Action.DELAYED:
        return "later: the sending server is still retrying on its own; wait for its report"
    if transient and retry.startswith("never") and reason not in _STRUCTURAL:
        return "later: the server called the failure temporary"
    return retry


def _values(
    finding: Finding, rule: Rule | None, found: re.Match[str] | str | None, with_ip: bool
) -> dict[str, str]:
    """The placeholder values for a rule's templates (the sending IP only when asked:
    finding it costs a search of the server's words)."""
    words = finding.diagnostic or ""
    address = finding.address or ""
    values = {
        "address": address,
        "domain": address.rpartition("@")[2],
        "remote_mta": finding.remote_mta or "",
        "ip": sending_ip(words, finding.remote_mta) if with_ip else "",
        "status": finding.status or "",
        "reply_code": finding.reply_code or "",
        "provider_name": "",
    }
    if rule is not None and rule.provider:
        provider = load_ruleset().providers.get(rule.provider)
        values["provider_name"] = provider.name if provider else ""
    if isinstance(found, re.Match):
        values.update({k: v for k, v in found.groupdict().items() if v})
    return {k: one_line(v, 200) for k, v in values.items()}


_REMOTE_HOST_IP = recache.compile(r"(?i)\bhost\s+\S{1,255}\[([0-9a-f.:]{3,45})\]")


def sending_ip(words: str, remote_mta: str | None) -> str:
    """The IP address a refusal is about: the first one in the server's words that is
    not the receiving server itself ('host mx.example.org[203.0.113.10] said: ...')."""
    skip = {m.group(1) for m in _REMOTE_HOST_IP.finditer(words)}
    if remote_mta:
        skip.add(remote_mta.strip("[]"))
    for pattern in (_IPV4, _IPV6):
        for match in pattern.finditer(words):
            if match.group(0) not in skip:
                return match.group(0)
    return ""


def fill(template: str, values: dict[str, str]) -> str:
    """Replace {name} placeholders with sanitised values (or a neutral phrase)."""
    return _PLACEHOLDER.sub(
        lambda m: values.get(m.group(1)) or FALLBACK_VALUES.get(m.group(1), m.group(0)),
        template,
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
