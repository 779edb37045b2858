"""The rule index only narrows the search: the engine finds exactly the rules a walk over
every rule in precedence order, testing all their conditions, finds."""

from __future__ import annotations

import pytest

from bouncefix import ingest
from bouncefix.analysis import message_kind
from bouncefix.mail import Mail
from bouncefix.mime.textcodec import lower_for_matching
from bouncefix.model import Finding, Kind
from bouncefix.parse import read_findings
from bouncefix.rules import engine
from bouncefix.rules.loader import load_rules
from paths import CORPUS, SAMPLES


def _walk_every_rule(finding: Finding, kind: Kind) -> list[str]:
    """The ids of every rule whose conditions all hold, by a plain walk over all rules."""
    words = (finding.diagnostic or "")[: engine.MAX_MATCH_TEXT]
    lowered = lower_for_matching(words)
    found: list[str] = []
    for rule in load_rules():
        if rule.id.endswith(engine.LANGUAGES) and rule.id[:-len(engine.LANGUAGES)] in found:
            continue  # (the engine's rule: the same cause already found)
        if rule.provider and not engine.provider_present(rule.provider, finding, words, lowered):
            continue
        if engine.matches(rule, finding, words, kind, lowered) is not None:
            found.append(rule.id)
    return found


def _findings() -> list[tuple[Finding, Kind]]:
    files = [p for p in SAMPLES.rglob("*.eml")]
    if CORPUS.is_dir():
        files += [p for p in (CORPUS / "emails").rglob("*") if p.is_file()]
    out = []
    for path in sorted(files):
        found = read_findings(Mail(ingest.normalise_newlines(path.read_bytes()))).findings
        kind = message_kind(found)
        out += [(f, kind) for f in found]
    # the same findings with other codes and commands, to reach the code rules too
    out += [(f._replace(status=s, reply_code=r, smtp_command=c), k)
            for f, k in out[:60] for s, r, c in (("5.7.1", "550", "RCPT"), (None, "421", None),
                                                 ("4.2.2", None, "DATA"))]
    return out


@pytest.mark.parametrize("case", _findings(), ids=lambda c: str(c[0].address))
def test_index_finds_what_a_full_walk_finds(case: tuple[Finding, Kind]) -> None:
    finding, kind = case
    words = (finding.diagnostic or "")[: engine.MAX_MATCH_TEXT]
    found = engine.text_matches(finding, words, lower_for_matching(words), kind)
    assert [m.rule.id for m in found] == _walk_every_rule(finding, kind)


def _suite_texts() -> list[str]:
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "generalisation"))
    from suite import load, suite_names

    return [case.text for name in suite_names() if name.startswith("paraphrases/")
            for case in load(name) if not case.text.isascii()]


@pytest.mark.parametrize("text", _suite_texts())
def test_index_is_exact_on_replies_in_other_scripts(text: str) -> None:
    """Two-character anchors (kana, ideographs) are looked up apart from the rest."""
    finding = Finding(diagnostic=text, parser="pasted")
    found = engine.text_matches(finding, text, lower_for_matching(text), Kind.BOUNCE)
    assert [m.rule.id for m in found] == _walk_every_rule(finding, Kind.BOUNCE)


def test_every_text_rule_is_indexed_by_its_words() -> None:
    """A rule the index cannot narrow by its words is tried on every message: a phrase in
    another script must not make a whole rule word-free."""
    from bouncefix.rules.index import _anchored

    free = [rule.id for rule in load_rules() if rule.text is not None
            and rule.text.phrases is not None and not _anchored(rule.text)]
    assert free == []


def test_a_languages_rule_follows_its_first_rule_with_the_same_reason() -> None:
    """The engine skips "<id>.languages" when "<id>" matched (rules/engine.py): that is
    only the same answer if the first rule has the same reason and comes first."""
    from bouncefix.rules.engine import LANGUAGES
    from bouncefix.rules.loader import load_ruleset

    rules = load_ruleset().rules
    order = {rule.id: n for n, rule in enumerate(rules)}
    languages = [rule for rule in rules if rule.id.endswith(LANGUAGES)]
    assert languages
    for rule in languages:
        first = rule.id[:-len(LANGUAGES)]
        assert first in order and order[first] < order[rule.id], rule.id
        assert rules[order[first]].reason is rule.reason, rule.id
