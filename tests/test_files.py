"""Files that are not what they seem: FIFOs, devices, directories, symlink loops,
unreadable, vanished and empty files, odd mbox files; and Ctrl-C in the middle of a scan.
Never a hang (FIFOs are refused before they are opened), never a traceback.

These tests run as root too: an unreadable file is made with /proc/self/mem (reading its
first page fails with EIO, whoever you are); the chmod test is skipped for root.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bouncefix import ingest
from bouncefix.ingest import files as ingest_files
from helpers import invoke
from hostile_cases import TIME_LIMIT, command, dsn, many_messages

BOUNCE = dsn()
NO_TRACEBACK = "Traceback"


def _scan(*args: str) -> tuple[int, list[dict[str, object]], str]:
    result = invoke("scan", "--format", "jsonl", "--no-progress", *args)
    assert NO_TRACEBACK not in result.output + result.stderr
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], \
        result.stderr


# -- open_regular: the type is checked before opening -------------------------------------


def test_open_regular_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "a.eml"
    path.write_bytes(BOUNCE)
    with ingest.open_regular(path) as handle:
        assert handle.read() == BOUNCE


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(ingest.InputError, match="FIFO"):
        ingest.open_regular(fifo)
    # with a writer attached it is refused all the same (never read from)
    writer = threading.Thread(target=lambda: fifo.write_bytes(BOUNCE), daemon=True)
    writer.start()
    with pytest.raises(ingest.InputError, match="FIFO"):
        ingest.open_regular(fifo)
    assert time.monotonic() - start < 5
    os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # release the writer thread


@pytest.mark.parametrize(("path", "reason"), [("/dev/zero", "a device"),
                                              ("/dev/null", "a device"),
                                              ("/", "a directory")])
def test_special_files_are_refused(path: str, reason: str) -> None:
    with pytest.raises(ingest.InputError, match=reason):
        ingest.open_regular(path)


def test_symlink_loop_and_dangling_link(tmp_path: Path) -> None:
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    os.symlink("nowhere", tmp_path / "dangling")
    with pytest.raises(ingest.InputError, match="symbolic links"):
        ingest.open_regular(tmp_path / "a")
    with pytest.raises(ingest.InputError, match="No such file"):
        ingest.open_regular(tmp_path / "dangling")


def test_file_swapped_for_a_fifo_after_the_check(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The type is checked again on the open descriptor: a race cannot make us block."""
    fifo = tmp_path / "swapped"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = os.stat
    monkeypatch.setattr(ingest_files.os, "stat", lambda p, *a, **k: regular if Path(p) == fifo
                        else real_stat(p, *a, **k))
    with pytest.raises(ingest.InputError, match="not a regular file"):
        ingest.open_regular(fifo)


def test_unreadable_file_even_for_root() -> None:
    with pytest.raises(OSError), ingest.open_regular("/proc/self/mem") as handle:
        handle.read(1024)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_by_mode(tmp_path: Path) -> None:
    path = tmp_path / "secret.eml"
    path.write_bytes(BOUNCE)
    path.chmod(0)
    with pytest.raises(ingest.InputError, match="Permission denied"):
        ingest.open_regular(path)
    code, reports, stderr = _scan(str(path))
    assert code == 1 and not reports and "Permission denied" in stderr


# -- explain -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "directory", "loop", "dangling",
                                  "unreadable", "missing"])
