"""Scans on several cores lose nothing and misattribute nothing (runtime/pool.py): results
come in input order; a worker killed mid-scan, a message that kills its worker, a worker
that hangs, SIGTERM and SIGHUP all end with every message accounted for; no worker process
outlives the scan; what is in flight is bounded by bytes."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bouncefix.model import MessageReport
from bouncefix.runtime import pool
from hostile_cases import TIME_LIMIT, command, dsn, many_messages


def _items(count: int, size: int = 0) -> list[tuple[str, int, bytes]]:
    return [(f"m{n}", 0, dsn(recipient=f"r{n}@example.org") + b"x" * size)
            for n in range(count)]


def _address(report: MessageReport) -> str | None:
    return report.recipients[0].finding.address if report.recipients else None


def _no_workers_left() -> bool:
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not multiprocessing.active_children()


def _same(report: MessageReport) -> MessageReport:
    return report


def _source(report: MessageReport) -> str | None:
    return report.source


def _nothing(report: MessageReport) -> int:
    return 0


def test_results_come_in_input_order_as_in_a_serial_run() -> None:
    items = _items(120)
    serial = [(r.source, _address(r)) for r in pool.analyze_many(items, 1, _same)]
    parallel = [(r.source, _address(r)) for r in pool.analyze_many(items, 3, _same)]
    assert parallel == serial == [(f"m{n}", f"r{n}@example.org") for n in range(120)]
    assert _no_workers_left()


_real_analyze_one = pool.analyze_one


def _poisoned(item: tuple[str, int, bytes]) -> MessageReport:
    """analyze_one, except that a message saying KILL kills its worker and one saying
    HANG stops it (as a stuck regex or a SIGSTOP would)."""
    if item[2].startswith(b"KILL") and os.getpid() != _PARENT[0]:
        os.kill(os.getpid(), signal.SIGKILL)
    if item[2].startswith(b"HANG") and os.getpid() != _PARENT[0]:
        os.kill(os.getpid(), signal.SIGSTOP)
    return _real_analyze_one(item)


_PARENT = [os.getpid()]


@pytest.mark.parametrize("poison", [b"KILL", b"HANG"])
def test_a_message_that_breaks_its_worker_is_reported_and_the_rest_kept(
        poison: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    _PARENT[0] = os.getpid()
    monkeypatch.setattr(pool, "analyze_one", _poisoned)  # forked workers inherit it
    monkeypatch.setattr(pool, "BASE_SECONDS", 1.0)
    monkeypatch.setattr(pool, "MESSAGE_SECONDS", 0.2)
    items = _items(100)
    items[37] = ("poison", 0, poison + b"\n")
    failures: list[pool.Failure] = []
    start = time.monotonic()
    results = list(pool.analyze_many(items, 2, _source, failures.append))
    assert results == [source for source, _, _ in items if source != "poison"]
    assert failures == [pool.Failure("poison", 0, "a worker process died or hung analysing it")]
    assert time.monotonic() - start < TIME_LIMIT
    assert _no_workers_left()


def _raising(item: tuple[str, int, bytes]) -> MessageReport:
    if item[2].startswith(b"BUG"):
        raise RecursionError("deep")
    return _real_analyze_one(item)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_message_whose_analysis_raises_is_a_failure_not_the_end(
        jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "analyze_one", _raising)
    items = _items(60)
    items[5] = ("bug", 0, b"BUG\n")
    failures: list[pool.Failure] = []
    results = list(pool.analyze_many(items, jobs, _source, failures.append))
    assert results == [source for source, _, _ in items if source != "bug"]
    assert [(f.source, f.reason.split(";")[0]) for f in failures] == [
        ("bug", "internal error (RecursionError)")]


def test_stopping_early_leaves_no_worker_behind() -> None:
    results = pool.analyze_many(_items(400), 2, _source)
    assert next(results) == "m0"
    results.close()  # the reader went away (a closed pipe, an exception)
    assert _no_workers_left()


_STOP_WHILE_WORKERS_WRITE = """
import sys, time
from bouncefix.runtime import pool

def big(report):
    return "x" * 4_000_000

