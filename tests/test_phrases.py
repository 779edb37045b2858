"""Searching only the phrases of a rule pattern that can match finds exactly what the
whole alternation finds: the same span, the same named groups (prefilter.py)."""

from __future__ import annotations

import re

import pytest

from bouncefix import ingest
from bouncefix.mail import Mail
from bouncefix.mime.textcodec import lower_for_matching
from bouncefix.parse import read_findings
from bouncefix.rules.loader import load_ruleset
from bouncefix.rules.prefilter import LazyPattern, required
from paths import CORPUS, SAMPLES

CRAFTED = [
    "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual table",
    "452 4.2.2 Mailbox full; mailbox is full and over quota, user unknown too",
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "USER UNKNOWN. Mailbox Full. RELAY ACCESS DENIED. Spam detected. Virus found.",
    "",
]


def _patterns() -> list[LazyPattern]:
    ruleset = load_ruleset()
    found = [p for rule in ruleset.rules for p in (rule.text, rule.not_text, rule.remote)]
    found += [p for provider in ruleset.providers.values()
              for p in (provider.hosts, provider.markers)]
    return [p for p in found if p is not None and (p.phrases or p.needs)]


def _texts() -> list[str]:
    texts = list(CRAFTED)
    texts += [example for rule in load_ruleset().rules for example in rule.examples]
    files = sorted(SAMPLES.rglob("*.eml"))
    if CORPUS.is_dir():
        files += sorted(p for p in (CORPUS / "emails").rglob("*") if p.is_file())
    for path in files:
        mail = Mail(ingest.normalise_newlines(path.read_bytes()))
        texts += [f.diagnostic for f in read_findings(mail).findings if f.diagnostic]
    # pairs of texts: phrases of one pattern matching at different places
    texts += [f"{a} {b}" for a, b in zip(texts[::7], texts[3::7], strict=False)]
    return texts


def _outcome(found: re.Match[str] | None) -> object:
    if found is None:
        return None
    return found.span(), {k: v for k, v in found.groupdict().items() if v}


def test_phrase_search_finds_what_the_whole_pattern_finds() -> None:
    patterns = _patterns()
    assert len(patterns) > 100
    narrowed = 0
    for text in _texts():
        lowered = lower_for_matching(text)
        for pattern in patterns:
            expected = _outcome(pattern.compiled.search(text))
            assert _outcome(pattern.search(text, lowered)) == expected, (pattern.pattern[:80],
                                                                         text[:80])
            narrowed += expected is not None
    assert narrowed > 500  # the texts do reach the patterns


@pytest.mark.parametrize(("pattern", "conditions"), [
    (r"recipient address rejected", (("recipient address rejected",),)),
    (r"(?:recipient|user)(?:.s)? (?:mail |spam )?(?:filter|filtering) by",
     (("filter",), (" by",), ("recipient", "user"))),
    (r"mailbox (?:is )?full", (("mailbox ",), ("full",))),
    (r"(?:over )?quota", (("quota",),)),
    (r"(?:x|y)+z", ()),
    (r"a|b", ()),  # an alternation at the top: its anchors say what is known
    (r"(?:denied|refused)+ access", ((" access",), ("denied", "refused"))),
    (r"(?:denied|refused)* access", ((" access",),)),  # may be absent
    (r"(?:denied|x) access", ((" access",),)),  # an alternative without a literal
    (r"\d{3} (?:5\.1\.1|user)", (("5.1.1", "user"),)),
])
def test_required_conditions(pattern: str, conditions: tuple[tuple[str, ...], ...]) -> None:
    assert sorted(required(pattern)) == sorted(conditions)


def test_required_conditions_never_exclude_a_match() -> None:
    """Every text a pattern matches meets every one of its conditions."""
    texts = _texts()
    for pattern in _patterns():
        for phrase in pattern.phrase_patterns() or (pattern,):
            for text in texts:
                if phrase.compiled.search(text):
                    assert phrase.may_match(lower_for_matching(text)), (phrase.pattern, text)
