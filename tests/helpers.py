"""Small helpers shared by the CLI tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from click.testing import CliRunner, Result

from bouncefix.cli.group import cli


def invoke(
    *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
) -> Result:
    """Run the click group in-process, as a pipe would (no terminal)."""
    runner = CliRunner()
    return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def invoke_json(*args: str, input: str | bytes | None = None) -> tuple[int, Any]:
    """Run with --format json and parse the output."""
    result = invoke(*args, "--format", "json", input=input)
    return result.exit_code, json.loads(result.output)


def run_cli(*args: str, input: bytes | None = None, timeout: float = 60,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real entry point in a subprocess (fast path included)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("BOUNCEFIX_FORCE_RICH", None) if env is None else None
    return subprocess.run(
        [sys.executable, "-m", "bouncefix", *args], input=input, capture_output=True,
        timeout=timeout, env=full_env, check=False,
    )
