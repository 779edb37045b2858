"""A small pool of forked worker processes that return results in submission order.

``concurrent.futures`` and ``multiprocessing`` would do, but importing them costs more
than a whole short scan's analysis. Here each worker is a forked child with two pipes:
tasks in, results out, each message a length-prefixed pickle. The parent gives each task
to the worker with the fewest outstanding, notes which, and reads results back in task
order; at most ``window`` tasks per worker are outstanding, so memory stays bounded.

Deadlock-free by construction: a feeder thread does all the writing (it may block on a
busy worker's full task pipe), the caller's thread does all the reading, and it always
reads the oldest outstanding result, which its worker produces before any later one.
Workers ignore SIGINT (a terminal sends it to the whole process group): the parent
reports what was done and stops them.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

_HEADER = 8  #: bytes of the length prefix


class WorkerError(RuntimeError):
    """A worker's task raised (the message names the exception), or a worker died."""


def _send(stream: BinaryIO, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "little") + data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    """The next value, or raise EOFError when the other end closed."""
    head = stream.read(_HEADER)
    if len(head) < _HEADER:
        raise EOFError
    size = int.from_bytes(head, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class _Worker:
    __slots__ = ("pid", "results", "tasks")

    def __init__(self, pid: int, tasks: BinaryIO, results: BinaryIO) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results


def _serve(tasks: BinaryIO, results: BinaryIO, work: Callable[[Any], Any]) -> None:
    """The child's loop: answer each task until the parent closes the task pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while True:
            try:
                task = _receive(tasks)
            except EOFError:
                return
            try:
                answer: tuple[bool, Any] = (True, work(task))
            except Exception as error:  # handed to the parent to report
                answer = (False, f"{type(error).__name__}: {error}")
            _send(results, answer)
    except OSError:  # the parent went away
        return


class ForkPool:
    """``jobs`` forked workers applying `work` to tasks; see the module text."""

    def __init__(self, jobs: int, work: Callable[[Any], Any]) -> None:
        self.workers: list[_Worker] = []
        for _ in range(jobs):
            task_read, task_write = os.pipe()
            result_read, result_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: keep only its own two pipe ends
                os.close(task_write)
                os.close(result_read)
                for worker in self.workers:
                    worker.tasks.close()
                    worker.results.close()
                try:
                    _serve(os.fdopen(task_read, "rb"), os.fdopen(result_write, "wb"), work)
                finally:
                    os._exit(0)  # no atexit handlers, no flushing of the parent's buffers
            os.close(task_read)
            os.close(result_write)
            self.workers.append(
                _Worker(pid, os.fdopen(task_write, "wb"), os.fdopen(result_read, "rb")))

    def map(self, tasks: Iterable[Any], window: int = 4) -> Iterator[Any]:
        """`work(task)` for each task, in order."""
        jobs = len(self.workers)
        slots = threading.Semaphore(window * jobs)
        outstanding = [0] * jobs  # tasks sent to each worker and not yet read back
        counting = threading.Lock()
        order: deque[int | None] = deque()
        ready = threading.Semaphore(0)
        stop = threading.Event()
        failure: list[BaseException] = []

        def feed() -> None:
            try:
                for task in tasks:
                    while not slots.acquire(timeout=0.2):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    with counting:
                        worker = outstanding.index(min(outstanding))  # the least loaded
                        outstanding[worker] += 1
                    _send(self.workers[worker].tasks, task)
                    order.append(worker)
                    ready.release()
            except BaseException as error:  # re-raised in the caller's thread
                failure.append(error)
            finally:
                order.append(None)
                ready.release()

        feeder = threading.Thread(target=feed, name="bouncefix-feeder", daemon=True)
        feeder.start()
        try:
            while True:
                ready.acquire()
                worker = order.popleft()
                if worker is None:
                    break
                try:
                    ok, value = _receive(self.workers[worker].results)
                except EOFError:
                    raise WorkerError("a worker process ended unexpectedly") from None
                if not ok:
                    raise WorkerError(value)
                with counting:
                    outstanding[worker] -= 1
                slots.release()
                yield value
            if failure:
                raise failure[0]
        finally:
            stop.set()

    def close(self, *, kill: bool = False) -> None:
        """Let the workers finish (they end when their task pipe closes), or with `kill`
        stop them at once; then reap them."""
        if kill:  # first, so that a feeder blocked on a full pipe gets EPIPE and ends
            for worker in self.workers:
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, signal.SIGKILL)
        for worker in self.workers:
            for stream in (worker.tasks, worker.results):
                with contextlib.suppress(OSError):
                    stream.close()
        for worker in self.workers:
            with contextlib.suppress(OSError):
                os.waitpid(worker.pid, 0)
