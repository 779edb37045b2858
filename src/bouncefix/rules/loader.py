"""Load and validate the rule files (``data/rules/*.yaml``) and the reason taxonomy
(``data/reasons.yaml``). Errors name the file and the rule id.

A rule file holds ``rules:`` (a list) and may declare ``providers:`` (how to recognise a
receiving provider from host names and marker words), which rules name in ``provider:``.
"""

# (no "from __future__ import annotations": NamedTuple would compile each field's
# annotation from its string at start-up)

import re
from functools import lru_cache
from typing import Any, NamedTuple

from bouncefix.regex import lazy

from ..datafiles import DataError, bundled, read, rule_names
from ..literals import branches
from ..model import Reason
from .prefilter import LazyPattern, anchors, for_lowered, required

_RULE_KEYS = {
    "id", "reason", "provider", "match", "title", "cause", "fix", "who", "retry",
    "source", "examples", "note", "role", "final", "ambiguous",
}
#: what a rule's words are: the cause itself, a frame that only says *that* something was
#: refused ("Recipient address rejected:"), or a wrapper around the real cause ("retry
#: timeout exceeded"). Frames and wrappers give way to causes and to specific codes.
ROLES = ("cause", "frame", "wrapper")
#: the conditions a fix step may carry as a "[tag] " prefix: shown only when the
#: diagnosis is hard / not hard, the report is a delay / a final failure
STEP_CONDITIONS = ("hard", "soft", "delay", "final", "away", "departed")
_MATCH_KEYS = {
    "text", "status", "reply_code", "command", "remote", "kind", "not_text", "parser",
}
_PROVIDER_KEYS = {"name", "hosts", "markers", "note"}
_WHO = ("sender", "sender-admin", "recipient", "recipient-admin")
_STATUS_PATTERN = lazy(r"^(?:none|[245X]\.(?:\d{1,3}|\*)(?:\.(?:\d{1,3}|\*))?)$")
_REPLY_PATTERN = lazy(r"^[245](?:\d\d|\d\*|\*\*?)?$")
_RETRY = lazy(r"^(?:never|now|later)(?:: \S.{0,200})?$")
_PLACEHOLDER = lazy(r"\{([a-z_]{1,30})\}")
#: placeholders every template may use (filled from the finding; see engine.py)
FINDING_PLACEHOLDERS = frozenset(
    {"address", "domain", "remote_mta", "ip", "status", "reply_code", "provider_name",
     "sender_domain"}
)


class Provider(NamedTuple):
    """A receiving provider, recognised by host names or marker words."""

    id: str
    name: str
    hosts: LazyPattern | None
    markers: LazyPattern | None


class Rule(NamedTuple):
    """One rule: conditions and what they let us conclude."""

    id: str
    reason: Reason
    provider: str | None
    text: LazyPattern | None
    not_text: LazyPattern | None
    status: tuple[str, ...]
    reply_code: tuple[str, ...]
    command: tuple[str, ...]
    remote: LazyPattern | None
    kind: tuple[str, ...]
    parser: tuple[str, ...]
    title: str | None
    cause: str | None
    fix: tuple[str, ...]
    who: tuple[str, ...]
    retry: str | None
    source: str | None
    examples: tuple[str, ...]
    file: str = ""
    role: str = "cause"
    #: the condition can never clear (a null MX): hard and never retried, even under a
    #: temporary code
    final: bool = False
    #: the provider gives these words for more than one cause: why the verdict is only a
    #: best guess (low confidence, never a hard bounce)
    ambiguous: str | None = None

    @property
    def tier(self) -> int:
        """Precedence, lower first: 0 provider or parser specific, 1 generic text,
        2 exact enhanced code, 3 exact reply code, 4 classes and wildcards."""
        if self.provider or self.parser:
            return 0
        if self.text is not None:
            return 1
        if any("*" not in s and s != "none" for s in self.status):
            return 2
        if self.reply_code and not self.status and any("*" not in r for r in self.reply_code):
            return 3
        return 4


_RULE_FIELDS: tuple[str, ...] = Rule._fields


class ReasonInfo(NamedTuple):
    """The taxonomy entry of one reason, with its default diagnosis."""

    id: Reason
    title: str
    hard: bool
    status: str
    summary: str
    cause: str
    fix: tuple[str, ...]
    who: tuple[str, ...]
    retry: str
    #: whose problem it is, for spotting text that contradicts a code: recipient,
    #: sender, message or system
    side: str
    #: the DNS checks that confirm or rule out this reason (evidence.py), most telling first
    dns_checks: tuple[str, ...] = ()


