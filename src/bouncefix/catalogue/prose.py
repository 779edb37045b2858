"""Rule prose for ``lookup``: causes and fix steps with their {placeholders} filled when
no bounce is at hand, so that they still read as sentences.

The engine fills a placeholder with what the report holds; lookup has no report, so each
becomes a neutral phrase ("the sending IP address"), or in a command or URL a name in
capitals (`bouncefix check IP`). The filling itself is the engine's
(rules/placeholders.fill), which keeps the text a sentence; string methods only: this is
on the fast start-up path.
"""

from __future__ import annotations

from ..rules.placeholders import FALLBACK_VALUES, fill

#: neutral phrases for placeholders that placeholders.FALLBACK_VALUES leaves generic
PHRASES = {**FALLBACK_VALUES, "from_domain": "the From: domain",
           "policy_domain": "the policy domain", "check": "SPF, DKIM or DMARC",
           "code": "the provider's code", "zone": "the zone it queried"}


def provider_prose(template: str | None, values: dict[str, str] | None = None) -> str | None:
    """`template` with each {name} replaced as the engine does (rules/placeholders.py),
    with lookup's neutral phrases for the values no report gives."""
    return fill(template, values, PHRASES)
