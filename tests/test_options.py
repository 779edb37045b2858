"""One vocabulary of options across commands (cli/options.py): the same name for the same
thing, old spellings accepted but hidden, --color and FORCE_COLOR/NO_COLOR, --output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import invoke

LINE = "550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown\n"
COMMANDS = [("explain",), ("scan",), ("lookup",), ("check",), ("rules",)]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_the_shared_output_options(command: tuple[str, ...]) -> None:
    text = invoke(*command, "--help").output
    for option in ("-f, --format", "--color [auto|always|never]", "-o, --output FILE"):
        assert option in text, (command, option)
    assert "--colour" not in text


@pytest.mark.parametrize("command", [("explain",), ("scan",), ("check",)])
def test_network_options_are_spelled_alike(command: tuple[str, ...]) -> None:
    text = invoke(*command, "--help").output
    for option in ("--nameserver", "--timeout", "--budget", "--max-queries"):
        assert option in text, (command, option)
    for old in ("--dns-budget", "--dns-max-queries", "--no-dns"):
        assert old not in text  # kept for old scripts, not shown


@pytest.mark.parametrize("command", [("explain",), ("scan",)])
def test_online_and_offline_on_commands_that_may_use_dns(command: tuple[str, ...]) -> None:
    assert "--online / --offline" in invoke(*command, "--help").output


def test_old_spellings_still_work(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_text(LINE)
    assert invoke("explain", "--offline", "--dns-budget", "1", "--dns-max-queries", "5",
                  input=LINE).exit_code == 0
    assert invoke("scan", "--no-dns", "--dns-budget", "1", str(tmp_path)).exit_code == 0
    assert invoke("explain", "--no-dns", "--colour", "never", input=LINE).exit_code == 0


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = invoke("explain", "--offline", "-f", "json", "-o", str(target), input=LINE)
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(target.read_text())[0]["recipients"][0]["reason"] == "userunknown"


def test_output_to_an_unwritable_place_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("lookup", "550", "-o", str(tmp_path / "missing" / "x.txt"))
    assert result.exit_code == 2


@pytest.mark.parametrize(("args", "env", "escapes"), [
    (("--color", "always"), {}, True),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ((), {}, False),  # piped: plain text
])
def test_colour_choice(args: tuple[str, ...], env: dict[str, str], escapes: bool) -> None:
    result = invoke("explain", "--offline", *args, input=LINE,
                    env={"NO_COLOR": "", "FORCE_COLOR": "", **env})
    assert result.exit_code == 0
    assert ("\x1b[" in result.output) is escapes
