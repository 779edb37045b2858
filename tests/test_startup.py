"""How a real run starts and ends: collection paused during start-up, and an exit that
skips the interpreter's teardown but still flushes the output and runs the exit
handlers (the regex cache is written by one)."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bouncefix.cli import leave, startup
from helpers import run_cli
from paths import SAMPLES


@pytest.fixture
def gc_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    startup._paused = False
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_pause_then_resume(gc_restored: None) -> None:
    gc.enable()
    startup.pause()
    assert not gc.isenabled()
    startup.resume()
    assert gc.isenabled()
    startup.resume()  # a second resume changes nothing
    assert gc.isenabled()


def test_resume_keeps_a_callers_own_disable(gc_restored: None) -> None:
    gc.disable()
    startup.pause()  # already off: not ours to turn back on
    startup.resume()
    assert not gc.isenabled()


def test_leave_returns_while_another_thread_runs() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        leave(0)  # would end the test run if it exited
    finally:
        release.set()
        worker.join()


def test_leave_returns_for_a_code_that_is_not_a_number() -> None:
    leave("message")
    leave(None)


def test_a_real_run_flushes_everything_and_saves_the_regex_cache(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    samples = sorted(p for p in SAMPLES.rglob("*.eml"))[:60]
    for number, sample in enumerate(samples):
        (folder / f"{number:03}.eml").write_bytes(sample.read_bytes())
    cache = tmp_path / "cache"
    done = run_cli("scan", "--format", "jsonl", str(folder),
                   env={"XDG_CACHE_HOME": str(cache)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert len(lines) >= len(samples)
    assert all(json.loads(line)["source"] for line in lines)
    assert list((cache / "bouncefix").glob("regex-*.marshal")), "exit handlers did not run"
    assert not done.stderr


def test_exit_code_of_a_real_run_with_nothing_found() -> None:
    done = run_cli("explain", "-", input=b"Subject: hello\n\nJust a note.\n")
    assert done.returncode == 1
    assert b"no bounce" in done.stderr


def test_a_real_scan_reads_alike_with_the_prepared_pool_another_pool_or_none(
        tmp_path: Path) -> None:
    """``scan`` prepares a pool of default size before click starts (workers.py); -j 3
    dismisses it and starts another; -j 1 dismisses it and analyses in-process."""
    samples = sorted(SAMPLES.rglob("*.eml"))[:60]
    for number, sample in enumerate(samples):
        (tmp_path / f"{number:03}.eml").write_bytes(sample.read_bytes())
    outputs = set()
    for jobs in ([], ["-j", "3"], ["-j", "1"]):
        done = run_cli("scan", "--format", "jsonl", *jobs, str(tmp_path))
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1 and outputs.pop().count(b"\n") >= len(samples)
