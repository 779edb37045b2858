"""bouncefix lookup: every query form, the JSON schema, consistency, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import invoke, invoke_json, run_cli


@pytest.mark.parametrize(
    "args",
    [["550", "5.1.1"], ["550 5.1.1"], ["550-5.1.1"], ["550 #5.1.1"], ["550", "#5.1.1"]],
)
def test_pair_forms_give_one_answer(args: list[str]) -> None:
    code, answers = invoke_json("lookup", *args)
    assert code == 0
    assert len(answers) == 1
    answer = answers[0]
    assert answer["reply_code"]["code"] == "550"
    assert answer["status"]["code"] == "5.1.1"
    assert answer["status"]["title"] == "Bad destination mailbox address"
    assert answer["consistent"] is True


def test_pair_json_schema() -> None:
    _, [answer] = invoke_json("lookup", "550", "5.1.1")
    assert set(answer["reply_code"]) >= {"code", "title", "meaning", "class", "registered"}
    assert set(answer["status"]) >= {"code", "title", "meaning", "class", "subject", "registered"}
    assert set(answer) >= {"reply_code", "status", "consistent", "notes"}
    assert answer["reply_code"]["class"] == "permanent"
    assert answer["status"]["subject"] == "Addressing Status"


def test_single_reply_code_has_null_status() -> None:
    code, [answer] = invoke_json("lookup", "550")
    assert code == 0
    assert answer["status"] is None
    assert answer["reply_code"]["registered"] is True


def test_single_status_has_null_reply() -> None:
    code, [answer] = invoke_json("lookup", "5.7.26")
    assert code == 0
    assert answer["reply_code"] is None
    assert answer["status"]["title"] == "Multiple authentication checks failed"


def test_transient_class_of_permanent_detail() -> None:
    code, [answer] = invoke_json("lookup", "4.7.26")
    assert code == 0
    status = answer["status"]
    assert status["code"] == "4.7.26"
    assert status["class"] == "transient"
    assert status["registered"] is True
    assert status["title"] == "Multiple authentication checks failed"
    assert any("temporary" in note for note in answer["notes"])


@pytest.mark.parametrize(("pair", "consistent"), [("550 4.2.2", False), ("250 5.1.1", False),
                                                 ("452 4.2.2", True)])
def test_inconsistent_pairs_are_flagged(pair: str, consistent: bool) -> None:
    _, [answer] = invoke_json("lookup", pair)
    assert answer["consistent"] is consistent
    if not consistent:
        assert any("inconsistent" in note.lower() for note in answer["notes"])


def test_unusual_pairing_is_noted_but_consistent() -> None:
    _, [answer] = invoke_json("lookup", "551 5.1.1")
    assert answer["consistent"] is True
    assert any("not among the RFC's listed pairings" in note for note in answer["notes"])


@pytest.mark.parametrize("query", ["5.9.99", "5.1.99", "599"])
def test_unregistered_codes_exit_1_with_class_meaning(query: str) -> None:
    code, [answer] = invoke_json("lookup", query)
    assert code == 1
    side = answer["status"] or answer["reply_code"]
    assert side["registered"] is False
    assert side["meaning"]
    assert any("not registered" in n or "not a registered" in n for n in answer["notes"])


def test_530_keeps_both_meanings() -> None:
    _, [answer] = invoke_json("lookup", "530")
    reply = answer["reply_code"]
    contexts = {reply["context"], *(m["context"] for m in reply["other_meanings"])}
    assert {"AUTH", "STARTTLS"} <= contexts


@pytest.mark.parametrize("query", ["5.7", "5.7.x", "X.7.*", "5.7.X"])
def test_subject_tables(query: str) -> None:
    code, [answer] = invoke_json("lookup", query)
    assert code == 0
    assert answer["type"] == "table"
    assert answer["title"] == "Security or Policy Status"
    codes = [e["code"] for e in answer["entries"]]
    assert len(codes) == 31
    assert codes[0].endswith(".7.0")


def test_class_table() -> None:
    _, [answer] = invoke_json("lookup", "4.x.x")
    assert answer["title"] == "Persistent Transient Failure"
    assert len(answer["entries"]) == 81
    assert all(e["code"].startswith("4.") for e in answer["entries"])


def test_search() -> None:
    code, [answer] = invoke_json("lookup", "--search", "mailbox full")
    assert code == 0
    assert any(e["code"] == "X.2.2" for e in answer["entries"])


def test_search_without_hits_exits_1() -> None:
    code, [answer] = invoke_json("lookup", "--search", "zzzqqq")
    assert code == 1
    assert answer["entries"] == []


@pytest.mark.parametrize("bad", ["55x", "5.1.1.1.1", "x" * 5000, "650", "hello", "5.1.", "5..1"])
def test_malformed_arguments_exit_2_with_one_line(bad: str) -> None:
    result = invoke("lookup", bad)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.output) < 600


def test_no_arguments_is_a_usage_error() -> None:
    assert invoke("lookup").exit_code == 2


def test_plain_output_when_piped() -> None:
    result = invoke("lookup", "550", "5.1.1")
    assert result.exit_code == 0
    assert "Bad destination mailbox address" in result.output
    assert "\x1b[" not in result.output
    assert "╭" not in result.output


def test_rich_output_honours_no_color() -> None:
    env = {"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1"}
    result = invoke("lookup", "550", "5.1.1", env=env)
    assert result.exit_code == 0
    assert "Bad destination mailbox address" in result.output
    assert "\x1b[3" not in result.output  # no colour sequences


def test_fast_path_matches_click_path() -> None:
    fast = run_cli("lookup", "--json", "550", "5.1.1")
    slow = invoke("lookup", "--json", "550", "5.1.1")
    assert fast.returncode == slow.exit_code == 0
    assert json.loads(fast.stdout) == json.loads(slow.output)


def test_fast_path_defers_malformed_to_click() -> None:
    result = run_cli("lookup", "55x")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert b"not a code" in result.stderr


@pytest.mark.parametrize(("code", "title"), [
    ("421", None), ("5.7.1", "Delivery not authorized, message refused"),
    ("4.4.7", "Delivery time expired"), ("5.1.10", "Recipient address has null MX"),
])
def test_golden_titles(code: str, title: str | None) -> None:
    _, [answer] = invoke_json("lookup", code)
    side = answer["status"] or answer["reply_code"]
    assert side["registered"] is True
    if title:
        assert side["title"] == title


def test_provider_code_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    (data / "rules").mkdir(parents=True)
    for name in ("codes.yaml", "reasons.yaml"):
        (data / name).write_bytes((DATA / name).read_bytes())
    (data / "rules" / "provider-test.yaml").write_text(PROVIDER_RULES, encoding="utf-8")
    monkeypatch.setenv("BOUNCEFIX_DATA_DIR", str(data))
    code, [answer] = invoke_json("lookup", "XQ1234")
    assert code == 0
    assert answer["type"] == "provider"
    [entry] = answer["provider_codes"]
    assert entry["provider"] == "exampleprov"
    assert entry["rule"] == "exampleprov.blocked"
    code, [answer] = invoke_json("lookup", "5.7.777")
    assert code == 0  # unregistered with IANA, but a provider documents it
    assert answer["status"]["registered"] is False
    assert answer["provider_codes"][0]["rule"] == "exampleprov.tenant"
    code, [answer] = invoke_json("lookup", "ZZ9999")
    assert code == 1
    assert answer["provider_codes"] == []


DATA = Path(__file__).resolve().parents[1] / "data"
PROVIDER_RULES = """
version: 1
providers:
  exampleprov: {name: Example Provider, hosts: ['\\\\.example-provider\\\\.test']}
