"""Load and validate the rule files (``data/rules.yaml``) and the reason taxonomy
(``data/reasons.yaml``). Errors name the file and the rule id."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import DataError, data_path, load_yaml, rule_files
from ..model import Reason

_RULE_KEYS = {
    "id", "reason", "provider", "match", "title", "cause", "fix", "who", "retry",
    "source", "examples", "note",
}
_MATCH_KEYS = {
    "text", "status", "reply_code", "command", "remote", "kind", "not_text", "parser",
}
_WHO = {"sender", "sender-admin", "recipient", "recipient-admin"}
_STATUS_PATTERN = re.compile(r"^[245X]\.(?:\d{1,3}|\*)(?:\.(?:\d{1,3}|\*))?$")
_REPLY_PATTERN = re.compile(r"^[245](?:\d\d|\d\*|\*\*?)?$")
_RETRY = re.compile(r"^(?:never|now|later(?: \S.*)?)$")


@dataclass(frozen=True)
class Rule:
    """One rule: conditions and what they let us conclude."""

    id: str
    reason: Reason
    provider: str | None
    text: re.Pattern[str] | None
    not_text: re.Pattern[str] | None
    status: tuple[str, ...]
    reply_code: tuple[str, ...]
    command: tuple[str, ...]
    remote: re.Pattern[str] | None
    kind: tuple[str, ...]
    parser: tuple[str, ...]
    title: str | None
    cause: str | None
    fix: tuple[str, ...]
    who: tuple[str, ...]
    retry: str | None
    source: str | None
    examples: tuple[str, ...]

    @property
    def tier(self) -> int:
        """Precedence: provider text 0, generic text 1, enhanced code 2, reply code 3,
        class 4. Lower wins; ties go to file order."""
        if self.text is not None:
            return 0 if self.provider or self.parser else 1
        if any("*" not in s for s in self.status):
            return 2
        if self.status:
            return 4
        if self.reply_code and any("*" not in r for r in self.reply_code):
            return 3
        return 4


@dataclass(frozen=True)
class ReasonInfo:
    """The taxonomy entry of one reason."""

    id: Reason
    title: str
    hard: bool
    status: str
    summary: str


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """Every rule, validated, in precedence order."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for path in rule_files():
        name = f"rules/{os.path.basename(path)}"
        data = load_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise DataError(f"{name}: expected a mapping with a 'rules' list")
        for index, entry in enumerate(data["rules"]):
            rule = _rule(entry, f"{name}: rule #{index + 1}")
            if rule.id in seen:
                raise DataError(f"{name}: duplicate rule id {rule.id!r}")
            seen.add(rule.id)
            rules.append(rule)
    order = {id(r): i for i, r in enumerate(rules)}
    return tuple(sorted(rules, key=lambda r: (r.tier, order[id(r)])))


@lru_cache(maxsize=1)
def load_reasons() -> dict[Reason, ReasonInfo]:
    """The reason taxonomy; every Reason must be described exactly once."""
    data = load_yaml(data_path("reasons.yaml"))
    if not isinstance(data, dict) or not isinstance(data.get("reasons"), dict):
        raise DataError("reasons.yaml: expected a mapping with a 'reasons' mapping")
    out: dict[Reason, ReasonInfo] = {}
    for key, entry in data["reasons"].items():
        where = f"reasons.yaml: {key}"
        reason = _reason(key, where)
        if not isinstance(entry, dict) or set(entry) != {"title", "hard", "status", "summary"}:
            raise DataError(f"{where}: needs exactly title, hard, status, summary")
        out[reason] = ReasonInfo(
            reason, str(entry["title"]), bool(entry["hard"]), str(entry["status"]),
            str(entry["summary"]),
        )
    missing = set(Reason) - set(out)
    if missing:
        raise DataError(f"reasons.yaml: missing {', '.join(sorted(r.value for r in missing))}")
    return out


def _reason(value: Any, where: str) -> Reason:
    try:
        return Reason(value)
    except ValueError:
        raise DataError(f"{where}: unknown reason {value!r}") from None


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise DataError(f"{where}: {key} must be a string or a list of strings")
    return tuple(str(v) for v in value)


def _pattern(values: tuple[str, ...], where: str, key: str) -> re.Pattern[str] | None:
    if not values:
        return None
    try:
        return re.compile("|".join(f"(?:{v})" for v in values), re.IGNORECASE)
    except re.error as error:
        raise DataError(f"{where}: bad {key} pattern: {error}") from None


def _rule(entry: Any, where: str) -> Rule:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: expected a mapping")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,80}", rule_id):
        raise DataError(f"{where}: missing or malformed id")
    where = f"{where.split(':')[0]}: rule {rule_id}"
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}")
    match = entry.get("match") or {}
    if not isinstance(match, dict) or not match:
        raise DataError(f"{where}: 'match' must be a non-empty mapping")
    unknown = set(match) - _MATCH_KEYS
    if unknown:
        raise DataError(f"{where}: unknown match keys {sorted(unknown)}")
    status = _strings(match.get("status"), where, "status")
    for code in status:
        if not _STATUS_PATTERN.match(code):
            raise DataError(f"{where}: bad status pattern {code!r}")
    reply = _strings(match.get("reply_code"), where, "reply_code")
    for code in reply:
        if not _REPLY_PATTERN.match(code):
            raise DataError(f"{where}: bad reply_code pattern {code!r}")
    who = _strings(entry.get("who"), where, "who")
    if set(who) - _WHO:
        raise DataError(f"{where}: who must be among {sorted(_WHO)}")
    retry = entry.get("retry")
    if retry is not None and not (isinstance(retry, str) and _RETRY.match(retry)):
        raise DataError(f"{where}: retry must be never, now or 'later ...'")
    provider = entry.get("provider")
    return Rule(
        id=rule_id,
        reason=_reason(entry.get("reason"), where),
        provider=str(provider) if provider else None,
        text=_pattern(_strings(match.get("text"), where, "text"), where, "text"),
        not_text=_pattern(_strings(match.get("not_text"), where, "not_text"), where, "not_text"),
        status=status,
        reply_code=reply,
        command=tuple(c.upper() for c in _strings(match.get("command"), where, "command")),
        remote=_pattern(_strings(match.get("remote"), where, "remote"), where, "remote"),
        kind=_strings(match.get("kind"), where, "kind"),
        parser=_strings(match.get("parser"), where, "parser"),
        title=entry.get("title"),
        cause=entry.get("cause"),
        fix=_strings(entry.get("fix"), where, "fix"),
        who=who,
        retry=retry,
        source=entry.get("source"),
        examples=_strings(entry.get("examples"), where, "examples"),
    )
