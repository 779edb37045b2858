"""The cheap conditions of a rule, in one place: the parser it is restricted to, its
enhanced status and reply-code patterns, and the SMTP command. The engine tests them on
one finding (engine.matches); the index turns them into bit sets (index.py)."""

from __future__ import annotations

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
    """'5.1.1', 'X.1.1', '5.7.*', 'X.7', or 'none' (the report states no enhanced code)."""
    if pattern == "none" or not code:
        return pattern == "none" and not code
    want = pattern.split(".")
    have = code.split(".")
    if len(want) < len(have) and want[-1] == "*":
        want = want + ["*"] * (len(have) - len(want))
    if len(want) != len(have):
        return False
    return all(w in ("*", "X") or w == h for w, h in zip(want, have, strict=True))


def reply_fits(patterns: tuple[str, ...], reply: str | None) -> bool:
    """Whether a reply code fits one of a rule's patterns ('550', '55*', '5**')."""
    if not reply:
        return False
    return any(reply.startswith(p.rstrip("*")) for p in patterns)
