"""Filling the {placeholders} of causes and fix steps (no regex here: ``lookup`` uses
this on its fast start-up path).

A placeholder takes the value the report holds (the recipient's domain, the sending IP,
your own sending domain ...). When the report does not hold it, prose gets a neutral
phrase ("the recipient's domain"), while a command or a URL, where a phrase would read
as garbage, gets a name in capitals the reader replaces (`bouncefix check DOMAIN`).
"""

from __future__ import annotations

FALLBACK_VALUES = {
    "address": "the recipient", "domain": "the recipient's domain",
    "remote_mta": "the receiving server", "ip": "the sending IP address",
    "status": "the status code", "reply_code": "the reply code",
    "provider_name": "the receiving provider", "sender_domain": "your sending domain",
}
#: what stands in a command or URL for a value the report does not hold
METAVARIABLES = {
    "address": "ADDRESS", "domain": "DOMAIN", "remote_mta": "HOST", "ip": "IP",
    "status": "STATUS", "reply_code": "CODE", "provider_name": "PROVIDER",
    "sender_domain": "YOUR-DOMAIN",
}


def fill(template: str | None, values: dict[str, str] | None = None) -> str | None:
    """`template` with every {name} replaced by its value from `values`, or when that is
    empty, by a neutral phrase (prose) or a capitalised name (inside `code` or a word)."""
    if not template or "{" not in template:
        return template
    values = values or {}
    out: list[str] = []
    rest = template
    in_code = False
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, closed, tail = after.partition("}")
        in_code ^= before.count("`") % 2 == 1
        if not closed or not name.replace("_", "").isalnum() or len(name) > 30:
            out.append(before + "{")
            rest = after
            continue
        value = values.get(name)
        if not value:
            glued = bool(before) and not before[-1].isspace() and before[-1] not in "(\"'"
            if in_code or glued or tail[:1] not in ("", " ", ",", ".", ";", ":", ")", "'"):
                value = METAVARIABLES.get(name, name.upper())
            else:
                value = FALLBACK_VALUES.get(name, f"the {name.replace('_', ' ')}")
        out.append(before + value)
        rest = tail
    return "".join(out) + rest


def neutral(template: str | None) -> str | None:
    """`template` with every {placeholder} replaced as when the report holds no value."""
    return fill(template)