def test_explain_refuses_with_one_line(kind: str, tmp_path: Path) -> None:
    target = {"device": "/dev/zero", "directory": str(tmp_path), "unreadable": "/proc/self/mem",
              "missing": str(tmp_path / "missing.eml")}.get(kind, str(tmp_path / kind))
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "loop":
        os.symlink(kind, target)
    elif kind == "dangling":
        os.symlink("nowhere", target)
    done = subprocess.run([*command(), "explain", target], capture_output=True,
                          timeout=TIME_LIMIT, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bouncefix: "), lines
    assert done.stdout == b""


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\r\n"])
def test_explain_empty_input(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "empty.eml"
    path.write_bytes(content)
    result = invoke("explain", str(path))
    assert result.exit_code == 1
    assert "is empty" in result.stderr
    assert invoke("explain", input=content).exit_code == 1


# -- scan --------------------------------------------------------------------------------


def test_scan_skips_every_odd_file_and_says_why(tmp_path: Path) -> None:
    (tmp_path / "good.eml").write_bytes(BOUNCE)
    (tmp_path / "empty.eml").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe.eml")
    os.symlink("/dev/null", tmp_path / "null.eml")
    os.symlink("loop.eml", tmp_path / "loop.eml")
    os.symlink("/proc/self/mem", tmp_path / "mem.eml")
    os.symlink(".", tmp_path / "self")  # a directory loop
    code, reports, stderr = _scan(str(tmp_path))
    assert code == 0
    assert [Path(str(r["source"])).name for r in reports] == ["good.eml"]
    for name, reason in [("empty.eml", "empty file"), ("pipe.eml", "not a regular file"),
                         ("null.eml", "not a regular file"), ("loop.eml", "symbolic links"),
                         ("mem.eml", "Input/output error")]:
        assert any(name in line and reason in line for line in stderr.splitlines()), name


def test_scan_file_that_vanishes_after_listing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.eml", "b.eml", "c.eml"):
        (tmp_path / name).write_bytes(BOUNCE)
    listing = ingest_files.files_of

    def list_then_delete(paths: list[str], on_skip: ingest_files.OnSkip) -> Iterator[str]:
        found = list(listing(paths, on_skip))
        (tmp_path / "b.eml").unlink(missing_ok=True)
        return iter(found)

    monkeypatch.setattr(ingest, "files_of", list_then_delete)
    code, reports, stderr = _scan(str(tmp_path))
    assert code == 0
    assert [Path(str(r["source"])).name for r in reports] == ["a.eml", "c.eml"]
    assert "b.eml" in stderr and "No such file" in stderr


def test_scan_names_are_sanitised_on_stdout_and_stderr(tmp_path: Path) -> None:
    (tmp_path / "\x1b]0;owned\x07\x1b[2J.eml").write_bytes(BOUNCE)
    (tmp_path / "\u202eempty\x07.eml").write_bytes(b"")
    result = invoke("scan", str(tmp_path))
    assert "\x1b" not in result.stdout + result.stderr
    assert "\u202e" not in result.stderr and "\x07" not in result.stderr
    assert "\\u202eempty\\x07.eml: empty file" in result.stderr  # escaped, not hidden


# -- mbox edge cases ---------------------------------------------------------------------

SEPARATOR = b"From MAILER-DAEMON Thu Mar  5 14:30:00 2026\n"


@pytest.mark.parametrize(
    ("data", "count"),
    [
        (BOUNCE + BOUNCE, 1),  # no From lines at all: one message
        (SEPARATOR + BOUNCE + b"\nFrom the postmaster: it failed at 10:30\n", 1),
        (SEPARATOR + BOUNCE + b"\nFrom here on\n\nFrom me at 10:30 sharp\n", 1),
        (SEPARATOR + BOUNCE + b"\n>From Mon 10:30\n\n" + SEPARATOR + BOUNCE, 2),
        (SEPARATOR + BOUNCE + b"\nFrom - Fri Mar  6 09:00:00 2026\n" + BOUNCE, 2),
        (SEPARATOR + BOUNCE + b"\nFrom () 2026-03-06 09:00:00 +0000\n" + BOUNCE, 2),
        (SEPARATOR * 5, 1),  # separators only: the first one separates
        ((SEPARATOR + b"\n") * 3, 3),
        (SEPARATOR + b"x" * (3 << 20), 1),  # one endless line
        ((SEPARATOR + BOUNCE).replace(b"\n", b"\r\n"), 1),
    ],
)
def test_mbox_splitting(data: bytes, count: int) -> None:
    messages = ingest.split_messages(ingest.normalise_newlines(data))
    streamed = list(ingest.iter_mbox_file(io.BytesIO(data)))
    assert len(streamed) == count
    assert [ingest.normalise_newlines(m) for m in streamed] == (messages if count else [])


def test_unescaped_from_line_in_a_body_keeps_the_message_whole(tmp_path: Path) -> None:
    body = dsn(text_part="From the desk of the postmaster, Mon 10:30: 550 5.1.1 unknown")
    path = tmp_path / "box.mbox"
    path.write_bytes(SEPARATOR + body + b"\n" + SEPARATOR + dsn(recipient="c@example.org"))
    code, reports, _ = _scan(str(path))
    assert code == 0
    addresses = [r["recipients"][0]["address"] for r in reports]  # type: ignore[index]
    assert addresses == ["bob@example.org", "c@example.org"]


def test_oversized_mbox_message_keeps_its_head(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    path.write_bytes(SEPARATOR + BOUNCE + (b"y" * 999 + b"\n") * 300 + b"\n" + SEPARATOR + BOUNCE)
    code, reports, stderr = _scan("--max-size", "100K", str(path))
    assert code == 0 and len(reports) == 2
    assert all(r["kind"] == "bounce" for r in reports)
    assert "message 1 is larger than 102,400 bytes" in stderr


# -- Ctrl-C ------------------------------------------------------------------------------


def _interrupt(args: list[str], tmp_path: Path, group: bool) -> tuple[int, bytes, bytes]:
    """Start the CLI, wait for its first output, send SIGINT (to the process group when
    `group`, as a terminal does), and return (exit code, stdout, stderr)."""
    out_path = tmp_path / "out"
    with open(out_path, "wb") as out:
        process = subprocess.Popen(
            [*command(), *args], stdout=out, stderr=subprocess.PIPE,
            stdin=subprocess.PIPE, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + TIME_LIMIT
        while out_path.stat().st_size == 0 and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            time.sleep(0.05)
        time.sleep(0.3)
        if group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=TIME_LIMIT)
    return process.returncode, out_path.read_bytes(), stderr


@pytest.mark.parametrize(("jobs", "group"), [("1", False), ("2", True)])
def test_ctrl_c_during_scan(jobs: str, group: bool, tmp_path: Path) -> None:
    box = tmp_path / "big.mbox"
    box.write_bytes(many_messages(30_000))
    code, stdout, stderr = _interrupt(["scan", "--format", "jsonl", "--jobs", jobs, str(box)],
                                      tmp_path, group)
    assert code == 130
    assert b"Traceback" not in stderr and b"KeyboardInterrupt" not in stderr
    lines = stdout.decode().splitlines()
    assert 0 < len(lines) < 30_000
    assert all(json.loads(line)["kind"] == "bounce" for line in lines)  # whole lines only
    assert f"interrupted after {len(lines):,} messages".encode() in stderr


def test_ctrl_c_during_scan_json_array_stays_valid(tmp_path: Path) -> None:
    box = tmp_path / "big.mbox"
    box.write_bytes(many_messages(30_000))
    code, stdout, stderr = _interrupt(["scan", "--format", "json", "--jobs", "1", str(box)],
                                      tmp_path, False)
    assert code == 130 and b"Traceback" not in stderr
    assert 0 < len(json.loads(stdout)) < 30_000


def test_ctrl_c_while_explain_waits_for_input(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*command(), "explain"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.0)  # started and blocked reading standard input
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIME_LIMIT)
    assert process.returncode == 130
    assert stderr.decode().strip().splitlines()[-1] == "bouncefix: interrupted"
    assert b"Traceback" not in stderr and stdout == b""
