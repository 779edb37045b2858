"""Every command teaches: --help has examples, and the README documents it."""

from __future__ import annotations

import pytest

from bouncefix.cli.group import COMMANDS
from helpers import invoke
from paths import ROOT


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_examples(name: str) -> None:
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"bouncefix {name}" in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_readme_documents_command(name: str) -> None:
    assert f"bouncefix {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_group_help_lists_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_unknown_command_is_usage_error() -> None:
    assert invoke("frobnicate").exit_code == 2
