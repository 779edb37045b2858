"""Every rule's own examples reach that rule first, and every reason can be concluded.

Each example is run through the engine as a Finding whose diagnostic is the example and
whose codes are read from the example text (as a parser would), with the rule's other
conditions (command, parser, kind, provider) satisfied.
"""

from __future__ import annotations

import pytest

from bouncefix.model import Finding, Kind, Reason
from bouncefix.parse import codes
from bouncefix.rules import codemodel, engine
from bouncefix.rules.engine import diagnose
from bouncefix.rules.loader import Rule, load_rules


def _cases() -> list[object]:
    return [
        pytest.param(rule, example, id=f"{rule.id}#{index}")
        for rule in load_rules()
        for index, example in enumerate(rule.examples)
    ]


def _finding(rule: Rule, example: str) -> Finding:
    command = codes.find_command(example)
    if rule.command and command not in rule.command:
        command = rule.command[0]
    return Finding(
        address="jane@example.org",
        reply_code=codes.find_reply_code(example),
        status=codes.find_status(example),
        diagnostic=example,
        smtp_command=command,
        parser=rule.parser[0] if rule.parser else "generic",
    )


def _kind(rule: Rule) -> Kind:
    return Kind(rule.kind[0]) if rule.kind else Kind.BOUNCE


def test_every_rule_has_examples() -> None:
    missing = [rule.id for rule in load_rules() if not rule.examples]
    assert not missing, f"rules without examples: {missing}"


@pytest.mark.parametrize(("rule", "example"), _cases())
def test_example_reaches_its_rule(
    rule: Rule, example: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if rule.provider:
        present = engine.provider_present
        provider = rule.provider
        monkeypatch.setattr(
            engine, "provider_present",
            lambda name, *args: name == provider or present(name, *args),
        )
    diagnosis = diagnose(_finding(rule, example), _kind(rule))
    assert diagnosis.rule == rule.id, f"{example!r} -> {diagnosis.rule} ({diagnosis.reason.value})"
    assert diagnosis.reason == rule.reason


def test_every_reason_is_reachable() -> None:
    model = codemodel.load_model()
    concluded = {rule.reason for rule in load_rules()} | {
        reason for table in (model.details, model.subjects, model.replies, model.classes)
        for entry in table.values() for reason, _ in entry.values()
    } | engine._STRUCTURAL | {Reason.ONHOLD, Reason.UNDEFINED}  # the fallbacks
    missing = sorted(reason.value for reason in set(Reason) - concluded)
    assert not missing, f"no rule concludes: {missing}"

