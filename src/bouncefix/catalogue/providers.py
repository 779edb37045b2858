"""Provider-specific codes for ``lookup``: which provider rules speak of a code.

``lookup S3150``, ``lookup TSS04`` or ``lookup 5.7.708`` answer from the provider rules
in ``data/rules/``. This reads the rule files' raw (cached) data and compares strings;
it compiles no regexes, so it stays on the fast start-up path.
"""

from __future__ import annotations

from ..datafiles import read, rule_names
from ..rules.placeholders import neutral

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_TOKEN = 40
MAX_ENTRIES = 25
_TOKEN_EXTRA = "-_.()#"


def is_provider_token(token: str) -> bool:
    """A word that may be a provider's own code: starts with a letter, has digits
    (S3150, TSS04, AS(1234), BL000010, AUP#1260, CS01); never an SMTP code."""
    if not token or len(token) > MAX_TOKEN or not token.isascii() or not token[0].isalpha():
        return False
    if not any(c.isalpha() for c in token) or not any(c.isdigit() for c in token):
        return False
    return all(c.isalnum() or c in _TOKEN_EXTRA for c in token)


def provider_entries(code: str) -> list[dict[str, Any]]:
    """Provider rules whose status patterns name `code` exactly, or whose examples or
    text patterns contain it as a word."""
    wanted = code.lower()
    entries: list[dict[str, Any]] = []
    for name in rule_names():
        data = read(name)
        if not isinstance(data, dict):
            continue
        providers = data.get("providers") or {}
        for rule in data.get("rules") or []:
            if not isinstance(rule, dict) or not rule.get("provider"):
                continue
            if _mentions(rule, wanted):
                provider = providers.get(rule["provider"]) or {}
                entries.append({
                    "provider": rule["provider"],
                    "provider_name": provider.get("name"),
                    "rule": rule.get("id"),
                    "reason": rule.get("reason"),
                    "title": rule.get("title"),
                    "cause": neutral(rule.get("cause")),
                    "fix": [neutral(step) for step in rule.get("fix") or []],
                    "retry": rule.get("retry"),
                    "source": rule.get("source"),
                })
                if len(entries) >= MAX_ENTRIES:
                    return entries
    return entries


def _mentions(rule: dict[str, Any], wanted: str) -> bool:
    match = rule.get("match") or {}
    statuses = match.get("status") or []
    if isinstance(statuses, str):
        statuses = [statuses]
    if any(str(s).lower() == wanted for s in statuses):
        return True
    texts = [str(e) for e in (rule.get("examples") or [])]
    patterns = match.get("text") or []
    texts += [str(p).replace("\\.", ".") for p in ([patterns] if isinstance(patterns, str)
                                                    else patterns)]
    return any(_has_word(t.lower(), wanted) for t in texts)


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
