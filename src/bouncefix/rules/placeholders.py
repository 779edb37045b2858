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


#: words after which a placeholder only repeats what the text already says
NOUNS = frozenset({"ip", "address", "domain", "account", "mailbox", "code", "zone", "host",
                   "server", "recipient", "sender", "list"})
_AFTER = ("", " ", "\n", ",", ".", ";", ":", ")", "'", '"')


def fill(template: str | None, values: dict[str, str] | None = None,
         phrases: dict[str, str] = FALLBACK_VALUES) -> str | None:
    """`template` with each {name} replaced: by its value in `values` when there is one;
    else, so that the text still reads as a sentence, left out after a noun naming it
    ("the sending IP {ip}"), left out with its own parentheses ("address ({ip})"), or
    replaced by a neutral phrase from `phrases` (capitalised at a sentence start); in a
    `command`, or glued to a word, by a name in capitals."""
    if not template or "{" not in template:
        return template
    values = values or {}
    out = ""
    rest = template
    in_code = False
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, closed, tail = after.partition("}")
        in_code ^= before.count("`") % 2 == 1
        out += before
        if not closed or not name.replace("_", "").isalnum() or len(name) > 30:
            out += "{"
            rest = after
            continue
        rest = tail
        if values.get(name):
            out += values[name]
        elif in_code or _glued(out) or tail[:1] not in _AFTER:
            out += METAVARIABLES.get(name, name.upper())
        elif out.endswith(" (") and tail.startswith(")"):
            out, rest = out[:-2], tail[1:]  # "sending IP address ({ip})"
        elif out.endswith(" ") and _last_word(out) in NOUNS:
            out = out[:-1]  # "the sending IP {ip}"
        else:
            phrase = phrases.get(name, f"the {name.replace('_', ' ')}")
            out += phrase[:1].upper() + phrase[1:] if _starts_sentence(out) else phrase
    return out + rest


def _glued(text: str) -> bool:
    return bool(text) and not text[-1].isspace() and text[-1] not in "(\"'"


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].strip("\"'(").lower() if words else ""


def _starts_sentence(text: str) -> bool:
    stripped = text.rstrip(" ")
    return not stripped.strip() or stripped.endswith((".", "!", "?", "\n"))


def neutral(template: str | None) -> str | None:
    """`template` with every {placeholder} replaced as when the report holds no value."""
    return fill(template)
