"""lookup is concise by default (issue 14, item 11): reply code, status, whether they
agree, and a few provider notes with "N more: --all"; --all shows the rest. No title is
ever None, in text or JSON, and a provider's own code prints what it means."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bouncefix.datafiles import read
from helpers import invoke, run_cli

RICH = {"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1", "COLUMNS": "100"}


@pytest.mark.parametrize("env", [None, RICH], ids=["plain", "rich"])
def test_a_pair_is_concise_by_default(env: dict[str, str] | None) -> None:
    result = invoke("lookup", "550", "5.1.1", env=env)
    assert result.exit_code == 0
    text = result.stdout
    assert "550" in text and "Mailbox unavailable" in text
    assert "5.1.1" in text and "Bad destination mailbox address" in text
    assert "consistent" in text
    assert "more: --all" in text
    assert "Typical causes" not in text and "Source:" not in text
    assert len(text.strip().splitlines()) <= 24


def test_the_fast_path_is_concise_too() -> None:
    done = run_cli("lookup", "550", "5.1.1")
    assert done.returncode == 0
    text = done.stdout.decode()
    assert "more: --all" in text and "Typical causes" not in text
    assert len(text.strip().splitlines()) <= 24


@pytest.mark.parametrize("env", [None, RICH], ids=["plain", "rich"])
def test_all_shows_causes_and_every_provider_entry(env: dict[str, str] | None) -> None:
    short = invoke("lookup", "550", "5.1.1", env=env).stdout
    full = invoke("lookup", "--all", "550", "5.1.1", env=env)
    assert full.exit_code == 0
    assert "Typical causes" in full.stdout and "Source:" in full.stdout
    assert "more: --all" not in full.stdout
    assert len(full.stdout) > 2 * len(short)


def test_more_counts_what_is_left_out() -> None:
    _, [answer] = _json("550", "5.1.1")
    total = len(answer["provider_codes"])
    assert total > 3
    text = invoke("lookup", "550", "5.1.1").stdout
    assert f"{total - 3} more: --all" in text


QUERIES = [["550", "5.1.1"], ["OFR_416"], ["5.5.0"], ["5.0.0"], ["354", "5.0.0"], ["X.6.10"],
           ["5.6.10"], ["5.9"], ["5.9.99"], ["X.7.26"], ["599"], ["--search", "mailbox", "full"],
           ["5.x.x"], ["5.7.1"]]


@pytest.mark.parametrize("query", QUERIES, ids=" ".join)
@pytest.mark.parametrize("env", [None, RICH], ids=["plain", "rich"])
@pytest.mark.parametrize("extra", [[], ["--all"]], ids=["short", "all"])
def test_none_never_appears_as_a_title(query: list[str], env: dict[str, str] | None,
                                       extra: list[str]) -> None:
    result = invoke("lookup", *extra, *query, env=env)
    assert result.exit_code in (0, 1)
    for line in result.stdout.splitlines():
        words = line.replace("│", " ").replace("(", " ").replace(":", " ").split()
        # "None of the verified DKIM signatures ..." is English; a title None is not
        assert "None" not in words or words[words.index("None") + 1:][:1] == ["of"], line


@pytest.mark.parametrize("query", QUERIES, ids=" ".join)
def test_json_titles_are_never_null(query: list[str]) -> None:
    _, answers = _json(*query)
    assert not list(_null_titles(answers, "")), list(_null_titles(answers, ""))


def _null_titles(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("title") and item is None:
                yield f"{where}.{key}"
            yield from _null_titles(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _null_titles(item, f"{where}[{index}]")


def test_provider_code_prints_its_meaning() -> None:
    reasons = read("reasons.yaml")["reasons"]
    code, [answer] = _json("OFR_416")
    assert code == 0
    [entry] = answer["provider_codes"]
    assert entry["title"] == reasons["userunknown"]["title"]
    assert entry["cause"] and entry["fix"]
    text = invoke("lookup", "OFR_416").stdout
    assert reasons["userunknown"]["title"] in text
    assert entry["cause"].split()[0] in text
    assert " ".join(entry["cause"].split()[:6]) in " ".join(text.split())


def test_provider_fix_steps_show_no_condition_tags() -> None:
    text = invoke("lookup", "--all", "550", "5.1.1").stdout
    assert "[hard]" not in text and "[soft]" not in text


def test_status_code_query_is_never_read_as_a_provider_code() -> None:
    code, [answer] = _json("X.7.26")
    assert code == 0
    assert answer["type"] == "code"
    assert answer["status"]["title"] == "Multiple authentication checks failed"


def _json(*args: str) -> tuple[int, Any]:
    result = invoke("lookup", "--json", *args)
    return result.exit_code, json.loads(result.stdout)
