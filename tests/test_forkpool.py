"""The forked worker pool: order, bounded work in flight, errors, early stops."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import pytest

from bouncefix.forkpool import ForkPool, WorkerError


def _square_with_pid(task: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that every worker gets some of the tasks
    return task * task, os.getpid()


def _fail_on_seven(task: int) -> int:
    if task == 7:
        raise ValueError("seven")
    return task


def _big(task: int) -> bytes:
    return bytes([task % 256]) * 200_000  # larger than a pipe's buffer


def test_results_come_back_in_order_from_several_workers() -> None:
    pool = ForkPool(3, _square_with_pid)
    try:
        results = list(pool.map(range(200), window=2))
    finally:
        pool.close()
    assert [value for value, _ in results] == [n * n for n in range(200)]
    assert len({pid for _, pid in results}) == 3
    assert os.getpid() not in {pid for _, pid in results}


def test_large_tasks_and_results_do_not_deadlock() -> None:
    pool = ForkPool(2, _big)
    try:
        sizes = [len(r) for r in pool.map(range(40), window=3)]
    finally:
        pool.close()
    assert sizes == [200_000] * 40


def test_a_failing_task_is_reported_not_swallowed() -> None:
    pool = ForkPool(2, _fail_on_seven)
    seen = []
    with pytest.raises(WorkerError, match="ValueError: seven"):
        for value in pool.map(range(20)):
            seen.append(value)
    pool.close(kill=True)
    assert seen == list(range(7))


def test_stopping_early_ends_the_workers() -> None:
    pool = ForkPool(2, _big)
    results = pool.map(range(1000), window=4)
    assert len(next(results)) == 200_000
    results.close()  # the reader stopped
    pids = pool.worker_pids()
    assert len(pids) == 2
    pool.close(kill=True)
    for pid in pids:  # gone, and reaped by the spawner close() waited for
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def _imports_marker(task: int) -> bool:
    import sys

    return "json.tool" in sys.modules


def _preload_marker() -> None:
    import json.tool  # noqa: F401 - a module nothing else here imports


def test_the_preload_runs_in_the_spawner_and_the_work_can_come_later() -> None:
    import sys

    pool = ForkPool(2, preload=_preload_marker)
    try:
        pool.start(_imports_marker)
        assert all(pool.map(range(10)))
    finally:
        pool.close()
    assert "json.tool" not in sys.modules  # the caller never imported it


def test_a_dismissed_pool_forks_no_workers() -> None:
    pool = ForkPool(2, preload=_preload_marker)
    pool.dismiss()
    assert pool.worker_pids() == []
    os.waitpid(pool._spawner, 0)  # the spawner ends by itself


def _slow_first(task: int) -> int:
    time.sleep(0.5 if task == 0 else 0.005)
    return os.getpid()


def test_a_free_worker_takes_the_next_task() -> None:
    """Workers take tasks when they are free: the one held up by a slow task does not
    keep a queue of others waiting behind it (the window lets all 40 be in flight)."""
    pool = ForkPool(2, _slow_first)
    try:
        pids = list(pool.map(range(40), window=20))
    finally:
        pool.close()
    assert pids.count(pids[0]) <= 2


def _dies_on_five(task: int) -> int:
    if task == 5:
        os._exit(3)
    return task


def _killed_on_five(task: int) -> int:
    if task == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return task


@pytest.mark.parametrize("work", [_dies_on_five, _killed_on_five])
def test_a_worker_that_dies_is_reported_not_waited_for(work: Callable[[int], int]) -> None:
    pool = ForkPool(2, work)
    try:
        with pytest.raises(WorkerError, match="ended unexpectedly"):
            list(pool.map(range(50), window=2))
    finally:
        pool.close(kill=True)
