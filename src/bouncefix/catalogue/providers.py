"""Provider-specific codes for ``lookup``: which provider rules speak of a code.

``lookup S3150``, ``lookup TSS04`` or ``lookup 5.7.708`` answer from the provider rules
in ``data/rules/``. A rule that gives no title, cause or fix of its own (the short rules
that only map a provider's code to a reason) speaks through its reason's, from
``data/reasons.yaml``, as the engine does. This compares strings with a table of the
provider rules (:func:`provider_table`, which the data bundle holds ready); it compiles
no regexes, so it stays on the fast start-up path.
"""

from __future__ import annotations

import marshal

from ..datafiles import bundled, data_dir, read, rule_names
from .prose import provider_prose

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_TOKEN = 40
MAX_ENTRIES = 200
_TOKEN_EXTRA = "-_.()#"
#: how lookup shows the condition tag of a fix step ("[hard] Remove ...": rules/loader.py)
STEP_CONDITIONS = {"hard": "(hard bounce)", "soft": "(soft bounce)",
                   "delay": "(while delivery is still retried)",
                   "final": "(once delivery has failed for good)",
                   "away": "(the person is away)",
                   "departed": "(the person has left)"}


def is_provider_token(token: str) -> bool:
    """A word that may be a provider's own code: starts with a letter, has digits
    (S3150, TSS04, AS(1234), BL000010, AUP#1260, CS01); never an SMTP code."""
    if not token or len(token) > MAX_TOKEN or not token.isascii() or not token[0].isalpha():
        return False
    if not any(c.isalpha() for c in token) or not any(c.isdigit() for c in token):
        return False
    return all(c.isalnum() or c in _TOKEN_EXTRA for c in token)


def provider_entries(wanted: str, code: str | None = None) -> list[dict[str, Any]]:
    """Provider rules whose status patterns name `wanted` exactly, or whose examples or
    text patterns contain it as a word. `code`, when given, is the provider's code the
    user asked about, and fills the rules' {code}."""
    lowered = wanted.lower()
    entries: list[dict[str, Any]] = []
    folder = data_dir()
    if folder not in _TABLES:  # once per process: a lookup of several codes asks for each
        _TABLES[folder] = bundled(TABLE) or provider_table()
    for statuses, text, packed in _TABLES[folder]:
        if lowered in statuses or (lowered in text and _has_word(text, lowered)):
            rule, provider = marshal.loads(packed)
            entries.append(_entry(rule, provider, {"code": code} if code else {}))
            if len(entries) >= MAX_ENTRIES:
                break
    return entries


#: the name of the provider table in the data bundle (datafiles.build_bundle)
TABLE = "provider_rules"
#: data folder -> its provider table, read once
_TABLES: dict[str, list[tuple[list[str], str, bytes]]] = {}


def provider_table() -> list[tuple[list[str], str, bytes]]:
    """Every provider rule, in file order, as what a lookup compares a code with (its
    status patterns, lower-cased, and its examples and text patterns joined,
    lower-cased, with escaped dots plain) and the rule with its provider, marshalled,
    decoded only for a rule that matches. The data bundle holds it ready."""
    table = []
    for name in rule_names():
        data = read(name)
        if not isinstance(data, dict):
            continue
        providers = data.get("providers") or {}
        for rule in data.get("rules") or []:
            if isinstance(rule, dict) and rule.get("provider"):
                statuses, text = _searched(rule)
                packed = marshal.dumps((rule, providers.get(rule["provider"]) or {}))
                table.append((statuses, text, packed))
    return table


def _entry(rule: dict[str, Any], provider: dict[str, Any],
           values: dict[str, str]) -> dict[str, Any]:
    """One rule as lookup shows it, completed from its reason where it says nothing."""
    reason = _reason(rule.get("reason"))
    fix = rule.get("fix") or reason.get("fix") or []
    cause = provider_prose(rule.get("cause") or reason.get("cause"), values)
    return {
        "provider": rule["provider"],
        "provider_name": provider.get("name") or rule["provider"],
        "rule": rule.get("id"),
        "reason": rule.get("reason"),
        "title": rule.get("title") or reason.get("title") or rule.get("id") or "",
        "cause": " ".join(cause.split()) if cause else None,
        "fix": [_step(" ".join((provider_prose(str(step), values) or "").split()))
                for step in fix],
        "retry": rule.get("retry") or reason.get("retry"),
        "source": rule.get("source"),
    }


_REASONS: list[dict[str, Any]] = []  #: reasons.yaml's reasons, read once when first needed


def _reason(reason: Any) -> dict[str, Any]:
    if not _REASONS:
        data = read("reasons.yaml")
        reasons = data.get("reasons") if isinstance(data, dict) else None
        _REASONS.append(reasons if isinstance(reasons, dict) else {})
    found = _REASONS[0].get(reason)
    return found if isinstance(found, dict) else {}


def _step(step: str) -> str:
    """"[hard] Remove ..." as "(hard bounce) Remove ..."."""
    if step.startswith("["):
        tag, closed, rest = step[1:].partition("] ")
        if closed and tag in STEP_CONDITIONS:
            return f"{STEP_CONDITIONS[tag]} {rest}"
    return step


def _searched(rule: dict[str, Any]) -> tuple[list[str], str]:
    """A rule's status patterns, lower-cased, and its examples and text patterns
    joined, lower-cased, with escaped dots plain."""
    match = rule.get("match") or {}
    statuses = match.get("status") or []
    if isinstance(statuses, str):
        statuses = [statuses]
    patterns = match.get("text") or []
    texts = [*(rule.get("examples") or []), *([patterns] if isinstance(patterns, str)
                                               else patterns)]
    return ([str(status).lower() for status in statuses],
            "\n".join(map(str, texts)).replace("\\.", ".").lower())


def _has_word(text: str, word: str) -> bool:
    """`word` occurs in `text` not glued to other letters or digits."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not before.isalnum() and not after.isalnum() and before != "." and after != ".":
            return True
        start = text.find(word, start + 1)
    return False
