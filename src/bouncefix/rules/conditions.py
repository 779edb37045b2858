"""The code conditions of a rule: enhanced status patterns and reply-code patterns."""

from __future__ import annotations


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
