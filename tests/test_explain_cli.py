"""bouncefix explain and scan through the CLI: formats, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import invoke, run_cli
from test_ingest import FRAGMENT, MESSAGE

ORDINARY = b"From: a@example.com\nTo: b@example.net\nSubject: hi\n\nSee you soon.\n"


def test_explain_stdin_json() -> None:
    result = invoke("explain", "--format", "json", input=MESSAGE)
    assert result.exit_code == 0
    [report] = json.loads(result.output)
    assert report["kind"] == "bounce"
    [recipient] = report["recipients"]
    assert recipient["address"] == "kim@example.org"
    assert recipient["reason"] == "userunknown"
    assert recipient["hard_bounce"] is True


def test_explain_file_and_dash(tmp_path: Path) -> None:
    path = tmp_path / "b.eml"
    path.write_bytes(MESSAGE)
    assert invoke("explain", str(path)).exit_code == 0
    assert invoke("explain", "-", input=MESSAGE).exit_code == 0


def test_explain_plain_text_when_piped() -> None:
    result = invoke("explain", input=FRAGMENT)
    assert result.exit_code == 0
    assert "jane@example.org" in result.output
    assert "userunknown" in result.output
    assert "\x1b" not in result.output


def test_explain_rich_without_colour() -> None:
    result = invoke("explain", input=FRAGMENT, env={"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "jane@example.org" in result.output
    assert "\x1b[3" not in result.output


def test_explain_markdown() -> None:
    result = invoke("explain", "--format", "markdown", input=FRAGMENT)
    assert result.exit_code == 0
    assert result.output.startswith("## Bounce")
    assert "`jane@example.org`" in result.output  # addresses as code spans


def test_explain_not_a_bounce_exits_1() -> None:
    result = invoke("explain", "--json", input=ORDINARY)
    assert result.exit_code == 1
    assert json.loads(result.output)[0]["kind"] == "not-bounce"


def test_explain_missing_file_exits_2() -> None:
    result = run_cli("explain", "/nonexistent/bounce.eml")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr


def test_explain_directory_exits_2(tmp_path: Path) -> None:
    result = run_cli("explain", str(tmp_path))
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr


def test_explain_size_limit() -> None:
    result = invoke("explain", "--max-size", "100", input=MESSAGE)
    assert result.exit_code == 2


def test_scan_jsonl_folder_and_mbox(tmp_path: Path) -> None:
    (tmp_path / "cur").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "cur" / "1.eml").write_bytes(MESSAGE)
    (tmp_path / "new" / "2.eml").write_bytes(ORDINARY)
    mbox = b"".join(b"From MAILER-DAEMON Mon Mar  2 09:00:00 2026\n" + MESSAGE + b"\n"
                    for _ in range(3))
    (tmp_path / "box.mbox").write_bytes(mbox)
    result = invoke("scan", "--format", "jsonl", str(tmp_path))
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 5
    assert {line["index"] for line in lines if line["source"].endswith("box.mbox")} == {0, 1, 2}
    assert all("source" in line for line in lines)


def test_scan_skips_unreadable_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(MESSAGE)
    result = run_cli("scan", "--format", "jsonl", str(tmp_path), str(tmp_path / "missing"))
    assert result.returncode == 2  # a named input that cannot be read is an input error
    assert b"skipped" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_scan_nothing_found_exits_1(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(ORDINARY)
    assert invoke("scan", "--format", "jsonl", str(tmp_path)).exit_code == 1