SIDES = ("recipient", "sender", "message", "system")
DNS_CHECKS = ("mx", "sender-mx", "spf", "dmarc", "ptr", "fcrdns", "dnsbl")


class Ruleset(NamedTuple):
    """Every rule in precedence order, and the providers they refer to."""

    rules: tuple[Rule, ...]
    providers: dict[str, Provider]
    #: read from the data bundle (whose other derived data, such as the rule index's
    #: anchor table, then belongs to these very rules)
    bundled: bool = False


_ANCHORS: dict[str, Any] = {}
_NAMED_GROUP = lazy(r"\(\?P<([A-Za-z_][A-Za-z0-9_]{0,30})>")


@lru_cache(maxsize=1)
def load_ruleset() -> Ruleset:
    """Every rule file, validated: from the data bundle of an installed copy, where the
    rules were validated when it was built (datafiles.py), else from the rule files now.
    Regexes are compiled lazily (prefilter.py)."""
    plain = bundled("ruleset")
    if plain is not None:
        try:
            return _from_plain(plain)
        except (TypeError, ValueError, KeyError, IndexError):
            pass  # a bundle of another layout: read the files
    _ANCHORS.clear()
    return _load(rule_names())


def built_data() -> dict[str, Any]:
    """What the data bundle holds of the rules: validated, as plain data, with the
    literal anchors of every pattern derived."""
    from .index import BUNDLED, anchor_state

    _ANCHORS.clear()
    ruleset = _load(rule_names())
    return {"ruleset": _to_plain(ruleset), BUNDLED: anchor_state(ruleset.rules)}


_PATTERN_FIELDS = frozenset({"text", "not_text", "remote"})


def _to_plain(ruleset: Ruleset) -> tuple[Any, ...]:
    """The ruleset as marshal-able data: rules as tuples of their fields."""
    def pattern(value: LazyPattern | None) -> Any:
        return None if value is None else (value.pattern, value.anchors, value.phrases,
                                           value.needs, value.lowered_pattern)

    rules = []
    for rule in ruleset.rules:
        row = []
        for name in _RULE_FIELDS:
            value = getattr(rule, name)
            row.append(pattern(value) if name in _PATTERN_FIELDS else
                       value.value if isinstance(value, Reason) else value)
        rules.append(tuple(row))
    providers = tuple((p.id, p.name, pattern(p.hosts), pattern(p.markers))
                      for p in ruleset.providers.values())
    return (tuple(_RULE_FIELDS), tuple(rules), providers)


def _from_plain(plain: Any) -> Ruleset:
    names, rows, provider_rows = plain
    if tuple(names) != _RULE_FIELDS:
        raise ValueError("another rule layout")
    names = tuple(names)

    def pattern(value: Any) -> LazyPattern | None:
        return None if value is None else LazyPattern(*value)

    rules = []
    for row in rows:
        values = dict(zip(_RULE_FIELDS, row, strict=True))
        for name in _PATTERN_FIELDS:
            values[name] = pattern(values[name])
        values["reason"] = Reason(values["reason"])
        rules.append(Rule(**values))
    providers = {row[0]: Provider(row[0], row[1], pattern(row[2]), pattern(row[3]))
                 for row in provider_rows}
    return Ruleset(tuple(rules), providers, bundled=True)


def _load(names: list[str]) -> Ruleset:
    rules: list[Rule] = []
    providers: dict[str, Provider] = {}
    for name in names:
        data = read(name)
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise DataError(f"{name}: expected a mapping with a 'rules' list")
        unknown = set(data) - {"version", "rules", "providers"}
        if unknown:
            raise DataError(f"{name}: unknown top-level keys {sorted(unknown)}")
        for key, entry in (data.get("providers") or {}).items():
            if key in providers:
                raise DataError(f"{name}: provider {key!r} declared twice")
            providers[key] = _provider(str(key), entry, f"{name}: provider {key}")
        for index, entry in enumerate(data["rules"]):
            rules.append(_rule(entry, f"{name}: rule #{index + 1}", name))
    _check_ids(rules)
    for rule in rules:
        if rule.provider and rule.provider not in providers:
            raise DataError(f"{rule.file}: rule {rule.id}: unknown provider {rule.provider!r}")
    order = {id(r): i for i, r in enumerate(rules)}
    ranked = tuple(sorted(rules, key=lambda r: (r.tier, order[id(r)])))
    return Ruleset(ranked, providers)


def load_rules() -> tuple[Rule, ...]:
    """Every rule, validated, in precedence order."""
    return load_ruleset().rules


