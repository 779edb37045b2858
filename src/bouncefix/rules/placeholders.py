"""Neutral phrases for template placeholders whose value is unknown (no regex here:
``lookup`` uses this on its fast start-up path)."""

from __future__ import annotations

FALLBACK_VALUES = {
    "address": "the recipient", "domain": "the recipient's domain",
    "remote_mta": "the receiving server", "ip": "the sending IP address",
    "status": "the status code", "reply_code": "the reply code",
    "provider_name": "the receiving provider",
}


def neutral(template: str | None) -> str | None:
    """`template` with every {placeholder} replaced by a neutral phrase."""
    if not template or "{" not in template:
        return template
    out, rest = [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, closed, tail = after.partition("}")
        if not closed or not name.replace("_", "").isalnum() or len(name) > 30:
            out.append(before + "{")
            rest = after
            continue
        out.append(before + FALLBACK_VALUES.get(name, f"the {name.replace('_', ' ')}"))
        rest = tail
    return "".join(out) + rest
