"""Rule prose for ``lookup``: causes and fix steps with their {placeholders} filled when
no bounce is at hand, so that they still read as sentences.

The engine fills a placeholder with what the report holds; lookup has no report, so each
becomes a neutral phrase ("the sending IP address"), or in a command or URL a name in
capitals (`bouncefix check IP`). Written naively that garbles text a rule wrote around a
value: "the sending IP {ip}" would read "the sending IP the sending IP address". Here a
placeholder right after the noun it names ("IP", "address", "account", "code" ...) is
left out, one in parentheses of its own is left out with them, and a phrase that starts a
sentence starts with a capital. String methods only: this is on the fast start-up path.
"""

from __future__ import annotations

from ..rules.placeholders import FALLBACK_VALUES, METAVARIABLES

#: words after which a placeholder only repeats what the text already says
NOUNS = frozenset({"ip", "address", "domain", "account", "mailbox", "code", "zone", "host",
                   "server", "recipient", "sender", "list"})
#: neutral phrases for placeholders that placeholders.FALLBACK_VALUES leaves generic
PHRASES = {**FALLBACK_VALUES, "from_domain": "the From: domain",
           "policy_domain": "the policy domain", "check": "SPF, DKIM or DMARC",
           "code": "the provider's code", "zone": "the zone it queried"}
_AFTER = ("", " ", "\n", ",", ".", ";", ":", ")", "'", '"')


def provider_prose(template: str | None, values: dict[str, str] | None = None) -> str | None:
    """`template` with each {name} replaced: by its value in `values` when given, else
    left out after a noun naming it, else by a neutral phrase (capitalised at a sentence
    start), or in a `command` or glued to a word, by a name in capitals."""
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
            phrase = PHRASES.get(name, f"the {name.replace('_', ' ')}")
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
