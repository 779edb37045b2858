"""The cheap conditions of a rule, in one place: the parser it is restricted to, its
enhanced status and reply-code patterns, and the SMTP command. The engine tests them on
one finding (engine.matches); the index turns them into bit sets (index.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .loader import Rule


def parser_allows(rule: Rule, parser: str | None) -> bool:
    return not rule.parser or parser in rule.parser


def status_allows(rule: Rule, status: str | None) -> bool:
    return not rule.status or any(status_fits(p, status) for p in rule.status)


def reply_allows(rule: Rule, reply: str | None) -> bool:
    return not rule.reply_code or reply_fits(rule.reply_code, reply)


def command_allows(rule: Rule, command: str | None) -> bool:
    return not rule.command or (command or "NONE").upper() in rule.command


def status_fits(pattern: str, code: str | None) -> bool:
    """'5.1.1', 'X.1.1', '5.7.*', 'X.7', or 'none' (the report states no enhanced code).
    'X' and '*' stand for any one part; a final '*' for the rest of the code."""
    if pattern == "none" or not code:
        return pattern == "none" and not code
    matcher = _STATUS_MATCHERS.get(pattern)
    if matcher is None:
        matcher = _STATUS_MATCHERS[pattern] = _status_matcher(pattern)
    return matcher.fullmatch(code) is not None


_STATUS_MATCHERS: dict[str, re.Pattern[str]] = {}


def _status_matcher(pattern: str) -> re.Pattern[str]:
    parts = [r"[^.]*" if part in ("*", "X") else re.escape(part) for part in pattern.split(".")]
    if pattern.endswith("*"):
        parts[-1] = r"[^.]*(?:\.[^.]*)*"
    return re.compile(r"\.".join(parts))


def reply_fits(patterns: tuple[str, ...], reply: str | None) -> bool:
    """Whether a reply code fits one of a rule's patterns ('550', '55*', '5**')."""
    if not reply:
        return False
    return any(reply.startswith(p.rstrip("*")) for p in patterns)
