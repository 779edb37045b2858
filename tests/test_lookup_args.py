"""What lookup accepts (issue 14, item 12): no argument is a usage error with examples,
a lower-case class letter is read like the upper-case one, and a search ranks the entries
that match best first."""

from __future__ import annotations

import json
from typing import Any

import pytest

from helpers import invoke, run_cli


def test_no_argument_is_a_usage_error_with_examples() -> None:
    done = run_cli("lookup")
    assert done.returncode == 2
    assert done.stdout == b""
    message = done.stderr.decode()
    assert "bouncefix lookup 550 5.1.1" in message
    assert "--search" in message
    assert "Traceback" not in message


def test_no_argument_is_a_usage_error_in_click_too() -> None:
    result = invoke("lookup")
    assert result.exit_code == 2
    assert "bouncefix lookup 550 5.1.1" in result.output


@pytest.mark.parametrize(("lower", "upper"), [("x.7.*", "X.7.*"), ("x.7.x", "X.7.X"),
                                              ("x.1.1", "X.1.1"), ("x.x.x", "X.X.X"),
                                              ("x.7", "X.7")])
def test_lower_case_class_letter_is_accepted(lower: str, upper: str) -> None:
    code, answers = _json(lower)
    assert code == 0
    _, expected = _json(upper)
    for answer in (*answers, *expected):
        answer.pop("query")
    assert answers == expected


def test_lower_case_class_letter_on_the_fast_path() -> None:
    done = run_cli("lookup", "--json", "x.7.*")
    assert done.returncode == 0
    assert len(json.loads(done.stdout)[0]["entries"]) == 31


def test_search_ranks_mailbox_full_first() -> None:
    code, [answer] = _json("--search", "mailbox full")
    assert code == 0
    codes = [entry["code"] for entry in answer["entries"]]
    assert codes[0] == "X.2.2"
    assert "552" in codes[:3]  # the reply code a full mailbox usually comes with
    if "535" in codes:  # words scattered over unrelated causes rank last
        assert codes.index("535") > codes.index("552")


@pytest.mark.parametrize("words", [["mailbox full"], ["mailbox", "full"]])
def test_search_words_may_be_one_argument_or_several(words: list[str]) -> None:
    code, [answer] = _json("--search", *words)
    assert code == 0
    assert answer["type"] == "search"
    assert answer["query"] == "mailbox full"
    assert answer["entries"][0]["code"] == "X.2.2"


def test_search_words_after_other_options() -> None:
    code, [answer] = _json("--search", "mailbox", "--all", "full")
    assert code == 0
    assert answer["query"] == "mailbox full"


def test_empty_search_is_a_usage_error() -> None:
    assert invoke("lookup", "--search", "").exit_code == 2
    assert run_cli("lookup", "--search", " ").returncode == 2


def test_search_text_is_sanitised() -> None:
    result = invoke("lookup", "--search", "full\x1b]52;c;eA==\x07 \u202emailbox")
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\x07" not in result.output


def _json(*args: str) -> tuple[int, Any]:
    result = invoke("lookup", "--json", *args)
    return result.exit_code, json.loads(result.stdout)
