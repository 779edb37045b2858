"""The notes lookup adds to an answer (issue 14, item 16): they never contradict each
other, never promise a retry that cannot succeed, say how a pair relates to the RFCs'
listed pairings only when it matters, and read as sentences (placeholders filled without
garbling, capitals at the start)."""

from __future__ import annotations

from typing import Any

import pytest

from bouncefix.catalogue import codes as catalogue
from bouncefix.catalogue import lookup
from bouncefix.catalogue.prose import PHRASES as NEUTRAL
from bouncefix.catalogue.prose import provider_prose
from bouncefix.datafiles import read, rule_names
from bouncefix.rules.placeholders import FALLBACK_VALUES


def _answer(query: str) -> dict[str, Any]:
    book = catalogue.load()
    [parsed] = lookup.split_queries([query])
    return lookup.answer(parsed, book)


def _notes(query: str) -> str:
    return " | ".join(_answer(query)["notes"])


def test_inconsistent_pair_does_not_promise_a_retry() -> None:
    notes = _notes("550 4.2.2").lower()
    assert "inconsistent" in notes
    assert "can succeed" not in notes and "retry can" not in notes
    assert "report the mismatch to the server's operator" not in notes


@pytest.mark.parametrize("query", ["4.1.10", "4.7.17", "4.7.18", "4.7.19", "450 4.1.10",
                                   "451 4.7.17"])
def test_transient_status_that_cannot_clear_does_not_promise_a_retry(query: str) -> None:
    notes = _notes(query).lower()
    assert "can succeed" not in notes and "retry can" not in notes
    assert "wait" in notes or "clear" in notes


def test_transient_form_of_a_permanent_detail_explains_the_retry() -> None:
    notes = _notes("4.7.26").lower()
    assert "temporary" in notes
    assert "retr" in notes


def test_unusual_pairing_names_the_rfcs_listed_pairings() -> None:
    notes = _notes("551 5.1.1")
    assert "not among the RFC's listed pairings" in notes
    assert "usually" not in notes


@pytest.mark.parametrize("pair", ["554 5.7.1", "452 4.5.3", "421 4.4.5", "452 4.2.2",
                                  "550 5.1.1", "421 4.7.0", "450 4.2.2", "250 2.0.0",
                                  "250 2.1.5"])
def test_common_correct_pairs_get_no_pairing_note(pair: str) -> None:
    answer = _answer(pair)
    assert answer["consistent"] is True
    assert not [n for n in answer["notes"] if "pairing" in n.lower()], answer["notes"]


@pytest.mark.parametrize("pair", ["235 2.7.0", "250 2.7.0", "220 2.0.0"])
def test_success_pairs_are_worded_neutrally(pair: str) -> None:
    answer = _answer(pair)
    text = " ".join([answer["status"]["meaning"], *answer["status"]["causes"],
                     *answer["notes"]]).lower()
    for word in ("fail", "refus", "stopped", "reject", "block", "problem"):
        assert word not in text, word
    assert not [n for n in answer["notes"] if "pairing" in n or "consistent" in n.lower()]


@pytest.mark.parametrize("pair", ["354 5.0.0", "334 5.7.8", "354 2.0.0"])
def test_intermediate_replies_say_enhanced_codes_do_not_belong(pair: str) -> None:
    answer = _answer(pair)
    notes = " ".join(answer["notes"]).lower()
    assert "3xx" in notes or "intermediate" in notes
    assert "enhanced" in notes
    assert "trust the reply code" not in notes


def test_notes_are_sentences() -> None:
    for query in ("550 4.2.2", "551 5.1.1", "4.7.26", "4.1.10", "354 5.0.0", "5.1.99", "599",
                  "530", "250 5.1.1", "450 5.1.1", "5.6.10", "5.7.11"):
        for note in _answer(query)["notes"]:
            assert note[0].isupper() or note[0].isdigit(), (query, note)
            assert note.endswith((".", ")")), (query, note)


# --- provider rule prose -----------------------------------------------------------------

PHRASES = sorted({*FALLBACK_VALUES.values(), *(p.lower() for p in NEUTRAL.values()),
                  "the from domain", "the code", "the zone", "the check"})
NOUNS = ["ip", "address", "domain", "account", "mailbox", "code", "zone", "host", "server",
         "recipient", "sender"]


def _rule_texts() -> list[tuple[str, str]]:
    texts = []
    for name in rule_names():
        for rule in read(name).get("rules") or []:
            if not isinstance(rule, dict) or not rule.get("provider"):
                continue
            for template in [rule.get("cause"), *(rule.get("fix") or [])]:
                if template and "{" in template:
                    texts.append((rule["id"], template))
    return texts


@pytest.mark.parametrize(("rule", "template"), _rule_texts())
def test_placeholders_never_garble_the_text(rule: str, template: str) -> None:
    text = provider_prose(template)
    assert text is not None
    lowered = " ".join(text.lower().split())
    assert "{" not in text and "}" not in text
    for phrase in PHRASES:
        for noun in NOUNS:
            assert f"{noun} {phrase}" not in lowered, (noun, phrase, text)
        assert f"({phrase})" not in lowered, (phrase, text)
    for phrase in PHRASES:  # a sentence starts with a capital
        assert not text.startswith(phrase) and f". {phrase}" not in text, text


def test_placeholders_at_a_sentence_start_get_a_capital() -> None:
    assert provider_prose("{ip} is listed. {address} is full.") == \
        "The sending IP address is listed. The recipient is full."
    assert provider_prose("Check the sending IP {ip} now.") == "Check the sending IP now."
    assert provider_prose("Blocked ({code}) for spam.") == "Blocked for spam."
    assert provider_prose("Run `bouncefix check {ip}`.") == "Run `bouncefix check IP`."


def test_a_provider_code_query_fills_the_code() -> None:
    assert provider_prose("Cox's code {code} means", {"code": "IPBL1001"}) == \
        "Cox's code IPBL1001 means"
