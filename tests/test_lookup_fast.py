"""The fast path of lookup (cli/fast.py) and the click command read every argument list
alike (issue 14, item 13).

For each argument list of the table, the fast path either answers with exactly the
output and exit status of the click command run without it, or leaves the arguments to
click (returns None, having printed nothing). Some lists it must answer itself (the
common forms, else the start-up budget is lost); some it must leave to click (options
only click knows: --color, -o/--output, --help, and every error message). A terminal may
change the layout, never which queries are answered."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from bouncefix.cli import fast
from bouncefix.cli.lookup_cmd import lookup
from helpers import invoke, run_cli

ANSWERS, DEFERS, EITHER = "answers", "defers", "either"

CASES: list[tuple[list[str], str]] = [
    (["550", "5.1.1"], ANSWERS),
    (["550 5.1.1"], ANSWERS),
    (["550-5.1.1"], ANSWERS),
    (["550", "#5.1.1"], ANSWERS),
    (["550,5.1.1", "421"], ANSWERS),
    (["--json", "550", "5.1.1"], ANSWERS),
    (["550", "5.1.1", "--json"], ANSWERS),
    (["-f", "json", "4.7.26"], ANSWERS),
    (["--format", "json", "4.7.26"], ANSWERS),
    (["--format=json", "4.7.26"], ANSWERS),
    (["--format", "text", "530"], ANSWERS),
    (["--format=text", "--json", "530"], ANSWERS),
    (["--json", "-f", "text", "530"], ANSWERS),
    (["--format", "json", "--format", "text", "530"], ANSWERS),
    (["--json", "--json", "421"], ANSWERS),
    (["--all", "550", "5.1.1"], ANSWERS),
    (["550", "5.1.1", "--all", "--json"], ANSWERS),
    (["--search", "mailbox", "full"], ANSWERS),
    (["--search", "mailbox full"], ANSWERS),
    (["--search=quota"], ANSWERS),
    (["--search", "quota", "--json"], ANSWERS),
    (["--json", "--search", "mailbox", "full"], ANSWERS),
    (["full", "--search", "mailbox"], ANSWERS),
    (["--search", "mailbox", "--", "--json"], EITHER),
    (["--search", "zzzqqq"], ANSWERS),
    (["--search", "quota", "--search", "mailbox"], EITHER),
    (["--search", "--json"], EITHER),
    (["--search"], DEFERS),
    (["--search", ""], DEFERS),
    (["--search="], DEFERS),
    (["--", "550"], ANSWERS),
    (["550", "--", "5.1.1"], ANSWERS),
    (["--", "--json"], DEFERS),
    (["--", "-5.1.1"], DEFERS),
    (["-550"], DEFERS),
    (["-5.1.1"], DEFERS),
    (["5.1.1", "-x"], DEFERS),
    (["--unknown", "550"], DEFERS),
    (["--jso", "550"], DEFERS),
    (["-"], DEFERS),
    (["-f"], DEFERS),
    (["--format"], DEFERS),
    (["--format", "markdown", "550"], DEFERS),
    (["-fjson", "550"], EITHER),
    (["-o", "{tmp}/out.txt", "550"], DEFERS),
    (["--output={tmp}/out.txt", "550"], DEFERS),
    (["550", "--output", "{tmp}/out.txt"], DEFERS),
    (["--color", "never", "550"], DEFERS),
    (["--colour=always", "550"], DEFERS),
    (["-h"], DEFERS),
    (["--help"], DEFERS),
    ([], DEFERS),
    (["55x"], DEFERS),
    (["hello"], DEFERS),
    (["599"], ANSWERS),
    (["5.9.99"], ANSWERS),
    (["5.7"], ANSWERS),
    (["X.7.*"], ANSWERS),
    (["x.7.*"], ANSWERS),
    (["4.x.x"], ANSWERS),
    (["OFR_416"], ANSWERS),
    (["TSS04", "--json"], ANSWERS),
    (["ZZ9999"], ANSWERS),
    (["5.7.708"], ANSWERS),
]


def _args(args: list[str], tmp_path: Path) -> list[str]:
    return [a.replace("{tmp}", str(tmp_path)) for a in args]


def _fast(args: list[str]) -> tuple[int | None, str]:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = fast.try_fast_lookup(list(args))
    return code, buffer.getvalue()


@pytest.fixture(autouse=True)
def _piped(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BOUNCEFIX_FORCE_RICH", "FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("args", "expected"), CASES, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else v)
def test_fast_path_and_click_agree(args: list[str], expected: str, tmp_path: Path) -> None:
    argv = _args(args, tmp_path)
    code, output = _fast(argv)
    if expected == ANSWERS:
        assert code is not None, "the fast path should answer these arguments itself"
    elif expected == DEFERS:
        assert code is None, "the fast path should leave these arguments to click"
    if code is None:
        assert output == ""
        return
    click_result = invoke("lookup", *argv)
    assert (code, output) == (click_result.exit_code, click_result.stdout)


@pytest.mark.parametrize(("args", "expected"), CASES[::3], ids=lambda v: " ".join(v)
                         if isinstance(v, list) else v)
def test_the_real_entry_point_agrees_with_click(args: list[str], expected: str,
                                                tmp_path: Path) -> None:
    """The whole program (fast path first, click when it defers) against click alone."""
    argv = _args(args, tmp_path)
    done = run_cli("lookup", *argv)
    (tmp_path / "click").mkdir()
    click_result = invoke("lookup", *_args(args, tmp_path / "click"))
    assert done.returncode == click_result.exit_code
    assert done.stdout.decode() == click_result.stdout.replace(str(tmp_path / "click"),
                                                               str(tmp_path))


@pytest.mark.parametrize(("args", "expected"), [c for c in CASES if c[1] == ANSWERS],
                         ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_a_terminal_changes_only_the_layout(args: list[str], expected: str) -> None:
    """On a terminal the same queries are answered, with the same exit status."""
    piped = invoke("lookup", *args)
    rich = invoke("lookup", *args, env={"BOUNCEFIX_FORCE_RICH": "1", "COLUMNS": "120"})
    assert rich.exit_code == piped.exit_code
    answers = json.loads(invoke("lookup", "--json", *args).stdout)
    flat = " ".join(rich.stdout.split())
    for answer in answers:
        assert answer["query"] in flat


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {"BOUNCEFIX_FORCE_RICH": "1"}])
def test_forced_terminal_layout_is_left_to_click(env: dict[str, str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _fast(["550", "5.1.1"])[0] is None
    assert _fast(["--json", "550", "5.1.1"])[0] is not None


def test_no_color_keeps_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert _fast(["550", "5.1.1"])[0] is not None


def test_every_click_option_is_known_to_the_fast_path() -> None:
    """A new option of the click command must be taught to the fast path, or listed
    as one it leaves to click."""
    spelled = {opt for param in lookup.params for opt in (*param.opts, *param.secondary_opts)
               if opt.startswith("-")}
    known = set(fast.FLAGS) | set(fast.VALUES) | set(fast.CLICK_ONLY)
    assert spelled <= known, sorted(spelled - known)
    assert set(fast.FLAGS) | set(fast.VALUES) <= spelled