def _check_ids(rules: list[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise DataError(f"{rule.file}: duplicate rule id {rule.id!r} (also in {seen[rule.id]})")
        seen[rule.id] = rule.file


@lru_cache(maxsize=1)
def load_reasons() -> dict[Reason, ReasonInfo]:
    """The reason taxonomy; every Reason must be described exactly once."""
    data = read("reasons.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("reasons"), dict):
        raise DataError("reasons.yaml: expected a mapping with a 'reasons' mapping")
    keys = {"title", "hard", "status", "summary", "cause", "fix", "who", "retry", "side"}
    optional = {"dns_checks"}
    out: dict[Reason, ReasonInfo] = {}
    for key, entry in data["reasons"].items():
        where = f"reasons.yaml: {key}"
        reason = _reason(key, where)
        if not isinstance(entry, dict) or not keys <= set(entry) <= keys | optional:
            raise DataError(f"{where}: needs exactly {', '.join(sorted(keys))} "
                            f"(and may have {', '.join(sorted(optional))})")
        dns_checks = _strings(entry.get("dns_checks"), where, "dns_checks")
        if set(dns_checks) - set(DNS_CHECKS):
            raise DataError(f"{where}: dns_checks must be among {', '.join(DNS_CHECKS)}")
        fix = _steps(entry["fix"], where)
        who = _strings(entry["who"], where, "who")
        if entry["side"] not in SIDES:
            raise DataError(f"{where}: side must be one of {', '.join(SIDES)}")
        if not fix or not who or set(who) - set(_WHO):
            raise DataError(f"{where}: fix and who must be non-empty (who from {_WHO})")
        retry = str(entry["retry"])
        if not _RETRY.match(retry):
            raise DataError(f"{where}: retry must be never, now or later, optionally ': advice'")
        out[reason] = ReasonInfo(
            reason, _prose(entry["title"]) or "", bool(entry["hard"]), str(entry["status"]),
            _prose(entry["summary"]) or "", _prose(entry["cause"]) or "", fix, who, retry, str(entry["side"]),
            dns_checks,
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


_TERM = lazy(r"%([a-z_]{1,30})%")


@lru_cache(maxsize=1)
def load_terms() -> dict[str, str]:
    """The phrase families of data/vocabulary.yaml, each as one alternation."""
    data = read("vocabulary.yaml")
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict):
        raise DataError("vocabulary.yaml: expected a mapping with a 'terms' mapping")
    out = {}
    for name, alternatives in terms.items():
        values = _strings(alternatives, f"vocabulary.yaml: {name}", "terms")
        if not values or not re.fullmatch(r"[a-z_]{1,30}", str(name)):
            raise DataError(f"vocabulary.yaml: term {name!r} needs a name [a-z_] and alternatives")
        out[str(name)] = "(?:" + "|".join(values) + ")"
    return out


def expand_terms(pattern: str, where: str) -> str:
    """`pattern` with every %family% replaced by its alternation."""
    if "%" not in pattern:
        return pattern
    terms = load_terms()

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in terms:
            raise DataError(f"{where}: unknown phrase family %{name}% (in vocabulary.yaml: "
                            f"{', '.join(sorted(terms))})")
        return terms[name]

    return _TERM.sub(one, pattern)


def _pattern(values: tuple[str, ...], where: str, key: str) -> LazyPattern | None:
    """A lazily compiled pattern for `values` (alternatives; %family% expanded). Syntax
    errors surface when it is first used, as DataError; tests compile every pattern of
    every file."""
    if not values:
        return None
    grouped = [f"(?:{expand_terms(v, where)})" for v in values]
    joined = "|".join(grouped)
    # a phrase written as alternatives is searched alternative by alternative, as the
    # phrases are: each is compiled only when its own words occur (literals.branches)
    parts: list[tuple[str, str | None]] = []  # (pattern, the phrase as written if split)
    for phrase in grouped:
        split = branches(phrase)
        parts += [(f"(?:{b})", None if len(split) == 1 else phrase) for b in split]
    if len(parts) > 1:
        phrases = tuple((p, _anchors_of(p), required(p, words=True), for_lowered(p), written)
                        for p, written in parts)
        # every match is a match of one phrase: the union of the phrases' anchors (so
        # that the rule index, which looks these up, reports every phrase's anchors)
        each = [phrase[1] for phrase in phrases]
        union = None if None in each else tuple(dict.fromkeys(a for f in each for a in f or ()))
        return LazyPattern(joined, union, phrases, (), for_lowered(joined))
    return LazyPattern(joined, _anchors_of(joined), None, required(joined, words=True),
                       for_lowered(joined))


def _anchors_of(pattern: str) -> tuple[str, ...] | None:
    if pattern not in _ANCHORS:
        _ANCHORS[pattern] = anchors(pattern)
    found = _ANCHORS[pattern]
    return tuple(found) if found is not None else None


def _provider(key: str, entry: Any, where: str) -> Provider:
    if not isinstance(entry, dict) or "name" not in entry or set(entry) - _PROVIDER_KEYS:
        raise DataError(f"{where}: needs name, and hosts or markers (regexes)")
    hosts = _pattern(_strings(entry.get("hosts"), where, "hosts"), where, "hosts")
    markers = _pattern(_strings(entry.get("markers"), where, "markers"), where, "markers")
    if hosts is None and markers is None:
        raise DataError(f"{where}: needs hosts or markers")
    return Provider(key, str(entry["name"]), hosts, markers)


def _codes(match: dict[str, Any], where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    status = _strings(match.get("status"), where, "status")
    for code in status:
        if not _STATUS_PATTERN.match(code):
            raise DataError(f"{where}: bad status pattern {code!r}")
    reply = _strings(match.get("reply_code"), where, "reply_code")
    for code in reply:
        if not _REPLY_PATTERN.match(code):
            raise DataError(f"{where}: bad reply_code pattern {code!r}")
    return status, reply


def _rule(entry: Any, where: str, file: str) -> Rule:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: expected a mapping")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,80}", rule_id):
        raise DataError(f"{where}: missing or malformed id")
    where = f"{file}: rule {rule_id}"
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}")
    match = entry.get("match") or {}
    if not isinstance(match, dict) or not match:
        raise DataError(f"{where}: 'match' must be a non-empty mapping")
    unknown = set(match) - _MATCH_KEYS
    if unknown:
        raise DataError(f"{where}: unknown match keys {sorted(unknown)}")
    status, reply = _codes(match, where)
    who = _strings(entry.get("who"), where, "who")
    if set(who) - set(_WHO):
        raise DataError(f"{where}: who must be among {_WHO}")
    retry = entry.get("retry")
    if retry is not None and not (isinstance(retry, str) and _RETRY.match(retry)):
        raise DataError(f"{where}: retry must be never, now or later, optionally ': advice'")
    text = _pattern(_strings(match.get("text"), where, "text"), where, "text")
    fix = _steps(entry.get("fix"), where)
    role = entry.get("role", "cause")
    if role not in ROLES:
        raise DataError(f"{where}: role must be one of {', '.join(ROLES)}")
    _check_placeholders([entry.get("cause") or "", *fix], text, where)
    provider = entry.get("provider")
    return Rule(
        id=rule_id,
        reason=_reason(entry.get("reason"), where),
        provider=str(provider) if provider else None,
        text=text,
        not_text=_pattern(_strings(match.get("not_text"), where, "not_text"), where, "not_text"),
        status=status,
        reply_code=reply,
        command=tuple(c.upper() for c in _strings(match.get("command"), where, "command")),
        remote=_pattern(_strings(match.get("remote"), where, "remote"), where, "remote"),
        kind=_strings(match.get("kind"), where, "kind"),
        parser=_strings(match.get("parser"), where, "parser"),
        title=_prose(entry.get("title")),
        cause=_prose(entry.get("cause")),
        fix=fix,
        who=who,
        retry=retry,
        source=entry.get("source"),
        examples=_strings(entry.get("examples"), where, "examples"),
        file=file,
        role=role,
        final=bool(entry.get("final", False)),
        ambiguous=_prose(entry.get("ambiguous")),
    )


def _prose(value: Any) -> str | None:
    """A text of a rule as people read it: one paragraph, no trailing newline (YAML's
    folded blocks end with one)."""
    return " ".join(str(value).split()) if value else None


def _steps(value: Any, where: str) -> tuple[str, ...]:
    """Fix steps; a step may start with a condition tag ("[hard] Remove ...")."""
    steps = tuple(" ".join(step.split()) for step in _strings(value, where, "fix"))
    for step in steps:
        if step.startswith("["):
            tag = step[1:].partition("]")[0]
            if tag not in STEP_CONDITIONS or not step[len(tag) + 2:].startswith(" "):
                raise DataError(f"{where}: fix step {step[:40]!r}: a condition tag is one of "
                                f"{', '.join(STEP_CONDITIONS)}, as '[hard] ...'")
    return steps


def _check_placeholders(
    templates: list[str], text: LazyPattern | None, where: str
) -> None:
    allowed = FINDING_PLACEHOLDERS | set(_NAMED_GROUP.findall(text.pattern) if text else ())
    for template in templates:
        for name in _PLACEHOLDER.findall(template):
            if name not in allowed:
                raise DataError(f"{where}: unknown placeholder {{{name}}} (allowed: "
                                f"{', '.join(sorted(allowed))})")
