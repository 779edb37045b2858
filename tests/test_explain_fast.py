"""explain's fast start-up path (cli/fast_explain.py) answers exactly as the click command
does: the same output, errors and exit status over a table of argument lists, whether
the fast path takes them or hands them to click."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bouncefix.cli.fast_explain import try_fast_explain

LINE = b"550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown\n"
HOSTUNKNOWN = b"550 5.1.2 <ann@nosuch.invalid>: Recipient address rejected: Domain not found\n"
CLICK_ONLY = "import sys; from bouncefix.cli.group import run; run(sys.argv[1:])"

ARGUMENTS = [
    [], ["-"], ["{file}"], ["--", "{file}"], ["--", "-"],
    ["--json"], ["-f", "json"], ["--format", "json"], ["--format=json"], ["-f", "markdown"],
    ["--format", "text"], ["--json", "--format", "markdown"], ["--format", "markdown", "--json"],
    ["-f", "json", "-f", "text"], ["--offline"], ["--online", "--offline"], ["-v"],
    ["--verbose", "-f", "json"], ["{file}", "--json"], ["--json", "{file}", "-v"],
    ["{missing}"], ["{folder}"], ["{empty}"],
    # handed to click: its messages and exit statuses
    ["-f", "yaml"], ["--format"], ["-f"], ["--format=xml"], ["-x"], ["--bogus"],
    ["{file}", "{file}"], ["-vf", "json"], ["--help"], ["-h"], ["--max-size", "10"],
    ["--max-size", "0"], ["--color", "never"], ["-o", "{out}"], ["--nameserver", "bad host"],
    ["--budget", "0"],
]


def _expand(args: list[str], tmp: Path) -> list[str]:
    return [a.format(file=tmp / "bounce.txt", missing=tmp / "missing.eml", folder=tmp,
                     empty=tmp / "empty.txt", out=tmp / "out.txt") for a in args]


def _run(argv: list[str], data: bytes, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    done = subprocess.run(argv, input=data, capture_output=True, timeout=60, env=env,
                          check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("args", ARGUMENTS, ids=[" ".join(a) or "(none)" for a in ARGUMENTS])
@pytest.mark.parametrize("data", [LINE, HOSTUNKNOWN], ids=["userunknown", "hostunknown"])
def test_fast_path_and_click_agree(args: list[str], data: bytes, tmp_path: Path) -> None:
    (tmp_path / "bounce.txt").write_bytes(data)
    (tmp_path / "empty.txt").write_bytes(b"")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BOUNCEFIX_", "NO_COLOR", "FORCE_COLOR"))}
    env.update({"BOUNCEFIX_OFFLINE": "1", "COLUMNS": "100"})
    argv = _expand(args, tmp_path)
    fast = _run([sys.executable, "-m", "bouncefix", "explain", *argv], data, env)
    out_fast = (tmp_path / "out.txt").read_bytes() if (tmp_path / "out.txt").exists() else b""
    (tmp_path / "out.txt").unlink(missing_ok=True)
    slow = _run([sys.executable, "-c", CLICK_ONLY, "explain", *argv], data, env)
    out_slow = (tmp_path / "out.txt").read_bytes() if (tmp_path / "out.txt").exists() else b""
    assert fast == slow
    assert out_fast == out_slow


def test_the_table_exercises_both_paths(tmp_path: Path) -> None:
    taken = [args for args in ARGUMENTS if try_fast_explain(_expand(args, tmp_path))]
    assert len(taken) >= 20 and len(taken) < len(ARGUMENTS) - 10


def test_explaining_one_line_imports_nothing_it_does_not_need() -> None:
    """explain of one pasted line must not pull in click, rich, yaml or dataclasses
    (with inspect, ast and dis behind it: 14 ms of a budget of about 140)."""
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bouncefix", "explain", "--offline"],
        input=LINE, capture_output=True, check=True,
        env={**os.environ, "BOUNCEFIX_OFFLINE": "1"},
    )
    loaded = {line.rsplit("|", 1)[-1].strip()
              for line in probe.stderr.decode().splitlines() if line.startswith("import time:")}
    assert "bouncefix.analysis" in loaded and b"5.1.1" in probe.stdout
    assert not loaded & {"click", "rich", "yaml", "dataclasses", "inspect"}