if __name__ == "__main__":
    items = [("s", n, b"From: a@example.org\\r\\n\\r\\nhello") for n in range(200)]
    results = pool.analyze_many(items, 2, big)
    next(results)
    time.sleep(float(sys.argv[1]))
    started = time.monotonic()
    results.close()
    print(round(time.monotonic() - started, 3))
"""


@pytest.mark.parametrize("pause", [0.0, 0.03])
def test_stopping_while_workers_write_large_results_does_not_hang(
        pause: float, tmp_path: Path) -> None:
    # workers killed half-way through writing a result used to leave the executor
    # waiting for the rest of it for ever
    script = tmp_path / "stop.py"
    script.write_text(_STOP_WHILE_WORKERS_WRITE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(pause)], capture_output=True,
                          timeout=TIME_LIMIT, check=True)
    assert float(done.stdout) < 5


def test_in_flight_bytes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "IN_FLIGHT_BYTES", 200_000)
    monkeypatch.setattr(pool, "BATCH_BYTES", 50_000)
    read = [0]
    items = _items(300, size=20_000)

    def reading() -> Iterator[tuple[str, int, bytes]]:
        for item in items:
            read[0] += len(item[2])
            yield item

    done = 0
    worst = 0
    for _ in pool.analyze_many(reading(), 2, _nothing):
        done += 1
        worst = max(worst, read[0] - sum(len(i[2]) for i in items[:done]))
    assert done == 300
    # two workers' budget, plus the batch that crossed it and the one being read
    assert worst <= 2 * 200_000 + 2 * 50_000 + 25_000


# -- the command line --------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(n) for n in text.split()]


def _folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "bounces"
    folder.mkdir()
    for n in range(count):
        (folder / f"{n:05d}.eml").write_bytes(dsn(recipient=f"r{n}@example.org"))
    return folder


def _start(args: list[str], tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """Start the CLI with its output going to a file; return once it has written some."""
    out = tmp_path / "out"
    with open(out, "wb") as handle:
        process = subprocess.Popen([*command(), *args], stdout=handle, stderr=subprocess.PIPE)
    deadline = time.monotonic() + TIME_LIMIT
    while out.stat().st_size < 2000 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return process, out


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_worker_killed_mid_scan_loses_no_result(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 3000)
    process, out = _start(["scan", "--format", "jsonl", "--jobs", "2", str(folder)], tmp_path)
    workers = _children(process.pid)
    assert workers, "the scan should be running on workers"
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    lines = out.read_bytes().splitlines()
    sources = [Path(json.loads(line)["source"]).name for line in lines if line.strip()]
    assert sources == [f"{n:05d}.eml" for n in range(3000)], stderr[-500:]
    assert process.returncode == 0, stderr[-500:]
    assert b"Traceback" not in stderr


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_and_sighup_close_the_output(sig: int, code: int, jobs: str,
                                             tmp_path: Path) -> None:
    box = tmp_path / "big.mbox"
    box.write_bytes(many_messages(30_000))
    process, out = _start(["scan", "--format", "json", "--jobs", jobs, str(box)], tmp_path)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=TIME_LIMIT)
    assert process.returncode == code, stderr[-500:]
    reports = json.loads(out.read_bytes())  # the array is closed
    assert 0 < len(reports) < 30_000
    assert f"stopped after {len(reports)} messages".encode() in stderr
    assert b"Traceback" not in stderr


# From 0.05 s on, our own code is running (python starts in about 12 ms here); a signal
# before that lands in the interpreter's start-up or the console script's own imports.
@pytest.mark.parametrize("delay", [0.05, 0.08, 0.12, 0.2, 0.3])
@pytest.mark.parametrize("args", [("scan", "--format", "jsonl"), ("explain",)])
def test_ctrl_c_during_start_up_is_quiet(delay: float, args: tuple[str, ...],
                                         tmp_path: Path) -> None:
    box = tmp_path / "box.mbox"
    box.write_bytes(many_messages(200))
    process = subprocess.Popen([*command(), *args, str(box)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=TIME_LIMIT)
    assert b"Traceback" not in stderr and b"KeyboardInterrupt" not in stderr, stderr[-800:]
    assert process.returncode in (0, 1, 130, -signal.SIGINT)