rules:
  - id: exampleprov.blocked
    provider: exampleprov
    reason: blocked
    match: {text: ['\\\\bXQ1234\\\\b']}
    title: Blocked by Example Provider
    cause: They block you.
    fix: [Ask them.]
    who: [sender-admin]
    retry: later
    source: https://example.test/docs
    examples: ["550 5.7.1 [XQ1234] blocked"]
  - id: exampleprov.tenant
    provider: exampleprov
    reason: policyviolation
    match: {status: ["5.7.777"]}
    title: Tenant policy
    cause: A policy.
    fix: [Change it.]
    who: [recipient-admin]
    retry: never
    source: https://example.test/docs
    examples: ["550 5.7.777 tenant says no"]
"""


def test_fast_path_imports_nothing_heavy() -> None:
    """The lookup fast path must not pull in click, rich, re, enum, dataclasses or
    contextlib: each costs a noticeable share of a start-up budget of tens of ms."""
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys, io\n"
         "sys.stdout = io.StringIO()\n"
         "from bouncefix.cli.fast import try_fast_lookup\n"
         "try_fast_lookup(['550', '5.1.1'])\n"
         "sys.stdout = sys.__stdout__\n"
         "print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )
    loaded = set(probe.stdout.split())
    assert not loaded & {"click", "rich", "re", "enum", "dataclasses", "contextlib", "yaml"}
