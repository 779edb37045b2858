"""Replies retyped by hand (rules/spelling.py): a misspelt word is read as the rule word
it is one edit from, only when no rule's words match as written, and never with more
than medium confidence. The replies are written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bouncefix.analysis import analyze_bytes
from bouncefix.rules import spelling, typos


@pytest.mark.parametrize(("typed", "reason"), [
    ("554 5.7.1 relay acess denied for this domain", "norelaying"),
    ("status=deferred (connect to mx.example.org[192.0.2.7]:25: conection timed out)",
     "networkerror"),
    ("421 4.7.0 too rnany concurrent connections from your address", "toomanyconn"),
    ("452 4.2.2 recipient mailbox is ful, over qouta", "mailboxfull"),
])
def test_a_retyped_reply_is_read_as_meant(typed: str, reason: str) -> None:
    [report] = analyze_bytes(typed.encode())
    [recipient] = report.recipients
    diagnosis = recipient.diagnosis
    assert diagnosis.reason.value == reason
    assert diagnosis.confidence.value == "medium"
    assert "mistyped" in (diagnosis.confidence_note or "")


def test_words_as_written_come_first() -> None:
    [report] = analyze_bytes(b"550 5.1.1 <ann@example.org>: user unknown")
    assert report.recipients[0].diagnosis.confidence.value == "high"
    assert report.recipients[0].diagnosis.confidence_note is None


def test_only_unknown_words_with_one_near_rule_word_change() -> None:
    assert spelling.corrected("please contact the helpdesk about your invoice") is None
    fixed = spelling.corrected("Relay acess denied")
    assert fixed == ("Relay access denied", [("acess", "access")])
    assert spelling.corrected("4.4.1 ok") is None


def test_a_word_is_never_read_as_a_shorter_rule_word() -> None:
    # German "danke" (thanks) is one letter from the acronym DANE: no guess at all
    assert spelling.corrected("Bitte spaeter nochmal probieren, danke!") is None


def test_a_code_that_names_a_cause_outweighs_a_guessed_misspelling() -> None:
    # 4.2.2 says the mailbox is full; words that only match once a misspelling is guessed
    # ("acess" as "access") must not overrule it
    [report] = analyze_bytes(b"452 4.2.2 relay acess denied")
    assert report.recipients[0].diagnosis.reason.value == "mailboxfull"
    # (with no code that names a cause, the guess is taken)
    [report] = analyze_bytes(b"554 relay acess denied")
    assert report.recipients[0].diagnosis.reason.value == "norelaying"


@given(st.text("abcdr", max_size=7), st.text("abcdr", max_size=7))
def test_one_edit_check_agrees_with_the_edit_distance(a: str, b: str) -> None:
    # the one-pass check the word correction uses, against the full distance as oracle
    assert typos.within_one_edit(a, b) == (typos.edit_distance(a, b, 1) <= 1)


@pytest.mark.parametrize(("a", "b", "near"), [
    ("relay", "relay", True), ("acess", "access", True), ("reputaton", "reputation", True),
    ("recieved", "received", True), ("conection", "connection", True),
    ("mailbox", "mialbox", True), ("quota", "quotas", True), ("quota", "qouta", True),
    ("denied", "defined", False), ("abcd", "badc", False), ("spam", "scam", True),
])
def test_one_edit_check_on_words(a: str, b: str, near: bool) -> None:
    assert typos.within_one_edit(a, b) is near
    assert typos.within_one_edit(b, a) is near


@pytest.mark.parametrize(("typed", "reason"), [
    ("550 usr not found", "userunknown"),
    ("550 recip addr invalid", "userunknown"),
    ("421 too many conns from ur server", "toomanyconn"),
    ("conn timed out again", "networkerror"),
    # contractions typed without their apostrophe
    ("Your mail to kim@example.org wasnt delivered, the domain example.org couldnt be found",
     "hostunknown"),
    ("550 that mailbox doesnt exist here", "userunknown"),
])
def test_a_short_form_is_read_as_the_word_it_stands_for(typed: str, reason: str) -> None:
    diagnosis = analyze_bytes(typed.encode())[0].recipients[0].diagnosis
    assert diagnosis.reason.value == reason
    assert diagnosis.confidence.value == "medium" and "read with" in (diagnosis.confidence_note or "")


def test_short_forms_are_whole_words_and_lower_case_data() -> None:
    table = spelling.abbreviations()
    assert table["msg"] == "message" and all(k.isalpha() and k == k.lower() for k in table)
    # a short form inside a longer word is no short form: "msgs" is, "msgsend" is not
    assert spelling.corrected("msgsend users") is None
