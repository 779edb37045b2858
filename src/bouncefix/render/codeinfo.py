"""Catalogue titles for the codes of a finding, for the renderers."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def reply_title(code: str | None) -> str | None:
    """The catalogue title of a reply code, or None."""
    if not code:
        return None
    from ..catalogue.codes import load

    meanings = load().reply_code(code)
    return meanings[0].title if meanings else None


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


def describe_codes(reply: str | None, status: str | None, inferred: bool = False) -> str:
    """'550 (Mailbox unavailable), 5.1.1 (Bad destination mailbox address)'."""
    parts = []
    if reply:
        title = reply_title(reply)
        parts.append(f"{reply} ({title})" if title else reply)
    if status:
        title = status_title(status)
        text = f"{status} ({title})" if title else status
        parts.append(text + (" [inferred]" if inferred else ""))
    return ", ".join(parts) or "none stated"
