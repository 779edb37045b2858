"""The command line as a whole (issue 14, items 19-23): did-you-mean for commands and
values, rules filters validated, provider list, completion scripts, clean JSON texts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import invoke


def test_unknown_command_suggests_the_nearest() -> None:
    result = invoke("explian")
    assert result.exit_code == 2
    assert "did you mean explain?" in result.output


@pytest.mark.parametrize(("args", "suggestion"), [
    (("--reason", "blokced"), "did you mean blocked?"),
    (("--provider", "microsfot"), "did you mean microsoft?"),
])
def test_rules_filters_are_validated(args: tuple[str, ...], suggestion: str) -> None:
    result = invoke("rules", *args)
    assert result.exit_code == 2
    assert suggestion in result.output


def test_rules_list_providers() -> None:
    result = invoke("rules", "--list-providers", "--format", "json")
    rows = json.loads(result.output)
    ids = [row["id"] for row in rows]
    assert ids[0] == "generic" and "microsoft" in ids and "google" in ids
    assert all(row["rules"] > 0 for row in rows)


def test_rule_texts_in_json_have_no_stray_newlines() -> None:
    rows = json.loads(invoke("rules", "--format", "json").output)
    for row in rows:
        for text in [row["title"], row["cause"], *row["fix"]]:
            assert text is None or (text == text.strip() and "\n" not in text), row["id"]


def test_rule_ids_are_never_cut_in_the_table() -> None:
    result = invoke("rules", "--provider", "microsoft",
                    env={"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    ids = [row["id"] for row in json.loads(
        invoke("rules", "--provider", "microsoft", "-f", "json").output)]
    for rule_id in ids:
        assert rule_id in result.output


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "_BOUNCEFIX_COMPLETE=bash_complete"), ("zsh", "#compdef bouncefix"),
    ("fish", "complete --no-files --command bouncefix"),
])
def test_completion_scripts(shell: str, marker: str) -> None:
    result = invoke("completion", shell)
    assert result.exit_code == 0 and marker in result.output


def test_completion_completes_commands_and_values() -> None:
    def complete(words: str, index: int) -> str:
        env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(index),
               "_BOUNCEFIX_COMPLETE": "bash_complete"}
        return subprocess.run([sys.executable, "-m", "bouncefix"], env=env,
                              capture_output=True, text=True, timeout=60).stdout

    assert "plain,explain" in complete("bouncefix ex", 1)
    assert "plain,blocked" in complete("bouncefix rules --reason blo", 3)


def test_completion_with_an_unknown_shell_is_a_usage_error() -> None:
    assert invoke("completion", "tcsh").exit_code == 2
